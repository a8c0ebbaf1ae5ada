"""Ingest speed and memory against a plain bulk load of the same file, in one run.

    .venv/bin/python bench/ingest.py [--rows 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi .venv/bin/python bench/ingest.py

Generates a national-standard penalty CSV (seeded, so every run reads the same file), then measures:
- the baseline: PostgreSQL ``COPY`` into an unindexed table of text columns, or on SQLite ``executemany`` of the same
  rows in one transaction;
- ``fazhi ingest``'s service (reading, header matching, full validation, batches, audit, change feed);
- the storage floor: the rows the ingest stored, copied table to table into empty copies with the same indexes (no
  Python at all) — the least time any validating ingest that keeps this data model can take;
and prints rows/s, the ratio ingest/baseline (the target is at least 0.5) and peak memory (target under 300 MB).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import resource
import tempfile
import time
from pathlib import Path

from _django import scratch_database

HEADERS = [
    "行政相对人名称", "行政相对人类别", "行政相对人代码_1（统一社会信用代码）", "法定代表人", "行政处罚决定书文号",
    "违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容", "罚款金额（万元）", "处罚决定日期", "处罚机关",
    "处罚机关统一社会信用代码", "数据来源单位", "数据来源单位统一社会信用代码",
]  # fmt: skip


def make_file(path: Path, rows: int, agency_name: str, agency_uscc: str) -> None:
    from fazhi.core.identifiers import make_uscc

    rng = random.Random(2020)
    start = dt.date(2026, 6, 1)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        for n in range(rows):
            amount = rng.choice([0.2, 0.5, 1, 2, 5, 16])
            writer.writerow(
                [
                    f"太原市第{n}号{rng.choice(['商贸', '化工', '建材', '食品'])}有限公司",
                    "法人及非法人组织",
                    make_uscc("91", "140105", f"{n:08d}"),
                    "张三",
                    f"小市监罚〔2026〕{n + 1}号",
                    "未按规定公示年度报告",
                    "经查，当事人未按规定报送年度报告，违反《企业信息公示暂行条例》第八条。",
                    "《企业信息公示暂行条例》第十八条",
                    "罚款",
                    f"罚款{amount:g}万元",
                    f"{amount:g}",
                    (start + dt.timedelta(days=n % 150)).isoformat(),
                    agency_name,
                    agency_uscc,
                    agency_name,
                    agency_uscc,
                ]
            )


def baseline(path: Path) -> float:
    from django.db import connection, transaction

    columns = ", ".join(f"c{i} text" for i in range(len(HEADERS)))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_plain ({columns})")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, path.open(encoding="utf-8") as f:
        if connection.vendor == "postgresql":
            with cursor.copy("COPY bench_plain FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
        else:
            reader = csv.reader(f)
            next(reader)
            marks = ", ".join(["?"] * len(HEADERS))
            # sqlite3's own executemany streams the reader; Django's cursor wrapper tee()s it and so keeps every row
            # in memory (350 MB at 200,000 rows), which would show up as the ingest's peak memory below.
            connection.connection.executemany(f"INSERT INTO bench_plain VALUES ({marks})", reader)
    return time.perf_counter() - started


def storage_floor() -> float:
    """What writing the ingest's result costs with no Python at all: the stored penalty rows and their change-feed
    rows copied table to table (``INSERT ... SELECT``) into empty copies with the same indexes. A lower bound for any
    ingest that keeps this data model: no per-row work in Python can make the database write faster than this."""
    from django.db import connection, transaction

    from fazhi.publicity.models import Change, PenaltyRecord

    tables = [PenaltyRecord._meta.db_table, Change._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING DEFAULTS INCLUDING INDEXES)")
            else:
                cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL", [table])
                for (sql,) in cursor.fetchall():
                    sql = sql.replace(f'"{table}"', f'"floor_{table}"')
                    cursor.execute(sql.replace('INDEX "', 'INDEX "floor_', 1) if "INDEX" in sql[:30] else sql)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"INSERT INTO floor_{table} SELECT * FROM {table}")
    return time.perf_counter() - started


def _read_and_check(path: Path) -> int:
    """The reading and checking half alone, in this process (no database): what the worker does."""
    from django.utils import timezone

    from fazhi.ingest.worker import ROW, validated_events

    today = timezone.localdate()
    events = validated_events(path, filename=path.name, kind="penalty", today=today, money_unit="万元")
    return sum(1 for event in events if event[0] == ROW)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with scratch_database() as db, tempfile.TemporaryDirectory() as tmp:
        from fazhi.ingest.services import ingest_file
        from fazhi.org import services as org
        from fazhi.org.roles import DEFAULT_ROLES

        org.load_shanxi_divisions(actor=None)
        org.ensure_roles(actor=None, definitions=DEFAULT_ROLES)
        from fazhi.core.identifiers import make_uscc
        from fazhi.org.models import Division

        agency = org.create_agency(
            actor=None,
            name="太原市小店区市场监督管理局",
            kind="department",
            division=Division.objects.get(code="140105"),
            uscc=make_uscc("11", "140105", "00000001"),
        )
        path = Path(tmp) / "penalties.csv"
        t0 = time.perf_counter()
        make_file(path, args.rows, agency.name, agency.uscc or "")
        size_mb, took = path.stat().st_size / 1e6, time.perf_counter() - t0
        print(f"database: {db}; file: {args.rows:,} rows, {size_mb:.0f} MB, written in {took:.1f} s")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t_base = baseline(path)
        started = time.perf_counter()
        outcome = ingest_file(actor=None, path=path, kind="penalty")
        t_ingest = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        run = outcome.run
        assert run.created == args.rows, (run.created, run.rejected, run.message)
        name = "COPY (unindexed)" if "postgresql" in db else "executemany (unindexed)"
        print(f"{'step':<36}{'rows':>12}{'seconds':>10}{'rows/s':>12}")
        print(f"{'baseline: ' + name:<36}{args.rows:>12,}{t_base:>10.1f}{args.rows / t_base:>12,.0f}")
        print(
            f"{'fazhi ingest (validated, audited)':<36}{args.rows:>12,}{t_ingest:>10.1f}{args.rows / t_ingest:>12,.0f}"
        )
        t_floor = storage_floor()
        label = "storage floor (same indexes, no Python)"
        print(f"{label:<36}{args.rows:>12,}{t_floor:>10.1f}{args.rows / t_floor:>12,.0f}")
        worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        started = time.perf_counter()
        checked = _read_and_check(path)
        t_check = time.perf_counter() - started
        print(f"{'  of which: read + check only':<36}{checked:>12,}{t_check:>10.1f}{checked / t_check:>12,.0f}")
        print(f"ratio ingest / baseline speed: {t_base / t_ingest:.2f} (target >= 0.5)")
        print(
            f"ratio storage floor / baseline speed: {t_base / t_floor:.2f} (the best any validating ingest can reach)"
        )
        print(f"peak RSS: {peak:.0f} MB (before the loads {rss_before:.0f} MB; target < 300 MB)")
        if worker_peak:
            print(f"peak RSS of the reading worker process: {worker_peak:.0f} MB")


if __name__ == "__main__":
    main()

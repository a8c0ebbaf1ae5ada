"""The provincial 2020 report at full scale, and DuckDB computing the same raw aggregates over an export, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi .venv/bin/python bench/report.py [--fraction 1]

1. Data (kept between runs in the database ``bench_report``; ``--regenerate`` drops it and starts again): ``fazhi demo
   --scale full`` — the "Shanxi 2020" scenario (``fazhi.demo.scenario``): 12.14 million 双公示 records decided in 2020,
   50,519 officers with certificates issued in 2020, 32 provincial departments with 裁量基准, 57 items cancelled or
   delegated, on the large demo's divisions and agencies; the portal's search index is not built (no figure reads it;
   ``fazhi portal reindex`` builds it). ``--fraction 0.1`` builds a tenth of the magnitudes (and
   says so in every line it prints); the database remembers the fraction it was built with.
2. fazhi, timed:
   - *cold*: the report exported while no 2020 figure has been rolled up yet — the report computes the figures it
     cites for the province live (what a user waits for before the first rollup);
   - the rollup job (``reports.services.run_rollup``, every metric for the province, 11 cities and 117 counties);
     ``--reuse-rollup`` skips these two and reports the time the rollup made during generation recorded in its
     ``RollupRun`` (at full scale a second rollup would add half an hour);
   - the whole provincial report from the rollup: ``fazhi report annual --year 2020 --division 140000`` as html,
     docx and pdf (target: at most 10 s each);
   - the metrics DuckDB also computes, for the same 129 divisions, through ``Metric.value`` (Django queries).
3. DuckDB: the same records exported (PostgreSQL ``COPY … TO STDOUT`` into CSV; only the columns the aggregates
   read), loaded, and the same raw aggregates computed with ``GROUPING SETS`` (province, city, county). The figures
   of both are printed side by side for the province, every division's figures are compared (they must agree), and
   the time ratio is printed.

Targets are printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from _django import kept_database

YEAR = 2020
YEAR_END = dt.date(YEAR, 12, 31)
DB_NAME = "report"
TARGET_SECONDS = 10.0

# The metrics DuckDB recomputes; the others (supervision, withdrawals, repairs) are not part of the scenario.
COMPARED = [
    "publicity.records_published",
    "publicity.penalties_published",
    "publicity.licences_published",
    "publicity.penalties_on_time_rate",
    "publicity.licences_on_time_rate",
    "publicity.penalties_late",
    "publicity.licences_late",
    "enforcement.officers",
    "enforcement.valid_certificates",
    "enforcement.certificates_issued",
    "enforcement.power_items_devolved",
    "discretion.benchmark_agencies",
]

# (file, SQL run by the database to export it). Every row carries the division path that places it.
_RECORD = (
    "SELECT d.path, r.decided_on, r.status, CASE WHEN r.publish_due IS NULL THEN 0 ELSE 1 END AS has_due, "
    "CASE WHEN r.published_late THEN 1 ELSE 0 END AS late FROM {table} r "
    "JOIN org_agency a ON a.id = r.agency_id JOIN org_division d ON d.id = a.division_id"
)
EXPORTS = {
    "penalties": _RECORD.format(table="publicity_penaltyrecord"),
    "licences": _RECORD.format(table="publicity_licencerecord"),
    "officers": "SELECT d.path, o.status FROM enforcement_officer o "
    "JOIN enforcement_enforcementbody b ON b.id = o.body_id JOIN org_division d ON d.id = b.division_id",
    "certificates": "SELECT d.path, c.status, c.issued_on, c.expires_on, c.review_due FROM enforcement_certificate c "
    "JOIN enforcement_officer o ON o.id = c.officer_id JOIN enforcement_enforcementbody b ON b.id = o.body_id "
    "JOIN org_division d ON d.id = b.division_id",
    "adjustments": "SELECT d.path, p.kind, p.effective_on FROM enforcement_poweradjustment p "
    "JOIN enforcement_enforcementbody b ON b.id = p.body_id JOIN org_division d ON d.id = b.division_id",
    "benchmarks": "SELECT d.path, m.agency_id, m.status, m.effective_from, m.valid_to, m.expires_on "
    "FROM discretion_discretionbenchmark m JOIN org_agency a ON a.id = m.agency_id "
    "JOIN org_division d ON d.id = a.division_id",
}

# Column types DuckDB is told (a column that is empty in every row would otherwise be read as text).
_DATES = {
    "penalties": ["decided_on"],
    "licences": ["decided_on"],
    "officers": [],
    "certificates": ["issued_on", "expires_on", "review_due"],
    "adjustments": ["effective_on"],
    "benchmarks": ["effective_from", "valid_to", "expires_on"],
}

# DuckDB: one query per source, each giving raw counts per (city, county) grouping set.
_GROUPS = "GROUP BY GROUPING SETS ((), (city), (city, county))"
_PLACE = "split_part(path, '/', 2) AS city, split_part(path, '/', 3) AS county"
DUCK_QUERIES = {
    "penalties": f"""SELECT city, county, grouping(city) AS gc, grouping(county) AS gn,
        count(*) FILTER (WHERE status <> 'not_published') AS published,
        count(*) FILTER (WHERE status <> 'not_published' AND has_due = 1) AS due,
        count(*) FILTER (WHERE status <> 'not_published' AND has_due = 1 AND late = 0) AS on_time,
        count(*) FILTER (WHERE status <> 'not_published' AND has_due = 1 AND late = 1) AS late
        FROM (SELECT *, {_PLACE} FROM penalties WHERE year(decided_on) = {YEAR}) {_GROUPS}""",
    "officers": f"""SELECT city, county, grouping(city) AS gc, grouping(county) AS gn,
        count(*) FILTER (WHERE status = 'on_duty') AS officers
        FROM (SELECT *, {_PLACE} FROM officers) {_GROUPS}""",
    "certificates": f"""SELECT city, county, grouping(city) AS gc, grouping(county) AS gn,
        count(*) FILTER (WHERE status = 'active' AND issued_on <= DATE '{YEAR_END}' AND expires_on >= DATE '{YEAR_END}'
            AND (review_due IS NULL OR review_due >= DATE '{YEAR_END}')) AS valid,
        count(*) FILTER (WHERE year(issued_on) = {YEAR}) AS issued
        FROM (SELECT *, {_PLACE} FROM certificates) {_GROUPS}""",
    "adjustments": f"""SELECT city, county, grouping(city) AS gc, grouping(county) AS gn,
        count(*) FILTER (WHERE kind IN ('cancelled', 'delegated') AND year(effective_on) = {YEAR}) AS devolved
        FROM (SELECT *, {_PLACE} FROM adjustments) {_GROUPS}""",
    "benchmarks": f"""SELECT city, county, grouping(city) AS gc, grouping(county) AS gn,
        count(DISTINCT agency_id) FILTER (WHERE status IN ('published', 'retired')
            AND effective_from <= DATE '{YEAR_END}' AND (valid_to IS NULL OR valid_to >= DATE '{YEAR_END}')
            AND (expires_on IS NULL OR expires_on >= DATE '{YEAR_END}')) AS agencies
        FROM (SELECT *, {_PLACE} FROM benchmarks) {_GROUPS}""",
}
DUCK_QUERIES["licences"] = DUCK_QUERIES["penalties"].replace("FROM penalties", "FROM licences")


def _rate(part: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(part) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _meta(fraction: str | None = None) -> str | None:
    """The fraction the kept database was built with (stored in a table of the benchmark's own)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_report_meta (fraction varchar(20) NOT NULL)")
        if fraction is not None:
            cursor.execute("DELETE FROM bench_report_meta")
            cursor.execute("INSERT INTO bench_report_meta (fraction) VALUES (%s)", [fraction])
        cursor.execute("SELECT fraction FROM bench_report_meta")
        row = cursor.fetchone()
    return row[0] if row else None


def _drop_kept() -> None:
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).with_name(f"bench_{DB_NAME}.sqlite3").unlink(missing_ok=True)
        return
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "bench_{DB_NAME}" WITH (FORCE)')


def build(fraction: str, seed: int) -> None:
    from django.core.management import call_command

    from fazhi.org.models import Agency

    stored = _meta()
    if Agency.objects.exists():
        if stored != fraction:
            raise SystemExit(
                f"bench_{DB_NAME} was built with --fraction {stored}; run with --fraction {stored}, or --regenerate"
            )
        print(f"  reusing bench_{DB_NAME} (built with --fraction {stored})")
        return
    t0 = time.perf_counter()
    # The portal's search index is not part of any figure; at full scale it would double the disk (about 43 GB of the
    # 75 GB), so it is left unbuilt here. bench/portal_search.py measures the search at 5 million records.
    call_command("demo", "--scale", "full", "--fraction", fraction, "--seed", str(seed), "--defer-search-index")
    seconds = time.perf_counter() - t0
    _meta(fraction)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"  generated in {seconds:,.0f} s")


def _export(directory: Path) -> dict[str, Path]:
    from django.db import connection

    files = {}
    with connection.cursor() as cursor:
        for name, sql in EXPORTS.items():
            path = directory / f"{name}.csv"
            if connection.vendor == "postgresql":
                with (
                    path.open("wb") as out,
                    cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy,
                ):
                    for block in copy:
                        out.write(block)
            else:
                cursor.execute(sql)
                with path.open("w", newline="") as out:
                    writer = csv.writer(out)
                    writer.writerow([c[0] for c in cursor.description])
                    for row in cursor.fetchall():
                        writer.writerow(row)
            files[name] = path
    return files


def duckdb_figures(files: dict[str, Path]) -> tuple[dict[tuple[str, str], Decimal | None], float, float]:
    """The compared figures per (division code, metric) from the CSV files, the load time and the aggregate time."""
    import duckdb

    db = duckdb.connect()
    t0 = time.perf_counter()
    for name, path in files.items():
        types = ", ".join(f"'{column}': 'DATE'" for column in _DATES[name])
        db.execute(
            f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header = true, types = {{{types}}}, "
            "all_varchar = false)"
        )
    loaded = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = {name: db.execute(sql).fetchall() for name, sql in DUCK_QUERIES.items()}
    aggregated = time.perf_counter() - t0
    out: dict[tuple[str, str], Decimal | None] = {}

    def code(row: tuple[Any, ...]) -> str | None:
        city, county, gc, gn = row[:4]
        if gc:
            return "140000"
        if gn:
            return city or None  # "" is the province's own agencies, not a city
        return county or None  # "" is a city's own agencies

    for name, rows in results.items():
        for row in rows:
            division = code(row)
            if division is None:
                continue
            values = row[4:]
            if name in ("penalties", "licences"):
                plural = name
                published, due, on_time, late = values
                out[(division, f"publicity.{plural}_published")] = Decimal(published)
                out[(division, f"publicity.{plural}_on_time_rate")] = _rate(on_time, due)
                out[(division, f"publicity.{plural}_late")] = Decimal(late)
            elif name == "officers":
                out[(division, "enforcement.officers")] = Decimal(values[0])
            elif name == "certificates":
                out[(division, "enforcement.valid_certificates")] = Decimal(values[0])
                out[(division, "enforcement.certificates_issued")] = Decimal(values[1])
            elif name == "adjustments":
                out[(division, "enforcement.power_items_devolved")] = Decimal(values[0])
            else:
                out[(division, "discretion.benchmark_agencies")] = Decimal(values[0])
    for division in {d for d, _ in out}:
        p = out.get((division, "publicity.penalties_published")) or Decimal(0)
        lic = out.get((division, "publicity.licences_published")) or Decimal(0)
        out[(division, "publicity.records_published")] = p + lic
    return out, loaded, aggregated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fraction", default="1", help="scenario magnitude (1 = the seed's full 2020 figures)")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--regenerate", action="store_true", help="drop bench_report and build it again")
    parser.add_argument(
        "--reuse-rollup",
        action="store_true",
        help="keep the 2020 rollup already in the database (generation makes one) and report the time its run"
        " recorded, instead of timing a cold report and a fresh rollup (at full scale the rollup takes many minutes)",
    )
    args = parser.parse_args()
    label = "FULL SCALE" if Decimal(args.fraction) == 1 else f"FRACTION {args.fraction} OF FULL SCALE"
    if args.regenerate:
        _drop_kept()
    with kept_database(DB_NAME) as (description, _created):
        print(f"bench/report.py — {label} — {description}")
        build(args.fraction, args.seed)
        run(label, reuse_rollup=args.reuse_rollup)


def run(label: str, *, reuse_rollup: bool = False) -> None:
    from django.core.management import call_command
    from django.db import connection

    from fazhi.org.models import Division
    from fazhi.publicity.models import LicenceRecord, PenaltyRecord
    from fazhi.reports import registry
    from fazhi.reports.models import MetricValue, RollupRun
    from fazhi.reports.services import rollup_divisions, run_rollup

    records = PenaltyRecord.objects.count() + LicenceRecord.objects.count()
    print(f"  {records:,} 双公示 records in the database ({label})")
    province = Division.objects.get(code="140000")
    out = Path(tempfile.mkdtemp(prefix="bench-report-"))

    def export(fmt: str) -> float:
        t0 = time.perf_counter()
        call_command(
            "report", "annual", "--year", str(YEAR), "--division", "140000", "--format", fmt,
            "--output", str(out / f"report-{YEAR}.{fmt}"), stdout=open("/dev/null", "w"),  # noqa: SIM115
        )  # fmt: skip
        return time.perf_counter() - t0

    cold: float | None = None
    if reuse_rollup:  # 1–2. the rollup generation made, timed by its own run record
        run_ = RollupRun.objects.filter(year=YEAR, status="done").order_by("-pk").first()
        if run_ is None or run_.finished_at is None:
            raise SystemExit(f"no finished {YEAR} rollup to reuse: run without --reuse-rollup")
        rollup = (run_.finished_at - run_.started_at).total_seconds()
    else:
        # 1. cold: no 2020 figure rolled up yet
        MetricValue.objects.filter(year=YEAR).delete()
        cold = export("html")
        # 2. the rollup job
        t0 = time.perf_counter()
        run_ = run_rollup(actor=None, year=YEAR, fresh=True)
        rollup = time.perf_counter() - t0
    # 3. the report from the rollup
    warm = {fmt: export(fmt) for fmt in ("html", "docx", "pdf")}
    # 4. the compared metrics through Metric.value, for the same divisions
    divisions = list(rollup_divisions())
    metrics = [registry.get(code) for code in COMPARED]
    t0 = time.perf_counter()
    for division in divisions:
        for metric in metrics:
            assert metric is not None
            metric.value(division, YEAR)
    fazhi_subset = time.perf_counter() - t0
    stored = {
        (code, metric): value
        for code, metric, value in MetricValue.objects.filter(year=YEAR, metric__in=COMPARED).values_list(
            "division__code", "metric", "value"
        )
    }

    # 5. DuckDB over an export of the same records
    t0 = time.perf_counter()
    files = _export(out)
    exported = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in files.values())
    duck, loaded, aggregated = duckdb_figures(files)

    print()
    print(f"  {'metric (140000, 2020)':<36} {'fazhi':>14} {'DuckDB':>14}")
    for code in COMPARED:
        ours, theirs = stored.get(("140000", code)), duck.get(("140000", code))
        mark = "" if ours == theirs else "   <-- DIFFERENT"
        print(f"  {code:<36} {_fmt(ours):>14} {_fmt(theirs):>14}{mark}")
    disagreements = []
    for division in divisions:
        for code in COMPARED:
            ours = stored.get((division.code, code))
            theirs = duck.get((division.code, code), None if code.endswith("_rate") else Decimal(0))
            if ours != theirs:
                disagreements.append((division.code, code, ours, theirs))
    compared = len(divisions) * len(COMPARED)
    agree = compared - len(disagreements)
    print(f"  all {len(divisions)} divisions × {len(COMPARED)} metrics: {agree} of {compared} figures agree")
    for row in disagreements[:10]:
        print("    differs:", *row)

    print()
    print(f"  fazhi ({connection.vendor}, {label}):")
    what = "cold report (html, figures computed live for the province)"
    print(f"    {what:<58} {cold:8.2f} s" if cold is not None else f"    {what:<58} not measured (--reuse-rollup)")
    job = f"rollup job, all {len(registry.all_metrics())} metrics × {run_.divisions_done} divisions"
    recorded = "  (its run record, during generation)" if reuse_rollup else ""
    print(f"    {job:<58} {rollup:8.2f} s{recorded}")
    for fmt, seconds in warm.items():
        verdict = "meets" if seconds <= TARGET_SECONDS else "MISSES"
        what = f"whole provincial report from the rollup, {fmt}"
        print(f"    {what:<58} {seconds:8.2f} s  ({verdict} ≤ 10 s)")
    print(
        f"    the {len(COMPARED)} compared metrics × {len(divisions)} divisions (Metric.value)  {fazhi_subset:8.2f} s"
    )
    print("  DuckDB:")
    what = f"export of the same records to CSV ({size / 1e6:,.0f} MB, by the database)"
    print(f"    {what:<58} {exported:8.2f} s")
    print(f"    {'load the CSV into DuckDB':<58} {loaded:8.2f} s")
    print(f"    {'the same raw aggregates, all divisions':<58} {aggregated:8.2f} s")
    print()
    print(
        f"  ratio fazhi Metric.value / DuckDB aggregates: {fazhi_subset / aggregated:,.1f}×;"
        f"  fazhi / DuckDB over the CSV (load + aggregates): {fazhi_subset / (loaded + aggregated):,.1f}×;"
        f"  fazhi report from rollup (html) / DuckDB aggregates: {warm['html'] / aggregated:,.1f}×"
    )
    print(f"  outputs in {out}")
    del province


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{int(value):,}" if value == value.to_integral_value() else f"{value.normalize()}"


if __name__ == "__main__":
    main()

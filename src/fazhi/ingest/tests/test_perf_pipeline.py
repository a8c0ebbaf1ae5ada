"""The fast ingest paths store and report exactly what the plain ones do.

- new records are inserted as plain rows (no ``Model.__init__``, no ``bulk_create``) with the same values a model
  instance + ``_apply`` would hold, and their change-feed entries carry the same public view;
- reading and checking in a worker process gives the same run, records, change feed and error report, byte for
  byte, as doing it in this process; a worker that dies is an error, not a silent short import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from fazhi.audit.verify import verify_chain
from fazhi.ingest import worker
from fazhi.ingest.services import ingest_file
from fazhi.publicity import services
from fazhi.publicity.models import Change, PenaltyRecord
from fazhi.publicity.public import public_view
from fazhi.publicity.validation import clean_row
from fazhi.publicity.windows import RuleBook

pytestmark = pytest.mark.django_db

HEADERS = [
    "行政相对人名称",
    "行政相对人类别",
    "行政相对人代码_1（统一社会信用代码）",
    "证件类型",
    "证件号码",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "处罚决定日期",
    "失信严重程度",
    "特殊领域",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "没有这一列",
]


def _lines(world, count: int) -> list[list[str]]:
    market = world.agencies["xiaodian_market"]
    today = timezone.localdate()
    lines = []
    for n in range(1, count + 1):
        decided = (today - dt.timedelta(days=n % 400)).isoformat()
        person = n % 7 == 0
        line = [
            f"张{n}" if person else f"太原市第{n}号商贸有限公司",
            "自然人" if person else "法人及非法人组织",
            "" if person else "91110000600037341L",
            "身份证" if person else "",
            "110101199003071234" if person else "",
            f"小市监罚〔2026〕{n}号",
            "未按规定公示年度报告",
            "经查，当事人未按规定报送年度报告。",
            "《企业信息公示暂行条例》第十八条",
            ["罚款", "警告", "罚款、没收违法所得", "吊销营业执照"][n % 4],
            f"罚款{n % 5 + 1}万元",
            f"{n % 5 + 1}",
            decided,
            ["", "严重", "轻微"][n % 3],
            ["", "安全生产"][n % 2],
            market.name,
            market.uscc,
            market.name,
            market.uscc,
            "x",
        ]
        if n % 11 == 0:
            line[12] = "2099-01-01"  # in the future: rejected
        if n % 13 == 0:
            line[2] = "91110000600037341M"  # bad check character: rejected
        if n % 17 == 0:
            line[0] = ""  # required: rejected
        if n % 19 == 0:
            line[5] = "小市监罚〔2026〕1号"  # the same decision again: duplicate in file, or unchanged on a re-run
        if n % 23 == 0:
            line[18] = "11140100MB1958448Y"  # an agency nobody registered: rejected at import
        lines.append(line)
    return lines


def _write(path: Path, lines: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        writer.writerows(lines)
        f.write('"broken,"row\n')
    return path


def _state() -> dict[str, object]:
    records = list(
        PenaltyRecord.objects.order_by("id").values_list(
            *[f.attname for f in PenaltyRecord._meta.concrete_fields if f.attname not in {"created_at", "updated_at"}]
        )
    )
    changes = list(Change.objects.order_by("seq").values_list("seq", "record_type", "record_id", "action", "public"))
    return {"records": records, "changes": changes}


def _run(path: Path, *, parallel: bool, **kwargs: Any) -> tuple[Any, str]:
    out = io.StringIO()
    outcome = ingest_file(actor=None, path=path, kind="penalty", errors_out=out, parallel=parallel, **kwargs)
    run = outcome.run
    counts = (run.status, run.rows_read, run.created, run.updated, run.unchanged, run.rejected, run.warnings)
    return (counts, run.file_format, run.encoding, outcome.exit_code), out.getvalue()


def _reset() -> None:
    PenaltyRecord.objects.all().delete()
    Change.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table, column in (("publicity_penaltyrecord", "id"), ("publicity_change", "seq")):
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), 1, false)", [table, column])
    else:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name IN ('publicity_penaltyrecord', 'publicity_change')")


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_worker_gives_the_same_run_records_feed_and_report(tmp_path, org_world, start_method, monkeypatch):
    monkeypatch.setattr(worker, "_start_method", lambda: start_method)
    monkeypatch.setattr(worker, "CHUNK_ROWS", 7)  # many small chunks through the queue
    path = _write(tmp_path / "penalties.csv", _lines(org_world, 230))
    results = {}
    for parallel in (False, True):
        _reset()
        first = _run(path, parallel=parallel, batch_size=40)
        again = _run(path, parallel=parallel, batch_size=40)
        results[parallel] = (first, again, _state())
    assert results[True] == results[False]
    (counts, *_), report = results[True][0]
    assert counts[2] > 100 and counts[5] > 20  # created some, rejected some: the comparison means something
    assert {"agency_unknown", "duplicate_in_file", "row_unreadable", "unknown_header"} <= {
        line["code"] for line in csv.DictReader(io.StringIO(report.lstrip("\ufeff")))
    }
    rerun = results[True][1][0][0]
    assert rerun[2] == 0 and rerun[4] > 90  # the re-run created nothing and found most records unchanged
    assert verify_chain().ok


def test_unusable_file_through_the_worker(tmp_path, org_world):
    junk = tmp_path / "picture.csv"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    sequential = _run(junk, parallel=False)
    parallel = _run(junk, parallel=True)
    assert parallel == sequential
    assert parallel[0][0][0] == "failed"


def test_a_worker_that_dies_is_an_error(tmp_path, org_world, monkeypatch):
    path = _write(tmp_path / "penalties.csv", _lines(org_world, 20))

    def explode(*args, **kwargs):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    monkeypatch.setattr(worker, "_start_method", lambda: "fork")
    monkeypatch.setattr(worker, "validated_events", explode)
    with pytest.raises(worker.WorkerFailed, match="boom"):
        ingest_file(actor=None, path=path, kind="penalty", parallel=True)


def test_new_records_hold_what_a_model_instance_would(org_world):
    market = org_world.agencies["xiaodian_market"]
    today = timezone.localdate()
    rows = []
    for n, (kinds, severity, special, amount) in enumerate(
        [
            ("罚款", "", "", "2"),
            ("警告", "", "", ""),
            ("吊销营业执照", "", "", ""),
            ("罚款", "严重", "安全生产", "0.5"),
            ("罚款、没收违法所得", "轻微", "", "1.25"),
        ],
        start=1,
    ):
        raw = {
            "party_name": f"某{n}公司",
            "party_category": "法人及非法人组织",
            "party_uscc": "91110000600037341L",
            "doc_number": f"小市监罚[2026]{n}号",
            "violation_type": "违法行为",
            "facts": "事实",
            "basis": "依据",
            "kinds": kinds,
            "content": f"罚款{amount}万元" if amount else "警告",
            "fine_wan": amount,
            "licence_affected": "营业执照" if "吊销" in kinds else "",
            "decided_on": (today - dt.timedelta(days=30 * n * n)).isoformat(),
            "severity": severity,
            "special_field": special,
            "decision_agency_name": market.name,
            "decision_agency_uscc": market.uscc,
            "source_agency_name": market.name,
            "source_agency_uscc": market.uscc,
        }
        rows.append((n + 1, clean_row("penalty", raw, today=today)))
    result = services.import_records(actor=None, kind="penalty", rows=rows, today=today)
    assert result.created == len(rows)
    rules, deadlines = RuleBook(), services._DeadlineCache()
    fields = [f for f in PenaltyRecord._meta.concrete_fields if f.attname not in {"id", "created_at", "updated_at"}]
    for _number, row in rows:
        stored = PenaltyRecord.objects.get(natural_key=row.natural_key)
        expected = PenaltyRecord(agency=market, natural_key=row.natural_key, published_on=today)
        services._apply(expected, row, rules, deadlines, today)
        expected.pk = stored.pk
        for f in fields:
            assert getattr(stored, f.attname) == getattr(expected, f.attname), f.attname
        change = Change.objects.filter(record_id=stored.pk, action="publish").first()
        if expected.status == "published":
            assert change is not None
            assert change.public == json.loads(json.dumps(public_view(expected)))
            assert change.occurred_at == stored.created_at
        else:
            assert change is None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT kinds, fine_wan FROM publicity_penaltyrecord ORDER BY id LIMIT 1")
            kinds_text, fine = cursor.fetchone()
        assert kinds_text == json.dumps(rows[0][1].values["kinds"])  # the text Django itself would have stored
        assert Decimal(str(fine)) == Decimal("2")

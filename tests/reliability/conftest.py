"""Fixtures of the reliability suite: the demo data (a synthetic Shanxi built through the services) and its users."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

PERSON_ID = "14010519900307123" + "4"  # a valid 居民身份证号码 (check character 4), made up

DEMO_USERNAMES = ("admin", "sheng_sifating", "taiyuan_sifaju", "shangdang_sifaju", "xiaodian_sifaju")


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    """``fazhi demo --scale small --seed 7`` in the test's transaction; returns the matrix's users by role."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("demo", "--scale", "small", "--seed", "7", stdout=open(os.devnull, "w"))  # noqa: SIM115
    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERNAMES)}
    _extras(users["admin"])
    return {
        "superuser": users["admin"],
        "province": users["sheng_sifating"],
        "city": users["taiyuan_sifaju"],
        "other_county": users["shangdang_sifaju"],
        "county": users["xiaodian_sifaju"],
    }


def record_figures(name: str, figures: dict[str, Any]) -> None:
    """Hand a check's figures to ``bench/reliability.py`` (which sets ``FAZHI_RELIABILITY_OUT``); no-op otherwise."""
    out = os.environ.get("FAZHI_RELIABILITY_OUT")
    if not out:
        return
    path = Path(out)
    path.mkdir(parents=True, exist_ok=True)
    (path / f"{name}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")


def _extras(superuser: Any) -> None:
    """What the demo lacks but the matrix needs a sample of, made through the services in 太原市小店区: an import run
    with an error report, a credit-repair application with one material, and last year's annual report of 太原市
    (a draft)."""
    import tempfile

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from fazhi.ingest.services import attach_report, ingest_file
    from fazhi.org.models import Agency, Division
    from fazhi.publicity.models import PenaltyRecord
    from fazhi.publicity.services import apply_for_repair
    from fazhi.reports.services import create_report

    agency = Agency.objects.filter(division__code="140105", name__contains="市场监督管理局").first()
    last_year = timezone.localdate().year - 1
    create_report(actor=superuser, division=Division.objects.get(code="140100"), year=last_year)
    with tempfile.TemporaryDirectory() as tmp:
        data, report = Path(tmp) / "bad.csv", Path(tmp) / "errors.csv"
        data.write_text("行政相对人名称,处罚决定日期\n某某公司,2026-13-45\n", encoding="utf-8")
        with report.open("w", encoding="utf-8", newline="") as out:
            outcome = ingest_file(actor=superuser, path=data, kind="penalty", errors_out=out, default_agency=agency)
        attach_report(actor=superuser, run=outcome.run, path=report)
    record = (
        PenaltyRecord.objects.filter(agency__division__path__startswith=agency.division.path, early_repair=True)
        .exclude(publicity_min_end__isnull=True)
        .order_by("pk")
        .first()
    )
    if record is not None:
        apply_for_repair(
            record=record,
            applicant_name="某某公司",
            applicant_contact="法务部",
            commitment="承诺守信经营",
            performed_statement="罚款已缴清",
            materials=[("缴款凭证", SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 test", "application/pdf"))],
            today=record.publicity_min_end,
        )


def make_penalty(agency: Any, doc: str, decided: dt.date, **extra: Any) -> Any:
    """One published penalty of a natural person (unless ``extra`` says otherwise), through the import service."""
    from fazhi.publicity.models import PenaltyRecord
    from fazhi.publicity.services import import_records
    from fazhi.publicity.validation import clean_row

    row = {
        "party_name": "张三",
        "party_category": "自然人",
        "party_id_type": "身份证",
        "party_id_number": PERSON_ID,
        "doc_number": doc,
        "violation_type": "未按规定公示食品经营许可证",
        "facts": "检查发现，当事人未在经营场所显著位置公示许可证。",
        "basis": "《中华人民共和国食品安全法》第一百二十六条",
        "kinds": "罚款",
        "content": "罚款0.5万元",
        "fine_wan": "0.5",
        "decided_on": decided.isoformat(),
        "decision_agency_name": agency.name,
        "decision_agency_uscc": agency.uscc,
        "source_agency_name": agency.name,
        "source_agency_uscc": agency.uscc,
        **extra,
    }
    clean = clean_row("penalty", row, today=decided)
    import_records(actor=None, kind="penalty", rows=[(2, clean)], today=decided, source="隐私探针")
    return PenaltyRecord.objects.get(doc_number=doc)

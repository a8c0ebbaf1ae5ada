"""Attachment storage that is full or read-only: a clear error, nothing half-saved, no orphan record.

Fast variant (always): the file store raises ENOSPC / EROFS on every write. Real variant (``make reliability``, as
root): ``FAZHI_FAULT_MEDIA`` names a tiny tmpfs that bench/reliability.py filled up or remounted read-only.

What stores files today: credit-repair materials (publicity), import error reports (ingest) and the evidence
attached to a case's acts (cases).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fazhi.audit.verify import verify_chain
from fazhi.ingest.models import ImportRun
from fazhi.ingest.services import REPORT_NOT_STORED
from fazhi.publicity.models import CreditRepair, PenaltyRecord, RepairMaterial

from .conftest import make_penalty, record_figures
from .corpus import penalty_rows, to_csv

pytestmark = pytest.mark.django_db


class _BrokenStorage(FileSystemStorage):
    error = errno.ENOSPC

    def _save(self, name: str, content: Any) -> str:
        raise OSError(self.error, os.strerror(self.error), name)


class FullStorage(_BrokenStorage):
    error = errno.ENOSPC


class ReadOnlyStorage(_BrokenStorage):
    error = errno.EROFS


MODES = ["full", "readonly"] + (["real"] if os.environ.get("FAZHI_FAULT_MEDIA") else [])


@pytest.fixture(params=MODES)
def broken_storage(request: Any, settings: Any) -> str:
    if request.param == "real":
        settings.MEDIA_ROOT = Path(os.environ["FAZHI_FAULT_MEDIA"])
        return f"real:{os.environ.get('FAZHI_FAULT_KIND', '?')}"
    backend = FullStorage if request.param == "full" else ReadOnlyStorage
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.{backend.__name__}"}}
    return str(request.param)


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_credit_repair_application_with_storage_broken(org_world, broken_storage, settings):
    agency = org_world.agencies["xiaodian_market"]
    record = make_penalty(agency, "小店市监罚〔2026〕存储1号", dt.date.today() - dt.timedelta(days=400))  # noqa: DTZ011
    assert record.early_repair
    media_before = _files(Path(settings.MEDIA_ROOT))
    counts = (CreditRepair.objects.count(), RepairMaterial.objects.count())
    response = Client(raise_request_exception=False).post(
        f"/credit/records/penalty/{record.pk}/repair/",
        {
            "applicant_name": "某某公司",
            "applicant_contact": "法务部 0351-1234567",
            "performed_statement": "罚款已缴清",
            "commitment": "承诺守信经营",
            "proof": SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 " + b"x" * 200_000, "application/pdf"),
        },
    )
    body = response.content.decode()
    assert response.status_code < 500, body[:500]
    assert "附件存储暂时无法写入" in body, f"{broken_storage}: no clear error"
    assert (CreditRepair.objects.count(), RepairMaterial.objects.count()) == counts, "orphan records"
    assert _files(Path(settings.MEDIA_ROOT)) == media_before, "a partial file was left behind"
    assert verify_chain().ok
    record_figures(f"storage_repair_{broken_storage.replace(':', '_')}", {"survived": True})


def test_import_with_storage_broken_keeps_the_import_and_says_why(org_world, broken_storage, settings):
    agency = org_world.agencies["xiaodian_market"]
    rows = penalty_rows(agency, 3, f"st{broken_storage[:4]}")
    rows[2]["decided_on"] = "2026-02-30"  # one bad row, so there is a report to store
    client = Client(raise_request_exception=False)
    client.force_login(org_world.users["xiaodian_officer"])
    upload = SimpleUploadedFile("data.csv", to_csv(rows).encode())
    response = client.post("/api/v1/ingest/upload/penalty", {"file": upload, "agency_id": agency.pk})
    assert response.status_code == 200, response.content[:500]
    run = ImportRun.objects.get(pk=response.json()["id"])
    assert run.status != ImportRun.Status.RUNNING
    assert not run.error_report and REPORT_NOT_STORED in run.message
    assert response.json()["error_report_url"] is None
    assert PenaltyRecord.objects.filter(doc_number__in=[r["doc_number"] for r in rows]).count() == 2
    assert verify_chain().ok
    record_figures(f"storage_ingest_{broken_storage.replace(':', '_')}", {"survived": True})


def test_case_evidence_with_storage_broken(demo, broken_storage, settings):
    """An officer records an investigation with two files while the store refuses writes: a clear error, the case
    and its record unchanged, no file left (not even the first of the two, which the store may have taken)."""
    from fazhi.cases.models import Attachment, CaseRecord, EnforcementCase
    from fazhi.enforcement.selectors import valid_certificate_on

    officer = type(demo["county"]).objects.get(username="xiaodian_zhifa")
    case = EnforcementCase.objects.filter(agency__division__code="140105", status="filed").order_by("pk").first()
    assert case is not None, "the demo has a case just filed in 小店区"
    media_before = _files(Path(settings.MEDIA_ROOT))
    counts = (CaseRecord.objects.count(), Attachment.objects.count())
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    today = dt.date.today()  # noqa: DTZ011
    officers = [o.pk for o in case.body.officers.all() if valid_certificate_on(o, today) is not None][:2]
    assert len(officers) == 2
    response = client.post(
        f"/api/v1/cases/{case.pk}/actions/investigate/files",
        {
            "data": f'{{"summary": "现场检查", "officer_ids": {officers}}}',
            "files": [
                SimpleUploadedFile("现场检查笔录.pdf", b"%PDF-1.4 " + b"r" * 50_000, "application/pdf"),
                SimpleUploadedFile("现场照片.jpg", b"\xff\xd8" + b"p" * 200_000, "image/jpeg"),
            ],
        },
    )
    assert response.status_code == 503, response.content[:500]
    assert "附件存储暂时无法写入" in response.json()["message"], f"{broken_storage}: no clear error"
    case.refresh_from_db()
    assert case.status == "filed"
    assert (CaseRecord.objects.count(), Attachment.objects.count()) == counts, "orphan records"
    assert _files(Path(settings.MEDIA_ROOT)) == media_before, "a file was left behind"
    assert verify_chain().ok
    record_figures(f"storage_case_{broken_storage.replace(':', '_')}", {"survived": True})


def test_ingest_command_says_what_to_do_when_the_database_goes_away(tmp_path, monkeypatch, capsys):
    """The real outage is in bench/reliability.py (PostgreSQL stopped mid-run); here the same error, simulated."""
    from django.core.management import call_command
    from django.db import OperationalError

    def lost(**kwargs: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("fazhi.ingest.management.commands.ingest.ingest_file", lost)
    path = tmp_path / "data.csv"
    path.write_text("行政相对人名称\n某公司\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("ingest", str(path), "--kind", "penalty", "--no-progress")
    assert exit_info.value.code == 3
    assert "重新运行同一命令即可继续" in capsys.readouterr().err

"""A killed import leaves whole batches only, and running the same file again completes it."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from fazhi.audit.models import AuditEvent
from fazhi.audit.verify import verify_chain
from fazhi.ingest import services as ingest_services
from fazhi.ingest.models import ImportRun
from fazhi.ingest.services import ingest_file
from fazhi.publicity.models import Change, PenaltyRecord
from fazhi.publicity.tests.conftest import penalty_row

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, world, rows: int) -> Path:
    market = world.agencies["xiaodian_market"]
    path = tmp_path / "penalties.csv"
    decided = (timezone.localdate() - dt.timedelta(days=15)).isoformat()
    lines = [
        penalty_row(
            decision_agency_uscc=market.uscc,
            source_agency_uscc=market.uscc,
            doc_number=f"小市监罚〔2026〕{n}号",
            decided_on=decided,
        )
        for n in range(1, rows + 1)
    ]
    from fazhi.publicity.fields import catalogue

    labels = {spec.key: spec.label for spec in catalogue("penalty")}
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=[labels[k] for k in lines[0]])
        writer.writeheader()
        for line in lines:
            writer.writerow({labels[k]: v for k, v in line.items()})
    return path


def test_killed_import_leaves_whole_batches_and_a_rerun_completes(client, tmp_path, org_world, monkeypatch):
    path = _file(tmp_path, org_world, rows=7)
    real = ingest_services.import_records
    calls = {"n": 0}

    def dies_on_third_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("killed")
        return real(**kwargs)

    monkeypatch.setattr(ingest_services, "import_records", dies_on_third_batch)
    with pytest.raises(KeyboardInterrupt):
        ingest_file(actor=None, path=path, kind="penalty", batch_size=2)
    assert PenaltyRecord.objects.count() == 4  # two whole batches, nothing of the third
    monkeypatch.setattr(ingest_services, "import_records", real)

    outcome = ingest_file(actor=None, path=path, kind="penalty", batch_size=2)
    assert outcome.exit_code == 0
    assert (outcome.run.created, outcome.run.unchanged) == (3, 4)
    assert PenaltyRecord.objects.count() == 7
    assert Change.objects.filter(action="publish").count() == 7
    # the killed run no longer shows as "导入中" for ever: the run that completed the file closed it
    killed = ImportRun.objects.exclude(pk=outcome.run.pk).get()
    assert killed.status == ImportRun.Status.INTERRUPTED and killed.finished_at is not None
    assert f"同一文件已由导入记录 #{outcome.run.pk} 导入完成" in killed.message
    assert AuditEvent.objects.filter(action="ingest.run.interrupted", target_id=str(killed.pk)).exists()
    assert verify_chain().ok
    client.force_login(org_world.users["superuser"])
    page = client.get(f"/ingest/runs/{killed.pk}/").content.decode()
    assert "已中断" in page and "未记录各项行数" in page and "新增" not in page


def test_a_run_of_another_file_leaves_an_unfinished_run_alone(tmp_path, org_world, monkeypatch):
    first, other = _file(tmp_path, org_world, rows=3), tmp_path / "other.csv"
    other.write_bytes(first.read_bytes().replace("〕1号".encode(), "〕9号".encode()))
    monkeypatch.setattr(ingest_services, "import_records", lambda **kwargs: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        ingest_file(actor=None, path=first, kind="penalty", batch_size=2)
    monkeypatch.undo()
    ingest_file(actor=None, path=other, kind="penalty")
    assert ImportRun.objects.filter(status=ImportRun.Status.RUNNING).count() == 1


def test_quality_counts_late_publication_and_rejected_rows_per_agency(client, tmp_path, org_world):
    path = _file(tmp_path, org_world, rows=3)
    text = path.read_text(encoding="utf-8").splitlines()
    text.append(
        text[-1]
        .replace("小市监罚〔2026〕3号", "小市监罚〔2026〕4号")
        .replace("91110000600037341L", "91110000600037341M")
    )
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    market = org_world.agencies["xiaodian_market"]
    ingest_file(actor=None, path=path, kind="penalty", default_agency=market)
    client.force_login(org_world.users["taiyuan_supervisor"])
    rows = client.get("/api/v1/staff/quality").json()
    mine = next(r for r in rows if r["agency_id"] == market.pk)
    assert (mine["submitted"], mine["rows_read"], mine["rows_rejected"]) == (3, 4, 1)
    assert mine["error_rate"] == 0.25
    client.force_login(org_world.users["shangdang_officer"])
    assert client.get("/api/v1/staff/quality").json() == []

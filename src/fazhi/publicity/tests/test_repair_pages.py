"""Credit repair from the public form with materials, to the reviewer's decision."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.publicity import services
from fazhi.publicity.models import CreditRepair, PenaltyRecord
from fazhi.publicity.tests.conftest import penalty_row
from fazhi.publicity.validation import clean_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_enough(org_world):
    """A penalty decided four months ago: past the 3-month minimum of a 一般 record, still public."""
    market = org_world.agencies["xiaodian_market"]
    decided = (timezone.localdate() - dt.timedelta(days=125)).isoformat()
    row = penalty_row(decision_agency_uscc=market.uscc, source_agency_uscc=market.uscc, decided_on=decided)
    services.import_records(
        actor=None, kind="penalty", rows=[(2, clean_row("penalty", row, today=timezone.localdate()))]
    )
    return PenaltyRecord.objects.get()


def test_public_repair_form_with_materials_and_review(client, org_world, old_enough):
    url = f"/credit/records/penalty/{old_enough.pk}/repair/"
    fields = {
        "applicant_name": "太原市晋阳化工有限公司",
        "applicant_contact": "王经理 0351-1234567",
        "performed_statement": "罚款已缴清。",
        "commitment": "承诺守法经营。",
    }
    bad = client.post(url, {**fields, "proof": SimpleUploadedFile("run.exe", b"MZ...")})
    assert bad.status_code == 422 and "格式不支持" in bad.content.decode()
    assert not CreditRepair.objects.exists()

    pdf = SimpleUploadedFile("缴款凭证.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    done = client.post(url, {**fields, "proof": pdf}, follow=True)
    assert "已提交信用修复申请" in done.content.decode()
    repair = CreditRepair.objects.get()
    material = repair.materials.get()
    import hashlib

    assert material.sha256 == hashlib.sha256(b"%PDF-1.4 receipt").hexdigest()

    client.force_login(org_world.users["xiaodian_officer"])  # officer: may view, not review
    page = client.get("/credit/staff/repairs/").content.decode()
    assert "履行处罚义务的证明" in page
    download = client.get(f"/credit/staff/repairs/{repair.pk}/materials/{material.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 receipt"
    client.force_login(org_world.users["shangdang_officer"])
    assert client.get(f"/credit/staff/repairs/{repair.pk}/materials/{material.pk}/").status_code == 404

    client.force_login(org_world.users["taiyuan_admin"])
    client.post("/credit/staff/repairs/", {"repair_id": repair.pk, "decision": "approve", "reason": ""})
    old_enough.refresh_from_db()
    assert old_enough.status == "repaired"
    assert client.get(f"/api/v1/records/penalty/{old_enough.pk}").status_code == 404


def test_pending_review_shows_its_deadline_status(client, org_world, old_enough):
    services.apply_for_repair(
        record=old_enough,
        applicant_name="甲公司",
        applicant_contact="乙",
        commitment="丙",
        performed_statement="丁",
        today=timezone.localdate() - dt.timedelta(days=20),  # its 5-working-day review limit is long past
    )
    client.force_login(org_world.users["taiyuan_admin"])
    page = client.get("/credit/staff/repairs/").content.decode()
    assert '<span class="status overdue">已逾期</span>' in page

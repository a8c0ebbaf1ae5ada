"""The authorization matrix of the case pages and API (other jurisdiction -> 404 and nothing changed; visible but
not permitted -> 403), the API's actions, and attachment downloads that check the SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pytest
from django.core.files.storage import default_storage

from fazhi.cases.models import CaseRecord, EnforcementCase, LegalReview
from fazhi.cases.services import Upload
from fazhi.cases.tests.conftest import TODAY, act, file, pair
from fazhi.core.testing import assert_read_matrix, assert_write_matrix

pytestmark = pytest.mark.django_db

WATCH = [EnforcementCase, CaseRecord, LegalReview]


@pytest.fixture
def case(cw):
    return file(cw, on=TODAY - dt.timedelta(days=3))


def test_read_matrix_api_and_page(client, cw, case):
    readers: dict[str | None, int] = {
        "superuser": 200,
        "province_admin": 200,
        "taiyuan_supervisor": 200,
        "xiaodian_supervisor": 200,
        "xiaodian_officer": 200,
        "xiaodian_reviewer": 200,
        "shangdang_officer": 404,
        "shangdang_supervisor": 404,
    }
    assert_read_matrix(client, f"/api/v1/cases/{case.pk}", cw.users, {**readers, None: 401})
    assert_read_matrix(client, f"/cases/{case.pk}/", cw.users, {**readers, None: 302})
    client.force_login(cw.users["shangdang_officer"])
    assert client.get("/api/v1/cases").json()["count"] == 0
    client.force_login(cw.users["xiaodian_officer"])
    assert client.get("/api/v1/cases").json()["count"] == 1


def test_write_matrix_for_an_investigative_act(client, cw, case):
    officers = [o.pk for o in pair(cw, TODAY)]
    assert_write_matrix(
        client,
        "post",
        f"/api/v1/cases/{case.pk}/actions/investigate",
        cw.users,
        {
            None: 401,
            "shangdang_officer": 404,
            "shangdang_supervisor": 404,
            "xiaodian_supervisor": 403,
            "xiaodian_reviewer": 403,
            "xiaodian_officer": 200,
        },
        payload=lambda who: {"on": TODAY.isoformat(), "summary": "现场检查", "officer_ids": officers},
        watch=WATCH,
    )
    assert EnforcementCase.objects.get(pk=case.pk).status == "investigating"


def test_write_matrix_for_the_legal_review(client, cw, case):
    officer = cw.users["xiaodian_officer"]
    day = TODAY - dt.timedelta(days=2)
    act(case, "investigate", officer, on=day, officers=pair(cw, day))
    act(case, "notify", officer, on=day, proposed_kinds=["warning"])
    act(case, "submit_review", officer, on=day)
    assert_write_matrix(
        client,
        "post",
        f"/api/v1/cases/{case.pk}/actions/approve_review",
        cw.users,
        {
            "shangdang_officer": 404,
            "xiaodian_officer": 403,
            "xiaodian_supervisor": 403,
            "xiaodian_reviewer_unqualified": 403,
            "xiaodian_reviewer": 200,
        },
        payload=lambda who: {"on": TODAY.isoformat(), "summary": "同意"},
        watch=WATCH,
    )
    review = LegalReview.objects.get(case=case)
    assert review.result == "approved" and review.reviewer_name == "xiaodian_reviewer"


def test_pages_refuse_by_role_and_jurisdiction(client, cw, case):
    url = f"/cases/{case.pk}/investigate/"
    data = {"investigate-on": TODAY.isoformat(), "investigate-summary": "检查"}
    client.force_login(cw.users["shangdang_officer"])
    assert client.post(url, data).status_code == 404
    client.force_login(cw.users["xiaodian_supervisor"])
    assert client.post(url, data).status_code == 403
    client.force_login(cw.users["xiaodian_officer"])
    refused = client.post(url, {**data, "investigate-officers": [cw.officers["zhang"].pk]})
    assert refused.status_code == 422 and "不得少于两人" in refused.content.decode()
    assert EnforcementCase.objects.get(pk=case.pk).status == "filed"
    ok = client.post(url, {**data, "investigate-officers": [o.pk for o in pair(cw, TODAY)]})
    assert ok.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "调查取证" in page and "张三" in page and "赵六" in page
    assert client.post(f"/cases/{case.pk}/fly/", data).status_code == 404
    # the officer may not open the reviewer's form, and the supervisor may not file
    assert client.post(f"/cases/{case.pk}/approve_review/", {}).status_code == 403
    client.force_login(cw.users["xiaodian_supervisor"])
    assert client.get("/cases/new/").status_code == 403


def test_filing_through_the_page_and_bad_input(client, cw):
    client.force_login(cw.users["xiaodian_officer"])
    assert client.get("/cases/new/").status_code == 200
    bad = client.post(
        "/cases/new/",
        {"body": cw.body.pk, "kind": "penalty", "title": "无照经营", "party_name": "某某", "party_category": "自然人",
         "party_code": "123", "filed_on": TODAY.isoformat()},
    )  # fmt: skip
    assert bad.status_code == 422 and not EnforcementCase.objects.exists()
    report = io.BytesIO(b"report")
    report.name = "立案审批表.pdf"
    ok = client.post(
        "/cases/new/",
        {"body": cw.body.pk, "kind": "penalty", "title": "无照经营", "party_name": "某某有限公司",
         "party_category": "法人及非法人组织", "party_code": "91110000600037341L", "filed_on": TODAY.isoformat(),
         "major_complex": "on", "attachments": [report]},
    )  # fmt: skip
    assert ok.status_code == 302
    case = EnforcementCase.objects.get()
    assert case.major_complex and case.status == "filed"
    assert case.records.get().attachments.get().name == "立案审批表.pdf"


def test_api_actions_with_files_and_errors_in_chinese(client, cw, case):
    client.force_login(cw.users["xiaodian_officer"])
    data = {"on": TODAY.isoformat(), "summary": "询问笔录与录音", "officer_ids": [o.pk for o in pair(cw, TODAY)]}
    audio = io.BytesIO(b"ID3 fake audio bytes")
    audio.name = "询问录音.mp3"
    response = client.post(
        f"/api/v1/cases/{case.pk}/actions/investigate/files", {"data": json.dumps(data), "files": [audio]}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    attachment = body["records"][-1]["attachments"][0]
    assert attachment["media"] == "audio"
    assert attachment["sha256"] == hashlib.sha256(b"ID3 fake audio bytes").hexdigest()
    download = client.get(attachment["download"])
    assert download.status_code == 200 and download["X-Content-SHA256"] == attachment["sha256"]
    assert b"".join(download.streaming_content) == b"ID3 fake audio bytes"
    refused = client.post(
        f"/api/v1/cases/{case.pk}/actions/decide", {"outcome": "penalty"}, content_type="application/json"
    )
    assert refused.status_code == 422 and "不能办理“作出决定”" in refused.json()["message"]
    unknown = client.post(f"/api/v1/cases/{case.pk}/actions/fly", {}, content_type="application/json")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["code"] == "unknown_action"
    garbage = client.post(f"/api/v1/cases/{case.pk}/actions/investigate/files", {"data": "{"})
    assert garbage.status_code == 422
    missing = client.post(
        "/api/v1/cases",
        {"body_id": cw.body.pk, "title": "", "party_name": "x", "party_category": "自然人"},
        content_type="application/json",
    )
    assert missing.status_code == 422 and missing.json()["message"]


def test_a_tampered_attachment_is_refused_on_download(client, cw, case):
    case = act(
        case,
        "investigate",
        on=TODAY,
        officers=pair(cw, TODAY),
        files=[Upload("现场照片.jpg", io.BytesIO(b"\xff\xd8 photo"), "image/jpeg")],
    )
    record = case.records.get(action="investigate")
    attachment = record.attachments.get()
    client.force_login(cw.users["xiaodian_officer"])
    page_url = f"/cases/attachments/{attachment.pk}/"
    assert client.get(page_url).status_code == 200
    with default_storage.open(attachment.file.name, "wb") as handle:
        handle.write(b"edited")
    assert client.get(page_url).status_code == 409
    api = client.get(f"/api/v1/cases/attachments/{attachment.pk}")
    assert api.status_code == 409 and "篡改" in api.json()["message"]
    client.force_login(cw.users["shangdang_officer"])
    assert client.get(page_url).status_code == 404


def test_filing_matrix_through_the_api(client, cw):
    payload = {
        "body_id": cw.body.pk,
        "title": "无照经营",
        "party_name": "某某有限公司",
        "party_category": "法人及非法人组织",
        "party_code": "91110000600037341L",
    }
    assert_write_matrix(
        client,
        "post",
        "/api/v1/cases",
        cw.users,
        {
            None: 401,
            "shangdang_officer": 404,
            "xiaodian_supervisor": 403,
            "xiaodian_reviewer": 403,
            "xiaodian_officer": 201,
        },
        payload=lambda who: payload,
        watch=WATCH,
    )
    created = EnforcementCase.objects.get()
    assert created.records.get().action == "file"


def test_the_case_list_does_not_grow_queries_with_cases(client, cw, django_assert_max_num_queries):
    for n in range(3):
        file(cw, on=TODAY, title=f"案件{n}")
    client.force_login(cw.users["xiaodian_officer"])
    with django_assert_max_num_queries(12) as few:
        assert client.get("/cases/").status_code == 200
    for n in range(10):
        file(cw, on=TODAY, title=f"更多案件{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/cases/")
    assert "更多案件9" in page.content.decode()


def test_the_major_list_and_qualifications_page(client, cw):
    from fazhi.cases.models import LegalQualification, MajorItem

    market = cw.base.org.agencies["xiaodian_market"]
    client.force_login(cw.users["xiaodian_reviewer"])
    page = client.get("/cases/settings/")
    assert page.status_code == 200 and "A20141401050001" in page.content.decode()
    added = client.post(
        "/cases/settings/",
        {"item-agency": market.pk, "item-title": "拟吊销食品经营许可证的", "item-valid_from": "2024-01-01"},
    )
    assert added.status_code == 302 and MajorItem.objects.filter(agency=market).count() == 1
    # a reviewer may not record qualifications (that is the agency administrator's), and sees no such form
    assert "登记法律职业资格" not in client.get("/cases/settings/").content.decode()
    client.force_login(cw.users["shangdang_officer"])
    assert "拟吊销食品经营许可证的" not in client.get("/cases/settings/").content.decode()
    client.force_login(cw.users["province_admin"])
    staff = cw.users["xiaodian_reviewer_unqualified"].staff
    duplicate = client.post(
        "/cases/settings/", {"qual-staff": staff.pk, "qual-number": "A20141401050001", "qual-obtained_on": "2020-01-01"}
    )
    assert duplicate.status_code == 422 and "已登记" in duplicate.content.decode()
    ok = client.post(
        "/cases/settings/", {"qual-staff": staff.pk, "qual-number": "A20201401050099", "qual-obtained_on": "2020-01-01"}
    )
    assert ok.status_code == 302
    assert LegalQualification.objects.filter(user=staff.user).exists()


def test_major_items_and_qualifications_through_the_api(client, cw):
    market = cw.base.org.agencies["xiaodian_market"]
    payload = {"agency_id": market.pk, "title": "拟责令停产停业的", "valid_from": "2024-01-01"}
    from fazhi.cases.models import LegalQualification, MajorItem

    assert_write_matrix(
        client,
        "post",
        "/api/v1/cases/major-items",
        cw.users,
        {None: 401, "shangdang_officer": 404, "xiaodian_officer": 403, "xiaodian_reviewer": 201},
        payload=lambda who: payload,
        watch=[MajorItem],
    )
    client.force_login(cw.users["xiaodian_officer"])
    assert [i["title"] for i in client.get("/api/v1/cases/major-items").json()] == ["拟责令停产停业的"]
    user = cw.users["xiaodian_reviewer_unqualified"]
    assert_write_matrix(
        client,
        "post",
        "/api/v1/cases/qualifications",
        cw.users,
        {"xiaodian_officer": 403, "xiaodian_reviewer": 403, "taiyuan_admin": 201},
        payload=lambda who: {"user_id": user.pk, "number": "A20201401050077", "obtained_on": "2020-05-01"},
        watch=[LegalQualification],
    )
    assert len(client.get("/api/v1/cases/qualifications").json()) == 2


def test_a_new_hearing_standard_is_entered_in_the_admin_as_a_new_version(client, cw):
    from fazhi.cases.models import HearingThreshold

    client.force_login(cw.users["superuser"])
    assert client.get("/admin/cases/hearingthreshold/").status_code == 200
    form = {"party": "person", "amount": "20000", "legal_source": "", "valid_from": "2025-01-01"}
    refused = client.post("/admin/cases/hearingthreshold/add/", form)
    assert refused.status_code == 200 and "必填" in refused.content.decode()
    form["amount"] = "-5"
    form["legal_source"] = "某文件"
    negative = client.post("/admin/cases/hearingthreshold/add/", form)
    assert "较大数额应为大于零的金额" in negative.content.decode()
    form["amount"] = "20000"
    form["legal_source"] = "山西省行政处罚听证较大数额标准（示例）"
    assert client.post("/admin/cases/hearingthreshold/add/", form).status_code == 302
    rows = list(HearingThreshold.objects.filter(party="person").order_by("valid_from"))
    assert [(r.amount, r.valid_to) for r in rows] == [(10000, dt.date(2024, 12, 31)), (20000, None)]

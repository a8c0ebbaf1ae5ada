"""The authorization matrix of the oversight API and pages (another county's reviewer → 404 and nothing changed; an
agency sees only its own released results; visible but not permitted → 403), the API's flow, the pages and the XLSX."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from fazhi.core.testing import assert_read_matrix, assert_write_matrix
from fazhi.oversight import services
from fazhi.oversight.models import Campaign, CaseFileReview, Deduction

from .conftest import closed_case, make_campaign

pytestmark = pytest.mark.django_db

WATCH = [Campaign, CaseFileReview, Deduction]


@pytest.fixture
def started(cw, shangdang_pair, template, province):
    """A provincial campaign in 评查 with one 小店区 file (late service flagged) and one 上党区 file."""
    closed_case(cw, decided=dt.date(2023, 9, 27), served=dt.date(2023, 10, 16))
    closed_case(cw, body=cw.base.bodies["shangdang"], officers=shangdang_pair)
    campaign = make_campaign(province, template)
    services.sample_campaign(actor=None, campaign=campaign)
    services.advance_campaign(actor=None, campaign=campaign, action="start")
    xiaodian = CaseFileReview.objects.get(agency=cw.base.org.agencies["xiaodian_market"])
    shangdang = CaseFileReview.objects.get(agency=cw.base.org.agencies["shangdang_market"])
    return campaign, xiaodian, shangdang


def _post(client, url, payload):
    return client.post(url, data=json.dumps(payload), content_type="application/json")


def test_read_matrix_of_a_file_before_and_after_release(client, cw, started):
    campaign, xiaodian, shangdang = started
    before = {
        "superuser": 200,
        "province_admin": 200,
        "taiyuan_supervisor": 200,
        "xiaodian_supervisor": 200,
        "shangdang_supervisor": 404,
        "xiaodian_officer": 404,  # results not released yet
        "shangdang_officer": 404,
        None: 401,
    }
    assert_read_matrix(client, f"/api/v1/oversight/files/{xiaodian.pk}", cw.users, before)
    assert_read_matrix(client, f"/oversight/files/{xiaodian.pk}/", cw.users, {**before, None: 302})
    # the campaign itself: the organiser's jurisdiction, and reviewers with files in theirs
    assert_read_matrix(
        client,
        f"/api/v1/oversight/campaigns/{campaign.pk}",
        cw.users,
        {"province_admin": 200, "xiaodian_supervisor": 200, "shangdang_supervisor": 200, "xiaodian_officer": 404},
    )
    client.force_login(cw.users["shangdang_supervisor"])
    files = client.get(f"/api/v1/oversight/campaigns/{campaign.pk}/files").json()
    assert [f["id"] for f in files] == [shangdang.pk]
    # released: the agency sees its own file, not the other county's
    services.submit_score(actor=None, review=shangdang)
    services.decide_deduction(actor=None, deduction=xiaodian.deductions.get(), confirm=True)
    services.submit_score(actor=None, review=xiaodian)
    services.advance_campaign(actor=None, campaign=campaign, action="release")
    after = {"xiaodian_officer": 200, "shangdang_officer": 404, "shangdang_supervisor": 404}
    assert_read_matrix(client, f"/api/v1/oversight/files/{xiaodian.pk}", cw.users, after)
    client.force_login(cw.users["xiaodian_officer"])
    listed = client.get(f"/api/v1/oversight/campaigns/{campaign.pk}/files").json()
    assert [f["id"] for f in listed] == [xiaodian.pk] and listed[0]["rating_label"] == "优秀"
    page = client.get(f"/oversight/campaigns/{campaign.pk}/")
    assert page.status_code == 200 and shangdang.case.number not in page.content.decode()


def test_write_matrix_scoring_and_correction(client, cw, started):
    campaign, xiaodian, _ = started
    flag = xiaodian.deductions.get()
    url = f"/api/v1/oversight/files/{xiaodian.pk}/deductions/{flag.pk}"
    assert_write_matrix(
        client,
        "post",
        url,
        cw.users,
        {
            None: 401,
            "shangdang_supervisor": 404,
            "shangdang_officer": 404,
            "xiaodian_officer": 404,
            "xiaodian_supervisor": 200,
        },
        payload=lambda who: {"confirm": True},
        watch=WATCH,
    )
    assert Deduction.objects.get(pk=flag.pk).state == "confirmed"
    submit = f"/api/v1/oversight/files/{xiaodian.pk}/submit"
    assert_write_matrix(
        client,
        "post",
        submit,
        cw.users,
        {"shangdang_supervisor": 404, "xiaodian_officer": 404, "taiyuan_supervisor": 200},
        payload=lambda who: {"comment": "送达逾期"},
        watch=WATCH,
    )
    review = CaseFileReview.objects.get(pk=xiaodian.pk)
    assert review.score == 98 and review.reviewer_name == "taiyuan_supervisor"
    client.force_login(cw.users["province_admin"])
    # release needs every visible file scored
    response = _post(client, f"/api/v1/oversight/campaigns/{campaign.pk}/advance", {"action": "release"})
    assert response.status_code == 422 and "未评分" in response.json()["message"]
    other = CaseFileReview.objects.exclude(pk=xiaodian.pk).get()
    services.submit_score(actor=None, review=other)
    assert_write_matrix(
        client,
        "post",
        f"/api/v1/oversight/campaigns/{campaign.pk}/advance",
        cw.users,
        {"xiaodian_supervisor": 404, "xiaodian_officer": 404, "province_admin": 200},
        payload=lambda who: {"action": "release"},
        watch=WATCH,
    )
    correct = f"/api/v1/oversight/files/{xiaodian.pk}/correction"
    assert_write_matrix(
        client,
        "post",
        correct,
        cw.users,
        {"shangdang_officer": 404, "xiaodian_supervisor": 403, "xiaodian_officer": 200},
        payload=lambda who: {"text": "已补齐送达回证并组织培训"},
        watch=WATCH,
    )
    assert_write_matrix(
        client,
        "post",
        f"/api/v1/oversight/files/{xiaodian.pk}/accept",
        cw.users,
        {"shangdang_supervisor": 404, "xiaodian_officer": 403, "xiaodian_supervisor": 200},
        payload=lambda who: {"opinion": "整改到位"},
        watch=WATCH,
    )
    assert CaseFileReview.objects.get(pk=xiaodian.pk).state == "accepted"


def test_creating_and_sampling_through_the_api(client, cw, template, province):
    closed_case(cw)
    client.force_login(cw.users["taiyuan_supervisor"])
    payload = {
        "name": "全省评查",
        "year": 2024,
        "organiser_id": province.pk,
        "division_code": "140000",
        "template_id": template.pk,
        "closed_from": "2023-01-01",
        "closed_to": "2023-12-31",
        "per_agency": 2,
    }
    denied = _post(client, "/api/v1/oversight/campaigns", payload)
    assert denied.status_code == 404 and not Campaign.objects.exists()
    taiyuan = cw.base.org.agencies["taiyuan_justice"]
    wide = _post(client, "/api/v1/oversight/campaigns", {**payload, "organiser_id": taiyuan.pk})
    assert wide.status_code == 422 and "评查范围" in wide.json()["message"] + json.dumps(
        wide.json(), ensure_ascii=False
    )
    created = _post(
        client, "/api/v1/oversight/campaigns", {**payload, "organiser_id": taiyuan.pk, "division_code": "140100"}
    )
    assert created.status_code == 201, created.content
    campaign_id = created.json()["id"]
    files = _post(client, f"/api/v1/oversight/campaigns/{campaign_id}/sample", {}).json()
    again = _post(client, f"/api/v1/oversight/campaigns/{campaign_id}/sample", {}).json()
    assert len(files) == 1 and files == again
    missing = _post(client, "/api/v1/oversight/files/999999/submit", {})
    assert missing.status_code == 404 and missing.json()["message"]


def test_pages_score_a_file_and_show_the_flag(client, cw, started):
    campaign, xiaodian, _ = started
    client.force_login(cw.users["xiaodian_supervisor"])
    page = client.get(f"/oversight/files/{xiaodian.pk}/").content.decode()
    assert "系统自动发现" in page and "法律文书依法送达" in page and "2023-10-16" in page
    flag = xiaodian.deductions.get()
    response = client.post(f"/oversight/files/{xiaodian.pk}/deductions/{flag.pk}/", {f"d{flag.pk}-decision": "dismiss"})
    assert response.status_code == 200 and "排除系统发现的问题须填写理由" in response.content.decode()
    assert Deduction.objects.get(pk=flag.pk).state == "proposed"
    client.post(f"/oversight/files/{xiaodian.pk}/deductions/{flag.pk}/", {f"d{flag.pk}-decision": "confirm"})
    response = client.post(f"/oversight/files/{xiaodian.pk}/submit/", {"comment": "送达逾期"})
    assert response.status_code == 302
    review = CaseFileReview.objects.get(pk=xiaodian.pk)
    assert review.state == "submitted" and review.score == 98 and review.rating == "excellent"
    home = client.get("/oversight/").content.decode()
    assert campaign.name in home
    client.force_login(cw.users["shangdang_supervisor"])
    assert client.get(f"/oversight/files/{xiaodian.pk}/").status_code == 404
    assert client.post(f"/oversight/files/{xiaodian.pk}/submit/", {}).status_code == 404
    client.force_login(cw.users["shangdang_officer"])
    assert client.get("/oversight/").status_code == 200


def test_results_export_opens_with_the_rows_and_guards_formulas(client, cw, started):
    campaign, xiaodian, shangdang = started
    services.decide_deduction(actor=None, deduction=xiaodian.deductions.get(), confirm=True)
    services.submit_score(actor=None, review=xiaodian, comment='=HYPERLINK("http://x")')
    services.submit_score(actor=None, review=shangdang)
    client.force_login(cw.users["province_admin"])
    response = client.get(f"/oversight/campaigns/{campaign.pk}/results.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    summary = [row for row in book["按机关汇总"].iter_rows(min_row=3, values_only=True)]
    names = [row[0] for row in summary]
    assert "太原市小店区市场监督管理局" in names and "长治市上党区市场监督管理局" in names and names[-1] == "合计"
    assert summary[-1][1] == 2 and summary[-1][3] == 99.0
    detail = list(book["案卷明细"].iter_rows(min_row=2, values_only=True))
    assert {row[1] for row in detail} == {xiaodian.case.number, shangdang.case.number}
    assert any("法律文书依法送达" in (row[7] or "") for row in detail)
    common = list(book["常见问题"].iter_rows(min_row=2, values_only=True))
    assert common == [("法律文书依法送达、送达手续完备", 1)]
    # another county's reviewer exports only their files
    client.force_login(cw.users["shangdang_supervisor"])
    book = load_workbook(io.BytesIO(client.get(f"/oversight/campaigns/{campaign.pk}/results.xlsx").content))
    assert [row[1] for row in book["案卷明细"].iter_rows(min_row=2, values_only=True)] == [shangdang.case.number]
    from fazhi.core.security import spreadsheet_safe as safe

    assert safe("=1+1") == "'=1+1"


def test_the_campaign_page_costs_the_same_queries_for_more_files(client, cw, template, province):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cw.users["province_admin"])
    counts = []
    for n in (1, 4):
        for _ in range(n):
            closed_case(cw, decided=dt.date(2023, 9, 27), served=dt.date(2023, 10, 16))
        campaign = make_campaign(province, template, per_agency=n, name=f"评查{n}")
        services.sample_campaign(actor=None, campaign=campaign)
        client.get(f"/oversight/campaigns/{campaign.pk}/")  # warm the session and caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/oversight/campaigns/{campaign.pk}/")
        assert response.status_code == 200 and response.content.decode().count("/oversight/files/") == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_creating_a_campaign_on_the_page(client, cw, template):
    closed_case(cw)
    county = cw.base.org.agencies["xiaodian_justice"]
    client.force_login(cw.users["shangdang_officer"])
    assert client.get("/oversight/campaigns/new/").status_code == 403
    client.force_login(cw.users["xiaodian_supervisor"])
    form = client.get("/oversight/campaigns/new/").content.decode()
    assert "太原市小店区司法局" in form and "山西省司法厅" not in form  # only organisers in the jurisdiction
    data = {
        "name": "小店区2023年度案卷评查",
        "year": "2024",
        "organiser": county.pk,
        "division": cw.base.org.divisions["140105"].pk,
        "template": template.pk,
        "per_agency": "",
        "percent": "",
        "closed_from": "2023-01-01",
        "closed_to": "2023-12-31",
        "seed": "",
    }
    bad = client.post("/oversight/campaigns/new/", data)
    assert bad.status_code == 200 and "二选一" in bad.content.decode() and not Campaign.objects.exists()
    response = client.post("/oversight/campaigns/new/", {**data, "per_agency": "2"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/oversight/campaigns/{campaign.pk}/"
    assert len(campaign.seed) == 16
    response = client.post(f"/oversight/campaigns/{campaign.pk}/sample/")
    assert response.status_code == 302 and CaseFileReview.objects.filter(campaign=campaign).count() == 1
    page = client.get(f"/oversight/campaigns/{campaign.pk}/").content.decode()
    assert "开始评查" in page and "抽取的案卷" in page
    client.force_login(cw.users["shangdang_supervisor"])
    assert client.post(f"/oversight/campaigns/{campaign.pk}/start/").status_code == 404
    assert Campaign.objects.get().state == "sampled"


def test_computing_statistics_on_the_page(client, cw):
    closed_case(cw)
    market = cw.base.org.agencies["xiaodian_market"]
    client.force_login(cw.users["xiaodian_officer"])
    assert client.get("/oversight/statistics/manage/").status_code == 403
    client.force_login(cw.users["xiaodian_supervisor"])
    response = client.post("/oversight/statistics/manage/", {"agency": market.pk, "year": "2023"})
    assert response.status_code == 302
    page = client.get("/oversight/statistics/manage/?year=2023").content.decode()
    assert "太原市小店区市场监督管理局 · 2023年度" in page and "未发布" in page
    shangdang = cw.base.org.agencies["shangdang_market"]
    response = client.post("/oversight/statistics/manage/", {"agency": shangdang.pk, "year": "2023"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()


def test_results_per_agency_across_campaigns(client, cw, started):
    _, xiaodian, shangdang = started
    services.decide_deduction(actor=None, deduction=xiaodian.deductions.get(), confirm=True)
    services.submit_score(actor=None, review=xiaodian)
    services.submit_score(actor=None, review=shangdang)
    client.force_login(cw.users["province_admin"])
    body = client.get("/api/v1/oversight/results?year=2024").json()
    by_name = {t["label"]: t for t in body["agencies"]}
    assert by_name["太原市小店区市场监督管理局"]["average"] == "98.0"
    assert by_name["长治市上党区市场监督管理局"]["ratings"]["优秀"] == 1
    assert body["overall"]["scored"] == 2 and body["defects"] == [["法律文书依法送达、送达手续完备", 1]]
    assert client.get("/api/v1/oversight/results?year=2019").json()["overall"]["files"] == 0
    page = client.get("/oversight/results/").content.decode()
    assert "长治市上党区市场监督管理局" in page and "98.0" in page
    client.force_login(cw.users["shangdang_supervisor"])
    body = client.get("/api/v1/oversight/results").json()
    assert [t["label"] for t in body["agencies"]] == ["长治市上党区市场监督管理局"]
    client.force_login(cw.users["xiaodian_officer"])  # not released yet: nothing
    assert client.get("/api/v1/oversight/results").json()["overall"]["files"] == 0
    assert client.get("/oversight/results/").status_code == 200

"""In a real browser: a county reviewer opens the provincial campaign, opens a sampled file, sees the late service the
system flagged, confirms it and submits the score; the organiser releases the results; the agency sees its result and
reports its correction. Screenshots go to var/screenshots/."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.conftest import PASSWORD
from fazhi.core.testing import page_width, screenshot
from fazhi.oversight import services
from fazhi.oversight.models import CaseFileReview

from .conftest import closed_case, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _login(page, live_server, path, username):
    page.context.clear_cookies()
    page.goto(live_server.url + path)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def test_a_reviewer_scores_a_flagged_file_and_the_agency_sees_the_result(live_server, page, phone_page, cw, province):
    from fazhi.oversight.models import ReviewTemplate

    case = closed_case(cw, decided=dt.date(2023, 9, 27), served=dt.date(2023, 10, 16))
    campaign = make_campaign(province, ReviewTemplate.objects.get(version=1), name="2023年度全省行政执法案卷评查")
    services.sample_campaign(actor=None, campaign=campaign)
    services.advance_campaign(actor=None, campaign=campaign, action="start")
    review = CaseFileReview.objects.get()

    _login(page, live_server, "/oversight/", "xiaodian_supervisor")
    page.get_by_role("link", name="2023年度全省行政执法案卷评查").click()
    page.wait_for_selector("text=抽取的案卷")
    assert page.locator("text=1 项").count() == 1  # the flag is visible in the list
    screenshot(page, "oversight-campaign")
    page.get_by_role("link", name=case.number).click()
    page.wait_for_selector("text=系统自动发现")
    assert page.locator("text=法律文书依法送达、送达手续完备").count() >= 1
    assert page.locator("text=实际 2023-10-16 送达").count() == 1
    screenshot(page, "oversight-file-scoring")
    page.get_by_label("确认扣分").check()
    page.get_by_role("button", name="保存认定").click()
    page.wait_for_selector("text=已确认扣分")
    assert page.locator("text=98").count() >= 1  # the preview: 100 − 2
    page.get_by_label("评查意见").fill("送达逾期，其余规范")
    page.get_by_role("button", name="提交评分").click()
    page.wait_for_selector("text=已提交评分")
    assert page.locator("text=优秀").count() >= 1
    review.refresh_from_db()
    assert review.state == "submitted" and str(review.score) == "98.0"

    _login(page, live_server, f"/oversight/campaigns/{campaign.pk}/", "province_admin")
    page.get_by_role("button", name="发布结果（进入反馈整改）").click()
    page.wait_for_selector("text=反馈整改")
    screenshot(page, "oversight-campaign-results")

    _login(phone_page, live_server, f"/oversight/files/{review.pk}/", "xiaodian_officer")
    phone_page.wait_for_selector("text=等次")
    assert phone_page.locator("text=优秀").count() >= 1
    phone_page.get_by_label("整改情况").fill("已补齐送达回证，组织全体执法人员学习送达规定")
    phone_page.get_by_role("button", name="报送整改情况").click()
    phone_page.wait_for_selector("text=已报送整改情况")
    assert page_width(phone_page) <= 400
    screenshot(phone_page, "oversight-file-agency-phone")
    review.refresh_from_db()
    assert review.state == "corrected" and "送达回证" in review.correction

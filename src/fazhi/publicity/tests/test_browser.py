"""双公示 in a real browser: a citizen looks an enterprise up; the agency withdraws a decision."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fazhi.conftest import PASSWORD
from fazhi.core.testing import page_width, screenshot
from fazhi.publicity import services
from fazhi.publicity.models import PenaltyRecord
from fazhi.publicity.tests.conftest import penalty_row
from fazhi.publicity.validation import clean_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def published(org_world):
    market = org_world.agencies["xiaodian_market"]
    row = penalty_row(decision_agency_uscc=market.uscc, source_agency_uscc=market.uscc)
    services.import_records(
        actor=None, kind="penalty", rows=[(2, clean_row("penalty", row, today=timezone.localdate()))]
    )
    return PenaltyRecord.objects.get()


def test_citizen_finds_an_enterprise_and_opens_the_decision(live_server, page, published):
    page.goto(live_server.url + "/credit/")
    page.get_by_label("查询主体").fill("9111 0000 6000 3734 1l")  # spaces and a lowercase check character
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("text=统一社会信用代码")
    assert "太原市晋阳化工有限公司" in page.locator("h1").inner_text()
    page.get_by_role("link", name="并环罚〔2020〕15号").click()
    assert "《中华人民共和国大气污染防治法》第九十九条第二项" in page.content()
    assert "公示期" in page.content()
    screenshot(page, "credit-record")


def test_officer_withdraws_a_decision_and_it_leaves_public_view(live_server, page, published):
    page.goto(live_server.url + f"/credit/staff/penalty/{published.pk}/")
    page.get_by_label("用户名").fill("xiaodian_officer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("撤回原因").fill("行政复议决定撤销原处罚决定")
    page.get_by_role("button", name="撤回").click()
    page.wait_for_selector("text=已撤回公示")
    screenshot(page, "credit-withdrawn")
    response = page.request.get(live_server.url + f"/api/v1/records/penalty/{published.pk}")
    assert response.status == 404


def test_credit_pages_fit_a_phone(live_server, phone_page, published):
    phone_page.goto(live_server.url + f"/credit/records/penalty/{published.pk}/")
    assert page_width(phone_page) <= 400

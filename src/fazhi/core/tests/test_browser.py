"""The main pages in a real browser: headless Chromium (Debian's package) driven by Playwright."""

from __future__ import annotations

import pytest

from fazhi.conftest import PASSWORD
from fazhi.core.testing import page_width, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_lists_the_cities_and_leads_to_a_county(live_server, page, org_world):
    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text() == "法治政府建设信息平台"
    screenshot(page, "home")
    page.get_by_role("link", name="长治市", exact=True).click()
    page.get_by_role("link", name="上党区", exact=True).click()
    assert "上党区" in page.locator("h1").inner_text()
    assert "长治市上党区市场监督管理局" in page.content()


def test_county_user_logs_in_and_sees_only_the_county(live_server, page, org_world):
    page.goto(live_server.url + "/org/")
    page.get_by_label("用户名").fill("xiaodian_supervisor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("#agency-table")
    rows = page.locator("#agency-table tbody tr").all_inner_texts()
    screenshot(page, "org-workspace-county")
    assert len(rows) == 3
    assert all("小店区" in row for row in rows)
    page.get_by_label("查找机构").fill("上党")
    page.get_by_role("button", name="查找").click()
    assert "没有找到名称包含“上党”的机构" in page.content()


def test_phone_width_keeps_the_table_readable(live_server, phone_page, org_world):
    phone_page.goto(live_server.url + "/org/divisions/140100/")
    screenshot(phone_page, "division-phone")
    assert page_width(phone_page) <= 400, f"页面在手机上横向溢出：{page_width(phone_page)}px"

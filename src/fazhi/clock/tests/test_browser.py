"""The calculator in headless Chromium: with htmx, and at phone width."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.core.testing import page_width, screenshot

# serialized_rollback: the live server needs a transactional database; restore the seeded time limits afterwards.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_calculate_a_deadline_in_the_browser(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/clock/")
    page.get_by_label("起算日期").fill("2020-09-28")
    page.get_by_label("期限数值").fill("7")
    page.get_by_label("单位").select_option("working")
    page.get_by_role("button", name="计算届满日").click()
    page.wait_for_selector("text=届满日：")
    assert "2020年10月14日" in page.locator(".result").inner_text()
    assert "法定节假日（国庆节）" in page.content()
    assert "start=2020-09-28" in page.url  # shareable address, with or without htmx
    screenshot(page, "clock-calculator")
    # a statutory limit instead of days
    page.get_by_label("法定期限", exact=True).select_option("petition.conclude")
    page.get_by_label("起算日期").fill("2020-06-01")
    page.get_by_role("button", name="计算届满日").click()
    page.wait_for_selector("text=《信访条例》（2005年）")
    assert "2020年7月31日" in page.locator(".result").inner_text()


def test_an_uncovered_year_is_explained_in_the_browser(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/clock/?start=2027-03-01&days=7&unit=working")
    alert = page.get_by_role("alert").first
    assert "2027年的节假日安排尚未收录" in alert.inner_text()


def test_phone_width_does_not_overflow(live_server: Any, phone_page: Any) -> None:
    phone_page.goto(live_server.url + "/clock/?start=2020-09-16&days=15&unit=calendar")
    screenshot(phone_page, "clock-calculator-phone")
    assert page_width(phone_page) <= 400, f"页面在手机上横向溢出：{page_width(phone_page)}px"

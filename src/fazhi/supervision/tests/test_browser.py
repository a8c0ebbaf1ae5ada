"""In a real browser: the province office assigns a task to 太原市, the city splits it to 小店区, the county
reports and applies to close, and the closures are reviewed and rated up the chain."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.conftest import PASSWORD
from fazhi.core.testing import screenshot
from fazhi.supervision.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _login(browser: Any, live_server: Any, username: str, path: str) -> Any:
    page = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900}).new_page()
    page.goto(live_server.url + path)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    return page


def _step(page: Any, code: str, text: str = "", rating: str = "") -> None:
    page.locator(f"#step-{code} summary").click()
    if text:
        page.locator(f"#step-{code} textarea").first.fill(text)
    if rating:
        page.locator(f"#step-{code} select[name=rating]").select_option(label=rating)
    page.locator(f"#step-{code} button[type=submit]").click()
    page.wait_for_selector("text=已办理")


def test_assign_split_report_and_close_up_the_chain(live_server, browser, sup):
    province = _login(browser, live_server, "province_office", "/supervision/new/")
    province.get_by_label("事项名称").fill("推进政务服务“一网通办”")
    province.get_by_label("事项来源").select_option(label="政府常务会议")
    province.get_by_label("来源说明").fill("省政府第30次常务会议")
    province.get_by_label("督办内容").fill("年底前实现高频事项“一网通办”。")
    province.get_by_label("承办单位").select_option(label="太原市人民政府办公室（太原市）")
    province.get_by_role("button", name="交办").click()
    province.wait_for_selector("text=已交办")
    task = Task.objects.get(parent__isnull=True)
    assert task.lead_unit == sup.units["taiyuan_office"]

    city = _login(browser, live_server, "taiyuan_office", f"/supervision/tasks/{task.pk}/")
    _step(city, "sign")
    city.locator("#step-split summary").click()
    city.locator("#step-split select[name=lead_unit]").select_option(label="太原市小店区人民政府办公室（小店区）")
    city.locator("#step-split button[type=submit]").click()
    city.wait_for_selector("text=已分解交办给太原市小店区人民政府办公室")
    part = Task.objects.get(parent=task)

    county = _login(browser, live_server, "xiaodian_office", "/supervision/")
    county.get_by_role("link", name=part.number).click()
    _step(county, "sign")
    _step(county, "deploy", "区政府专题会议部署，明确责任科室")
    _step(county, "progress", "已上线 120 项高频事项")
    _step(county, "request_closure", "全部高频事项已实现一网通办")
    assert "已申请销号" in county.content()

    city.goto(live_server.url + f"/supervision/tasks/{part.pk}/")
    _step(city, "return", "请补充办件量统计")
    county.goto(live_server.url + f"/supervision/tasks/{part.pk}/")
    assert "请补充办件量统计" in county.content()
    _step(county, "request_closure", "已补充办件量统计")
    city.goto(live_server.url + f"/supervision/tasks/{part.pk}/")
    _step(city, "close", "按期高质量完成", rating="优秀")
    city.goto(live_server.url + f"/supervision/tasks/{task.pk}/")
    _step(city, "deploy", "市政府办公室部署")
    _step(city, "request_closure", "全市已完成")

    province.goto(live_server.url + f"/supervision/tasks/{task.pk}/")
    _step(province, "close", "完成较好", rating="良好")
    province.wait_for_selector("text=已销号")
    screenshot(province, "supervision-task")
    task.refresh_from_db()
    part.refresh_from_db()
    assert (task.state, task.rating, part.state, part.rating) == ("closed", "good", "closed", "excellent")

    province.goto(live_server.url + "/supervision/dashboard/")
    province.wait_for_selector("text=按承办单位")
    screenshot(province, "supervision-dashboard")
    province.get_by_role("link", name="按期办结").first.click()
    assert part.number in province.content()
    for page in (province, city, county):
        page.context.close()

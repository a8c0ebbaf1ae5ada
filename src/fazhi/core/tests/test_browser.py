"""The main pages in a real browser: headless Chromium (Debian's package) driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[4] / "var" / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail("找不到 /usr/bin/chromium：运行 make test（它会安装 Debian 的 chromium 包）")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_home_lists_the_cities_and_leads_to_a_county(live_server, page, org_world):
    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text() == "法治政府建设信息平台"
    assert page.get_by_role("link", name="长治市", exact=True).count() == 1
    _shot(page, "home")
    page.get_by_role("link", name="长治市", exact=True).click()
    page.get_by_role("link", name="上党区", exact=True).click()
    assert "上党区" in page.locator("h1").inner_text()
    assert "长治市上党区市场监督管理局" in page.content()


def test_county_user_logs_in_and_sees_only_the_county(live_server, page, org_world):
    from fazhi.conftest import PASSWORD

    page.goto(live_server.url + "/org/")
    page.get_by_label("用户名").fill("xiaodian_supervisor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("#agency-table")
    rows = page.locator("#agency-table tbody tr").all_inner_texts()
    _shot(page, "org-workspace-county")
    assert len(rows) == 3
    assert all("小店区" in row for row in rows)
    page.get_by_label("查找机构").fill("上党")
    page.get_by_role("button", name="查找").click()
    assert "没有找到名称包含“上党”的机构" in page.content()


def test_phone_width_keeps_the_table_readable(live_server, browser, org_world):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    pg.goto(live_server.url + "/org/divisions/140100/")
    width = pg.evaluate("document.documentElement.scrollWidth")
    _shot(pg, "division-phone")
    context.close()
    assert width <= 400, f"页面在手机上横向溢出：{width}px"

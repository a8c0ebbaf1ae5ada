"""The portal in a real browser: search, filter, page through, open a record; on a phone; with the keyboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fazhi.core.identifiers import make_uscc
from fazhi.core.testing import page_width, screenshot

from .conftest import TODAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def records(publish: Any) -> list[Any]:
    made = []
    for n in range(25):
        made.append(
            publish(
                "penalty",
                agency_key="shangdang_market" if n % 5 == 0 else "xiaodian_market",
                party_name=f"{'保德' if n % 2 else '平遥'}鹏泽商贸第{n}分公司",
                party_uscc=make_uscc("91", "140105", f"{n:08d}"),
                doc_number=f"小市监罚〔2020〕{n + 1}号",
                decided_on=(TODAY - dt.timedelta(days=n + 1)).isoformat(),
            )
        )
    made.append(publish("licence", party_name="保德县鹏泽煤业有限公司", doc_number="保许〔2021〕3号"))
    return made


def test_a_citizen_searches_filters_pages_and_opens_a_record(live_server, page, records):
    page.goto(live_server.url + "/")
    page.get_by_label("查询公开信息").fill("鹏泽")
    page.get_by_label("查询公开信息").press("Enter")
    page.wait_for_selector("text=找到")
    assert "找到 52 条" in page.locator(".result-count").inner_text()  # 26 entities, 25 penalties, 1 licence
    for group in ("entity", "penalty", "licence"):
        assert page.locator(f"#group-{group}").is_visible()
    screenshot(page, "portal-grouped")

    page.get_by_role("link", name="查看全部 25 条行政处罚信息 →").click()
    page.get_by_text("筛选条件").click()
    page.get_by_label("地区", exact=True).select_option("140100")
    page.get_by_role("button", name="按条件查询").click()
    page.wait_for_selector("text=地区：太原市")
    assert "找到 20 条" in page.locator(".result-count").inner_text()
    first_page = page.locator(".hit-title").all_inner_texts()
    assert len(first_page) == 20 and first_page[0] == "保德鹏泽商贸第1分公司"

    page.get_by_label("类别").select_option("fine")
    page.get_by_label("查询内容").fill("保德 鹏泽")
    page.get_by_role("button", name="查询", exact=True).click()
    page.wait_for_selector(".hit-title")
    assert "找到 10 条" in page.locator(".result-count").inner_text()

    page.goto(live_server.url + "/search/?q=鹏泽&type=penalty&limit=10")
    seen = page.locator(".hit-title").all_inner_texts()
    page.get_by_role("link", name="下一页 ›").click()
    page.wait_for_selector("text=第 2 页")
    second = page.locator(".hit-title").all_inner_texts()
    assert len(seen) == len(second) == 10 and not set(seen) & set(second)
    page.get_by_role("link", name="下一页 ›").click()
    page.wait_for_selector("text=第 3 页")
    assert len(page.locator(".hit-title").all_inner_texts()) == 5
    assert page.get_by_text("已是最后一页").is_visible()

    page.get_by_role("link", name="平遥鹏泽商贸第20分公司").click()
    page.wait_for_selector("text=处罚依据")
    assert "决定日期" in page.content() and "公示期" in page.content()
    screenshot(page, "portal-record")


def test_nothing_found_says_so_and_suggests_what_to_try(live_server, page, records):
    page.goto(live_server.url + "/search/?q=鹏泽化工&division=1404")
    assert "没有找到与“鹏泽化工”相关的公开信息" in page.content()
    assert page.get_by_label("地区", exact=True).input_value() == "140400"  # "1404" is 长治市, shown as chosen
    page.get_by_role("link", name="鹏泽", exact=True).click()
    page.wait_for_selector(".hit-title")
    assert page.locator(".result-count").inner_text().startswith("找到 5 条")
    screenshot(page, "portal-empty")


def test_the_search_works_on_a_phone_and_with_the_keyboard(live_server, phone_page, records):
    phone_page.goto(live_server.url + "/search/?q=鹏泽")
    assert page_width(phone_page) <= 400
    phone_page.keyboard.press("Tab")  # the skip link comes first
    assert phone_page.evaluate("document.activeElement.textContent") == "跳到正文"
    phone_page.locator("#q").focus()
    phone_page.keyboard.press("End")
    phone_page.keyboard.type(" 煤业")
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_selector("text=找到 2 条")  # the licence and its entity
    screenshot(phone_page, "portal-phone")

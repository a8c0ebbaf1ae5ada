"""In a real browser: a county supervisor takes an application to an issued certificate; a citizen verifies it by
number and by its QR link, on a desktop and on a phone."""

from __future__ import annotations

import pytest

from fazhi.conftest import PASSWORD
from fazhi.core.testing import page_width, screenshot
from fazhi.enforcement.models import Certificate
from fazhi.enforcement.tests.conftest import ID_NUMBER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_supervisor_issues_a_certificate_and_a_citizen_verifies_it(live_server, page, browser, world):
    zhang = world.officers["zhang"]
    page.goto(live_server.url + f"/enforcement/staff/officers/{zhang.pk}/")
    page.get_by_label("用户名").fill("xiaodian_supervisor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.get_by_role("checkbox", name="市场监管").check()
    page.get_by_role("button", name="受理申领").click()
    page.wait_for_selector("text=已受理执法证申领")
    page.get_by_text("登记考试结果", exact=True).first.click()
    page.get_by_label("考试成绩").fill("86")
    page.get_by_label("培训学时").fill("40")
    page.get_by_role("button", name="登记考试结果").click()
    page.wait_for_selector("text=已办理“登记考试结果”")
    page.get_by_text("核发执法证", exact=True).first.click()
    page.get_by_role("button", name="核发执法证").click()
    page.wait_for_selector("text=已办理“核发执法证”")
    assert page.locator(".qr svg").count() == 1
    screenshot(page, "enforcement-certificate-staff")

    cert = Certificate.objects.get(officer=zhang)
    link = page.get_by_role("link", name="打开核验链接").get_attribute("href")
    page.get_by_role("link", name="打印证件卡片").click()
    page.wait_for_selector(".cert-card")
    screenshot(page, "enforcement-certificate-card")

    citizen = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900}).new_page()
    citizen.goto(live_server.url + "/enforcement/")
    citizen.get_by_label("执法证号").fill(f"{cert.number[:4]} {cert.number[4:8]} {cert.number[8:]}")
    citizen.get_by_role("button", name="核验").click()
    citizen.wait_for_selector(".verdict.ok")
    content = citizen.content()
    assert "张三" in content and "太原市小店区市场监督管理局" in content and ID_NUMBER not in content
    screenshot(citizen, "enforcement-verify")

    citizen.goto(link)
    citizen.wait_for_selector("text=签名真实，信息与现有记录一致")
    screenshot(citizen, "enforcement-verify-signed")
    citizen.context.close()


def test_public_pages_fit_a_phone_and_work_with_the_keyboard(live_server, phone_page, world):
    from datetime import timedelta

    from fazhi.enforcement.tests.conftest import TODAY, issue

    cert = issue(world.officers["zhang"], issued=TODAY - timedelta(days=40))
    for path, name in (
        ("/enforcement/", "enforcement-home-phone"),
        (f"/enforcement/bodies/{world.bodies['xiaodian'].pk}/", "enforcement-body-phone"),
        (f"/enforcement/verify/{cert.number}/", "enforcement-verify-phone"),
        ("/enforcement/powers/", "enforcement-powers-phone"),
    ):
        phone_page.goto(live_server.url + path)
        assert page_width(phone_page) <= 400, path
        screenshot(phone_page, name)
    phone_page.goto(live_server.url + "/enforcement/verify/")
    phone_page.keyboard.press("Tab")  # 跳到正文
    phone_page.locator("#id_number").focus()
    phone_page.keyboard.type(cert.number)
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_selector(".verdict.ok")
    assert "有效" in phone_page.locator(".verdict").inner_text()

"""In a real browser: an officer files a major penalty case, is stopped by the two-officer rule, investigates with
evidence, gives notice and submits it for 法制审核; the qualified reviewer approves; the officer decides, serves,
publishes it through 双公示, executes, closes and archives it. The audit chain verifies at the end."""

from __future__ import annotations

import pytest

from fazhi.audit.verify import verify_chain
from fazhi.cases.models import EnforcementCase
from fazhi.conftest import PASSWORD
from fazhi.core.testing import page_width, screenshot

from .conftest import TODAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _login(page, live_server, path, username):
    page.context.clear_cookies()
    page.goto(live_server.url + path)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _step(page, code):
    box = page.locator(f"#step-{code}")
    box.locator("summary").click()
    return box


def _submit(box, label, page):
    box.get_by_role("button", name=label).click()
    page.wait_for_load_state()


def test_an_officer_and_a_reviewer_run_a_case_from_filing_to_archive(live_server, page, cw):
    from fazhi.clock import services as clock_services

    if TODAY.month >= 9:  # the 90-day clock ends next year: enter it as the clock module asks an administrator to
        from fazhi.clock.calendar import CalendarDataMissing, is_workday

        try:
            is_workday(TODAY.replace(year=TODAY.year + 1, month=3, day=1))
        except CalendarDataMissing:
            clock_services.set_calendar_year(actor=None, year=TODAY.year + 1, source="测试：按周一至周五计")

    _login(page, live_server, "/cases/new/", "xiaodian_officer")
    page.get_by_label("案由").fill("销售超过保质期的食品")
    page.locator("#id_party_name").fill("太原市小店区某某食品有限公司")
    page.get_by_label("统一社会信用代码或身份证号码").fill("91110000600037341L")
    page.get_by_label("法定代表人（负责人）").fill("周某")
    page.get_by_label("重大执法决定：（一）涉及重大公共利益的").check()
    page.locator("form.form").get_by_role("button", name="立案").click()
    page.wait_for_selector("text=已立案")
    case = EnforcementCase.objects.get()

    box = _step(page, "investigate")
    box.get_by_label("记录内容 / 审核意见").fill("现场检查，发现过期食品12件，制作现场检查笔录")
    box.get_by_label("张三", exact=False).check()
    _submit(box, "调查取证", page)
    assert "不得少于两人" in page.locator("#step-investigate").inner_text()
    box = page.locator("#step-investigate")
    box.get_by_label("张三", exact=False).check()
    box.get_by_label("赵六", exact=False).check()
    box.locator("input[type=file]").set_input_files(
        [
            {"name": "现场检查笔录.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 notes"},
            {"name": "执法记录仪.mp4", "mimeType": "video/mp4", "buffer": b"\x00\x00\x00\x18ftypmp42"},
        ]
    )
    _submit(box, "调查取证", page)
    page.wait_for_selector("text=已办理“调查取证”")
    assert page.get_by_text("执法记录仪.mp4").count() == 1

    box = _step(page, "notify")
    box.get_by_label("罚款", exact=True).check()
    box.get_by_label("拟罚款金额（元）").fill("5000")
    _submit(box, "告知", page)
    page.wait_for_selector("text=已办理“告知”")
    box = _step(page, "decide")
    box.get_by_label("决定书文号").fill("并小市监罚〔2026〕8号")
    box.get_by_label("决定内容").fill("罚款人民币5000元")
    _submit(box, "作出决定", page)
    assert "未经法制审核" in page.content()
    box = _step(page, "submit_review")
    _submit(box, "提请法制审核", page)
    page.wait_for_selector("text=已办理“提请法制审核”")

    _login(page, live_server, f"/cases/{case.pk}/", "xiaodian_reviewer")
    box = _step(page, "approve_review")
    box.get_by_label("记录内容 / 审核意见").fill("事实清楚，证据确凿，适用依据正确，程序合法，同意")
    _submit(box, "法制审核通过", page)
    page.wait_for_selector("text=已办理“法制审核通过”")
    assert page.locator("#step-decide").count() == 0  # a reviewer does not decide

    _login(page, live_server, f"/cases/{case.pk}/", "xiaodian_officer")
    box = _step(page, "decide")
    box.get_by_label("决定书文号").fill("并小市监罚〔2026〕8号")
    box.get_by_label("违法行为类型").fill("销售超过保质期的食品")
    box.get_by_label("违法事实").fill("当事人在经营场所销售超过保质期的食品12件。")
    box.get_by_label("处罚依据").fill("《中华人民共和国食品安全法》第一百二十四条第一款第（五）项")
    box.get_by_label("罚款", exact=True).check()
    box.get_by_label("罚款金额（元）").fill("5000")
    box.get_by_label("决定内容").fill("罚款人民币5000元")
    _submit(box, "作出决定", page)
    page.wait_for_selector("text=已办理“作出决定”")
    for code, label in (("serve", "送达"), ("publish", "公示执法决定"), ("execute", "执行"), ("close", "结案")):
        box = _step(page, code)
        _submit(box, label, page)
        page.wait_for_selector(f"text=已办理“{label}”")
    screenshot(page, "cases-case-closed")
    box = _step(page, "archive")
    _submit(box, "归档", page)
    page.wait_for_selector("text=已办理“归档”")
    assert page.locator(".case-status").inner_text() == "已归档"
    text = page.content()
    assert "按期公示" in text and "SHA-256" in text and "事实清楚，证据确凿" in text
    screenshot(page, "cases-case-archived")
    case.refresh_from_db()
    assert case.penalty_record_id is not None and case.publish_met is True
    assert verify_chain().ok
    page.set_viewport_size({"width": 390, "height": 844})
    assert page_width(page) <= 400

"""The calculator in a real browser: a citizen finds the violation, answers its circumstances with the keyboard and
reads the result with its reasons; the same on a 390 px phone; a drafter imports a table with a bad row."""

from __future__ import annotations

import pytest

from fazhi.conftest import PASSWORD
from fazhi.core.testing import page_width, screenshot
from fazhi.discretion.models import BenchmarkItem
from fazhi.discretion.spreadsheet import write_csv
from fazhi.discretion.tests.conftest import FEES, OBSTRUCTION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def published(make_benchmark):
    return make_benchmark()


def test_citizen_calculates_a_fine_with_the_keyboard(live_server, page, published):
    page.goto(live_server.url + "/discretion/")
    screenshot(page, "discretion-home")
    search = page.get_by_label("违法行为")
    search.focus()
    page.keyboard.type("监督检查")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=找到 1 项")
    page.get_by_role(
        "link", name="以拖延、围堵、滞留执法人员等方式拒绝、阻挠监督检查，或者在接受监督检查时弄虚作假"
    ).click()
    page.get_by_label("违法程度").select_option("在接受监督检查时弄虚作假")
    page.get_by_label("近一年同类违法行为情况").focus()
    page.keyboard.press("ArrowDown")  # keyboard only: 无同类违法行为 is the first option after 请选择
    page.get_by_role("button", name="计算").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#result")
    result = page.locator("#result").inner_text()
    assert "一般处罚" in result and "9万元至13万元" in result
    assert "事项 2.1 第 3 条" in result and "并环发〔2022〕1号" in result and "第八十一条" in result
    screenshot(page, "discretion-result")


def test_missing_answers_are_shown_next_to_the_question(live_server, page, published):
    item = BenchmarkItem.objects.get(benchmark=published, code="2.1")
    page.goto(live_server.url + f"/discretion/items/{item.pk}/?a1=以拖延执法人员的方式阻挠监督检查")
    assert page.get_by_role("alert").first.inner_text() == "请选择“近一年同类违法行为情况”"
    screenshot(page, "discretion-missing-answer")


def test_calculator_fits_a_phone(live_server, phone_page, published):
    item = BenchmarkItem.objects.get(benchmark=published, code="1.10")
    phone_page.goto(live_server.url + "/discretion/?q=费用")
    assert page_width(phone_page) <= 400
    phone_page.goto(live_server.url + f"/discretion/items/{item.pk}/?a1=有同类违法行为&b1=45000")
    phone_page.wait_for_selector("#result")
    assert "9万元至13.5万元（所收费用 4.5万元的2倍至3倍）" in phone_page.locator("#result").inner_text()
    assert page_width(phone_page) <= 400
    screenshot(phone_page, "discretion-phone")
    phone_page.goto(live_server.url + f"/discretion/benchmarks/{published.pk}/")
    assert page_width(phone_page) <= 400


def test_drafter_imports_a_table_and_sees_the_bad_row(live_server, page, make_benchmark, tmp_path):
    draft = make_benchmark(rows=OBSTRUCTION, publish=False)
    upload = tmp_path / "裁量基准.csv"
    upload.write_bytes(
        write_csv([*FEES, {"事项编码": "9", "违法行为": "x", "处罚依据": "y", "情形": "a", "罚款": "很多"}])
    )
    page.goto(live_server.url + f"/discretion/staff/{draft.pk}/")
    page.get_by_label("用户名").fill("taiyuan_drafter")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("裁量基准表格").set_input_files(str(upload))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_selector("#import-report")
    report = page.locator("#import-report").inner_text()
    assert "新增事项 1" in report and "拒绝 1 行" in report and "无法识别罚款“很多”" in report
    screenshot(page, "discretion-staff-import")
    page.get_by_role("button", name="发布（2022-01-01起施行）").click()
    page.wait_for_selector("text=已发布")
    screenshot(page, "discretion-staff-published")


def test_the_one_search_finds_benchmark_items(live_server, page, published):
    page.goto(live_server.url + "/search/?q=监督检查")
    hit = page.locator(".hit", has_text="裁量基准").first
    assert "并环发〔2022〕1号" in hit.inner_text() and "事项 2.1" in hit.inner_text()
    screenshot(page, "discretion-search")
    hit.get_by_role("link").first.click()
    page.wait_for_selector("text=填写违法情节")
    page.goto(live_server.url + f"/discretion/benchmarks/{published.pk}/")
    page.locator("summary", has_text="技术机构").click()
    screenshot(page, "discretion-benchmark")

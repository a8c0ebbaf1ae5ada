"""In a real browser: the dashboard draws its charts, a figure drills down to its records, staff edit a report's
narrative and download it as DOCX."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from fazhi.conftest import PASSWORD
from fazhi.core.testing import page_width, screenshot
from fazhi.reports import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _login(page, live_server, username: str, next_url: str) -> None:
    page.goto(f"{live_server.url}{reverse('login')}?{urlencode({'next': next_url})}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_dashboard_drilldown_edit_and_download(live_server, page, sgs_world):
    services.run_rollup(year=2020)
    report = services.create_report(actor=None, division=sgs_world.divisions["140100"], year=2020)

    _login(page, live_server, "taiyuan_supervisor", "/reports/?division=140100&year=2020")
    page.wait_for_selector("#group-publicity canvas")  # ECharts drew the comparison of Taiyuan's counties
    assert page.locator("#group-publicity canvas").count() >= 1
    assert "立案数" in page.locator("#group-cases").inner_text()  # the cases module's own metrics
    screenshot(page, "reports-dashboard")

    page.locator('#group-publicity .metric-grid a[href*="/publicity.penalties_published/"]', has_text="4件").click()
    page.wait_for_selector("text=共")
    assert page.locator("h1").inner_text().startswith("行政处罚信息公示数")
    assert page.locator("table.table tbody tr").count() == 4
    screenshot(page, "reports-drilldown")

    page.goto(f"{live_server.url}/reports/annual/{report.pk}/edit/")
    page.get_by_label("一、主要举措和成效").fill(
        "全市全年公示行政处罚信息{{ metric:publicity.penalties_published }}，按时公示率"
        "{{ metric:publicity.penalties_on_time_rate }}。"
    )
    page.get_by_role("button", name="预览").click()
    assert "全市全年公示行政处罚信息4件" in page.locator(".preview").inner_text()
    screenshot(page, "reports-edit-preview")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已保存")
    body = page.locator("article.gov-doc").inner_text()
    assert "全市全年公示行政处罚信息4件[1]，按时公示率75.0%[2]。" in body
    assert "行政处罚信息公示数（指标代码 publicity.penalties_published" in body
    screenshot(page, "reports-annual")

    with page.expect_download() as info:
        page.get_by_role("link", name="Word（DOCX）").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    from docx import Document

    with open(download.path(), "rb") as fh:
        doc = Document(io.BytesIO(fh.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "一、主要举措和成效" in text and "全市全年公示行政处罚信息4件[1]" in text


def test_dashboard_fits_a_phone(live_server, phone_page, sgs_world):
    services.run_rollup(year=2020)
    phone_page.goto(f"{live_server.url}/reports/?division=140000&year=2020")
    phone_page.wait_for_selector("#group-publicity canvas")
    assert page_width(phone_page) <= 400

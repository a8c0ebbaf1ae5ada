"""The annual report: default narrative with live figures and footnotes, editing, publishing against 4月1日,
and the DOCX / PDF / HTML outputs (opened and rendered, not just written)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command

from fazhi.audit.models import AuditEvent
from fazhi.core.errors import Conflict, NotFound, ValidationFailed
from fazhi.core.testing import assert_read_matrix, assert_write_matrix
from fazhi.reports import outputs, services
from fazhi.reports.models import AnnualReport, ReportSection
from fazhi.reports.render import plain, render_default, render_report
from fazhi.reports.tests.conftest import add_penalties

pytestmark = pytest.mark.django_db

HEADINGS = [
    "一、主要举措和成效",
    "二、存在的不足和原因",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "四、下一年度主要安排",
]


@pytest.fixture
def report(sgs_world):
    services.run_rollup(year=2020)
    return services.create_report(
        actor=sgs_world.users["province_admin"], division=sgs_world.divisions["140000"], year=2020
    )


def _measures(rendered) -> str:
    return "".join(plain(p) for p in rendered.sections[0].paragraphs)


def test_default_report_has_the_four_parts_with_live_figures_and_footnotes(report):
    sections = list(report.sections.order_by("number"))
    assert [s.heading for s in sections] == [h.split("、", 1)[1] for h in HEADINGS]
    assert "{{ metric:publicity.penalties_published }}" in sections[0].body  # placeholders, not numbers
    rendered = render_report(report)
    assert [s.numbered_heading for s in rendered.sections] == HEADINGS
    assert "行政处罚信息6件" in _measures(rendered)
    note = next(n for n in rendered.footnotes if n.figure.metric.code == "publicity.penalties_published")
    assert (
        "行政处罚信息公示数" in note.text and "publicity.penalties_published" in note.text and "数据时间" in note.text
    )
    assert not note.figure.live


def test_no_figure_is_hard_coded_a_new_record_changes_the_report(sgs_world, report):
    before = _measures(render_report(report))
    add_penalties(sgs_world, "shangdang_market", 3, start=30)
    assert _measures(render_report(report)) == before  # the rollup has not run: the report shows its data time
    services.run_rollup(year=2020)
    after = _measures(render_report(report))
    assert "行政处罚信息9件" in after and "行政处罚信息6件" not in after
    # the rate moved too: 8 of 9 on time
    assert "行政处罚信息按时公示率88.9%" in after


def test_staff_edit_keeps_figures_live_and_rejects_unknown_metrics(sgs_world, report):
    admin = sgs_world.users["province_admin"]
    text = (
        "全省全年共公示行政处罚决定{{ metric:publicity.penalties_published }}，"
        "其中超期{{metric:publicity.penalties_late}}。"
    )
    services.update_report(
        actor=admin, report=report, title=report.title, intro=report.intro, sections={"measures": text}
    )
    rendered = render_report(report)
    assert plain(rendered.sections[0].paragraphs[0]) == "全省全年共公示行政处罚决定6件，其中超期1件。"
    assert [n.number for n in rendered.footnotes][:2] == [1, 2]
    with pytest.raises(ValidationFailed) as err:
        services.update_report(
            actor=admin, report=report, title="x", intro="", sections={"plans": "{{ metric:no.such }}"}
        )
    assert err.value.errors[0].message == "未登记的指标代码：no.such"
    assert AuditEvent.objects.filter(action="reports.annual.update").count() == 1


@pytest.mark.parametrize(("on", "on_time"), [(dt.date(2021, 3, 31), True), (dt.date(2021, 4, 2), False)])
def test_publishing_is_measured_against_the_1_april_deadline(sgs_world, report, on, on_time):
    published = services.publish_report(actor=sgs_world.users["province_admin"], report=report, on=on)
    assert published.deadline == dt.date(2021, 4, 1)
    assert published.published_on == on and published.published_on_time is on_time
    event = AuditEvent.objects.get(action="reports.annual.publish")
    assert event.after["on_time"] is on_time and event.after["figures"]["publicity.penalties_published"] == "6件"
    with pytest.raises(Conflict):
        services.update_report(
            actor=sgs_world.users["province_admin"], report=published, title="新标题", intro="", sections={}
        )


def test_report_pages_are_scoped(client, sgs_world, report):
    users = sgs_world.users
    url = f"/reports/annual/{report.pk}/"
    # the superuser too: "published, or inside the jurisdiction" once lost its second half for superusers
    assert_read_matrix(
        client, url, users, {None: 404, "taiyuan_supervisor": 404, "province_admin": 200, "superuser": 200}
    )
    assert_read_matrix(
        client, url + "edit/", users, {"taiyuan_supervisor": 404, "province_admin": 200, "superuser": 200}
    )
    assert_write_matrix(
        client,
        "post",
        url + "publish/",
        users,
        {"taiyuan_supervisor": 404, "xiaodian_officer": 404},
        watch=[AnnualReport, ReportSection],
    )
    with pytest.raises(NotFound):
        services.publish_report(actor=users["xiaodian_supervisor"], report=report)
    services.publish_report(actor=users["province_admin"], report=report, on=dt.date(2021, 3, 20))
    assert_read_matrix(client, url, users, {None: 200, "taiyuan_supervisor": 200})  # published: public


def test_staff_create_edit_preview_and_save_through_the_pages(client, sgs_world):
    services.run_rollup(year=2020)
    client.force_login(sgs_world.users["taiyuan_supervisor"])
    response = client.post("/reports/annual/", {"division": "140100", "year": "2020"})
    assert response.status_code == 302
    report = AnnualReport.objects.get(division__code="140100")
    assert report.title == "太原市2020年度法治政府建设情况报告"
    denied = client.post("/reports/annual/", {"division": "140400", "year": "2020"})
    assert denied.status_code == 422 and "请选择您有权编写报告的行政区划" in denied.content.decode()
    edit = f"/reports/annual/{report.pk}/edit/"
    form = {"title": report.title, "intro": "导语。", **{f"section_{s.key}": s.body for s in report.sections.all()}}
    form["section_measures"] = "全市公示行政处罚信息{{ metric:publicity.penalties_published }}。"
    preview = client.post(edit, {**form, "action": "preview"}).content.decode()
    assert "全市公示行政处罚信息" in preview and "4件" in preview and "预览（尚未保存）" in preview
    assert "全市公示" not in report.sections.get(key="measures").body  # a preview saves nothing
    bad = client.post(edit, {**form, "section_plans": "{{ metric:bogus.code }}", "action": "save"})
    assert bad.status_code == 422 and "未登记的指标代码：bogus.code" in bad.content.decode()
    assert client.post(edit, {**form, "action": "save"}).status_code == 302
    page = client.get(f"/reports/annual/{report.pk}/").content.decode()
    assert '全市公示行政处罚信息<span class="figure">4件</span><sup>' in page


def _docx_text(data: bytes) -> tuple[list[str], str]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    return headings, "\n".join(p.text for p in doc.paragraphs)


def test_docx_opens_with_numbered_headings_figures_and_footnotes(client, sgs_world, report):
    client.force_login(sgs_world.users["province_admin"])
    response = client.get(f"/reports/annual/{report.pk}/download/docx/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    headings, text = _docx_text(response.content)
    assert headings == HEADINGS
    assert "山西省2020年度法治政府建设情况报告" in text.splitlines()[0]
    match = re.search(r"行政处罚信息6件\[(\d+)\]", text)
    assert match, "the figure and its footnote mark"
    assert re.search(rf"^\[{match.group(1)}\] 行政处罚信息公示数（指标代码 publicity.penalties_published", text, re.M)
    assert "注释" in text


def _render_pdf_page(data: bytes):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    assert len(pdf) >= 2
    return pdf[0].render(scale=1.5).to_pil().convert("L"), pdf[0].get_textpage()


def _font_names(textpage) -> set[str]:
    """The font each character of the page is drawn with (a tofu box has no CJK font behind it)."""
    import ctypes

    import pypdfium2.raw as pdfium

    names = set()
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    for index in range(min(pdfium.FPDFText_CountChars(textpage.raw), 400)):
        if pdfium.FPDFText_GetFontInfo(textpage.raw, index, buffer, 256, ctypes.byref(flags)):
            names.add(buffer.value.decode("latin-1").split("+", 1)[-1])
    return names


def test_pdf_renders_cjk_text_with_an_embedded_cjk_font(client, sgs_world, report):
    client.force_login(sgs_world.users["province_admin"])
    data = client.get(f"/api/v1/reports/annual/{report.pk}/download?format=pdf").content
    assert data.startswith(b"%PDF")
    image, textpage = _render_pdf_page(data)
    dark = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 5000, "the first page is blank"
    text = textpage.get_text_range()
    assert "法治政府建设情况报告" in text and "主要举措和成效" in text
    fonts = _font_names(textpage)
    assert "Noto-Serif-CJK-SC" in fonts and "Noto-Sans-CJK-SC" in fonts, fonts  # real CJK glyphs, not tofu


def test_the_command_writes_each_format(tmp_path, sgs_world, capsys):
    services.run_rollup(year=2020)
    for fmt, magic in (("html", b"<!doctype html>"), ("docx", b"PK"), ("pdf", b"%PDF")):
        out = tmp_path / f"shanxi-2020.{fmt}"
        call_command(
            "report", "annual", "--year", "2020", "--division", "140000", "--format", fmt, "--output", str(out)
        )
        assert out.read_bytes().startswith(magic)
    assert "默认模板" in capsys.readouterr().out
    headings, text = _docx_text((tmp_path / "shanxi-2020.docx").read_bytes())
    assert headings == HEADINGS and "行政处罚信息6件[" in text
    html = (tmp_path / "shanxi-2020.html").read_text(encoding="utf-8")
    assert '行政处罚信息<span class="figure">6件</span><sup>' in html


def test_rollup_command_resumes(sgs_world, capsys):
    call_command("report", "rollup", "--year", "2020", "--limit", "3")
    assert "进行中：已完成 3 个区划" in capsys.readouterr().out
    call_command("report", "rollup", "--year", "2020")
    assert "已完成：已完成 129 个区划" in capsys.readouterr().out


def test_default_render_without_a_report_uses_live_figures_when_the_rollup_is_empty(sgs_world):
    rendered = render_default(sgs_world.divisions["140404"], 2020)
    assert "行政处罚信息2件" in _measures(rendered)
    assert all(n.figure.live for n in rendered.footnotes)
    assert "实时计算" in rendered.footnotes[0].text
    assert outputs.filename(rendered, "pdf") == "上党区2020年度法治政府建设情况报告.pdf"


def test_docx_renders_to_pages_with_cjk_fonts(tmp_path, client, sgs_world, report):
    """Word's view of the DOCX, approximated by LibreOffice: converted to PDF, then to an image of page one."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("未安装 LibreOffice（scripts/setup.sh --dev 会安装 libreoffice-writer-nogui）")
    client.force_login(sgs_world.users["province_admin"])
    source = tmp_path / "report.docx"
    source.write_bytes(client.get(f"/reports/annual/{report.pk}/download/docx/").content)
    subprocess.run(  # noqa: S603 - fixed arguments, our own file
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    image, textpage = _render_pdf_page((tmp_path / "report.pdf").read_bytes())
    assert sum(image.histogram()[:128]) > 5000, "the DOCX's first page renders blank"
    text = textpage.get_text_range()
    assert "山西省2020年度法治政府建设情况报告" in text.replace(" ", "") and "主要举措和成效" in text
    fonts = _font_names(textpage)
    assert any("CJK" in f for f in fonts), fonts


def test_api_lists_and_downloads_reports_within_scope(client, sgs_world, report):
    url = f"/api/v1/reports/annual/{report.pk}/download?format=docx"
    assert_read_matrix(client, url, sgs_world.users, {None: 404, "taiyuan_supervisor": 404, "province_admin": 200})
    assert client.get("/api/v1/reports/annual").json() == []  # drafts are not public
    client.force_login(sgs_world.users["province_admin"])
    listed = client.get("/api/v1/reports/annual").json()
    assert [(r["division"], r["year"], r["deadline"]) for r in listed] == [("140000", 2020, "2021-04-01")]

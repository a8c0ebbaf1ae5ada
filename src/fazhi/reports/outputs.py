"""A rendered report as a web page fragment, DOCX (python-docx) and PDF (WeasyPrint), laid out like a government
document (GB/T 9704 proportions): centred title, headings numbered 一、二、, body text indented two characters,
and the footnotes as a numbered 注释 list at the end.

Fonts: Debian's ``fonts-noto-cjk`` stands in for the official faces — Noto Serif CJK SC (bold) for 方正小标宋,
Noto Sans CJK SC for 黑体 headings, Noto Serif CJK SC for 仿宋 body text.
"""

from __future__ import annotations

import io
import logging

from django.template.loader import render_to_string

from .render import RenderedReport

TITLE_FONT = "Noto Serif CJK SC"
HEADING_FONT = "Noto Sans CJK SC"
BODY_FONT = "Noto Serif CJK SC"

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
FORMATS = tuple(CONTENT_TYPES)


def filename(rendered: RenderedReport, fmt: str) -> str:
    return f"{rendered.title}.{fmt}"


def to_html(rendered: RenderedReport) -> bytes:
    """A standalone page (the print layout, also the PDF's source)."""
    return render_to_string("reports/print.html", {"r": rendered}).encode("utf-8")


def to_pdf(rendered: RenderedReport) -> bytes:
    from weasyprint import HTML

    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)  # its per-step progress is not news

    pdf = HTML(string=to_html(rendered).decode("utf-8")).write_pdf()
    return bytes(pdf or b"")


def _font(run: object, name: str, size: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run.font  # type: ignore[attr-defined]
    font.name = name
    font.size = Pt(size)
    font.bold = bold
    r_pr = run._element.get_or_add_rPr()  # type: ignore[attr-defined]
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, r_fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attr), name)


def _style_font(style: object, name: str, size: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = style.font  # type: ignore[attr-defined]
    font.name = name
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    r_pr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, r_fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attr), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(theme), None)


def to_docx(rendered: RenderedReport) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    doc.core_properties.title = rendered.title
    doc.core_properties.author = rendered.issuer
    doc.core_properties.language = "zh-CN"

    normal = doc.styles["Normal"]
    _style_font(normal, BODY_FONT, 16)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28)
    heading_style = doc.styles["Heading 1"]
    _style_font(heading_style, HEADING_FONT, 16)
    heading_style.paragraph_format.space_before = Pt(14)
    heading_style.paragraph_format.space_after = Pt(6)
    heading_style.paragraph_format.first_line_indent = Pt(32)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(24)
    title.paragraph_format.line_spacing = Pt(40)
    _font(title.add_run(rendered.title), TITLE_FONT, 22, bold=True)

    def body(paragraph_segments: list) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        for segment in paragraph_segments:
            run = p.add_run(segment.text)
            _font(run, BODY_FONT, 16)
            if segment.footnote is not None:
                ref = p.add_run(f"[{segment.footnote}]")
                _font(ref, BODY_FONT, 16)
                ref.font.superscript = True

    for paragraph in rendered.intro:
        body(paragraph)
    for sec in rendered.sections:
        heading = doc.add_paragraph(style="Heading 1")
        _font(heading.add_run(sec.numbered_heading), HEADING_FONT, 16)
        for paragraph in sec.paragraphs:
            body(paragraph)

    signature = doc.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.space_before = Pt(28)
    _font(signature.add_run(rendered.issuer), BODY_FONT, 16)
    if rendered.published_on:
        dated = doc.add_paragraph()
        dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        on = rendered.published_on
        _font(dated.add_run(f"{on.year}年{on.month}月{on.day}日"), BODY_FONT, 16)

    if rendered.footnotes:
        notes = doc.add_paragraph()
        notes.paragraph_format.space_before = Pt(28)
        _font(notes.add_run("注释"), HEADING_FONT, 14)
        for note in rendered.footnotes:
            p = doc.add_paragraph()
            p.paragraph_format.line_spacing = Pt(20)
            _font(p.add_run(f"[{note.number}] {note.text}"), BODY_FONT, 12)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def export(rendered: RenderedReport, fmt: str) -> bytes:
    if fmt == "docx":
        return to_docx(rendered)
    if fmt == "pdf":
        return to_pdf(rendered)
    if fmt == "html":
        return to_html(rendered)
    raise ValueError(f"unknown format {fmt}")

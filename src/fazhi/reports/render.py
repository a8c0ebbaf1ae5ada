"""A report's text with its figures filled in: the one rendering every output (page, DOCX, PDF) is made from.

Each ``{{ metric:code }}`` becomes the figure as stored by the rollup (computed now if the rollup has none yet),
followed by a footnote number; the footnote names the metric's title, code and data time. A metric cited twice
keeps one footnote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from . import narrative, registry
from .selectors import Figure, figure


@dataclass(frozen=True)
class Segment:
    text: str
    footnote: int | None = None  # a figure when set
    missing: bool = False  # a placeholder naming no registered metric


@dataclass(frozen=True)
class Footnote:
    number: int
    figure: Figure

    @property
    def text(self) -> str:
        metric = self.figure.metric
        when = self.figure.computed_at
        stamp = timezone.localtime(when).strftime("%Y年%m月%d日 %H:%M") if when else "未计算"
        source = "（实时计算，尚未汇总）" if self.figure.live else ""
        head = f"{metric.title}（指标代码 {metric.code}，单位：{metric.unit}）。"
        return f"{head}{metric.definition}数据时间：{stamp}{source}。"


@dataclass
class Section:
    number: int
    key: str
    heading: str
    paragraphs: list[list[Segment]]

    @property
    def numbered_heading(self) -> str:
        return f"{narrative.numeral(self.number)}、{self.heading}"


@dataclass
class RenderedReport:
    title: str
    division_name: str
    year: int
    intro: list[list[Segment]]
    sections: list[Section]
    footnotes: list[Footnote] = field(default_factory=list)
    status: str = "draft"
    published_on: dt.date | None = None
    issuer: str = ""


class _Filler:
    def __init__(self, division: Any, year: int) -> None:
        self.division = division
        self.year = year
        self.footnotes: list[Footnote] = []
        self._by_code: dict[str, Footnote] = {}

    def paragraphs(self, text: str) -> list[list[Segment]]:
        blocks = [b.strip() for b in (text or "").replace("\r\n", "\n").split("\n")]
        return [self.segments(b) for b in blocks if b]

    def segments(self, text: str) -> list[Segment]:
        out: list[Segment] = []
        position = 0
        for match in narrative.PLACEHOLDER.finditer(text):
            if match.start() > position:
                out.append(Segment(text[position : match.start()]))
            code = match.group(1)
            metric = registry.get(code)
            if metric is None:
                out.append(Segment(f"〔未登记的指标 {code}〕", missing=True))
            else:
                note = self._by_code.get(code)
                if note is None:
                    note = Footnote(len(self.footnotes) + 1, figure(metric, self.division, self.year))
                    self._by_code[code] = note
                    self.footnotes.append(note)
                out.append(Segment(note.figure.text, footnote=note.number))
            position = match.end()
        if position < len(text):
            out.append(Segment(text[position:]))
        return out


def render_text(
    *, division: Any, year: int, title: str, intro: str, sections: list[tuple[str, str, str]], **extra: Any
) -> RenderedReport:
    """``sections``: (key, heading, body) in order."""
    filler = _Filler(division, year)
    intro_paragraphs = filler.paragraphs(intro)
    rendered = [
        Section(n, key, heading, filler.paragraphs(body)) for n, (key, heading, body) in enumerate(sections, start=1)
    ]
    return RenderedReport(
        title=title,
        division_name=division.name,
        year=year,
        intro=intro_paragraphs,
        sections=rendered,
        footnotes=filler.footnotes,
        issuer=narrative.government(division),
        **extra,
    )


def render_report(report: Any) -> RenderedReport:
    return render_text(
        division=report.division,
        year=report.year,
        title=report.title,
        intro=report.intro,
        sections=[(s.key, s.heading, s.body) for s in report.sections.order_by("number")],
        status=report.status,
        published_on=report.published_on,
    )


def render_default(division: Any, year: int) -> RenderedReport:
    """The default narrative of a report nobody has started yet (what ``fazhi report annual`` prints then)."""
    bodies = narrative.default_sections(division, year)
    return render_text(
        division=division,
        year=year,
        title=narrative.default_title(division, year),
        intro=narrative.default_intro(division, year),
        sections=[(key, heading, bodies[key]) for key, heading in narrative.SECTIONS],
    )


def figures_of(report: Any) -> dict[str, str]:
    """The figures a report cites, as printed (kept in the audit event when it is published)."""
    rendered = render_report(report)
    return {note.figure.metric.code: note.figure.text for note in rendered.footnotes}


def plain(paragraph: list[Segment]) -> str:
    return "".join(s.text for s in paragraph)

"""A campaign's results as XLSX (openpyxl): one sheet per agency summary, one with every file. Text a spreadsheet
would run as a formula is neutralised by the guard every export uses (``core.security.spreadsheet_safe``)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from fazhi.core.security import spreadsheet_safe

from .choices import DeductionState, Rating
from .models import Campaign, CaseFileReview
from .selectors import Results

FILE_COLUMNS = ["办案机关", "案号", "案由", "状态", "得分", "等次", "一票否决", "扣分项目", "评查人员", "整改情况"]


def _bold(row: Any) -> None:
    for cell in row:
        cell.font = Font(bold=True)


def results_xlsx(campaign: Campaign, results: Results, files: Iterable[CaseFileReview]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 — a new workbook has one sheet
    ws.title = "按机关汇总"
    ws.append([spreadsheet_safe(f"{campaign.name}（{campaign.year}年度）评查结果")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["办案机关", "抽取件数", "已评分", "平均分", *[str(label) for _, label in Rating.choices], "一票否决"])
    _bold(ws[2])
    for t in [*results.agencies, results.overall]:
        ws.append(
            [
                spreadsheet_safe(t.label),
                t.files,
                t.scored,
                float(t.average) if t.average is not None else None,
                *[t.count(value) for value in Rating.values],
                t.vetoed,
            ]
        )
    ws.column_dimensions["A"].width = 36
    sheet = wb.create_sheet("案卷明细")
    sheet.append(FILE_COLUMNS)
    _bold(sheet[1])
    for f in files:
        items = [f"{d.item.text}×{d.count}" for d in f.deductions.all() if d.state == DeductionState.CONFIRMED]
        sheet.append(
            [
                spreadsheet_safe(v)
                for v in (
                    f.agency.name,
                    f.case.number,
                    f.case.title,
                    f.get_state_display(),
                    float(f.score) if f.score is not None else None,
                    f.get_rating_display() if f.rating else "",
                    "是" if f.vetoed else "",
                    "；".join(items),
                    f.reviewer_name,
                    f.correction,
                )
            ]
        )
    for column, width in zip("ABCDEFGHIJ", (30, 24, 30, 14, 8, 8, 8, 50, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    defects = wb.create_sheet("常见问题")
    defects.append(["评查项目", "出现次数"])
    _bold(defects[1])
    for text, n in results.defects:
        defects.append([spreadsheet_safe(text), n])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

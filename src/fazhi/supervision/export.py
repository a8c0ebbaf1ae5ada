"""The electronic ledger (电子台账) as an XLSX file (openpyxl), guarded against formula injection."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from fazhi.core.security import spreadsheet_safe

from .selectors import TaskRow

COLUMNS = [
    "督办编号",
    "事项名称",
    "事项来源",
    "来源说明",
    "类别",
    "交办单位",
    "承办单位",
    "协办单位",
    "交办日期",
    "“1”部署截止",
    "“1”部署",
    "“3”反馈截止",
    "“3”反馈",
    "办结截止",
    "办结",
    "状态",
    "退回次数",
    "销号日期",
    "评价",
    "上级事项",
]


def ledger_values(row: TaskRow) -> list[Any]:
    t = row.task
    by_key = {m.key: m for m in row.milestones}
    resolve = row.resolve

    def node(key: str) -> list[Any]:
        m = by_key.get(key)
        return [m.due if m else None, m.status.label if m else ""]

    return [
        t.number,
        t.title,
        t.get_source_display(),
        t.source_detail,
        "重大" if t.is_major else "一般",
        t.assigned_by.name,
        t.lead_unit.name,
        "、".join(a.name for a in t.co_units.all()),
        t.assigned_on,
        *node("13710.deploy"),
        *node("13710.feedback"),
        resolve.due if resolve else None,
        resolve.status.label if resolve else "",
        t.get_state_display(),
        t.return_count,
        t.closed_on,
        t.get_rating_display() if t.rating else "",
        t.parent.number if t.parent_id and t.parent else "",
    ]


def ledger_xlsx(rows: Iterable[TaskRow], title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 — a new workbook has one sheet
    ws.title = "电子台账"
    ws.append([spreadsheet_safe(title)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(COLUMNS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([spreadsheet_safe(v) for v in ledger_values(row)])
    for column, width in zip("ABCDEFGHIJKLMNOPQRST", (16, 36, 14, 20, 6, 24, 24, 24, 12), strict=False):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

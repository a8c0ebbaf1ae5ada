"""The spreadsheet form of a benchmark (XLSX or CSV, Chinese headers): its columns, reading rows into items, and
writing the template and exports.

One row per rule row (情形 → 阶次、处罚种类、罚款). The item's own columns (违法行为、违反条款、处罚依据、备注)
may be repeated on every row of the item or written on its first row only. An item is imported whole or not at
all: a partial table would select the wrong row or derive the wrong grades, so one bad row rejects its item (the
other rows are reported too) and every other item is kept.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fazhi.core.identifiers import fold
from fazhi.core.security import spreadsheet_safe

from .choices import FineKind, Grade
from .factors import Conditions, FactorFormatError, format_conditions, overlapping, parse_conditions
from .fines import Fine, FineFormatError, kind_labels, parse_fine, parse_penalty_kinds
from .grading import RULE_SOURCE, midpoint_grades


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    max_length: int = 0


COLUMNS: tuple[Column, ...] = (
    Column("code", "事项编码", "同一事项各行相同，如 1.3、P029-1", True, ("编码", "事项编号", "序号"), 40),
    Column("violation", "违法行为", "同一事项只需在第一行填写", False, (), 2000),
    Column("provision", "违反条款", "可不填", False, (), 10000),
    Column("legal_basis", "处罚依据", "法律条文及原文，同一事项只需在第一行填写", False, ("法律依据",), 10000),
    Column(
        "circumstances",
        "情形",
        "写成“因素：选项；因素：选项”，如“违法程度：情节轻微；整改情况：限期内改正”；只有一个因素时可只写情形",
        True,
        ("裁量情形", "适用情形", "情节"),
        2000,
    ),
    Column("description", "情形说明", "可不填：对情形的补充说明", False, (), 2000),
    Column(
        "grade",
        "裁量阶次",
        "不予处罚、减轻处罚、从轻处罚、一般处罚、从重处罚；不填时按中间值规则推定",
        False,
        ("阶次", "处罚阶次"),
    ),
    Column("kinds", "处罚种类", "如“警告、罚款”；不填时按罚款一栏推定", False, ("处罚类别",), 200),
    Column(
        "fine",
        "罚款",
        "如“2万元以上4万元以下”“1万元以下”“5000元”“违法所得1倍以上3倍以下”；没有罚款时留空",
        False,
        ("罚款幅度", "罚款金额", "处罚标准"),
        500,
    ),
    Column("note", "备注", "事项的备注，可不填", False, (), 5000),
    Column("source", "来源", "规则在原文件中的位置，如“第29页”，可不填", False, (), 200),
)
BY_KEY = {c.key: c for c in COLUMNS}
CATALOGUE: dict[str, tuple[str, ...]] = {c.key: (c.header, *c.aliases) for c in COLUMNS}
HEADERS = [c.header for c in COLUMNS]
ITEM_FIELDS = ("violation", "provision", "legal_basis", "note")
MAX_ROWS = 20_000

_GRADES: dict[str, str] = {str(label): str(value) for value, label in Grade.choices}
_GRADES.update(
    {
        "不予": Grade.NO_PENALTY,
        "不予行政处罚": Grade.NO_PENALTY,
        "减轻": Grade.MITIGATED,
        "从轻": Grade.LENIENT,
        "较轻": Grade.LENIENT,
        "较轻处罚": Grade.LENIENT,
        "一般": Grade.GENERAL,
        "从重": Grade.SEVERE,
        "较重": Grade.SEVERE,
        "较重处罚": Grade.SEVERE,
    }
)


@dataclass(frozen=True)
class Problem:
    """One line of an import's error report: the file row, the column, a stable code and a Chinese message."""

    row: int
    field: str
    code: str
    message: str
    level: str = "error"  # or "warning"

    @property
    def label(self) -> str:
        column = BY_KEY.get(self.field)
        return column.header if column else self.field

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "field_label": self.label,
            "code": self.code,
            "message": self.message,
            "level": self.level,
        }


@dataclass
class RuleRow:
    number: int
    code: str
    item: dict[str, str]
    conditions: Conditions
    description: str
    grade: str | None
    kinds: list[str] | None
    fine: Fine
    penalty_text: str
    source: str


@dataclass
class ItemDraft:
    """An item as the file describes it, checked and ready to write."""

    code: str
    first_row: int
    violation: str = ""
    provision: str = ""
    legal_basis: str = ""
    note: str = ""
    rows: list[RuleRow] = field(default_factory=list)

    def rules(self) -> list[dict[str, Any]]:
        """The rule rows as model field values, in file order (``position`` from 1)."""
        return [
            {
                "position": n,
                "grade": r.grade,
                "conditions": [list(c) for c in r.conditions],
                "description": r.description,
                "penalty_kinds": r.kinds or [],
                "penalty_text": r.penalty_text,
                "fine_kind": r.fine.kind,
                "fine_min": r.fine.minimum,
                "fine_max": r.fine.maximum,
                "multiple_base": r.fine.base,
                "multiple_min": r.fine.multiple_min,
                "multiple_max": r.fine.multiple_max,
                "source": r.source,
            }
            for n, r in enumerate(self.rows, 1)
        ]

    def content_hash(self) -> str:
        return content_hash(
            {"violation": self.violation, "provision": self.provision, "legal_basis": self.legal_basis}
            | {"note": self.note},
            self.rules(),
        )


def content_hash(item: dict[str, Any], rules: Sequence[dict[str, Any]]) -> str:
    """What decides whether a re-import changed an item: its texts and its rules (not their database ids)."""
    keys: tuple[str, ...] = ("grade", "conditions", "description", "penalty_kinds", "penalty_text", "fine_kind")
    keys += ("fine_min", "fine_max", "multiple_base", "multiple_min", "multiple_max", "source")
    payload = {
        "item": {k: item.get(k, "") for k in ITEM_FIELDS},
        "rules": [{k: _canonical(r.get(k)) for k in keys} for r in rules],
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    """Decimals compare by value whatever their exponent (``2E+4`` == ``20000.00``)."""
    if value is None or isinstance(value, str | list | dict | bool | int):
        return value
    normal = value.normalize()
    return format(normal, "f")


def _text(values: Mapping[str, str | None], key: str, problems: list[Problem], number: int) -> str:
    text = (values.get(key) or "").replace("\u200b", "").replace("\ufeff", "").strip()
    column = BY_KEY[key]
    if column.max_length and len(text) > column.max_length:
        problems.append(
            Problem(number, key, "too_long", f"{column.header}不能超过 {column.max_length} 个字（现为 {len(text)} 个）")
        )
    return text


def read_row(number: int, values: Mapping[str, str | None]) -> tuple[RuleRow | None, list[Problem]]:
    """One file row (values by column key) → a rule row of an item, or the problems that stop it."""
    problems: list[Problem] = []
    texts = {c.key: _text(values, c.key, problems, number) for c in COLUMNS}
    for column in COLUMNS:
        if column.required and not texts[column.key]:
            problems.append(Problem(number, column.key, "required", f"请填写{column.header}"))
    conditions: Conditions = []
    if texts["circumstances"]:
        try:
            conditions = parse_conditions(texts["circumstances"])
        except FactorFormatError as exc:
            problems.append(Problem(number, "circumstances", "invalid_circumstances", str(exc)))
    grade: str | None = None
    if texts["grade"]:
        grade = _GRADES.get(fold(texts["grade"]))
        if grade is None:
            allowed = "、".join(str(label) for label in Grade.labels)
            problems.append(
                Problem(number, "grade", "invalid_grade", f"裁量阶次“{texts['grade']}”无法识别，应为：{allowed}")
            )
    fine = Fine()
    try:
        fine = parse_fine(texts["fine"])
    except FineFormatError as exc:
        problems.append(Problem(number, "fine", "invalid_fine", str(exc)))
    kinds: list[str] | None = None
    if texts["kinds"]:
        try:
            kinds = parse_penalty_kinds(texts["kinds"])
        except FineFormatError as exc:
            problems.append(Problem(number, "kinds", "invalid_penalty_kind", str(exc)))
    if problems:
        return None, problems
    if grade == Grade.NO_PENALTY and fine.kind != FineKind.NONE:
        problems.append(Problem(number, "fine", "fine_without_penalty", "裁量阶次为不予处罚的情形不应填写罚款"))
    merged = list(kinds or [])
    merged += [k for k in fine.kinds if k not in merged]
    if "fine" in merged and fine.kind == FineKind.NONE:
        problems.append(Problem(number, "fine", "fine_missing", "处罚种类包含罚款，请在“罚款”一栏写明罚款数额"))
    if not merged and grade != Grade.NO_PENALTY:
        problems.append(
            Problem(number, "kinds", "penalty_missing", "请填写处罚种类或罚款（不予处罚的，裁量阶次填“不予处罚”）")
        )
    if problems:
        return None, problems
    return (
        RuleRow(
            number=number,
            code=texts["code"],
            item={k: texts[k] for k in ITEM_FIELDS},
            conditions=conditions,
            description=texts["description"],
            grade=grade,
            kinds=merged,
            fine=fine,
            penalty_text=texts["fine"],
            source=texts["source"],
        ),
        [],
    )


def assemble_items(
    rows: Iterable[tuple[int, RuleRow | None, str]],
) -> tuple[list[ItemDraft], list[Problem]]:
    """Group checked rows into items (by 事项编码, in file order) and check each item as a whole.

    ``rows``: ``(file row, the row or None when it had problems, its 事项编码)``. Returns the items that may be
    written and the problems found here (item fields that disagree, rows whose circumstances overlap, grades
    derived, items rejected because of a bad row).
    """
    drafts: dict[str, ItemDraft] = {}
    bad_rows: dict[str, list[int]] = {}
    problems: list[Problem] = []
    for number, row, code in rows:
        key = code.strip()
        if not key:
            continue
        draft = drafts.setdefault(key, ItemDraft(code=key, first_row=number))
        if row is None:
            bad_rows.setdefault(key, []).append(number)
            continue
        conflict = _merge_item_fields(draft, row)
        if conflict:
            problems.append(conflict)
            bad_rows.setdefault(key, []).append(number)
            continue
        clash = next((other for other in draft.rows if overlapping(other.conditions, row.conditions)), None)
        if clash is not None:
            problems.append(
                Problem(
                    number,
                    "circumstances",
                    "overlapping_circumstances",
                    f"情形“{format_conditions(row.conditions)}”与第 {clash.number} 行"
                    f"“{format_conditions(clash.conditions)}”可能同时适用，同一事项的各行情形不能重叠",
                )
            )
            bad_rows.setdefault(key, []).append(number)
            continue
        draft.rows.append(row)
    items: list[ItemDraft] = []
    for key, draft in drafts.items():
        bad = bad_rows.get(key, [])
        if not bad:
            checks = _check_item(draft)
            problems.extend(checks)
            bad = [p.row for p in checks if p.level == "error"]
            if not bad:
                items.append(draft)
                continue
        for row in draft.rows:
            if row.number not in bad:
                problems.append(
                    Problem(
                        row.number,
                        "code",
                        "item_rejected",
                        f"同一事项（{key}）第 {bad[0]} 行有误，本事项各行均未导入；改正后重新导入即可",
                    )
                )
    return items, problems


def _merge_item_fields(draft: ItemDraft, row: RuleRow) -> Problem | None:
    for key in ITEM_FIELDS:
        value = row.item[key]
        if not value:
            continue
        current = getattr(draft, key)
        if not current:
            setattr(draft, key, value)
        elif current != value:
            header = BY_KEY[key].header
            return Problem(
                row.number,
                key,
                "item_conflict",
                f"事项 {draft.code} 的{header}与第 {draft.first_row} 行不一致（同一事项各行应相同，或只在第一行填写）",
            )
    return None


def _check_item(draft: ItemDraft) -> list[Problem]:
    problems: list[Problem] = []
    first = draft.rows[0].number if draft.rows else draft.first_row
    for key in ("violation", "legal_basis"):
        if not getattr(draft, key):
            header = BY_KEY[key].header
            problems.append(Problem(first, key, "required", f"事项 {draft.code} 没有填写{header}"))
    missing = [r for r in draft.rows if r.grade is None]
    if missing:
        derived = midpoint_grades([r.fine for r in draft.rows])
        for row, grade in zip(draft.rows, derived, strict=True):
            if row.grade is not None:
                continue
            if grade is None:
                problems.append(Problem(row.number, "grade", "grade_required", "没有罚款的情形请填写裁量阶次"))
            else:
                row.grade = grade
        counts = "、".join(
            f"{Grade(g).label} {sum(1 for r in missing if r.grade == g)} 条"
            for g in Grade.values
            if any(r.grade == g for r in missing)
        )
        if counts:
            problems.append(
                Problem(
                    missing[0].number,
                    "grade",
                    "grade_derived",
                    f"事项 {draft.code} 有 {len(missing)} 行未填写裁量阶次，已{RULE_SOURCE}：{counts}；请核对",
                    level="warning",
                )
            )
    return problems


# --- writing -------------------------------------------------------------------------------------------------


def rule_cells(item: Any, rule: Any) -> dict[str, str]:
    """One rule of a stored item as a row of the spreadsheet (for exports, which re-import unchanged)."""
    return {
        "事项编码": item.code,
        "违法行为": item.violation,
        "违反条款": item.provision,
        "处罚依据": item.legal_basis,
        "情形": format_conditions(rule.conditions),
        "情形说明": rule.description,
        "裁量阶次": str(Grade(rule.grade).label),
        "处罚种类": kind_labels(rule.penalty_kinds),
        "罚款": rule.penalty_text,
        "备注": item.note,
        "来源": rule.source,
    }


TEMPLATE_ROWS: list[dict[str, str]] = [
    {
        "事项编码": "示例-1",
        "违法行为": "未按照规定对所排放的水污染物自行监测，或者未保存原始监测记录（示例，导入前请删除）",
        "违反条款": "《中华人民共和国水污染防治法》第二十三条第一款",
        "处罚依据": "《中华人民共和国水污染防治法》第八十二条第一项：……处二万元以上二十万元以下的罚款……",
        "情形": "违法程度：未保存原始监测记录；排污单位类型：登记管理",
        "裁量阶次": "从轻处罚",
        "处罚种类": "罚款",
        "罚款": "2万元以上4万元以下",
    },
    {
        "事项编码": "示例-1",
        "情形": "违法程度：未按照规定对所排放的水污染物自行监测；排污单位类型：重点管理",
        "裁量阶次": "从重处罚",
        "罚款": "16万元以上20万元以下",
    },
    {
        "事项编码": "示例-1",
        "情形": "违法程度：造成重大生态环境影响或者不良社会影响的",
        "裁量阶次": "从重处罚",
        "罚款": "20万元",
    },
    {
        "事项编码": "示例-2",
        "违法行为": "技术机构向建设单位收取费用（示例，导入前请删除）",
        "处罚依据": "《建设项目环境保护管理条例》第二十四条：……处所收费用1倍以上3倍以下的罚款",
        "情形": "不予处罚情节：不符合；近一年同类违法行为情况：无同类违法行为；整改情况：限期内改正",
        "罚款": "所收费用1倍以上1.5倍以下",
    },
    {
        "事项编码": "示例-2",
        "情形": "不予处罚情节：不符合；近一年同类违法行为情况：有同类违法行为；整改情况：逾期未改正",
        "罚款": "所收费用3倍",
    },
    {
        "事项编码": "示例-2",
        "情形": "不予处罚情节：符合",
        "情形说明": "首次违法且在责令改正期限内改正，危害后果轻微（行政处罚法第三十三条第一款）",
        "裁量阶次": "不予处罚",
    },
]


def write_csv(rows: Iterable[dict[str, str]]) -> bytes:
    """The rows under the Chinese headers, as CSV in UTF-8 with a BOM (Excel and WPS open it as it is)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({h: spreadsheet_safe(v) for h, v in row.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(rows: Iterable[dict[str, str]], *, title: str = "裁量基准") -> bytes:
    """The rows under the Chinese headers as an Excel workbook, with a second sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook always has its first sheet
    sheet.title = title[:31]
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([spreadsheet_safe(row.get(h, "")) for h in HEADERS])
    widths = {"事项编码": 12, "违法行为": 40, "违反条款": 30, "处罚依据": 40, "情形": 50, "罚款": 24}
    for index, header in enumerate(HEADERS, 1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = widths.get(header, 14)
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("填写说明")
    guide.append(["列", "必填", "说明"])
    for column in COLUMNS:
        guide.append([column.header, "是" if column.required else "", column.help])
    guide.column_dimensions["C"].width = 90
    for row_cells in guide.iter_rows(min_row=2):
        row_cells[2].alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

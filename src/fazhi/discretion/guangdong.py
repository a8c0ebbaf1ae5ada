"""The Guangdong environmental fine discretion table (粤环发〔2021〕7号 附件1) in its extracted-tables form, turned into
rows of fazhi's benchmark spreadsheet — so that it is imported through the same service as any spreadsheet.

Input: the ``*.tables.json`` extraction of the PDF (a list of ``{"page", "table_index", "rows"}``, cells ``None`` where
a cell is merged, line breaks inside cells). A benchmark entry starts with a ``违反条款`` row, then ``处罚依据``, then a
header row ``违法行为 | <factor columns…> | 罚款`` and the data rows, then possibly ``备注``; one entry may run over
several pages. The table uses two modes (第六条): the **range mode** (幅度罚款模式: circumstances → a fine range) maps
onto fazhi's rule rows and is converted; the **weighted mode** (权重累加模式: a starting percentage plus a weight per
factor level, times the statutory maximum) is not a rule table and is listed as skipped, as are entries that fine the
unit and the persons responsible in separate columns.

Reading the merged cells: an empty cell under a column whose left neighbour is new in the same row is merged
*across* (the factor does not apply: a wildcard); otherwise it is merged *down* (same value as the row above). A row
cut in two by a page break (``3万元以上5万元`` | ``以下``) is joined again when only the joined text reads as a fine.
Codes are ``P<page>-<table>`` of the entry's first table (``-2``, ``-3`` … when one entry holds several violations), so
every imported row can be found in the PDF; the 来源 column names the page of each row.

With the no-penalty list (附件2, 不予行政处罚的轻微违法行为目录) an entry whose 违法行为 is listed gets a 不予处罚 row
under the factor ``不予处罚情节`` (and its other rows the answer ``不符合``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .fines import FineFormatError, parse_fine

NO_PENALTY_FACTOR = "不予处罚情节"
NOT_ELIGIBLE = "不符合"
FINE_HEADERS = ("罚款", "罚款金额", "处罚标准")
NOT_APPLICABLE = frozenset({"/", "／", "—", "——"})


@dataclass
class Skipped:
    page: int
    table: int
    violation: str
    reason: str


@dataclass
class Conversion:
    rows: list[dict[str, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    entries: int = 0
    no_penalty_matched: int = 0

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(r["事项编码"] for r in self.rows))


def _clean(cell: Any) -> str:
    return "" if cell is None else str(cell).replace("\n", "").strip()


def _entries(tables: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    entries: list[list[dict[str, Any]]] = []
    for table in tables:
        rows = table.get("rows") or []
        if rows and rows[0] and _clean(rows[0][0]) == "违反条款":
            entries.append([table])
        elif entries:
            entries[-1].append(table)
    return entries


def _reads_as_fine(text: str) -> bool:
    try:
        parse_fine(text)
    except FineFormatError:
        return False
    return True


@dataclass
class _Row:
    page: int
    table: int
    cells: list[Any]


def _rows_of(entry: list[dict[str, Any]]) -> list[_Row]:
    """All rows of an entry in order, with what a page break cut in two joined again: a long violation text that
    runs on at the top of the next page (its factor cells are ``""``, merged from the page before), and a row whose
    fine was cut (``3万元以上5万元`` | ``以下``)."""
    rows: list[_Row] = []
    for position, table in enumerate(entry):
        for index, cells in enumerate(table.get("rows") or []):
            cells = list(cells)
            if position and index == 0 and rows:
                if _clean(cells[0]) and "" in cells[1:-1] and _is_data(rows[-1]):
                    origin = next((r for r in reversed(rows) if _clean(r.cells[0])), None)
                    if origin is not None and _is_data(origin):
                        origin.cells[0] = _clean(origin.cells[0]) + _clean(cells[0])
                        cells[0] = ""
                if not any(_clean(c) for c in cells):
                    continue
                if _clean(cells[0]) == "" and _is_data(rows[-1]) and _continues(rows[-1].cells, cells):
                    previous = rows[-1].cells
                    for j, cell in enumerate(cells[: len(previous)]):
                        if _clean(cell):
                            previous[j] = _clean(previous[j]) + _clean(cell)
                    continue
            rows.append(_Row(table["page"], table["table_index"], cells))
    return rows


def _is_data(row: _Row) -> bool:
    return _clean(row.cells[0]) not in ("违反条款", "处罚依据", "违法行为", "备注") and len(row.cells) > 2


def _continues(previous: list[Any], cells: list[Any]) -> bool:
    """Whether the first row of a page is the rest of the last row of the page before."""
    before, after = _clean(previous[-1]), _clean(cells[-1])
    if not after:  # no fine of its own: the rest of some cell of the row above
        return any(_clean(c) for c in cells[1:-1])
    return bool(before) and not _reads_as_fine(before) and _reads_as_fine(before + after)


def _skip(entry: list[dict[str, Any]], violation: str, reason: str) -> Skipped:
    return Skipped(entry[0]["page"], entry[0]["table_index"] + 1, violation[:80], reason)


def convert(tables: list[dict[str, Any]], no_penalty: list[dict[str, Any]] | None = None) -> Conversion:
    """The spreadsheet rows of every range-mode entry, and why each other entry was skipped."""
    result = Conversion()
    listed = _no_penalty_entries(no_penalty or [])
    for entry in _entries(tables):
        result.entries += 1
        _convert_entry(entry, result, listed)
    return result


def _convert_entry(entry: list[dict[str, Any]], result: Conversion, listed: dict[str, tuple[str, str]]) -> None:
    rows = _rows_of(entry)
    provision = basis = note = ""
    header: list[str] | None = None
    data: list[_Row] = []
    for row in rows:
        first = _clean(row.cells[0]) if row.cells else ""
        second = _clean(row.cells[1]) if len(row.cells) > 1 else ""
        if header is None:
            if first == "违反条款":
                provision = second
            elif first == "处罚依据":
                basis = second
            elif first == "" and second:  # the 处罚依据 (or 违反条款) text running on at the top of the next page
                if basis:
                    basis += second
                else:
                    provision += second
            elif first == "违法行为":
                header = [_clean(c) for c in row.cells]
        elif first == "备注":
            note = "".join(_clean(c) for c in row.cells[1:])
        elif first != "违法行为":  # a header repeated on the next page
            data.append(row)
    violation = next((_clean(r.cells[0]) for r in data if _clean(r.cells[0])), "")
    if header is None or not data:
        result.skipped.append(_skip(entry, violation, "没有表头或数据行"))
        return
    if any("权重" in h or "裁量要素" in h for h in header) or any(
        _clean(r.cells[0]) == "裁量起点" or _clean(r.cells[-1]).endswith("%") for r in data
    ):
        result.skipped.append(
            _skip(entry, violation, "权重累加模式（裁量百分值之和乘以最高罚款额），不是情形对应罚款的规则表")
        )
        return
    if header[-1] not in FINE_HEADERS or any("罚款" in h for h in header[1:-1]):
        result.skipped.append(_skip(entry, violation, "对单位和对个人分列罚款（每行有两个罚款数额）"))
        return
    merged = [j for j, h in enumerate(header) if j and not h]  # a header cell spanning two columns
    if merged:
        width = len(header)
        header = [h for j, h in enumerate(header) if j not in merged]
        for row in data:
            if len(row.cells) == width:
                row.cells = [c for j, c in enumerate(row.cells) if j not in merged]
    factors = header[1:-1]
    _emit_rows(entry, header, factors, data, provision, basis, note, result, listed)


def _emit_rows(
    entry: list[dict[str, Any]],
    header: list[str],
    factors: list[str],
    data: list[_Row],
    provision: str,
    basis: str,
    note: str,
    result: Conversion,
    listed: dict[str, tuple[str, str]],
) -> None:
    width = len(header)
    base_code = f"P{entry[0]['page']:03d}-{entry[0]['table_index'] + 1}"
    violations: list[str] = []
    current: list[str | None] = [None] * width
    out: list[tuple[str, dict[str, str]]] = []
    for row in data:
        cells = [_clean(c) for c in row.cells]
        if len(cells) < width:  # a continuation table with fewer columns: the first factors, then wildcards
            cells = [*cells[:-1], *[""] * (width - len(cells)), cells[-1]]
        cells = cells[:width]
        changed_left = False
        for j in range(width - 1):
            if cells[j] in NOT_APPLICABLE:
                current[j] = ""  # “/”: the factor does not apply to this row
                changed_left = True
            elif cells[j]:
                current[j] = cells[j]
                changed_left = True
                for k in range(j + 1, width - 1):
                    current[k] = None if not cells[k] else current[k]
            elif changed_left:
                current[j] = ""  # merged across: the factor does not apply to this row
        violation = current[0] or ""
        if violation not in violations:
            violations.append(violation)
        conditions = [
            f"{name}：{value.replace('；', '，').replace(';', '，')}"
            for name, value in zip(factors, current[1 : width - 1], strict=True)
            if value
        ]
        out.append(
            (
                violation,
                {
                    "违法行为": violation,
                    "违反条款": provision,
                    "处罚依据": basis,
                    "情形": "；".join(conditions) or "一般情形",
                    "罚款": cells[-1],
                    "备注": note,
                    "来源": f"粤环发〔2021〕7号附件1第{row.page}页",
                },
            )
        )
    for n, violation in enumerate(violations, 1):
        code = base_code if len(violations) == 1 else f"{base_code}-{n}"
        rows = [dict(cells, 事项编码=code) for v, cells in out if v == violation]
        eligible = listed.get(_key(violation))
        if eligible is not None:
            result.no_penalty_matched += 1
            rows = _with_no_penalty(rows, code, *eligible)
        result.rows.extend(rows)


def _with_no_penalty(rows: list[dict[str, str]], code: str, number: str, circumstances: str) -> list[dict[str, str]]:
    option = f"符合《不予行政处罚的轻微违法行为目录》第{number}项"
    first = dict(rows[0])
    no_penalty = {
        "事项编码": code,
        "违法行为": first["违法行为"],
        "违反条款": first["违反条款"],
        "处罚依据": first["处罚依据"],
        "情形": f"{NO_PENALTY_FACTOR}：{option}",
        "情形说明": circumstances,
        "裁量阶次": "不予处罚",
        "备注": first["备注"],
        "来源": f"粤环发〔2021〕7号附件2第{number}项",
    }
    others = [dict(r, 情形=f"{NO_PENALTY_FACTOR}：{NOT_ELIGIBLE}；{r['情形']}") for r in rows]
    return [no_penalty, *others]


_KEY = re.compile(r"[\s，,。；;、（）()《》“”\"]+")


def _key(violation: str) -> str:
    return _KEY.sub("", violation)


def _no_penalty_entries(tables: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """违法行为 (folded) → (序号, 不予处罚的情节) of the no-penalty list; a row cut by a page break is joined again."""
    found: dict[str, list[str]] = {}
    last: list[str] | None = None
    for table in tables:
        for cells in table.get("rows") or []:
            texts = [_clean(c) for c in cells]
            if len(texts) < 5 or texts[0] in ("序号", "备注"):
                continue
            if not texts[0] and not texts[2] and last is not None:
                last[1] += texts[4]
                continue
            if texts[0].isdigit() and texts[2]:
                last = [texts[0], texts[4]]
                found[_key(texts[2])] = last
    return {k: (v[0], v[1]) for k, v in found.items()}


def load(path: str | Path) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, list):
        raise ValueError("不是提取出的表格列表（应为 [{page, table_index, rows}, …]）")
    return data


def convert_files(table_path: str | Path, no_penalty_path: str | Path | None = None) -> Conversion:
    return convert(load(table_path), load(no_penalty_path) if no_penalty_path else None)


def skipped_summary(skipped: Iterable[Skipped]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in skipped:
        counts[s.reason] = counts.get(s.reason, 0) + 1
    return counts

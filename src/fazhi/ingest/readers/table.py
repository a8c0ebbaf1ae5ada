"""The shape every reader returns: a ``Table`` of ``Row``s, whatever the file format.

The grid formats (CSV and XLSX) share one piece of logic here: find the header row (skipping blank lines and a
merged title line above it), give every column a unique key, then turn each later non-blank record into a
``Row`` whose ``number`` is the record's real line/row number in the file, so an error report can send a person
straight to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, ClassVar

from .errors import UnusableFile
from .source import Source

# How many non-blank records to look at when finding the header under title lines.
_HEADER_LOOKAHEAD = 10
# A header with one cell that reads like prose means the file is a document, not a table.
_PROSE_LENGTH = 100


@dataclass(slots=True)
class Row:
    """One record of the file.

    ``number``: where it is — for CSV the physical line on which the record starts (a quoted cell with line
    breaks makes one record span several lines; the next record's number then jumps accordingly), for XLSX the
    worksheet row, for JSON the 1-based position of the record in the list. In every grid file the header is line
    (row) 1 unless title or blank lines come before it; numbering never skips or renumbers blank rows.
    ``values``: header -> cell text; None when the cell is empty or missing. ``raw``: the cells as the format gave
    them (all of them, including those beyond the header). ``problems``: Chinese descriptions of what is wrong with
    this record as read (undecodable bytes, NUL characters, cell count differs from the header...); a caller should
    reject a row that has any.
    """

    number: int
    values: dict[str, str | None]
    raw: list[Any]
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RawRecord:
    """A record as a grid reader produces it, before it is matched to the header."""

    number: int
    cells: list[Any]
    problems: list[str]
    last_line: int = 0
    raw: list[Any] | None = None


class Table:
    """A file opened for reading as a table. Use as a context manager, or call ``close()``.

    ``format``: "csv", "xlsx" or "json". ``encoding``: the detected text encoding (CSV and JSON; None for XLSX).
    ``headers``: the column headers as found — verbatim, except that an empty header becomes ``第N列`` and a header
    that repeats an earlier one gets ``（第N列）`` appended, so that every header is a unique key of ``Row.values``
    (both cases are also warnings). ``warnings``: Chinese notes about the whole file; readers add to it while
    ``rows()`` runs too (e.g. an XLSX column of long numbers found further down), so read it again afterwards.
    ``rows()`` streams the records from the start of the file each time it is called; starting a new iteration
    ends the previous one.
    """

    format: ClassVar[str] = ""
    record_word: ClassVar[str] = "行"

    def __init__(self, source: Source, *, warnings: list[str] | None = None) -> None:
        self.source = source
        self.filename = source.filename
        self.encoding: str | None = None
        self.headers: list[str] = []
        self.warnings: list[str] = list(warnings or [])
        self._generation = 0
        self._closed = False

    def rows(self) -> Iterator[Row]:
        """Every non-blank record after the header, in file order, with bounded memory."""
        if self._closed:
            raise ValueError("table is closed")
        self._generation += 1
        return self._iterate(self._generation)

    def locate(self, number: int) -> str:
        """Where row ``number`` is, in words for a message: "第 12 行" or, for JSON, "第 12 条记录"."""
        return f"第 {number} {self.record_word}"

    def close(self) -> None:
        """Release the file (a caller's own file object is left open)."""
        self._closed = True
        self.source.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _iterate(self, generation: int) -> Iterator[Row]:
        raise NotImplementedError

    def _check_current(self, generation: int) -> None:
        if generation != self._generation or self._closed:
            raise RuntimeError("rows() was called again (or the table closed) while an earlier iteration was running")


class GridTable(Table):
    """A table whose records are lists of cells under a header record (CSV, XLSX)."""

    #: whether a record with fewer cells than the header is a problem (CSV: yes; XLSX omits empty cells: no)
    short_rows_are_problems: ClassVar[bool] = True

    def __init__(self, source: Source, *, warnings: list[str] | None = None) -> None:
        super().__init__(source, warnings=warnings)
        self.header_number = 0

    # -- for subclasses ---------------------------------------------------------------------------------------
    def _records(self) -> Iterator[RawRecord]:
        """Every record of the file from its start, blank ones included, cells already converted to text."""
        raise NotImplementedError

    def _probe(self, record: RawRecord) -> None:
        """Look at one of the first data records while opening, to warn early (CSV: Excel-mangled long numbers)."""

    # -- shared logic -----------------------------------------------------------------------------------------
    def _prepare(self) -> None:
        """Find the header and make sure at least one data record follows it; raise UnusableFile otherwise."""
        records = self._records()
        try:
            lookahead: list[RawRecord] = []
            for record in records:
                if not _is_blank(record.cells):
                    lookahead.append(record)
                    if len(lookahead) >= _HEADER_LOOKAHEAD:
                        break
            if not lookahead:
                raise UnusableFile("文件中没有任何内容（只有空行）", reason="empty")
            header_at = _header_position(lookahead)
            for title in lookahead[:header_at]:
                text = "，".join(str(c).strip() for c in title.cells if c is not None and str(c).strip())
                self.warnings.append(f"已跳过表头之前的标题行：第 {title.number} 行「{_clip(text, 60)}」")
            header = lookahead[header_at]
            self.header_number = header.number
            self._set_headers(header)
            data = lookahead[header_at + 1 :]
            if not data:
                for record in records:
                    if not _is_blank(record.cells):
                        data.append(record)
                        break
            if not data:
                raise UnusableFile(f"文件只有表头（第 {header.number} 行），没有数据行", reason="header_only")
            self._reject_prose(header, data)
            for record in data[:5]:
                self._probe(record)
        finally:
            close = getattr(records, "close", None)
            if close is not None:
                close()

    def _set_headers(self, header: RawRecord) -> None:
        cells = ["" if c is None else str(c) for c in header.cells]
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells:
            raise UnusableFile("表头为空", reason="not_table")
        for problem in header.problems:
            self.warnings.append(f"表头（第 {header.number} 行）{problem}")
        seen: set[str] = set()
        headers: list[str] = []
        empty_columns: list[int] = []
        for position, text in enumerate(cells, 1):
            if not text.strip():
                key = f"第{position}列"
                empty_columns.append(position)
            elif text in seen:
                key = f"{text}（第{position}列）"
                self.warnings.append(f"表头「{_clip(text, 40)}」重复出现，第 {position} 列的数据以「{key}」为名读取")
            else:
                key = text
            while key in seen:
                key += "'"
            seen.add(key)
            headers.append(key)
        if empty_columns:
            shown = "、".join(str(n) for n in empty_columns[:10])
            self.warnings.append(f"第 {shown} 列没有表头，这些列以「第N列」为名读取")
        self.headers = headers

    def _reject_prose(self, header: RawRecord, data: list[RawRecord]) -> None:
        """Refuse a document (paragraphs of text) read as if it were a table.

        Signs: a sentence (``。``) in the header; or most of the first records do not fit the header (CSV: another
        number of cells; XLSX: at most one filled cell) and they hold sentences or very long texts.
        """
        width = len(self.headers)
        if self.short_rows_are_problems:
            misfits = [r for r in data if len(r.cells) < width or _nonempty(r.cells[width:])]
        else:
            misfits = [r for r in data if _nonempty(r.cells) <= 1]
        if width == 1:
            misfits = data
        sentences = any(
            "。" in str(c) or len(str(c)) > _PROSE_LENGTH for r in misfits for c in r.cells if c is not None
        )
        shown = _clip(str(header.cells[0]), 30)
        if any("。" in str(c) for c in header.cells if c is not None):
            reason = f"第 {header.number} 行「{shown}」是句子，不像表头"
        elif sentences and len(misfits) * 2 > len(data):
            reason = f"第 {header.number} 行「{shown}」之后的大多数行是成段文字，列数与表头对不上"
        else:
            return
        raise UnusableFile(
            f"{reason}：文件看起来是一篇文字，不是表格（表格应每行一条记录，各列用逗号、制表符或分号分隔）",
            reason="not_table",
        )

    def _iterate(self, generation: int) -> Iterator[Row]:
        headers = self.headers
        width = len(headers)
        header_number = self.header_number
        short_is_problem = self.short_rows_are_problems
        for record in self._records():
            if generation != self._generation or self._closed:
                self._check_current(generation)
            if record.number <= header_number:
                continue
            cells = record.cells
            problems = record.problems
            if not problems:
                for cell in cells:  # blank unless some cell has more than whitespace (inlined: this is the hot loop)
                    if cell and not (cell.__class__ is str and cell.isspace()):
                        break
                else:
                    continue
            if not cells:  # a record that could not be parsed at all: report it, never drop it
                yield Row(record.number, dict.fromkeys(headers), cells, problems)
                continue
            count = len(cells)
            if count == width:
                values = dict(zip(headers, [c or None for c in cells], strict=True))
            else:
                values = dict(zip(headers, [c or None for c in cells[:width]], strict=False))
                if count < width:
                    for name in headers[count:]:
                        values[name] = None
                    if short_is_problem:
                        problems.append(
                            f"{_span(record)}只有 {count} 个单元格，表头有 {width} 列；缺少的列按空值处理"
                            "（可能是分隔符、引号或换行有误，请核对该行）"
                        )
                else:
                    extra = [str(c) for c in cells[width:] if c is not None and str(c).strip()]
                    if extra:
                        shown = "、".join(f"「{_clip(v, 20)}」" for v in extra[:3])
                        problems.append(
                            f"{_span(record)}有 {count} 个单元格，比表头（{width} 列）多，多出的值没有对应的表头："
                            f"{shown}{'等' if len(extra) > 3 else ''}（可能是值中含有未加引号的分隔符）"
                        )
            yield Row(record.number, values, cells if record.raw is None else record.raw, problems)


def _is_blank(cells: list[Any]) -> bool:
    for cell in cells:
        if cell is not None and cell != "" and not (isinstance(cell, str) and cell.isspace()):
            return False
    return True


def _nonempty(cells: list[Any]) -> int:
    return sum(1 for c in cells if c is not None and str(c).strip())


def _header_position(lookahead: list[RawRecord]) -> int:
    """Index of the header in the first non-blank records: skip leading one-cell title lines above a wider table."""
    widest = max(_nonempty(r.cells) for r in lookahead)
    if widest < 3:
        return 0
    position = 0
    while position < len(lookahead) - 1 and _nonempty(lookahead[position].cells) <= 1:
        position += 1
    return position


def _span(record: RawRecord) -> str:
    if record.last_line > record.number:
        return f"该记录（第 {record.number}–{record.last_line} 行）"
    return "该行"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"

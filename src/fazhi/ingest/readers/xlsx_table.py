"""XLSX worksheets, streamed row by row with openpyxl's read-only mode (values only, cached formula results).

Excel types become text the way a person reads them in Excel: a date is ``2023-05-01``, a date with a time is
``2023-05-01T10:30:00``, a whole number is ``123`` (not ``123.0``), a fraction keeps at most the 15 significant
digits Excel itself keeps (``0.2``, not ``0.20000000000000001``), and a long number is written out in full, never
as ``1.1E+17``. A code or ID number stored as a number with more than 15 digits cannot be trusted (Excel keeps
15 significant digits and turns the rest into zeros): that column gets a warning naming it and a row.

Memory: rows are streamed, but openpyxl keeps the workbook's shared-strings table in memory, so a huge XLSX of
unique texts costs more than the same data as CSV.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings as warnings_module
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from .errors import UnusableFile
from .source import Source
from .table import GridTable, RawRecord

EXCEL_DIGITS = 15
_SAVE_AS = "请在 Excel 或 WPS 中打开后重新“另存为” .xlsx，或另存为 CSV UTF-8 后上传"


class XlsxTable(GridTable):
    """One worksheet of an XLSX workbook: the one named ``sheet``, else the first visible one."""

    format = "xlsx"
    short_rows_are_problems = False  # Excel does not store empty cells, so short rows are normal

    def __init__(self, source: Source, *, warnings: list[str] | None = None, sheet: str | None = None) -> None:
        super().__init__(source, warnings=warnings)
        self._flagged_columns: set[int] = set()
        self._early_long_numbers: list[tuple[int, int, str, bool]] = []
        try:
            import openpyxl
        except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
            raise UnusableFile("服务器未安装 openpyxl，暂时无法读取 XLSX；请改为上传 CSV", reason="xlsx") from exc
        try:
            with warnings_module.catch_warnings():
                warnings_module.simplefilter("ignore")  # "no default style", unsupported extensions: noise here
                self._book = openpyxl.load_workbook(source.file, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:
            raise UnusableFile(
                f"无法读取 Excel 文件：文件已损坏或不是有效的 .xlsx（{type(exc).__name__}）；{_SAVE_AS}",
                reason="xlsx",
            ) from exc
        try:
            self._sheet = self._choose_sheet(sheet)
            self.sheet_name: str = self._sheet.title
            try:
                self._prepare()
                for column, number, text, exact in self._early_long_numbers:
                    if number > self.header_number:
                        self._long_number(column, number, text, exact=exact)
            except UnusableFile as exc:
                if exc.reason in ("empty", "header_only") and len(self._book.sheetnames) > 1:
                    raise UnusableFile(
                        f"工作表「{self.sheet_name}」：{exc.message}；工作簿中的工作表有："
                        f"{'、'.join(self._book.sheetnames)}，可指定要读取的工作表",
                        reason=exc.reason,
                    ) from exc
                raise
        except BaseException:
            self._book.close()
            raise

    def close(self) -> None:
        self._book.close()
        super().close()

    def _choose_sheet(self, sheet: str | None) -> Any:
        book = self._book
        if sheet is not None:
            if sheet not in book.sheetnames or not hasattr(book[sheet], "iter_rows"):
                raise UnusableFile(
                    f"工作簿中没有名为「{sheet}」的工作表；现有工作表：{'、'.join(book.sheetnames)}", reason="sheet"
                )
            chosen = book[sheet]
        else:
            sheets = [ws for ws in book.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
            sheets = sheets or list(book.worksheets)
            if not sheets:
                raise UnusableFile("Excel 工作簿中没有工作表", reason="empty")
            chosen = sheets[0]
            if len(sheets) > 1:
                others = "、".join(f"「{ws.title}」" for ws in sheets[1:6])
                self.warnings.append(
                    f"工作簿有 {len(sheets)} 个工作表，只读取了第一个「{chosen.title}」；{others}"
                    f"{'等' if len(sheets) > 6 else ''}未读取，如需导入请指定工作表或另存为单独的文件"
                )
        chosen.reset_dimensions()  # trust the cells, not the (often wrong) stored sheet size
        return chosen

    def _records(self) -> Iterator[RawRecord]:
        number = 0
        try:
            for number, values in enumerate(self._sheet.iter_rows(values_only=True), 1):
                raw = list(values)
                cells = [self._text(value, column, number) for column, value in enumerate(raw, 1)]
                yield RawRecord(number, cells, [], number, raw)
        except UnusableFile:
            raise
        except Exception as exc:
            raise UnusableFile(
                f"读取 Excel 第 {number + 1} 行时出错，文件可能已损坏（{type(exc).__name__}）；{_SAVE_AS}",
                reason="xlsx",
            ) from exc

    def _text(self, value: Any, column: int, number: int) -> str | None:
        kind = type(value)
        if value is None:
            return None
        if kind is str:
            return value or None
        if kind is int:
            text = str(value)
            if len(text.lstrip("-")) > EXCEL_DIGITS:
                self._long_number(column, number, text, exact=True)
            return text
        if kind is float:
            return self._float_text(value, column, number)
        return cell_text(value)

    def _float_text(self, value: float, column: int, number: int) -> str:
        if not math.isfinite(value):
            return str(value)
        text = format(Decimal(format(value, f".{EXCEL_DIGITS}g")), "f")
        if len(text.split(".")[0].lstrip("-")) > EXCEL_DIGITS:
            self._long_number(column, number, text, exact=False)
        return text

    def _long_number(self, column: int, number: int, text: str, *, exact: bool) -> None:
        if column in self._flagged_columns:
            return
        if not self.headers:  # still looking for the header: report once its names are known
            self._early_long_numbers.append((column, number, text, exact))
            return
        self._flagged_columns.add(column)
        from openpyxl.utils import get_column_letter

        name = self.headers[column - 1] if column <= len(self.headers) else ""
        where = f"「{name}」列（{get_column_letter(column)} 列）" if name else f"{get_column_letter(column)} 列"
        if exact:
            detail = (
                f"超过 {EXCEL_DIGITS} 位（如第 {number} 行的 {text}）；"
                "这个文件里的值完整，但在 Excel 中打开再保存就会丢失末几位"
            )
        else:
            detail = (
                f"超过 {EXCEL_DIGITS} 位（如第 {number} 行读出 {text}）；"
                f"Excel 只保留 {EXCEL_DIGITS} 位有效数字，末几位可能已变成 0"
            )
        self.warnings.append(f"{where}以数字格式保存，{detail}。证件号码、代码类的列请设为“文本”格式后重新导出")


def cell_text(value: Any) -> str | None:
    """Text of an Excel value other than str/int/float: dates as ISO 8601, booleans as Excel shows them."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if not (value.hour or value.minute or value.second or value.microsecond):
            return value.date().isoformat()
        return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
        return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return str(value)

"""Reading 双公示 data files — CSV, XLSX, JSON — as a stream of rows, with bounded memory and Chinese messages.

One entry point for the command, the upload page and the API::

    with open_table(path_or_uploaded_file, filename="处罚.csv") as table:
        match = match_headers(table.headers, catalogue)
        for row in table.rows():          # Row(number, values, raw, problems)
            ...
        table.warnings                    # file-level notes (read again after rows(): some are found on the way)

The format is decided by content (an XLSX is a ZIP with ``xl/workbook.xml``; JSON starts with ``[{`` or ``{"``;
other text is CSV), with the file name only as a hint. A file that cannot be used at all raises ``UnusableFile``
(from ``open_table``, and in rare cases of a file broken far from its start, from ``rows()``); anything wrong
with one record is in that ``Row.problems`` and never stops the rest.
"""

from __future__ import annotations

from typing import Any

from .errors import UnusableFile
from .headers import HeaderMatch, catalogue_conflicts, match_headers, normalise_header
from .source import PathOrFile, Source
from .table import Row, Table

__all__ = [
    "HeaderMatch",
    "Row",
    "Table",
    "UnusableFile",
    "catalogue_conflicts",
    "match_headers",
    "normalise_header",
    "open_table",
]


def open_table(path_or_file: PathOrFile | Any, *, filename: str | None = None, sheet: str | None = None) -> Table:
    """Open a data file for reading as a table.

    ``path_or_file``: a path, or a binary file object (e.g. a Django ``UploadedFile``; read from its start, left
    open on ``close()``; a non-seekable stream is first copied to a temporary file). ``filename``: the original
    name, used as a format hint and in messages (defaults to the path's or the object's name). ``sheet``: the
    XLSX worksheet to read (default: the first visible one; ignored, with a warning, for other formats).

    Returns a ``Table`` whose header has been found and which is known to have at least one data record; raises
    ``UnusableFile`` with a Chinese message otherwise.
    """
    from .csv_table import CsvTable
    from .json_table import JsonTable
    from .sniff import sniff_format
    from .xlsx_table import XlsxTable

    source = Source.open(path_or_file, filename)
    try:
        kind, warnings = sniff_format(source)
        if sheet is not None and kind != "xlsx":
            warnings.append(f"指定的工作表「{sheet}」只对 Excel 文件有效，已忽略")
        if kind == "xlsx":
            return XlsxTable(source, warnings=warnings, sheet=sheet)
        if kind == "json":
            return JsonTable(source, warnings=warnings)
        return CsvTable(source, warnings=warnings)
    except OSError as exc:
        source.close()
        raise UnusableFile(f"读取文件时出错：{exc.strerror or exc}", reason="io") from exc
    except BaseException:
        source.close()
        raise

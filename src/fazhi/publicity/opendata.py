"""Open data: everything public now, as CSV (UTF-8 with BOM, Chinese headers) or JSON, streamed in chunks.

One implementation for the download endpoints and ``fazhi publicity export``; rows come from the publication layer,
so they are masked exactly like the pages.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from fazhi.core.security import spreadsheet_safe

from .fields import catalogue
from .public import public_licences, public_penalties, public_view

_SKIP = {"legal_rep_id_type", "legal_rep_id_number", "early_repair", "legacy_status", "division_code", "kinds_2"}


def rows(kind: str) -> Iterator[dict[str, Any]]:
    qs = public_penalties() if kind == "penalty" else public_licences()
    for record in qs.order_by("pk").iterator(chunk_size=2000):
        yield public_view(record)


def columns(kind: str) -> list[tuple[str, str]]:
    """(key, Chinese header) of the CSV: the standard's fields minus what is never published."""
    return [
        ("id", "记录编号"),
        *[(s.key, s.label) for s in catalogue(kind) if s.key not in _SKIP and not s.legacy],
        ("status", "状态"),
    ]


def cell(value: Any) -> str:
    """One CSV cell; text that a spreadsheet would run as a formula is neutralised (``core.security``)."""
    if isinstance(value, list):
        return spreadsheet_safe("、".join(str(v) for v in value))
    return "" if value is None else spreadsheet_safe(str(value))


def csv_chunks(kind: str) -> Iterator[str]:
    cols = columns(kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in cols])
    yield "\ufeff" + buffer.getvalue()
    for row in rows(kind):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([cell(row.get(key)) for key, _ in cols])
        yield buffer.getvalue()


def json_chunks(kind: str) -> Iterator[str]:
    yield "["
    for i, row in enumerate(rows(kind)):
        yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
    yield "]"

"""Strict parsing of user input shared by the API and the calculator page (Chinese messages)."""

from __future__ import annotations

import re
from datetime import date

from fazhi.core.errors import ErrorList

from .calendar import FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR
from .choices import TimeUnit

MAX_DAYS = 3650
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT_RE = re.compile(r"^[+-]?\d{1,9}$")
UNIT_HINT = "working（工作日）、calendar（自然日）、month（月）或 year（年）"


def parse_date(value: object, label: str) -> date:
    """A ``YYYY-MM-DD`` date between 1990 and 2100, or ``ValueError`` with a Chinese message."""
    if isinstance(value, date):
        parsed = value
    else:
        text = str(value).strip()
        if not _DATE_RE.match(text):
            raise ValueError(f"{label}格式应为 YYYY-MM-DD，例如 2020-09-28")
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{label}“{text}”不是有效的日期") from None
    if not FIRST_SUPPORTED_YEAR <= parsed.year <= LAST_SUPPORTED_YEAR:
        raise ValueError(f"{label}应在{FIRST_SUPPORTED_YEAR}年至{LAST_SUPPORTED_YEAR}年之间")
    return parsed


def parse_days(value: object, label: str = "期限数值") -> int:
    """A whole number from 0 to 3650."""
    if isinstance(value, bool):
        raise ValueError(f"{label}应为 0 至 {MAX_DAYS} 之间的整数")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not _INT_RE.match(text):
            raise ValueError(f"{label}应为 0 至 {MAX_DAYS} 之间的整数")
        number = int(text)
    if not 0 <= number <= MAX_DAYS:
        raise ValueError(f"{label}应为 0 至 {MAX_DAYS} 之间的整数，收到 {number}")
    return number


def parse_unit(value: object) -> TimeUnit:
    text = str(value).strip().lower()
    if text not in TimeUnit.values:
        raise ValueError(f"期限单位应为 {UNIT_HINT}")
    return TimeUnit(text)


def blank_to_none(value: object) -> object:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def required_text(errors: ErrorList, field: str, value: str, label: str, max_length: int) -> str:
    """``value`` stripped; records ``请填写…`` or ``…不能超过N个字`` in ``errors``."""
    value = (value or "").strip()
    if not value:
        errors.add(field, "required", f"请填写{label}")
    elif len(value) > max_length:
        errors.add(field, "too_long", f"{label}不能超过{max_length}个字")
    return value

"""Dates as they arrive in 双公示 files and forms, and the two checks every record needs.

Real files carry 处罚决定日期 / 有效期自 / 有效期至 / 公示截止期 as ISO text (``2020-09-28``), slashes
(``2020/9/28``, the form the 双公示 standard's notes use), dots, ``20200928``, ``2020年9月28日``, Excel serial numbers
(``44102``) when a date cell was exported as a number, and ``datetime``/``date`` objects from openpyxl. All of them
map to :class:`datetime.date`; anything else raises :class:`fazhi.core.errors.ValidationFailed` with a coded
Chinese message that shows the expected form.

``2099-12-31`` in 有效期至 means 长期 (no expiry) — stated in the standard's field notes for ``XK_YXQZI``; see
:data:`LONG_TERM` and :func:`is_long_term`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from .errors import FieldError, ValidationFailed
from .identifiers import nfkc

LONG_TERM = date(2099, 12, 31)
"""有效期至 2099-12-31 means 长期 (the 双公示 standard's note on 有效期至)."""

_SHANGHAI = ZoneInfo("Asia/Shanghai")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 once Excel's phantom 1900-02-29 (serial 60) is skipped
# Serials accepted: 10000 (1927-05-18) to 2099-12-31, and 9999-12-31 (a common 长期 placeholder). Smaller numbers
# are far more likely a year ("2020") or a typo than a date, and Excel's own serials below 61 are off by one.
_EXCEL_FIRST = 10_000
_EXCEL_LAST = (LONG_TERM - _EXCEL_EPOCH).days
_EXCEL_FOREVER = (date(9999, 12, 31) - _EXCEL_EPOCH).days
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_TIME = r"(?:[T\s]*\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_YMD = re.compile(rf"(\d{{4}})\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})\s*日?{_TIME}", re.ASCII)
_COMPACT = re.compile(rf"(\d{{4}})(\d{{2}})(\d{{2}}){_TIME}", re.ASCII)
_SERIAL = re.compile(r"\d{1,7}(?:\.\d+)?", re.ASCII)
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_CN_YMD = re.compile(r"([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_DAY_FIRST = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{4}", re.ASCII)
_EXPECTED = "请写成 2020-09-28、2020/9/28 或 2020年9月28日 的形式"


def _fail(field_name: str, code: str, message: str) -> ValidationFailed:
    return ValidationFailed(FieldError(field_name, code, message))


def today_in_china() -> date:
    """Today's date in Asia/Shanghai (the legal day for every deadline and check here)."""
    return datetime.now(_SHANGHAI).date()


def _cn_small(text: str) -> int:
    """一..三十一 written with 十 (月/日 in 二〇二〇年九月二十八日)."""
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else -1
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return -1
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _make(year: int, month: int, day: int, shown: str, field_name: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        pass
    if not 1 <= month <= 12:
        detail = f"月份应为 1–12，实际为 {month}"
    elif not 1 <= year <= 9999:
        detail = f"年份 {year} 超出范围"
    else:
        detail = f"{year} 年 {month} 月没有 {day} 日"
    raise _fail(field_name, "date_invalid", f"日期“{shown}”不存在：{detail}")


def _from_serial(serial: Decimal | int | float, shown: str, field_name: str) -> date:
    whole = int(serial)
    if 1900 <= whole <= 2099 and whole == serial:
        raise _fail(field_name, "date_format", f"“{shown}”只有年份，缺少月和日；{_EXPECTED}")
    if not (_EXCEL_FIRST <= whole <= _EXCEL_LAST or whole == _EXCEL_FOREVER):
        raise _fail(
            field_name,
            "date_out_of_range",
            f"“{shown}”不是可识别的日期（若为 Excel 日期序号，应在 {_EXCEL_FIRST}–{_EXCEL_LAST} 之间）；{_EXPECTED}",
        )
    return _EXCEL_EPOCH + timedelta(days=whole)


def parse_date(raw: object, *, field_name: str = "date") -> date:
    """Read one date cell.

    Accepts: ``date`` (returned as is) and ``datetime`` (aware ones converted to Asia/Shanghai first, then the
    date part); text ``2020-09-28``, ``2020/9/28``, ``2020.09.28``, ``2020年9月28日``, ``二〇二〇年九月二十八日``,
    ``20200928``, each optionally followed by a time (``2020-09-28 00:00:00``), with full-width digits, spaces and
    zero-width characters tolerated; Excel serial numbers as ``int``/``float``/text (``44102`` → 2020-09-28; the
    fraction, a time of day, is dropped; accepted from 10000 = 1927-05-18 to 73050 = 2099-12-31, and
    2958465 = 9999-12-31; a bare year such as ``2020`` is rejected, not read as a serial); an 8-digit ``int`` such
    as ``20200928`` is read as YYYYMMDD, not as a serial.

    Rejects, with :class:`ValidationFailed`: empty values (``required``), dates that do not exist such as
    2020-02-30 (``date_invalid``), day-first or two-digit-year forms and other text (``date_format``), serials out
    of range (``date_out_of_range``) and other types (``date_type``).
    """
    if isinstance(raw, datetime):
        if raw.tzinfo is not None:
            raw = raw.astimezone(_SHANGHAI)
        return raw.date()
    if isinstance(raw, date):
        return raw
    if raw is None:
        raise _fail(field_name, "required", "请填写日期")
    if isinstance(raw, bool):
        raise _fail(field_name, "date_type", f"日期不能是布尔值；{_EXPECTED}")
    if isinstance(raw, int):
        if 10_000_000 <= raw <= 99_991_231:
            text = str(raw)
            return _make(int(text[:4]), int(text[4:6]), int(text[6:]), text, field_name)
        return _from_serial(raw, str(raw), field_name)
    if isinstance(raw, float | Decimal):
        if raw != raw or raw in (float("inf"), float("-inf")):  # NaN, infinities
            raise _fail(field_name, "date_type", f"日期不能是 {raw}；{_EXPECTED}")
        return _from_serial(raw, str(raw), field_name)
    if not isinstance(raw, str):
        raise _fail(field_name, "date_type", f"无法把 {type(raw).__name__} 类型的值读作日期；{_EXPECTED}")
    shown = raw.strip()
    text = _ZERO_WIDTH.sub("", nfkc(shown)).strip()
    if not text:
        raise _fail(field_name, "required", "请填写日期")
    match = _YMD.fullmatch(text) or _COMPACT.fullmatch(text)
    if match:
        return _make(int(match[1]), int(match[2]), int(match[3]), shown, field_name)
    match = _CN_YMD.fullmatch(text.replace(" ", ""))
    if match:
        year = int("".join(str(_CN_DIGITS[c]) for c in match[1]))
        return _make(year, _cn_small(match[2]), _cn_small(match[3]), shown, field_name)
    if _SERIAL.fullmatch(text):
        return _from_serial(Decimal(text), shown, field_name)
    if _DAY_FIRST.fullmatch(text):
        raise _fail(field_name, "date_format", f"日期“{shown}”年份不在最前，无法确定日和月的顺序；{_EXPECTED}")
    raise _fail(field_name, "date_format", f"无法识别的日期“{shown}”；{_EXPECTED}")


def is_long_term(d: date | None) -> bool:
    """True when an expiry date means 长期: 2099-12-31 per the 双公示 standard, or any later placeholder such as
    9999-12-31 that other systems use for the same thing."""
    return d is not None and d >= LONG_TERM


def check_not_future(d: date, *, today: date | None = None, field_name: str = "date", label: str = "日期") -> date:
    """Raise ``date_in_future`` when ``d`` is after ``today`` (default: today in Asia/Shanghai) — e.g. a 处罚决定日期
    must not lie in the future (DOMAIN §1.5). Returns ``d`` so calls can be chained."""
    today = today or today_in_china()
    if d > today:
        raise _fail(
            field_name,
            "date_in_future",
            f"{label} {d.isoformat()} 晚于今天（{today.isoformat()}），不能填写将来的日期",
        )
    return d


def check_order(
    earlier: date | None,
    later: date | None,
    *,
    earlier_field: str,
    later_field: str,
    message: str | None = None,
) -> None:
    """Raise ``date_order`` (reported on ``later_field``) when ``later`` is before ``earlier``.

    Equal dates are fine, and so is a missing date (optional fields are checked for presence elsewhere). Use for
    公示截止期 ≥ 处罚决定日期 and 有效期至 ≥ 有效期自 (DOMAIN §1.5). ``message`` should name both fields in Chinese,
    e.g. ``"有效期至早于有效期自"``; the default names the two fields and shows both dates.
    """
    if earlier is None or later is None or later >= earlier:
        return
    text = message or (
        f"{later_field}（{later.isoformat()}）早于{earlier_field}（{earlier.isoformat()}），结束日期不能早于开始日期"
    )
    raise ValidationFailed(FieldError(later_field, "date_order", text))

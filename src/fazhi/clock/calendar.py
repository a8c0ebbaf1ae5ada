"""The working-day calendar (工作日历) every statutory clock counts on.

``WorkCalendar`` answers "is this date a working day?" from, in order of precedence:

1. the override table (``CalendarOverride``: one row per date, entered by administrators in 日历调整);
2. the State Council holiday schedule shipped by the ``chinesecalendar`` library (2004–2026 in v1.11);
3. for a year an administrator marked as entered by hand (``CalendarYear``): Monday–Friday are working days,
   every holiday and make-up working day of that year being an override row.

A date in any other year raises :class:`CalendarDataMissing` — a wrong deadline is worse than no deadline.

Counting rules (DOMAIN §4.0): the start day is not counted; working-day periods count only working days;
calendar-day, month and year periods that end on a rest day end on the next working day.

The calendar built from the database is cached per process (:func:`get_calendar`); services invalidate the
cache when they change overrides, and the cache expires after ``FAZHI_CALENDAR_CACHE_SECONDS`` (default 60)
so other processes notice changes too.
"""

from __future__ import annotations

import calendar as std_calendar
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from django.conf import settings

from fazhi.core.errors import FazhiError

from .choices import WEEKDAY_NAMES, DayKind, DaySource

# The library's data, read once. Looking dates up in these dicts is what ``chinese_calendar.is_workday`` does,
# without re-validating the year range on every call (the reference test walks ~400,000 dates).
_LIBRARY_HOLIDAYS: Mapping[date, str] = chinese_calendar.holidays
_LIBRARY_WORKDAYS: Mapping[date, str] = chinese_calendar.workdays
LIBRARY_FIRST_YEAR: int = min(_LIBRARY_HOLIDAYS).year
LIBRARY_LAST_YEAR: int = max(_LIBRARY_HOLIDAYS).year
_HOLIDAY_NAMES_ZH: dict[str, str] = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}

# Years an administrator may enter by hand; also keeps date arithmetic far from date.min / date.max.
FIRST_SUPPORTED_YEAR = 1990
LAST_SUPPORTED_YEAR = 2100


class CalendarDataMissing(FazhiError):
    """The holiday schedule of ``year`` is unknown, so working days cannot be counted in it."""

    status = 422
    code = "calendar_year_not_covered"

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的节假日安排尚未收录，无法计算工作日；请管理员在“日历调整”中补录该年安排或升级日历数据。"
        )


@dataclass(frozen=True)
class Override:
    """One administrator's decision about one date."""

    is_workday: bool
    reason: str = ""


@dataclass(frozen=True)
class DayInfo:
    """A date, whether it is a working day, and why."""

    date: date
    is_workday: bool
    kind: DayKind
    name: str
    source: DaySource

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.date.weekday()]

    @property
    def kind_label(self) -> str:
        return str(self.kind.label)

    @property
    def source_label(self) -> str:
        return str(self.source.label)

    @property
    def explanation(self) -> str:
        """One short Chinese phrase for people, e.g. ``法定节假日（国庆节）`` or ``调休上班（春节）``."""
        return f"{self.kind_label}（{self.name}）" if self.name else self.kind_label


def weekday_name(day: date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


def shift_months(start: date, months: int) -> date:
    """``start`` moved by whole months; a day the target month lacks becomes its last day (1-31 + 1 month = 2-28/29)."""
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last_day = std_calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last_day))


class WorkCalendar:
    """Working days from the library plus overrides; pure (no database access) once built."""

    def __init__(
        self,
        overrides: Mapping[date, Override | bool] | None = None,
        manual_years: Iterable[int] = (),
    ) -> None:
        self._overrides: dict[date, Override] = {
            day: value if isinstance(value, Override) else Override(is_workday=bool(value))
            for day, value in (overrides or {}).items()
        }
        self.manual_years: frozenset[int] = frozenset(manual_years)

    # --- coverage -------------------------------------------------------------------------------------

    def library_covers(self, year: int) -> bool:
        return LIBRARY_FIRST_YEAR <= year <= LIBRARY_LAST_YEAR

    def covers(self, year: int) -> bool:
        """True when every date of ``year`` can be answered (library data, or a schedule entered by hand)."""
        return self.library_covers(year) or year in self.manual_years

    def covered_years(self) -> list[int]:
        return sorted(set(range(LIBRARY_FIRST_YEAR, LIBRARY_LAST_YEAR + 1)) | self.manual_years)

    def override_for(self, day: date) -> Override | None:
        return self._overrides.get(day)

    # --- single days ----------------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        override = self._overrides.get(day)
        if override is not None:
            return override.is_workday
        if self.library_covers(day.year):
            return day in _LIBRARY_WORKDAYS or (day.weekday() < 5 and day not in _LIBRARY_HOLIDAYS)
        if day.year in self.manual_years:
            return day.weekday() < 5
        raise CalendarDataMissing(day.year)

    def day_info(self, day: date) -> DayInfo:
        """Whether ``day`` is a working day and why (周末 / 法定节假日名称 / 调休上班 / 日历调整)."""
        weekend = day.weekday() >= 5
        override = self._overrides.get(day)
        if override is not None:
            if override.is_workday:
                kind = DayKind.MAKEUP_WORKDAY if weekend else DayKind.WORKDAY
            else:
                kind = DayKind.WEEKEND if weekend and not override.reason else DayKind.HOLIDAY
            return DayInfo(day, override.is_workday, kind, override.reason, DaySource.OVERRIDE)
        if self.library_covers(day.year):
            if day in _LIBRARY_WORKDAYS:
                name = _HOLIDAY_NAMES_ZH.get(_LIBRARY_WORKDAYS[day], "")
                return DayInfo(day, True, DayKind.MAKEUP_WORKDAY, name, DaySource.LIBRARY)
            if day in _LIBRARY_HOLIDAYS:
                name = _HOLIDAY_NAMES_ZH.get(_LIBRARY_HOLIDAYS[day], "")
                return DayInfo(day, False, DayKind.HOLIDAY, name, DaySource.LIBRARY)
            kind = DayKind.WEEKEND if weekend else DayKind.WORKDAY
            return DayInfo(day, not weekend, kind, "", DaySource.LIBRARY)
        if day.year in self.manual_years:
            kind = DayKind.WEEKEND if weekend else DayKind.WORKDAY
            return DayInfo(day, not weekend, kind, "", DaySource.WEEKDAY_RULE)
        raise CalendarDataMissing(day.year)

    # --- moving along the calendar ----------------------------------------------------------------------

    def next_workday(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        candidate = day + timedelta(days=1)
        while not self.is_workday(candidate):
            candidate += timedelta(days=1)
        return candidate

    def roll_forward(self, day: date) -> date:
        """``day`` itself when it is a working day, else the next working day (期限届满日顺延)."""
        return day if self.is_workday(day) else self.next_workday(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (the start day is not counted; ``n == 0`` gives ``start``)."""
        _check_count(n)
        day = start
        for _ in range(n):
            day = self.next_workday(day)
        return day

    def add_calendar_days(self, start: date, n: int) -> date:
        """``start + n`` days; when that is a rest day, the next working day (DOMAIN §4.0)."""
        _check_count(n)
        return self.roll_forward(start + timedelta(days=n))

    def add_months(self, start: date, n: int) -> date:
        """The same day ``n`` months later (or that month's last day), moved to the next working day if needed."""
        _check_count(n)
        return self.roll_forward(shift_months(start, n))

    def add_years(self, start: date, n: int) -> date:
        _check_count(n)
        return self.add_months(start, 12 * n)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``; negative when ``b`` is before ``a``.

        ``working_days_between(start, add_working_days(start, n)) == n`` for every working-day period.
        """
        if b < a:
            return -self.working_days_between(b, a)
        return sum(1 for day in _days_after(a, b) if self.is_workday(day))

    def rest_days_between(self, a: date, b: date) -> list[DayInfo]:
        """The rest days in ``(a, b]``, each with the reason it is not a working day."""
        return [info for info in (self.day_info(day) for day in _days_after(a, b)) if not info.is_workday]


def _days_after(a: date, b: date) -> Iterator[date]:
    day = a + timedelta(days=1)
    while day <= b:
        yield day
        day += timedelta(days=1)


def _check_count(n: int) -> None:
    if n < 0:
        raise ValueError("期限天数不能为负数")


# --- the calendar built from the database, cached per process ------------------------------------------

_cache_lock = threading.Lock()
_cached: tuple[float, WorkCalendar] | None = None


def _ttl_seconds() -> float:
    return float(getattr(settings, "FAZHI_CALENDAR_CACHE_SECONDS", 60))


def load_calendar() -> WorkCalendar:
    """Build a calendar from the override table and the years entered by hand (two small queries)."""
    from .models import CalendarOverride, CalendarYear

    overrides = {
        row_date: Override(is_workday=is_workday, reason=reason)
        for row_date, is_workday, reason in CalendarOverride.objects.values_list("date", "is_workday", "reason")
    }
    years = CalendarYear.objects.values_list("year", flat=True)
    return WorkCalendar(overrides=overrides, manual_years=years)


def get_calendar() -> WorkCalendar:
    """The current calendar: cached for ``FAZHI_CALENDAR_CACHE_SECONDS``, rebuilt after a service changes it."""
    global _cached
    now = time.monotonic()
    cached = _cached
    if cached is not None and now - cached[0] < _ttl_seconds():
        return cached[1]
    with _cache_lock:
        cached = _cached
        if cached is not None and now - cached[0] < _ttl_seconds():
            return cached[1]
        calendar = load_calendar()
        _cached = (time.monotonic(), calendar)
        return calendar


def invalidate_calendar_cache() -> None:
    """Forget the cached calendar; the next :func:`get_calendar` reads the database again."""
    global _cached
    with _cache_lock:
        _cached = None


# --- shortcuts on the current calendar ------------------------------------------------------------------


def is_workday(day: date) -> bool:
    return get_calendar().is_workday(day)


def day_info(day: date) -> DayInfo:
    return get_calendar().day_info(day)


def next_workday(day: date) -> date:
    """The first working day strictly after ``day``."""
    return get_calendar().next_workday(day)


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start``; the start day is not counted."""
    return get_calendar().add_working_days(start, n)


def add_calendar_days(start: date, n: int) -> date:
    """``start + n`` days, moved to the next working day when that day is a rest day."""
    return get_calendar().add_calendar_days(start, n)


def add_months(start: date, n: int) -> date:
    """``n`` months after ``start`` (end-of-month clamped), moved to the next working day when needed."""
    return get_calendar().add_months(start, n)


def working_days_between(a: date, b: date) -> int:
    """Working days in ``(a, b]``."""
    return get_calendar().working_days_between(a, b)

"""Deadline arithmetic and deadline status: pure functions (they read the calendar, never write).

Every module computes its statutory dates with :func:`compute_deadline` and shows where a deadline stands with
:func:`deadline_status`. Counting rules (DOMAIN §4.0):

- the start day is not counted;
- ``working``: only working days count (weekends and 法定节假日 do not; 调休上班 days do);
- ``calendar`` / ``month`` / ``year``: every day counts, and a period ending on a rest day ends on the next
  working day (期限届满日为法定休假日的，顺延至休假日后的第一个工作日);
- pauses (中止): the days from a pause's start to its end, both inclusive, are not counted;
- extensions (延期): added after the base deadline, each in its own unit, counted from that deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from .calendar import CalendarDataMissing, DayInfo, WorkCalendar, get_calendar, shift_months, weekday_name
from .choices import DeadlineStatus, TimeUnit

__all__ = [
    "GENERAL_RULE",
    "DeadlineExplanation",
    "DeadlineStatus",
    "Extension",
    "Pause",
    "compute_deadline",
    "deadline_status",
    "explain_deadline",
    "unit_rule",
]

GENERAL_RULE = "起算日不计入；期限届满日为法定休假日的，顺延至休假日后的第一个工作日"

_UNIT_RULES = {
    TimeUnit.WORKING: "按工作日计算：起算日不计入，周末和法定节假日不计入，调休上班日计入。",
    TimeUnit.CALENDAR: "按自然日计算：起算日不计入，期间内的节假日照常计入；届满日为休息日的，顺延至其后第一个工作日。",
    TimeUnit.MONTH: (
        "按月计算：到期月的对应日为届满日，没有对应日的以该月最后一日为届满日；"
        "届满日为休息日的，顺延至其后第一个工作日。"
    ),
    TimeUnit.YEAR: (
        "按年计算：到期年的对应日为届满日（2月29日起算的以2月28日为届满日）；届满日为休息日的，顺延至其后第一个工作日。"
    ),
}


def unit_rule(unit: str) -> str:
    return _UNIT_RULES[TimeUnit(unit)]


class PauseLike(Protocol):
    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date | None: ...


class ExtensionLike(Protocol):
    @property
    def days(self) -> int: ...

    @property
    def unit(self) -> str: ...


@dataclass(frozen=True)
class Pause:
    """A suspension: ``start`` to ``end`` inclusive are not counted; ``end=None`` means still suspended."""

    start: date
    end: date | None = None


@dataclass(frozen=True)
class Extension:
    days: int
    unit: str


class _PausedDays:
    def __init__(self, pauses: Iterable[PauseLike | tuple[date, date | None]], open_until: date | None) -> None:
        self.ranges: list[tuple[date, date]] = []
        for pause in pauses:
            start, end = pause if isinstance(pause, tuple) else (pause.start, pause.end)
            if end is None:
                if open_until is None:
                    raise ValueError("计时处于中止状态，恢复计时后才能计算届满日")
                end = max(open_until, start)
            if end < start:
                raise ValueError("中止的恢复日不能早于中止日")
            self.ranges.append((start, end))

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def __contains__(self, day: date) -> bool:
        return any(start <= day <= end for start, end in self.ranges)


def _count_forward(cal: WorkCalendar, start: date, n: int, unit: TimeUnit, paused: _PausedDays) -> date:
    if n < 0:
        raise ValueError("期限天数不能为负数")
    if unit is TimeUnit.WORKING:
        if not paused:
            return cal.add_working_days(start, n)
        day, counted = start, 0
        while counted < n:
            day += timedelta(days=1)
            if day not in paused and cal.is_workday(day):
                counted += 1
        return day
    if unit in (TimeUnit.MONTH, TimeUnit.YEAR):
        months = n if unit is TimeUnit.MONTH else 12 * n
        n = (shift_months(start, months) - start).days
    if not paused:
        return cal.add_calendar_days(start, n)
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day not in paused:
            counted += 1
    return cal.roll_forward(day)


def compute_deadline(
    start: date,
    days: int,
    unit: str,
    *,
    pauses: Iterable[PauseLike | tuple[date, date | None]] = (),
    extensions: Iterable[ExtensionLike | tuple[int, str]] = (),
    calendar: WorkCalendar | None = None,
    open_pause_until: date | None = None,
) -> date:
    """The date a period of ``days`` ``unit`` started on ``start`` ends (届满日).

    ``pauses`` are ``(start, end)`` pairs or objects with ``start``/``end`` (``ClockPause`` rows): their days,
    both ends included, are not counted. An open pause (``end=None``) needs ``open_pause_until`` (e.g. today,
    for a projection); without it the deadline is undefined and ``ValueError`` is raised. ``extensions`` are
    ``(days, unit)`` pairs or objects with ``days``/``unit`` (``ClockExtension`` rows), each counted from the
    deadline reached so far. Raises ``CalendarDataMissing`` when the count needs a year without holiday data.
    """
    cal = calendar if calendar is not None else get_calendar()
    paused = _PausedDays(pauses, open_pause_until)
    due = _count_forward(cal, start, days, TimeUnit(unit), paused)
    for extension in extensions:
        ext_days, ext_unit = extension if isinstance(extension, tuple) else (extension.days, extension.unit)
        due = _count_forward(cal, due, ext_days, TimeUnit(ext_unit), paused)
    return due


@dataclass(frozen=True)
class DeadlineExplanation:
    """A deadline with what a person needs to check it: the unadjusted end and the rest days skipped."""

    start: date
    days: int
    unit: TimeUnit
    deadline: date
    period_end: date
    skipped_rest_days: list[DayInfo] = field(default_factory=list)

    @property
    def postponed(self) -> bool:
        """True when the period ended on a rest day and the deadline moved to the next working day."""
        return self.deadline != self.period_end

    @property
    def unit_label(self) -> str:
        return str(self.unit.label)

    @property
    def unit_rule(self) -> str:
        return _UNIT_RULES[self.unit]

    @property
    def rule(self) -> str:
        return GENERAL_RULE

    @property
    def deadline_weekday(self) -> str:
        return weekday_name(self.deadline)


def explain_deadline(start: date, days: int, unit: str, *, calendar: WorkCalendar | None = None) -> DeadlineExplanation:
    """:func:`compute_deadline` (without pauses) plus the rest days it skipped, for the calculator and the API.

    For working days the skipped days are the rest days inside the period; for the other units they are the rest
    days the end was moved over (the days inside the period all count).
    """
    cal = calendar if calendar is not None else get_calendar()
    time_unit = TimeUnit(unit)
    deadline = compute_deadline(start, days, time_unit, calendar=cal)
    if time_unit is TimeUnit.WORKING:
        return DeadlineExplanation(start, days, time_unit, deadline, deadline, cal.rest_days_between(start, deadline))
    if time_unit is TimeUnit.CALENDAR:
        period_end = start + timedelta(days=days)
    else:
        period_end = shift_months(start, days if time_unit is TimeUnit.MONTH else 12 * days)
    skipped = cal.rest_days_between(period_end - timedelta(days=1), deadline - timedelta(days=1))
    return DeadlineExplanation(start, days, time_unit, deadline, period_end, skipped)


def _due_soon_limit(today: date, window: int, cal: WorkCalendar) -> date:
    try:
        return cal.add_working_days(today, window)
    except CalendarDataMissing:
        # Only the warning band is at stake here, not a legal date: count Monday–Friday.
        day, counted = today, 0
        while counted < window:
            day += timedelta(days=1)
            if day.weekday() < 5:
                counted += 1
        return day


def deadline_status(
    due: date,
    *,
    today: date | None = None,
    done_on: date | None = None,
    calendar: WorkCalendar | None = None,
) -> DeadlineStatus:
    """Where a deadline stands.

    - ``done_on`` given: 按期办结 when ``done_on <= due``, else 逾期办结;
    - open: 已逾期 when ``today > due``; 临期 when ``due`` is at most ``FAZHI_DUE_SOON_WORKING_DAYS`` working days
      after ``today`` (the due day itself included); else 未到期.

    ``today`` defaults to ``timezone.localdate()`` (Asia/Shanghai).
    """
    if done_on is not None:
        return DeadlineStatus.DONE_ON_TIME if done_on <= due else DeadlineStatus.DONE_LATE
    today = today if today is not None else timezone.localdate()
    if today > due:
        return DeadlineStatus.OVERDUE
    window = int(getattr(settings, "FAZHI_DUE_SOON_WORKING_DAYS", 2))
    cal = calendar if calendar is not None else get_calendar()
    if due <= _due_soon_limit(today, window, cal):
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.ON_TIME

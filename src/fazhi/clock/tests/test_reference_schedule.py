"""add_working_days against the official State Council schedules (holiday-cn data in ../shared/data/holidays).

The reference calendar here is built independently of chinesecalendar: weekends rest, weekdays work, unless a
day is listed in a holiday-cn file (isOffDay=true: rest; isOffDay=false: 调休上班).
"""

from __future__ import annotations

import bisect
import json
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from fazhi.clock.calendar import (
    LIBRARY_FIRST_YEAR,
    LIBRARY_LAST_YEAR,
    CalendarDataMissing,
    Override,
    WorkCalendar,
)

HOLIDAYS_DIR = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "holidays"
COUNTS = (3, 5, 7, 10, 20)
FIRST_START, LAST_START = date(2020, 1, 1), date(2026, 12, 31)


class Reference:
    def __init__(self, folder: Path) -> None:
        self.off: set[date] = set()
        self.on: set[date] = set()
        self.years: set[int] = set()  # years whose official schedule the folder actually lists
        for path in sorted(folder.glob("holiday-cn_[0-9][0-9][0-9][0-9].json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if data["days"]:
                self.years.add(int(data["year"]))
            for day in data["days"]:
                (self.off if day["isOffDay"] else self.on).add(date.fromisoformat(day["date"]))
        # Dates are known up to the end of the last consecutive year with a published schedule.
        last = FIRST_START.year - 1
        while last + 1 in self.years:
            last += 1
        self.known_until = date(last, 12, 31)
        self.workdays: list[date] = []
        day = date(FIRST_START.year - 1, 12, 1)
        while day <= self.known_until:
            if self.is_workday(day):
                self.workdays.append(day)
            day += timedelta(days=1)

    def is_workday(self, day: date) -> bool:
        if day in self.on:
            return True
        if day in self.off:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: date, n: int) -> date | None:
        """The n-th working day after start, or None when it lies beyond the published schedules."""
        index = bisect.bisect_right(self.workdays, start) + n - 1
        return self.workdays[index] if index < len(self.workdays) else None


@pytest.fixture(scope="module")
def reference() -> Reference:
    if not HOLIDAYS_DIR.is_dir():
        pytest.skip(f"官方节假日安排数据目录 {HOLIDAYS_DIR} 不存在（检出目录旁没有 shared 文件夹），跳过对照测试")
    ref = Reference(HOLIDAYS_DIR)
    if ref.known_until < LAST_START:
        pytest.skip(f"{HOLIDAYS_DIR} 只收录到 {ref.known_until.year} 年，不足以对照 2020–2026 年")
    return ref


def test_reference_data_holds_the_documented_2020_adjustments(reference: Reference) -> None:
    assert date(2020, 1, 19) in reference.on  # Sunday 调休上班 before Spring Festival
    assert date(2020, 10, 10) in reference.on  # Saturday 调休上班 after National Day
    assert date(2020, 10, 8) in reference.off
    assert date(2020, 1, 31) in reference.off  # COVID extension of the Spring Festival holiday


def test_add_working_days_matches_official_schedules_for_every_start_2020_to_2026(reference: Reference) -> None:
    calendar = WorkCalendar()  # the library alone, no overrides
    mismatches: list[str] = []
    checked = refused = 0
    start = FIRST_START
    while start <= LAST_START:
        for n in COUNTS:
            expected = reference.add_working_days(start, n)
            if expected is not None:
                actual = calendar.add_working_days(start, n)
                checked += 1
                if actual != expected:
                    mismatches.append(f"{start} + {n} 个工作日：应为 {expected}，得到 {actual}")
                continue
            # The answer lies in a year without a published schedule (2027: the shared file lists no days).
            beyond = reference.known_until.year + 1
            if calendar.covers(beyond):
                continue  # the library knows a year the reference does not: nothing to compare against
            with pytest.raises(CalendarDataMissing) as caught:
                calendar.add_working_days(start, n)
            assert caught.value.year == beyond
            refused += 1
        start += timedelta(days=1)
    assert not mismatches, "\n".join(mismatches[:20])
    assert checked > 12_700  # 2,557 start dates × 5 counts, minus the handful that run into 2027
    # chinesecalendar 1.11 covers 2004–2026 only and the 2027 schedule is not in the shared data either:
    # late-December starts whose count runs into 2027 must fail loudly, never guess.
    if not calendar.covers(2027):
        assert refused > 0


def test_library_shortcut_agrees_with_chinese_calendar_on_every_covered_day() -> None:
    calendar = WorkCalendar()
    day, last = date(LIBRARY_FIRST_YEAR, 1, 1), date(LIBRARY_LAST_YEAR, 12, 31)
    while day <= last:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_a_2027_schedule_entered_by_hand_lets_late_2026_counts_finish(reference: Reference) -> None:
    if 2027 in reference.years:
        pytest.skip("2027年安排已收录，本测试针对未收录的年份")
    # What an administrator would enter once the State Council publishes 2027 (only 元旦 here).
    calendar = WorkCalendar(overrides={date(2027, 1, 1): Override(False, "元旦")}, manual_years={2027})
    # 2026-12-25 (Fri): 28, 29, 30, 31 Dec, then 1 Jan is 元旦, so the 5th working day is Mon 4 Jan 2027.
    assert calendar.add_working_days(date(2026, 12, 25), 5) == date(2027, 1, 4)
    assert calendar.add_working_days(date(2026, 12, 31), 20) == date(2027, 1, 29)

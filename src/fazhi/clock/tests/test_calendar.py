from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import override_settings

from fazhi.clock import calendar as clock_calendar
from fazhi.clock import services
from fazhi.clock.calendar import CalendarDataMissing, Override, WorkCalendar
from fazhi.clock.choices import DayKind, DaySource
from fazhi.clock.models import CalendarOverride

LIBRARY = WorkCalendar()


def test_documented_2020_schedule() -> None:
    assert LIBRARY.is_workday(date(2020, 1, 19))  # Sunday, 调休上班
    assert not LIBRARY.is_workday(date(2020, 1, 31))  # Spring Festival extended for COVID-19
    assert not LIBRARY.is_workday(date(2020, 10, 8))
    assert LIBRARY.is_workday(date(2020, 10, 10))  # Saturday, 调休上班
    assert LIBRARY.add_working_days(date(2020, 9, 28), 7) == date(2020, 10, 14)


def test_day_info_explains_why() -> None:
    national_day = LIBRARY.day_info(date(2020, 10, 1))
    assert (national_day.is_workday, national_day.kind, national_day.name) == (False, DayKind.HOLIDAY, "国庆节")
    assert national_day.explanation == "法定节假日（国庆节）"
    makeup = LIBRARY.day_info(date(2020, 10, 10))
    assert (makeup.is_workday, makeup.kind, makeup.kind_label, makeup.name) == (
        True,
        DayKind.MAKEUP_WORKDAY,
        "调休上班",
        "国庆节",
    )
    weekend = LIBRARY.day_info(date(2020, 10, 17))
    assert (weekend.is_workday, weekend.kind_label, weekend.weekday_name) == (False, "周末", "星期六")
    assert LIBRARY.day_info(date(2020, 10, 12)).kind == DayKind.WORKDAY


def test_start_day_is_not_counted_and_zero_days_is_the_start() -> None:
    assert LIBRARY.add_working_days(date(2020, 10, 12), 1) == date(2020, 10, 13)
    assert LIBRARY.add_working_days(date(2020, 10, 12), 0) == date(2020, 10, 12)
    assert LIBRARY.next_workday(date(2020, 9, 30)) == date(2020, 10, 9)
    assert LIBRARY.next_workday(date(2020, 10, 9)) == date(2020, 10, 10)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # 2020-10-01 is National Day: a period ending then ends on the first working day after the holiday.
        (date(2020, 9, 16), 15, date(2020, 10, 9)),
        # an ordinary Saturday moves to Monday
        (date(2020, 10, 15), 2, date(2020, 10, 19)),
        # a 调休 Saturday is a working day: the period ends on it
        (date(2020, 10, 5), 5, date(2020, 10, 10)),
        # rest days inside the period count
        (date(2020, 9, 28), 7, date(2020, 10, 9)),
    ],
)
def test_calendar_days_end_on_a_working_day(start: date, days: int, expected: date) -> None:
    assert LIBRARY.add_calendar_days(start, days) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2020, 1, 31), 1, date(2020, 3, 2)),  # 2-29 is a Saturday in 2020
        (date(2021, 1, 31), 1, date(2021, 3, 1)),  # 2-28 is a Sunday in 2021
        (date(2020, 8, 31), 1, date(2020, 9, 30)),  # no 9-31: the month's last day, a working day
        (date(2020, 9, 1), 1, date(2020, 10, 9)),  # lands in the National Day holiday
        (date(2020, 6, 15), 3, date(2020, 9, 15)),
    ],
)
def test_months_clamp_to_month_end_and_move_off_rest_days(start: date, months: int, expected: date) -> None:
    assert LIBRARY.add_months(start, months) == expected


def test_working_days_between_is_the_inverse_of_add_working_days() -> None:
    assert LIBRARY.working_days_between(date(2020, 9, 28), date(2020, 10, 14)) == 7
    assert LIBRARY.working_days_between(date(2020, 10, 14), date(2020, 9, 28)) == -7
    assert LIBRARY.working_days_between(date(2020, 10, 1), date(2020, 10, 8)) == 0
    assert LIBRARY.working_days_between(date(2020, 10, 1), date(2020, 10, 1)) == 0


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        LIBRARY.add_working_days(date(2020, 1, 1), -1)


@pytest.mark.parametrize("day", [date(2027, 3, 1), date(2003, 6, 2)])
def test_uncovered_year_fails_loudly_in_chinese(day: date) -> None:
    with pytest.raises(CalendarDataMissing) as caught:
        LIBRARY.is_workday(day)
    error = caught.value
    assert error.year == day.year
    assert error.status == 422
    assert error.code == "calendar_year_not_covered"
    assert error.message.startswith(f"{day.year}年的节假日安排尚未收录，无法计算工作日")
    assert "日历调整" in error.message


def test_count_running_into_an_uncovered_year_fails_not_guesses() -> None:
    with pytest.raises(CalendarDataMissing) as caught:
        LIBRARY.add_working_days(date(2026, 12, 28), 10)
    assert caught.value.year == 2027
    with pytest.raises(CalendarDataMissing):
        LIBRARY.add_calendar_days(date(2026, 12, 1), 40)


def test_override_wins_over_the_library_in_memory() -> None:
    typhoon = WorkCalendar(overrides={date(2020, 10, 12): Override(False, "台风停工")})
    assert typhoon.add_working_days(date(2020, 9, 28), 7) == date(2020, 10, 15)
    info = typhoon.day_info(date(2020, 10, 12))
    assert (info.kind, info.name, info.source) == (DayKind.HOLIDAY, "台风停工", DaySource.OVERRIDE)


@pytest.mark.django_db
def test_override_entered_through_the_service_changes_deadlines(actor: Any) -> None:
    assert clock_calendar.add_working_days(date(2020, 9, 28), 7) == date(2020, 10, 14)
    services.set_calendar_override(actor=actor, date=date(2020, 10, 12), is_workday=False, reason="台风停工")
    assert clock_calendar.add_working_days(date(2020, 9, 28), 7) == date(2020, 10, 15)
    # and a rest day made a working day
    services.set_calendar_override(actor=actor, date=date(2020, 10, 11), is_workday=True, reason="抗洪值班")
    assert clock_calendar.add_working_days(date(2020, 9, 28), 7) == date(2020, 10, 14)
    services.delete_calendar_override(actor=actor, date=date(2020, 10, 12))
    services.delete_calendar_override(actor=actor, date=date(2020, 10, 11))
    assert clock_calendar.add_working_days(date(2020, 9, 28), 7) == date(2020, 10, 14)


@pytest.mark.django_db
def test_year_entered_by_hand_becomes_countable(actor: Any) -> None:
    with pytest.raises(CalendarDataMissing):
        clock_calendar.add_working_days(date(2027, 3, 1), 5)
    # An override alone answers for its own date but does not make the year countable.
    services.set_calendar_override(actor=actor, date=date(2027, 3, 5), is_workday=False, reason="地方调休")
    assert not clock_calendar.is_workday(date(2027, 3, 5))
    with pytest.raises(CalendarDataMissing):
        clock_calendar.add_working_days(date(2027, 3, 1), 5)
    services.set_calendar_year(actor=actor, year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    # Mon 1 Mar: 2, 3, 4, (5 is a rest day), 8, 9
    assert clock_calendar.add_working_days(date(2027, 3, 1), 5) == date(2027, 3, 9)
    assert clock_calendar.day_info(date(2027, 3, 2)).source == DaySource.WEEKDAY_RULE
    services.delete_calendar_year(actor=actor, year=2027)
    with pytest.raises(CalendarDataMissing):
        clock_calendar.add_working_days(date(2027, 3, 1), 5)


@pytest.mark.django_db
def test_import_calendar_year_enters_a_whole_schedule(actor: Any) -> None:
    services.import_calendar_year(
        actor=actor,
        year=2027,
        days=[(date(2027, 1, 1), False, "元旦"), (date(2027, 1, 2), False, "元旦"), (date(2027, 1, 9), True, "春节")],
        source="演示：2027年安排",
    )
    assert clock_calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert clock_calendar.day_info(date(2027, 1, 9)).explanation == "调休上班（春节调休上班）"
    assert CalendarOverride.objects.filter(date__year=2027).count() == 3


@pytest.mark.django_db
def test_cache_sees_other_processes_after_its_ttl(actor: Any) -> None:
    day = date(2020, 10, 12)
    with override_settings(FAZHI_CALENDAR_CACHE_SECONDS=3600):
        assert clock_calendar.is_workday(day)
        # Another process writes (simulated by a direct insert that does not invalidate this process's cache).
        CalendarOverride.objects.create(date=day, is_workday=False, reason="另一进程写入")
        assert clock_calendar.is_workday(day)  # still cached
    with override_settings(FAZHI_CALENDAR_CACHE_SECONDS=0):
        assert not clock_calendar.is_workday(day)  # expired: re-read


def test_bad_override_is_refused_in_chinese(db: Any, actor: Any) -> None:
    from fazhi.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        services.set_calendar_override(actor=actor, date=date(2020, 10, 12), is_workday=False, reason="  ")
    assert caught.value.errors[0].message == "请填写原因"
    assert not CalendarOverride.objects.exists()

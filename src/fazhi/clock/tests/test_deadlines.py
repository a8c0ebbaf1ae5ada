from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from fazhi.clock.calendar import CalendarDataMissing, WorkCalendar
from fazhi.clock.deadlines import (
    GENERAL_RULE,
    DeadlineStatus,
    Extension,
    Pause,
    compute_deadline,
    deadline_status,
    explain_deadline,
)

CAL = WorkCalendar()


def deadline(start: date, days: int, unit: str, **kwargs: object) -> date:
    return compute_deadline(start, days, unit, calendar=CAL, **kwargs)


# --- compute_deadline -----------------------------------------------------------------------------------


def test_plain_periods_in_each_unit() -> None:
    assert deadline(date(2020, 9, 28), 7, "working") == date(2020, 10, 14)
    assert deadline(date(2020, 9, 16), 15, "calendar") == date(2020, 10, 9)
    assert deadline(date(2020, 1, 31), 1, "month") == date(2020, 3, 2)
    assert deadline(date(2019, 2, 28), 1, "year") == date(2020, 2, 28)
    assert deadline(date(2020, 2, 29), 1, "year") == date(2021, 3, 1)  # 2021-02-28 is a Sunday


def test_paused_working_days_are_not_counted() -> None:
    # 7 WD from 2020-09-28 normally ends 10-14; pausing 9-29 and 9-30 (two working days) adds two working days.
    assert deadline(date(2020, 9, 28), 7, "working", pauses=[Pause(date(2020, 9, 29), date(2020, 9, 30))]) == date(
        2020, 10, 16
    )


def test_a_pause_over_rest_days_does_not_move_a_working_day_deadline() -> None:
    assert deadline(date(2020, 9, 28), 7, "working", pauses=[(date(2020, 10, 1), date(2020, 10, 8))]) == date(
        2020, 10, 14
    )


def test_paused_calendar_days_are_not_counted() -> None:
    assert deadline(date(2020, 6, 1), 15, "calendar") == date(2020, 6, 16)
    # 6-5..6-7 paused (both ends counted as paused): three days later
    assert deadline(date(2020, 6, 1), 15, "calendar", pauses=[(date(2020, 6, 5), date(2020, 6, 7))]) == date(
        2020, 6, 19
    )


def test_pause_and_resume_on_the_same_day_excludes_that_day() -> None:
    assert deadline(date(2020, 6, 1), 15, "calendar", pauses=[(date(2020, 6, 5), date(2020, 6, 5))]) == date(
        2020, 6, 17
    )


def test_pause_before_start_has_no_effect() -> None:
    assert deadline(date(2020, 9, 28), 7, "working", pauses=[(date(2020, 9, 1), date(2020, 9, 25))]) == date(
        2020, 10, 14
    )


def test_extensions_are_counted_from_the_deadline_in_their_own_unit() -> None:
    # 行政许可: 20 WD + 10 WD approved extension = 30 WD
    assert deadline(date(2020, 9, 28), 20, "working", extensions=[Extension(10, "working")]) == deadline(
        date(2020, 9, 28), 30, "working"
    )
    # 行政复议: 60 days from 2020-08-03 end on 10-02 (National Day) -> 10-09;
    # +30 days counted from 10-09 = 11-08 (Sunday) -> 11-09
    assert deadline(date(2020, 8, 3), 60, "calendar") == date(2020, 10, 9)
    assert deadline(date(2020, 8, 3), 60, "calendar", extensions=[(30, "calendar")]) == date(2020, 11, 9)
    # mixed units, applied in order
    assert deadline(date(2020, 8, 3), 60, "calendar", extensions=[(30, "calendar"), (2, "working")]) == date(
        2020, 11, 11
    )


def test_open_pause_needs_a_projection_date() -> None:
    with pytest.raises(ValueError, match="中止状态"):
        deadline(date(2020, 6, 1), 15, "calendar", pauses=[Pause(date(2020, 6, 5))])
    assert deadline(
        date(2020, 6, 1), 15, "calendar", pauses=[Pause(date(2020, 6, 5))], open_pause_until=date(2020, 6, 7)
    ) == date(2020, 6, 19)


def test_unknown_unit_and_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        deadline(date(2020, 6, 1), 15, "fortnight")
    with pytest.raises(ValueError, match="负数"):
        deadline(date(2020, 6, 1), -1, "calendar")


def test_compute_deadline_fails_loudly_beyond_the_calendar_data() -> None:
    with pytest.raises(CalendarDataMissing):
        deadline(date(2026, 12, 20), 20, "working")


# --- explain_deadline -----------------------------------------------------------------------------------


def test_explanation_lists_rest_days_inside_a_working_day_period() -> None:
    explanation = explain_deadline(date(2020, 9, 28), 7, "working", calendar=CAL)
    assert explanation.deadline == date(2020, 10, 14)
    assert explanation.deadline_weekday == "星期三"
    assert explanation.rule == GENERAL_RULE
    assert not explanation.postponed
    skipped = [day.date for day in explanation.skipped_rest_days]
    assert skipped == [date(2020, 10, d) for d in (1, 2, 3, 4, 5, 6, 7, 8, 11)]
    assert explanation.skipped_rest_days[0].name == "国庆节"
    assert date(2020, 10, 10) not in skipped  # 调休上班 Saturday counted


def test_explanation_of_a_calendar_period_lists_the_days_it_was_moved_over() -> None:
    explanation = explain_deadline(date(2020, 9, 16), 15, "calendar", calendar=CAL)
    assert (explanation.period_end, explanation.deadline, explanation.postponed) == (
        date(2020, 10, 1),
        date(2020, 10, 9),
        True,
    )
    assert [day.date.day for day in explanation.skipped_rest_days] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert explanation.unit_label == "自然日"
    assert "顺延" in explanation.unit_rule


# --- deadline_status ------------------------------------------------------------------------------------

DUE = date(2020, 10, 14)  # a Wednesday


@override_settings(FAZHI_DUE_SOON_WORKING_DAYS=2)
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2020, 10, 15), DeadlineStatus.OVERDUE),  # the day after
        (date(2020, 10, 14), DeadlineStatus.DUE_SOON),  # the due day itself
        (date(2020, 10, 12), DeadlineStatus.DUE_SOON),  # two working days left (13th, 14th)
        (date(2020, 10, 10), DeadlineStatus.ON_TIME),  # three working days left (12th, 13th, 14th)
        (date(2020, 10, 11), DeadlineStatus.ON_TIME),
    ],
)
def test_status_around_the_due_date(today: date, expected: DeadlineStatus) -> None:
    assert deadline_status(DUE, today=today, calendar=CAL) is expected


@override_settings(FAZHI_DUE_SOON_WORKING_DAYS=2)
def test_due_soon_counts_working_days_across_a_holiday() -> None:
    # Nine calendar days before 2020-10-09, but only one working day: 临期.
    assert deadline_status(date(2020, 10, 9), today=date(2020, 9, 30), calendar=CAL) is DeadlineStatus.DUE_SOON


@override_settings(FAZHI_DUE_SOON_WORKING_DAYS=0)
def test_due_soon_window_follows_the_setting() -> None:
    assert deadline_status(DUE, today=date(2020, 10, 13), calendar=CAL) is DeadlineStatus.ON_TIME
    assert deadline_status(DUE, today=DUE, calendar=CAL) is DeadlineStatus.DUE_SOON


def test_done_statuses() -> None:
    assert deadline_status(DUE, done_on=DUE, calendar=CAL) is DeadlineStatus.DONE_ON_TIME
    assert deadline_status(DUE, done_on=date(2020, 10, 1), calendar=CAL) is DeadlineStatus.DONE_ON_TIME
    assert deadline_status(DUE, done_on=date(2020, 10, 15), calendar=CAL) is DeadlineStatus.DONE_LATE
    # once done, today no longer matters
    assert deadline_status(DUE, today=date(2021, 1, 1), done_on=DUE, calendar=CAL) is DeadlineStatus.DONE_ON_TIME


def test_status_labels_and_css_codes() -> None:
    assert [(s.value, s.label) for s in DeadlineStatus] == [
        ("on_time", "未到期"),
        ("due_soon", "临期"),
        ("overdue", "已逾期"),
        ("done_on_time", "按期办结"),
        ("done_late", "逾期办结"),
        ("paused", "中止中"),
    ]
    assert DeadlineStatus.DUE_SOON.css_class == "due_soon"
    assert DeadlineStatus.OVERDUE.needs_attention and not DeadlineStatus.ON_TIME.needs_attention
    assert DeadlineStatus.DONE_LATE.is_done


@override_settings(FAZHI_DUE_SOON_WORKING_DAYS=2)
def test_status_near_an_uncovered_year_does_not_crash() -> None:
    # The due-soon band needs working days of 2027; without data it counts Monday–Friday instead.
    assert deadline_status(date(2027, 1, 1), today=date(2026, 12, 30), calendar=CAL) is DeadlineStatus.DUE_SOON
    assert deadline_status(date(2027, 1, 8), today=date(2026, 12, 30), calendar=CAL) is DeadlineStatus.ON_TIME


def test_status_today_defaults_to_the_local_date(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2020, 10, 15))
    assert deadline_status(DUE, calendar=CAL) is DeadlineStatus.OVERDUE

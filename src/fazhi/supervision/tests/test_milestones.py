"""Milestones come from the clock (calendar days; a period ending on a rest day ends on the next working day;
"one month" is the same day next month, or its last day): tasks that start before 国庆, 春节 and at month ends,
with the clock frozen on the days that matter."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.clock.choices import DeadlineStatus
from fazhi.supervision import selectors, services

from .conftest import make_task

pytestmark = pytest.mark.django_db

D = dt.date


def _dues(task, on):
    return {m.key: (m.due, m.status) for m in selectors.task_row(task, on).milestones}


def test_a_task_assigned_the_day_before_national_day_2020(sup, frozen):
    frozen(D(2020, 9, 30))
    task = make_task(sup, on=D(2020, 9, 30))
    dues = _dues(task, D(2020, 9, 30))
    # 10-01, 10-03 and 10-07 all fall in the 2020 holiday (10-01..10-08): each moves to Friday 10-09
    assert {k: v[0] for k, v in dues.items()} == {
        "13710.deploy": D(2020, 10, 9),
        "13710.feedback": D(2020, 10, 9),
        "13710.resolve": D(2020, 10, 9),
    }
    # mid-holiday nothing is overdue yet (a naive count would have flagged "1" on 10-02)
    assert all(s != DeadlineStatus.OVERDUE for _, s in _dues(task, D(2020, 10, 5)).values())
    assert _dues(task, D(2020, 10, 9))["13710.deploy"][1] == DeadlineStatus.DUE_SOON
    assert _dues(task, D(2020, 10, 10))["13710.deploy"][1] == DeadlineStatus.OVERDUE


def test_a_task_assigned_before_spring_festival_2021(sup, frozen):
    frozen(D(2021, 2, 9))
    task = make_task(sup, on=D(2021, 2, 9))
    dues = {k: v[0] for k, v in _dues(task, D(2021, 2, 9)).items()}
    assert dues == {
        "13710.deploy": D(2021, 2, 10),  # a working day: no move
        "13710.feedback": D(2021, 2, 18),  # 02-12 is 春节 (02-11..02-17)
        "13710.resolve": D(2021, 2, 18),
    }
    # deployed on time, feedback given after the holiday on 02-19: late
    frozen(D(2021, 2, 10))
    services.take_step(actor=sup.users["taiyuan_office"], task=task, action="sign")
    services.take_step(actor=sup.users["taiyuan_office"], task=task, action="deploy", text="部署")
    frozen(D(2021, 2, 19))
    services.take_step(actor=sup.users["taiyuan_office"], task=task, action="progress", text="进展")
    status = {k: v[1] for k, v in _dues(task, D(2021, 2, 19)).items()}
    assert status["13710.deploy"] == DeadlineStatus.DONE_ON_TIME
    assert status["13710.feedback"] == DeadlineStatus.DONE_LATE
    assert status["13710.resolve"] == DeadlineStatus.OVERDUE


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (D(2023, 1, 31), D(2023, 2, 28)),  # no 31 February: the month's last day
        (D(2024, 1, 31), D(2024, 2, 29)),  # leap year
        (D(2021, 1, 31), D(2021, 3, 1)),  # 2021-02-28 is a Sunday: next working day
        (D(2020, 9, 30), D(2020, 10, 30)),
    ],
)
def test_major_tasks_have_one_calendar_month(sup, frozen, start, due):
    frozen(start)
    task = make_task(sup, on=start, major=True)
    dues = _dues(task, start)
    assert dues["13710.resolve_major"][0] == due
    assert "13710.resolve" not in dues
    assert _dues(task, due + dt.timedelta(days=1))["13710.resolve_major"][1] == DeadlineStatus.OVERDUE


def test_closing_counts_the_request_date_not_the_review_date(sup, frozen):
    frozen(D(2020, 9, 1))
    task = make_task(sup, on=D(2020, 9, 1))
    u = sup.users["taiyuan_office"]
    services.take_step(actor=u, task=task, action="sign")
    services.take_step(actor=u, task=task, action="deploy", text="部署")
    services.take_step(actor=u, task=task, action="progress", text="进展")
    frozen(D(2020, 9, 7))
    services.take_step(actor=u, task=task, action="request_closure", text="办结")
    frozen(D(2020, 9, 15))  # reviewed a week later
    task = services.take_step(actor=sup.users["province_office"], task=task, action="close", rating="excellent")
    row = selectors.task_row(task, D(2020, 9, 15))
    assert row.resolve is not None and row.resolve.done_on == D(2020, 9, 7)
    assert row.resolve.status == DeadlineStatus.DONE_ON_TIME
    assert row.on_time


def test_nodes_set_by_the_office_for_long_tasks(sup, frozen):
    frozen(D(2020, 9, 1))
    task = make_task(sup, on=D(2020, 9, 1), major=True)
    node = services.add_node(actor=sup.users["province_office"], task=task, title="完成方案", due_on=D(2020, 9, 20))
    with pytest.raises(Exception, match="报告截止日应晚于"):
        services.add_node(actor=sup.users["province_office"], task=task, title="x", due_on=D(2020, 8, 1))
    row = {m.key: m for m in selectors.task_row(task, D(2020, 9, 21)).milestones}
    assert row[f"node:{node.pk}"].status == DeadlineStatus.OVERDUE
    frozen(D(2020, 9, 2))
    u = sup.users["taiyuan_office"]
    services.take_step(actor=u, task=task, action="sign")
    services.take_step(actor=u, task=task, action="deploy", text="部署")
    services.take_step(actor=u, task=task, action="progress", text="方案已印发", node=node)
    row = {m.key: m for m in selectors.task_row(task, D(2020, 9, 21)).milestones}
    assert row[f"node:{node.pk}"].status == DeadlineStatus.DONE_ON_TIME

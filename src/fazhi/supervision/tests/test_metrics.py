"""The 13710 figures on the dashboards and in the annual report count what the 13710 pages show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.reports import registry
from fazhi.supervision import selectors, services

from .conftest import make_task

pytestmark = pytest.mark.django_db


def _run(sup, frozen, start: dt.date, *, deploy_after: int, close: bool = True):
    """A task assigned by the province to 太原市 on ``start``, deployed ``deploy_after`` days later, reported on
    day 2 (or with the deployment), done on day 5 and closed on day 6 (each step on its day, as people take them)."""
    frozen(start)
    task = make_task(sup, on=start)
    unit, office = sup.users["taiyuan_office"], sup.users["province_office"]
    task = services.take_step(actor=unit, task=task, action="sign")
    frozen(start + dt.timedelta(days=deploy_after))
    task = services.take_step(actor=unit, task=task, action="deploy", text="已部署")
    frozen(start + dt.timedelta(days=max(2, deploy_after)))
    task = services.take_step(actor=unit, task=task, action="progress", text="进展顺利")
    if not close:
        return task
    frozen(start + dt.timedelta(days=5))
    task = services.take_step(actor=unit, task=task, action="request_closure", text="已办结")
    frozen(start + dt.timedelta(days=6))
    return services.take_step(actor=office, task=task, action="close", rating="good")


def test_on_time_rate_counts_the_tasks_the_13710_pages_call_on_time(sup, frozen):
    start = dt.date(2024, 5, 6)  # a Monday: no rest day moves the deadlines
    on_time = _run(sup, frozen, start, deploy_after=1)
    late = _run(sup, frozen, start, deploy_after=4)  # "1" missed
    _run(sup, frozen, start, deploy_after=1, close=False)  # still open
    rows = {row.task.pk: row for row in selectors.rows_for([on_time, late])}
    assert rows[on_time.pk].on_time and not rows[late.pk].on_time

    shanxi = sup.org.divisions["140000"]
    rate = registry.get("supervision.closed_on_time_rate")
    assert rate is not None and rate.numerator is not None and rate.records is not None
    assert rate.value(shanxi, 2024) == Decimal("50.0")
    assert list(rate.numerator(rate.records(shanxi, 2024))) == [on_time]  # the drill-down marks exactly this one
    assigned, still_open = registry.get("supervision.tasks_assigned"), registry.get("supervision.tasks_open")
    assert assigned is not None and still_open is not None
    assert assigned.value(shanxi, 2024) == 3 and still_open.value(shanxi, 2024) == 1
    assert assigned.value(sup.org.divisions["140400"], 2024) == 0  # 长治市 has none

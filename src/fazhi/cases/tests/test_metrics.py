"""Case figures on the dashboards and in the annual report count the cases as their pages show them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.reports import registry

from .conftest import act, decide, file, to_notified

pytestmark = pytest.mark.django_db

D2023 = dt.date(2023, 9, 20)


def _figure(code: str, division, year: int) -> Decimal | None:
    metric = registry.get(code)
    assert metric is not None
    return metric.value(division, year)


def test_publication_rate_counts_late_and_unpublished_decisions_against_the_agency(cw):
    decided = [decide(to_notified(cw, file(cw, on=D2023), D2023), dt.date(2023, 9, 27), n=n) for n in (1, 2, 3)]
    on_time = act(decided[0], "publish", on=dt.date(2023, 10, 12))  # the last day (7 working days)
    act(decided[1], "publish", on=dt.date(2023, 10, 13))  # one working day late
    # decided[2] is never published: past due, it counts as not on time
    file(cw, on=dt.date(2023, 11, 2))  # filed, not decided: in the filing count only

    shanxi = cw.base.org.divisions["140000"]
    assert _figure("cases.filed", shanxi, 2023) == 4
    assert _figure("cases.penalty_decisions", shanxi, 2023) == 3
    assert _figure("cases.published_on_time_rate", shanxi, 2023) == Decimal("33.3")
    rate = registry.get("cases.published_on_time_rate")
    assert rate is not None and rate.records is not None and rate.numerator is not None
    assert list(rate.numerator(rate.records(shanxi, 2023))) == [on_time]
    assert _figure("cases.filed", cw.base.org.divisions["140400"], 2023) == 0  # 长治市: no cases
    assert _figure("cases.filed", shanxi, 2022) == 0

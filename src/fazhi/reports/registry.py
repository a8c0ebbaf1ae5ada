"""The one registration point for figures: every number shown on a dashboard, in a report or by the API is a metric.

A module declares its metrics once, in its own ``metrics.py`` (loaded when the reports app starts)::

    from fazhi.core.permissions import CASE_VIEW
    from fazhi.reports.registry import Metric, MetricGroup, register, register_group

    register_group(MetricGroup(code="cases", title="行政执法案件", order=30))
    register(Metric(
        code="cases.filed",                     # stable: reports cite it as {{ metric:cases.filed }}
        title="立案数", unit="件", group="cases",
        definition="年度内立案的行政执法案件数（按立案日期）。",
        records=lambda division, year: EnforcementCase.objects.filter(
            agency__division__path__startswith=division.path, filed_on__year=year),
        permission=CASE_VIEW,                   # drill-down lists only what the viewer may see with it
        public=True,                            # shown to the public (else staff only)
        columns=(("案号", lambda c: c.number), ("立案日期", lambda c: c.filed_on)),
        record_url=lambda c: reverse("cases:staff_case", args=[c.pk]),
    ))

A count metric needs only ``records`` (its value is their count). A rate needs ``records`` (the denominator) and
``numerator`` (a filter of those records); a metric computed some other way gives ``compute``. Every function
receives the division (its subtree is meant: ``division.path`` is a prefix) and the calendar year.

The reports app never imports the modules' models for this; it knows them only through these descriptions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

Records = Callable[[Any, int], QuerySet[Any]]


@dataclass(frozen=True)
class MetricGroup:
    """A dashboard section and a paragraph of the default report narrative."""

    code: str
    title: str
    order: int = 100
    description: str = ""
    expected: bool = False  # shown as "尚未接入" until a metric of the group is registered


@dataclass(frozen=True)
class Metric:
    code: str  # "publicity.penalties_published": dotted, lower case, never reused for another meaning
    title: str  # Chinese title, e.g. "行政处罚信息公示数"
    unit: str  # "件", "人", "%", "项"
    definition: str  # what is counted, from which records, by which date
    group: str  # MetricGroup code
    records: Records | None = None  # the records behind the figure (the denominator of a rate)
    numerator: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None  # rates: which of ``records`` count
    compute: Callable[[Any, int], Decimal | int | None] | None = None  # other figures
    permission: str = ""  # staff permission that scopes the drill-down (``org.scope.restrict``)
    public: bool = False  # the public sees public metrics only
    columns: tuple[tuple[str, Callable[[Any], Any]], ...] = ()  # drill-down table
    record_url: Callable[[Any], str] | None = None  # a record's staff page
    order: int = 100
    chart: bool = False  # compared across the sub-divisions in the dashboard's chart of its group

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None

    def value(self, division: Any, year: int) -> Decimal | None:
        """Compute the figure now (the rollup job stores it; pages read the rollup)."""
        if self.compute is not None:
            result = self.compute(division, year)
            return None if result is None else Decimal(result)
        if self.records is None:
            raise ValueError(f"metric {self.code} has neither records nor compute")
        qs = self.records(division, year)
        if self.numerator is None:
            return Decimal(qs.count())
        total = qs.count()
        if total == 0:
            return None  # a rate of nothing is not 0%
        part = self.numerator(qs).count()
        return (Decimal(part) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def format(self, value: Decimal | None) -> str:
        """The figure as printed: thousands separators, one decimal for rates, the unit attached."""
        if value is None:
            return "—（无可计算记录）" if self.unit == "%" else "—"
        if self.unit == "%":
            return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
        if value == value.to_integral_value():
            return f"{int(value):,}{self.unit}"
        return f"{value:,.2f}{self.unit}"


_METRICS: dict[str, Metric] = {}
_GROUPS: dict[str, MetricGroup] = {}


def register(metric: Metric) -> Metric:
    """Add a metric. Registering the same code again (module reloaded) replaces it."""
    if not metric.code or metric.code != metric.code.strip().lower() or " " in metric.code:
        raise ValueError(f"metric code {metric.code!r} must be lower case without spaces")
    if metric.records is None and metric.compute is None:
        raise ValueError(f"metric {metric.code} needs records or compute")
    if metric.numerator is not None and metric.records is None:
        raise ValueError(f"rate metric {metric.code} needs records (the denominator)")
    _METRICS[metric.code] = metric
    return metric


def register_group(group: MetricGroup) -> MetricGroup:
    previous = _GROUPS.get(group.code)
    if previous is not None and previous.expected and not group.expected:
        _GROUPS[group.code] = group  # the owning module's own description wins over a placeholder
    elif previous is None or not group.expected:
        _GROUPS[group.code] = group
    return _GROUPS[group.code]


def get(code: str) -> Metric | None:
    return _METRICS.get(code)


def all_metrics(*, public_only: bool = False) -> list[Metric]:
    metrics = sorted(_METRICS.values(), key=lambda m: (group_order(m.group), m.order, m.code))
    return [m for m in metrics if m.public or not public_only]


def year_end(year: int) -> dt.date:
    """The day a point-in-time figure of ``year`` is taken (officers on duty, certificates valid, benchmarks in
    force): 31 December, or today within the current year."""
    return min(dt.date(year, 12, 31), timezone.localdate())


def group_order(code: str) -> int:
    group = _GROUPS.get(code)
    return group.order if group else 1000


def groups() -> list[MetricGroup]:
    """Every group, placeholders included, in display order."""
    known = dict(_GROUPS)
    for metric in _METRICS.values():
        known.setdefault(metric.group, MetricGroup(code=metric.group, title=metric.group))
    return sorted(known.values(), key=lambda g: (g.order, g.code))


def group(code: str) -> MetricGroup | None:
    return _GROUPS.get(code)


def metrics_of(group_code: str, *, public_only: bool = False) -> list[Metric]:
    return [m for m in all_metrics(public_only=public_only) if m.group == group_code]


def codes(metrics: Sequence[Metric]) -> list[str]:
    return [m.code for m in metrics]

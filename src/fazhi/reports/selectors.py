"""Reads: figures from the rollup (what dashboards and reports show), drill-downs scoped to the viewer, reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from fazhi.core.errors import NotFound
from fazhi.core.permissions import REPORTS_VIEW
from fazhi.org import scope
from fazhi.org.models import Division

from . import registry
from .models import AnnualReport, MetricValue, ReportStatus, RollupRun
from .services import ROLLUP_LEVELS


@dataclass(frozen=True)
class Figure:
    metric: registry.Metric
    value: Decimal | None
    computed_at: dt.datetime | None  # the data time; None when never computed
    live: bool = False  # computed just now because the rollup had no value yet

    @property
    def text(self) -> str:
        return self.metric.format(self.value)

    @property
    def number(self) -> float | None:
        return float(self.value) if self.value is not None else None


def sees_all_metrics(user: Any, division: Division) -> bool:
    """Staff with 查看统计指标 over the division see every metric of it; everyone else the public ones."""
    return scope.jurisdiction(user, REPORTS_VIEW).covers(division_path=division.path)


def visible_metrics(user: Any, division: Division) -> list[registry.Metric]:
    return registry.all_metrics(public_only=not sees_all_metrics(user, division))


def division_by_code(code: str) -> Division:
    division = Division.objects.filter(code=(code or "").strip(), level__in=ROLLUP_LEVELS).first()
    if division is None:
        raise NotFound("未找到该行政区划（仪表盘与报告按省、市、县三级统计）")
    return division


def province() -> Division | None:
    return Division.objects.filter(parent__isnull=True, level="province").order_by("code").first()


def home_division(user: Any) -> Division | None:
    """Where a user's dashboard opens: the highest division they hold 查看统计指标 over, else the province."""
    juris = scope.jurisdiction(user, REPORTS_VIEW)
    if juris.division_paths:
        codes = [p.rstrip("/").rsplit("/", 1)[-1] for p in juris.division_paths]
        found = Division.objects.filter(code__in=codes, level__in=ROLLUP_LEVELS).order_by("path").first()
        if found is not None:
            return found
    staff = getattr(user, "staff", None) if getattr(user, "is_authenticated", False) else None
    if staff is not None and not juris.everything and juris.agency_paths:
        division = staff.agency.division
        while division is not None and division.level not in ROLLUP_LEVELS:
            division = division.parent
        if division is not None:
            return division
    return province()


def sub_divisions(division: Division) -> QuerySet[Division]:
    return Division.objects.filter(parent=division, level__in=ROLLUP_LEVELS, is_active=True).order_by("code")


def figures(
    divisions: list[Division], year: int, metrics: list[registry.Metric], *, live_missing: bool = False
) -> dict[tuple[int, str], Figure]:
    """The stored figures of ``metrics`` for ``divisions`` in one query; with ``live_missing`` a figure the rollup
    has not computed yet is computed now (and marked live), otherwise it is shown as missing."""
    wanted = {m.code: m for m in metrics}
    out: dict[tuple[int, str], Figure] = {}
    rows = MetricValue.objects.filter(division__in=divisions, year=year, metric__in=list(wanted))
    for row in rows:
        out[(row.division_id, row.metric)] = Figure(wanted[row.metric], row.value, row.computed_at)
    for division in divisions:
        for code, metric in wanted.items():
            if (division.pk, code) in out:
                continue
            if live_missing:
                out[(division.pk, code)] = Figure(metric, metric.value(division, year), timezone.now(), live=True)
            else:
                out[(division.pk, code)] = Figure(metric, None, None)
    return out


def figure(metric: registry.Metric, division: Division, year: int, *, live_missing: bool = True) -> Figure:
    return figures([division], year, [metric], live_missing=live_missing)[(division.pk, metric.code)]


def last_rollup(year: int) -> RollupRun | None:
    return RollupRun.objects.filter(year=year).order_by("-started_at", "-id").first()


@dataclass
class DrillDown:
    metric: registry.Metric
    division: Division
    year: int
    records: QuerySet[Any]
    counted: QuerySet[Any] | None  # rates: the records in the numerator
    figure: Figure


def drilldown(user: Any, code: str, division_code: str, year: int) -> DrillDown:
    """The records behind a figure, limited to what the viewer may see. A division outside the viewer's
    jurisdiction, or a metric they may not see, answers 404 exactly like a missing one."""
    metric = registry.get(code)
    if metric is None or metric.records is None:
        raise NotFound("未找到该指标")
    division = division_by_code(division_code)
    if not sees_all_metrics(user, division):
        raise NotFound("未找到该指标")
    records = metric.records(division, year)
    if metric.permission:
        records = scope.restrict(records, user, metric.permission)
    counted = metric.numerator(records) if metric.numerator is not None else None
    return DrillDown(metric, division, year, records, counted, figure(metric, division, year))


# --- reports --------------------------------------------------------------------------------------------------------


def reports_for(user: Any) -> QuerySet[AnnualReport]:
    """Published reports (public by law) and, for staff, the drafts inside their jurisdiction."""
    base = AnnualReport.objects.select_related("division")
    juris = scope.jurisdiction(user, REPORTS_VIEW)
    condition = Q(status=ReportStatus.PUBLISHED)
    if not juris.empty:
        condition |= juris.q(scope.spec_of(AnnualReport))
    return base.filter(condition).order_by("-year", "division__code")


def report_for(user: Any, pk: int) -> AnnualReport:
    report = reports_for(user).filter(pk=pk).first()
    if report is None:
        raise NotFound("未找到该报告")
    return report


def can_edit(user: Any, report_or_division: Any) -> bool:
    from fazhi.core.permissions import REPORTS_EDIT

    path = report_or_division.division.path if isinstance(report_or_division, AnnualReport) else report_or_division.path
    return scope.jurisdiction(user, REPORTS_EDIT).covers(division_path=path)

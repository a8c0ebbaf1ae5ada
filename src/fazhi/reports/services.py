"""The only writers of the reports app: the rollup job, a staff refresh, and the annual report's life.

Each function is one durable transaction (the rollup: one per division, so an interrupted job resumes where it
stopped) with its audit event written inside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from fazhi.audit.services import record_event
from fazhi.core.errors import Conflict, FieldError, ValidationFailed
from fazhi.core.permissions import REPORTS_EDIT, REPORTS_VIEW
from fazhi.org import scope
from fazhi.org.choices import DivisionLevel
from fazhi.org.models import Division

from . import narrative, registry
from .models import AnnualReport, MetricValue, ReportSection, ReportStatus, RollupRun, RollupStatus

ROLLUP_LEVELS = (DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY)
FIRST_YEAR = 2000


def rollup_divisions(under: Division | None = None) -> QuerySet[Division]:
    """The divisions figures are kept for: the province, its cities and counties (the dashboard's choices)."""
    qs = Division.objects.filter(level__in=ROLLUP_LEVELS, is_active=True).order_by("code")
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    return qs


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationFailed(
            FieldError("year", "year_out_of_range", f"年度应在 {FIRST_YEAR} 年至 {timezone.localdate().year} 年之间")
        )


def _write_values(division: Division, year: int, metrics: Iterable[registry.Metric], now: dt.datetime) -> int:
    rows = [
        MetricValue(
            metric=metric.code, division=division, year=year, value=metric.value(division, year), computed_at=now
        )
        for metric in metrics
    ]
    MetricValue.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["metric", "division", "year"],
        update_fields=["value", "computed_at"],
    )
    return len(rows)


def run_rollup(
    *,
    actor: Any = None,
    year: int,
    under: Division | None = None,
    fresh: bool = False,
    stop_after: int | None = None,
) -> RollupRun:
    """Compute every registered metric for every division (province, cities, counties) of ``year``.

    Divisions are done one per transaction in code order and the run remembers the last one done, so running it
    again after an interruption continues from there (``fresh=True`` starts over). ``stop_after`` stops after that
    many divisions (how tests and operators split a long run).
    """
    _check_year(year)
    metrics = registry.all_metrics()
    with transaction.atomic(durable=True):
        run = None
        if not fresh and under is None:
            run = RollupRun.objects.filter(year=year, status=RollupStatus.RUNNING).order_by("-started_at").first()
        if run is None:
            run = RollupRun.objects.create(year=year, started_at=timezone.now())
    divisions = rollup_divisions(under)
    if run.last_division:
        divisions = divisions.filter(code__gt=run.last_division)
    for done, division in enumerate(divisions.iterator()):
        if stop_after is not None and done >= stop_after:
            return run
        with transaction.atomic(durable=True):
            written = _write_values(division, year, metrics, timezone.now())
            run.last_division = division.code
            run.divisions_done += 1
            run.values_written += written
            run.save(update_fields=["last_division", "divisions_done", "values_written"])
    with transaction.atomic(durable=True):
        run.status = RollupStatus.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
        record_event(
            actor=actor,
            action="reports.rollup.finish",
            target=("reports.rollup", str(run.pk), f"{year} 年指标汇总"),
            after={
                "year": year,
                "divisions": run.divisions_done,
                "values": run.values_written,
                "metrics": len(metrics),
                "under": under.code if under else "",
            },
        )
    return run


def refresh_values(*, actor: Any, division: Division, year: int) -> int:
    """Recompute now the figures a dashboard of ``division`` shows: the division and its direct sub-divisions."""
    _check_year(year)
    scope.require(actor, REPORTS_EDIT, division, visible_with=REPORTS_VIEW)
    metrics = registry.all_metrics()
    targets = list(
        Division.objects.filter(Q(pk=division.pk) | Q(parent=division, level__in=ROLLUP_LEVELS, is_active=True))
    )
    with transaction.atomic(durable=True):
        now = timezone.now()
        written = sum(_write_values(d, year, metrics, now) for d in targets)
        record_event(
            actor=actor,
            action="reports.values.refresh",
            target=division,
            after={"year": year, "divisions": len(targets), "values": written},
        )
    return written


# --- the annual report -------------------------------------------------------------------------------------------


def _check_placeholders(texts: Mapping[str, str]) -> None:
    errors = []
    for field, text in texts.items():
        unknown = sorted({code for code in narrative.placeholders(text) if registry.get(code) is None})
        if unknown:
            errors.append(FieldError(field, "unknown_metric", f"未登记的指标代码：{'、'.join(unknown)}"))
    if errors:
        raise ValidationFailed(errors)


def create_report(*, actor: Any, division: Division, year: int) -> AnnualReport:
    """Start the report of ``division`` for ``year`` as a draft with the default narrative."""
    _check_year(year)
    if division.level not in ROLLUP_LEVELS:
        raise ValidationFailed(FieldError("division", "level", "年度报告只能为省、市、县（区）编写"))
    with transaction.atomic(durable=True):
        scope.require(actor, REPORTS_EDIT, division, visible_with=REPORTS_VIEW)
        if AnnualReport.objects.filter(division=division, year=year).exists():
            raise Conflict(f"{division.name}{year}年度报告已经存在")
        report = AnnualReport.objects.create(
            division=division,
            year=year,
            title=narrative.default_title(division, year),
            intro=narrative.default_intro(division, year),
        )
        bodies = narrative.default_sections(division, year)
        ReportSection.objects.bulk_create(
            ReportSection(report=report, number=n, key=key, heading=heading, body=bodies[key])
            for n, (key, heading) in enumerate(narrative.SECTIONS, start=1)
        )
        record_event(
            actor=actor, action="reports.annual.create", target=report, after={"year": year, "title": report.title}
        )
    return report


def update_report(
    *, actor: Any, report: AnnualReport, title: str, intro: str, sections: Mapping[str, str]
) -> AnnualReport:
    """Save the staff's text of a draft. Placeholders must name registered metrics."""
    title = (title or "").strip()
    errors = []
    if not title:
        errors.append(FieldError("title", "required", "请填写报告标题"))
    elif len(title) > 200:
        errors.append(FieldError("title", "too_long", "报告标题不能超过 200 个字"))
    if errors:
        raise ValidationFailed(errors)
    _check_placeholders({"intro": intro, **sections})
    with transaction.atomic(durable=True):
        report = AnnualReport.objects.select_for_update().select_related("division").get(pk=report.pk)
        scope.require(actor, REPORTS_EDIT, report, visible_with=REPORTS_VIEW)
        if report.is_published:
            raise Conflict("报告已经发布，不能再修改")
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        if report.title != title or report.intro != intro:
            before.update(title=report.title, intro=report.intro)
            report.title, report.intro = title, intro
            after.update(title=title, intro=intro)
        report.save(update_fields=["title", "intro", "updated_at"])
        for section in report.sections.select_for_update():
            text = sections.get(section.key)
            if text is None or text == section.body:
                continue
            before[section.key], after[section.key] = section.body, text
            section.body = text
            section.save(update_fields=["body"])
        record_event(actor=actor, action="reports.annual.update", target=report, before=before, after=after)
    return report


def publish_report(*, actor: Any, report: AnnualReport, on: dt.date | None = None) -> AnnualReport:
    """Publish a draft on ``on`` (today by default); on time when before 4月1日 of the following year."""
    from .render import figures_of

    on = on or timezone.localdate()
    with transaction.atomic(durable=True):
        report = AnnualReport.objects.select_for_update().select_related("division").get(pk=report.pk)
        scope.require(actor, REPORTS_EDIT, report, visible_with=REPORTS_VIEW)
        if report.is_published:
            raise Conflict("报告已经发布")
        if on.year <= report.year:
            raise ValidationFailed(FieldError("on", "too_early", f"{report.year}年度报告应在{report.year + 1}年发布"))
        report.status = ReportStatus.PUBLISHED
        report.published_on = on
        report.published_at = timezone.now()
        report.published_on_time = on < report.deadline
        report.save(update_fields=["status", "published_on", "published_at", "published_on_time", "updated_at"])
        record_event(
            actor=actor,
            action="reports.annual.publish",
            target=report,
            before={"status": ReportStatus.DRAFT},
            after={
                "status": report.status,
                "published_on": on,
                "on_time": report.published_on_time,
                "figures": figures_of(report),  # what the published text said, for the record
            },
        )
    return report

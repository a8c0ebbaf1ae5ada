"""Reads of the clock app. Time limits and the calendar are public; clocks are read through their subject, so
the owning module's own permission checks apply before it asks for them."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .choices import RunStatus
from .models import CalendarOverride, CalendarYear, ClockRun, TimeLimit, TimeLimitQuerySet, resolve_time_limit

__all__ = [
    "all_time_limits",
    "calendar_overrides",
    "calendar_years",
    "open_runs_due_by",
    "resolve_time_limit",
    "runs_for",
    "time_limit_choices",
    "time_limit_history",
    "time_limits_in_force",
]


def all_time_limits() -> TimeLimitQuerySet:
    """Every version of every time limit, by code then newest first."""
    return TimeLimit.objects.order_by("code", "-valid_from")


def time_limits_in_force(on: date) -> TimeLimitQuerySet:
    """The version of each time limit in force on ``on``."""
    return TimeLimit.objects.in_force(on).order_by("code")


def time_limit_history(code: str) -> TimeLimitQuerySet:
    return TimeLimit.objects.filter(code=code).order_by("valid_from")


def time_limit_choices() -> list[tuple[str, str]]:
    """``(code, label)`` for every code, labelled with its newest version: for select boxes."""
    newest: dict[str, TimeLimit] = {}
    for limit in TimeLimit.objects.order_by("code", "valid_from"):
        newest[limit.code] = limit
    return [(code, f"{limit.name}（{limit.duration_label}）") for code, limit in newest.items()]


def calendar_overrides(year: int | None = None) -> models.QuerySet[CalendarOverride]:
    queryset = CalendarOverride.objects.order_by("date")
    return queryset.filter(date__year=year) if year is not None else queryset


def calendar_years() -> models.QuerySet[CalendarYear]:
    return CalendarYear.objects.order_by("year")


def runs_for(subject: models.Model) -> models.QuerySet[ClockRun]:
    """The clocks of one record, oldest first, with pauses and extensions loaded."""
    content_type = ContentType.objects.get_for_model(subject)
    return (
        ClockRun.objects.filter(content_type=content_type, object_id=str(subject.pk))
        .select_related("time_limit")
        .prefetch_related("pauses", "extensions")
        .order_by("start", "pk")
    )


def open_runs_due_by(day: date) -> models.QuerySet[ClockRun]:
    """Running clocks whose due date is on or before ``day`` (overdue when ``day`` is yesterday)."""
    return ClockRun.objects.filter(status=RunStatus.RUNNING, due_date__lte=day).order_by("due_date", "pk")

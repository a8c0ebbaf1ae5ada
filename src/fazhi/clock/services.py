"""The one write path of the clock app.

Every function takes keyword-only arguments with ``actor`` first (a user, or ``None`` for the system), runs in its
own durable transaction and writes an audit event (``clock.<noun>.<verb>``) in that transaction. Errors are
``FazhiError`` subclasses with Chinese messages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from fazhi.audit.services import record_event, snapshot
from fazhi.core.errors import ErrorList, FieldError, NotFound, ValidationFailed
from fazhi.core.permissions import CLOCK_MANAGE
from fazhi.org import scope

from . import steps
from .calendar import FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR, invalidate_calendar_cache
from .choices import Confidence, TimeUnit
from .models import (
    CalendarOverride,
    CalendarYear,
    ClockRun,
    TimeLimit,
)
from .parsing import MAX_DAYS, required_text

_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


def _require_manager(actor: Any) -> None:
    """The calendar and the statutory time limits are province-wide data: only province-wide managers change them."""
    scope.require_root(actor, CLOCK_MANAGE, "维护工作日历与法定时限需要全省范围的“维护工作日历与法定时限”权限")


def _calendar_changed() -> None:
    # Now, for reads later in this transaction; again after commit, for other threads that reloaded meanwhile.
    invalidate_calendar_cache()
    transaction.on_commit(invalidate_calendar_cache)


def _check_year(errors: ErrorList, field: str, year: int) -> None:
    if not FIRST_SUPPORTED_YEAR <= year <= LAST_SUPPORTED_YEAR:
        errors.add(field, "year_out_of_range", f"年份应在{FIRST_SUPPORTED_YEAR}年至{LAST_SUPPORTED_YEAR}年之间")


# --- calendar -----------------------------------------------------------------------------------------------


def validate_calendar_override(*, date: dt.date, reason: str) -> str:
    """Check an override before saving it (also used by the admin form); returns the cleaned reason."""
    errors = ErrorList()
    _check_year(errors, "date", date.year)
    reason = required_text(errors, "reason", reason, "原因", 200)
    errors.raise_if_any()
    return reason


def _set_override(*, actor: Any, date: dt.date, is_workday: bool, reason: str) -> CalendarOverride:
    reason = validate_calendar_override(date=date, reason=reason)
    override = CalendarOverride.objects.select_for_update().filter(date=date).first()
    before = snapshot(override, ["date", "is_workday", "reason"]) if override else None
    if override is None:
        override = CalendarOverride.objects.create(date=date, is_workday=is_workday, reason=reason)
    else:
        override.is_workday = is_workday
        override.reason = reason
        override.save(update_fields=["is_workday", "reason", "updated_at"])
    after = snapshot(override, ["date", "is_workday", "reason"])
    record_event(actor=actor, action="clock.calendar_override.set", target=override, before=before, after=after)
    return override


@transaction.atomic(durable=True)
def set_calendar_override(*, actor: Any, date: dt.date, is_workday: bool, reason: str) -> CalendarOverride:
    """Make ``date`` a working day (``is_workday=True``) or a rest day, whatever the holiday library says."""
    _require_manager(actor)
    override = _set_override(actor=actor, date=date, is_workday=is_workday, reason=reason)
    _calendar_changed()
    return override


@transaction.atomic(durable=True)
def delete_calendar_override(*, actor: Any, date: dt.date, reason: str = "") -> None:
    """Remove the override of ``date``; the library (or the Monday–Friday rule) answers again."""
    _require_manager(actor)
    override = CalendarOverride.objects.select_for_update().filter(date=date).first()
    if override is None:
        raise NotFound(f"{date.isoformat()}没有日历调整记录", field="date")
    before = snapshot(override, ["date", "is_workday", "reason"])
    record_event(actor=actor, action="clock.calendar_override.delete", target=override, before=before, reason=reason)
    override.delete()
    _calendar_changed()


def validate_calendar_year(*, year: int, source: str) -> str:
    """Check a year entry before saving it (also used by the admin form); returns the cleaned source."""
    errors = ErrorList()
    _check_year(errors, "year", year)
    source = required_text(errors, "source", source, "依据", 300)
    errors.raise_if_any()
    return source


def _set_year(*, actor: Any, year: int, source: str, note: str) -> CalendarYear:
    source = validate_calendar_year(year=year, source=source)
    entry = CalendarYear.objects.select_for_update().filter(year=year).first()
    before = snapshot(entry, ["year", "source", "note"]) if entry else None
    if entry is None:
        entry = CalendarYear.objects.create(year=year, source=source, note=note)
    else:
        entry.source, entry.note = source, note
        entry.save(update_fields=["source", "note"])
    after = snapshot(entry, ["year", "source", "note"])
    record_event(actor=actor, action="clock.calendar_year.set", target=entry, before=before, after=after)
    return entry


@transaction.atomic(durable=True)
def set_calendar_year(*, actor: Any, year: int, source: str, note: str = "") -> CalendarYear:
    """Declare that ``year``'s whole holiday schedule has been entered as overrides, so working days can be counted.

    Enter the holidays and make-up working days first (:func:`set_calendar_override` or
    :func:`import_calendar_year`); every other Monday–Friday of the year then counts as a working day.
    """
    _require_manager(actor)
    entry = _set_year(actor=actor, year=year, source=source, note=note)
    _calendar_changed()
    return entry


@transaction.atomic(durable=True)
def delete_calendar_year(*, actor: Any, year: int, reason: str = "") -> None:
    _require_manager(actor)
    entry = CalendarYear.objects.select_for_update().filter(year=year).first()
    if entry is None:
        raise NotFound(f"{year}年没有人工补录的节假日安排", field="year")
    before = snapshot(entry, ["year", "source", "note"])
    record_event(actor=actor, action="clock.calendar_year.delete", target=entry, before=before, reason=reason)
    entry.delete()
    _calendar_changed()


@transaction.atomic(durable=True)
def import_calendar_year(
    *, actor: Any, year: int, days: Iterable[tuple[dt.date, bool, str]], source: str, note: str = ""
) -> CalendarYear:
    """Enter a year's official schedule in one go: ``days`` are ``(date, is_workday, name)`` for every listed day
    (holidays, including those falling on weekends, and make-up working days); then mark the year as entered.
    """
    _require_manager(actor)
    rows = list(days)
    if not rows:
        raise ValidationFailed(FieldError("days", "required", f"{year}年的节假日安排为空，无法补录"))
    for day, is_workday, name in rows:
        label = name or "节假日安排"
        reason = f"{label}调休上班" if is_workday and day.weekday() >= 5 else label
        _set_override(actor=actor, date=day, is_workday=is_workday, reason=reason)
    entry = _set_year(actor=actor, year=year, source=source, note=note)
    _calendar_changed()
    return entry


# --- time limits --------------------------------------------------------------------------------------------


def _time_limit_fields(limit: TimeLimit) -> dict[str, Any]:
    return snapshot(
        limit,
        ["code", "name", "days", "unit", "legal_source", "valid_from", "valid_to", "note", "confidence"],
    )


def _validate_descriptive(errors: ErrorList, *, name: str, legal_source: str, confidence: str) -> None:
    required_text(errors, "name", name, "名称", 200)
    required_text(errors, "legal_source", legal_source, "法律依据", 5000)
    if confidence and confidence not in Confidence.values:
        errors.add("confidence", "invalid_choice", "可信度应为 high、medium、low 之一或留空")


def validate_time_limit_version(
    *,
    code: str,
    name: str,
    days: int,
    unit: str,
    legal_source: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    confidence: str = "",
) -> None:
    """Check a new version before saving it (also used by the admin form)."""
    errors = ErrorList()
    if not _CODE_RE.match((code or "").strip()):
        errors.add("code", "invalid_code", "代码只能包含小写字母、数字、点、下划线和连字符，例如 sgs.publish")
    _validate_descriptive(errors, name=name, legal_source=legal_source, confidence=confidence)
    if not 0 <= days <= MAX_DAYS:
        errors.add("days", "out_of_range", f"期限数值应在0至{MAX_DAYS}之间")
    if unit not in TimeUnit.values:
        errors.add("unit", "invalid_choice", "单位应为工作日、自然日、月或年")
    _check_year(errors, "valid_from", valid_from.year)
    if valid_to is not None and valid_to < valid_from:
        errors.add("valid_to", "before_valid_from", "失效日期不能早于施行日期")
    errors.raise_if_any()
    if TimeLimit.objects.filter(code=code.strip(), valid_from=valid_from).exists():
        raise ValidationFailed(
            FieldError(
                "valid_from",
                "duplicate_version",
                f"法定期限“{code}”在{valid_from.isoformat()}已有一个版本，请修改该版本或换一个施行日期",
            )
        )


@transaction.atomic(durable=True)
def create_time_limit_version(
    *,
    actor: Any,
    code: str,
    name: str,
    days: int,
    unit: str,
    legal_source: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    note: str = "",
    confidence: str = "",
) -> TimeLimit:
    """Enter a (new version of a) statutory time limit in force from ``valid_from``.

    The version in force the day before ``valid_from`` is closed on that day; when a later version already exists,
    the new one ends the day before it. Running clocks keep the days and unit they started with.
    """
    _require_manager(actor)
    code, name, legal_source = code.strip(), name.strip(), legal_source.strip()
    validate_time_limit_version(
        code=code,
        name=name,
        days=days,
        unit=unit,
        legal_source=legal_source,
        valid_from=valid_from,
        valid_to=valid_to,
        confidence=confidence,
    )
    versions = list(TimeLimit.objects.select_for_update().filter(code=code).order_by("valid_from"))
    earlier = [v for v in versions if v.valid_from < valid_from]
    later = [v for v in versions if v.valid_from > valid_from]
    if later:
        last_day = later[0].valid_from - dt.timedelta(days=1)
        valid_to = last_day if valid_to is None else min(valid_to, last_day)
    if earlier and (earlier[-1].valid_to is None or earlier[-1].valid_to >= valid_from):
        previous = earlier[-1]
        before = _time_limit_fields(previous)
        previous.valid_to = valid_from - dt.timedelta(days=1)
        previous.save(update_fields=["valid_to", "updated_at"])
        record_event(
            actor=actor,
            action="clock.time_limit.close",
            target=previous,
            before={"valid_to": before["valid_to"]},
            after={"valid_to": previous.valid_to},
            reason=f"新版本自{valid_from.isoformat()}起施行",
        )
    limit = TimeLimit.objects.create(
        code=code,
        name=name,
        days=days,
        unit=unit,
        legal_source=legal_source,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
        confidence=confidence,
    )
    record_event(actor=actor, action="clock.time_limit.create", target=limit, after=_time_limit_fields(limit))
    return limit


def validate_time_limit_update(
    *, limit: TimeLimit, name: str, legal_source: str, confidence: str, valid_to: dt.date | None
) -> None:
    """Check a correction of a version before saving it (also used by the admin form)."""
    errors = ErrorList()
    _validate_descriptive(errors, name=name, legal_source=legal_source, confidence=confidence)
    later = TimeLimit.objects.filter(code=limit.code, valid_from__gt=limit.valid_from).order_by("valid_from").first()
    if valid_to is not None:
        if valid_to < limit.valid_from:
            errors.add("valid_to", "before_valid_from", "失效日期不能早于施行日期")
        elif later is not None and valid_to >= later.valid_from:
            errors.add("valid_to", "overlaps_next", f"失效日期须早于下一版本的施行日期{later.valid_from.isoformat()}")
    elif later is not None:
        errors.add("valid_to", "required", "已有更新的版本，本版本必须有失效日期")
    errors.raise_if_any()


@transaction.atomic(durable=True)
def update_time_limit(
    *,
    actor: Any,
    limit: TimeLimit,
    name: str,
    legal_source: str,
    note: str,
    confidence: str,
    valid_to: dt.date | None,
    reason: str = "",
) -> TimeLimit:
    """Correct the description of a version, or set its last day. Days, unit and dates of force are fixed:
    a changed rule is a new version (:func:`create_time_limit_version`)."""
    _require_manager(actor)
    locked = TimeLimit.objects.select_for_update().get(pk=limit.pk)
    name, legal_source = name.strip(), legal_source.strip()
    validate_time_limit_update(
        limit=locked, name=name, legal_source=legal_source, confidence=confidence, valid_to=valid_to
    )
    before = _time_limit_fields(locked)
    locked.name, locked.legal_source, locked.note = name, legal_source, note
    locked.confidence, locked.valid_to = confidence, valid_to
    locked.save()
    after = _time_limit_fields(locked)
    changed = [key for key in after if after[key] != before[key]]
    record_event(
        actor=actor,
        action="clock.time_limit.update",
        target=locked,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        reason=reason,
    )
    return locked


# --- running clocks (each in its own transaction; inside another service use fazhi.clock.steps) ---------------


@transaction.atomic(durable=True)
def start_clock(*, actor: Any, subject: models.Model, limit_code: str, start: dt.date) -> ClockRun:
    """Start the deadline ``limit_code`` on ``subject`` (any saved record), counted from ``start``.

    Uses the version of the time limit in force on ``start``; at most one open clock per record and limit.
    Raises ``NotFound`` (no such limit in force), ``Conflict`` (already running), ``CalendarDataMissing``.
    """
    return steps.start_clock(actor=actor, subject=subject, limit_code=limit_code, start=start)


@transaction.atomic(durable=True)
def pause_clock(*, actor: Any, run: ClockRun, on: dt.date, reason: str) -> ClockRun:
    """Suspend (中止) a running clock from ``on`` (that day is not counted) until :func:`resume_clock`."""
    return steps.pause_clock(actor=actor, run=run, on=on, reason=reason)


@transaction.atomic(durable=True)
def resume_clock(*, actor: Any, run: ClockRun, on: dt.date, reason: str = "") -> ClockRun:
    """Resume a suspended clock; ``on`` is not counted either, and the due date is recomputed."""
    return steps.resume_clock(actor=actor, run=run, on=on, reason=reason)


@transaction.atomic(durable=True)
def extend_clock(
    *, actor: Any, run: ClockRun, days: int, reason: str, approved_by: str, unit: str | None = None
) -> ClockRun:
    """Extend (延期) a clock by ``days`` ``unit`` (default: the limit's own unit), counted from the due date."""
    return steps.extend_clock(actor=actor, run=run, days=days, reason=reason, approved_by=approved_by, unit=unit)


@transaction.atomic(durable=True)
def stop_clock(*, actor: Any, run: ClockRun, on: dt.date, reason: str = "") -> ClockRun:
    """Stop a clock because the matter was done (办结) on ``on``; a suspension still open ends that day."""
    return steps.stop_clock(actor=actor, run=run, on=on, reason=reason)

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
from fazhi.core.errors import Conflict, ErrorList, FieldError, NotFound, ValidationFailed

from .calendar import FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR, invalidate_calendar_cache
from .choices import Confidence, RunStatus, TimeUnit
from .deadlines import compute_deadline
from .models import (
    CalendarOverride,
    CalendarYear,
    ClockExtension,
    ClockPause,
    ClockRun,
    TimeLimit,
    resolve_time_limit,
)

MAX_PERIOD = 3650
_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


def _calendar_changed() -> None:
    # Now, for reads later in this transaction; again after commit, for other threads that reloaded meanwhile.
    invalidate_calendar_cache()
    transaction.on_commit(invalidate_calendar_cache)


def _check_year(errors: ErrorList, field: str, year: int) -> None:
    if not FIRST_SUPPORTED_YEAR <= year <= LAST_SUPPORTED_YEAR:
        errors.add(field, "year_out_of_range", f"年份应在{FIRST_SUPPORTED_YEAR}年至{LAST_SUPPORTED_YEAR}年之间")


def _required_text(errors: ErrorList, field: str, value: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        errors.add(field, "required", f"请填写{label}")
    elif len(value) > max_length:
        errors.add(field, "too_long", f"{label}不能超过{max_length}个字")
    return value


# --- calendar -----------------------------------------------------------------------------------------------


def validate_calendar_override(*, date: dt.date, reason: str) -> str:
    """Check an override before saving it (also used by the admin form); returns the cleaned reason."""
    errors = ErrorList()
    _check_year(errors, "date", date.year)
    reason = _required_text(errors, "reason", reason, "原因", 200)
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
    override = _set_override(actor=actor, date=date, is_workday=is_workday, reason=reason)
    _calendar_changed()
    return override


@transaction.atomic(durable=True)
def delete_calendar_override(*, actor: Any, date: dt.date, reason: str = "") -> None:
    """Remove the override of ``date``; the library (or the Monday–Friday rule) answers again."""
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
    source = _required_text(errors, "source", source, "依据", 300)
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
    entry = _set_year(actor=actor, year=year, source=source, note=note)
    _calendar_changed()
    return entry


@transaction.atomic(durable=True)
def delete_calendar_year(*, actor: Any, year: int, reason: str = "") -> None:
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
    _required_text(errors, "name", name, "名称", 200)
    _required_text(errors, "legal_source", legal_source, "法律依据", 5000)
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
    if not 0 <= days <= MAX_PERIOD:
        errors.add("days", "out_of_range", f"期限数值应在0至{MAX_PERIOD}之间")
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


# --- running clocks -----------------------------------------------------------------------------------------

_RUN_FIELDS = ["limit_code", "days", "unit", "start", "due_date", "stopped_on", "status"]


def _lock_run(run: ClockRun) -> ClockRun:
    locked = ClockRun.objects.select_for_update().filter(pk=run.pk).first()
    if locked is None:
        raise NotFound("未找到该计时记录")
    return locked


def _recompute(run: ClockRun) -> None:
    if run.status == RunStatus.PAUSED:
        run.due_date = None
        return
    run.due_date = compute_deadline(
        run.start, run.days, run.unit, pauses=list(run.pauses.all()), extensions=list(run.extensions.all())
    )


def _record_run(run: ClockRun, actor: Any, action: str, before: dict[str, Any] | None, reason: str) -> None:
    after = snapshot(run, _RUN_FIELDS)
    after["subject"] = f"{run.content_type.app_label}.{run.content_type.model}#{run.object_id}"
    record_event(actor=actor, action=action, target=run, before=before, after=after, reason=reason)


@transaction.atomic(durable=True)
def start_clock(*, actor: Any, subject: models.Model, limit_code: str, start: dt.date) -> ClockRun:
    """Start the deadline ``limit_code`` on ``subject`` (any saved record), counted from ``start``.

    Uses the version of the time limit in force on ``start``. At most one open clock per record and limit.
    """
    from django.contrib.contenttypes.models import ContentType

    if subject.pk is None:
        raise ValidationFailed(FieldError("subject", "unsaved", "记录尚未保存，不能开始计时"))
    limit = resolve_time_limit(limit_code, start)
    content_type = ContentType.objects.get_for_model(subject)
    open_runs = ClockRun.objects.filter(
        content_type=content_type, object_id=str(subject.pk), limit_code=limit_code
    ).exclude(status=RunStatus.STOPPED)
    if open_runs.exists():
        raise Conflict(f"该记录的“{limit.name}”已在计时，请先结束原计时")
    due = compute_deadline(start, limit.days, limit.unit)
    run = ClockRun.objects.create(
        content_type=content_type,
        object_id=str(subject.pk),
        time_limit=limit,
        limit_code=limit.code,
        days=limit.days,
        unit=limit.unit,
        start=start,
        due_date=due,
        status=RunStatus.RUNNING,
    )
    _record_run(run, actor, "clock.run.start", None, "")
    return run


@transaction.atomic(durable=True)
def pause_clock(*, actor: Any, run: ClockRun, on: dt.date, reason: str) -> ClockRun:
    """Suspend (中止) a running clock from ``on`` (that day is not counted) until :func:`resume_clock`."""
    run = _lock_run(run)
    if run.status != RunStatus.RUNNING:
        raise Conflict(f"只有计时中的期限可以中止（当前状态：{run.get_status_display()}）")
    errors = ErrorList()
    reason = _required_text(errors, "reason", reason, "中止原因", 300)
    if on < run.start:
        errors.add("on", "before_start", f"中止日不能早于起算日{run.start.isoformat()}")
    elif run.due_date is not None and on > run.due_date:
        errors.add("on", "after_due", f"期限已于{run.due_date.isoformat()}届满，不能再中止")
    last = run.pauses.order_by("-start").first()
    if last is not None and last.end is not None and on < last.end:
        errors.add("on", "overlaps_pause", f"中止日不能早于上次恢复计时的日期{last.end.isoformat()}")
    errors.raise_if_any()
    before = snapshot(run, _RUN_FIELDS)
    ClockPause.objects.create(run=run, start=on, reason=reason)
    run.status = RunStatus.PAUSED
    _recompute(run)
    run.save(update_fields=["status", "due_date", "updated_at"])
    _record_run(run, actor, "clock.run.pause", before, reason)
    return run


@transaction.atomic(durable=True)
def resume_clock(*, actor: Any, run: ClockRun, on: dt.date, reason: str = "") -> ClockRun:
    """Resume a suspended clock; counting restarts the day after ``on``, and the due date is recomputed."""
    run = _lock_run(run)
    pause = run.pauses.filter(end__isnull=True).order_by("-start").first()
    if run.status != RunStatus.PAUSED or pause is None:
        raise Conflict(f"只有已中止的期限可以恢复计时（当前状态：{run.get_status_display()}）")
    if on < pause.start:
        raise ValidationFailed(FieldError("on", "before_pause", f"恢复日不能早于中止日{pause.start.isoformat()}"))
    before = snapshot(run, _RUN_FIELDS)
    pause.end = on
    pause.save(update_fields=["end"])
    run.status = RunStatus.RUNNING
    _recompute(run)
    run.save(update_fields=["status", "due_date", "updated_at"])
    _record_run(run, actor, "clock.run.resume", before, reason)
    return run


@transaction.atomic(durable=True)
def extend_clock(
    *, actor: Any, run: ClockRun, days: int, reason: str, approved_by: str, unit: str | None = None
) -> ClockRun:
    """Extend (延期) a clock by ``days`` ``unit`` (default: the limit's own unit), counted from the current due date."""
    run = _lock_run(run)
    if run.status == RunStatus.STOPPED:
        raise Conflict("已结束的计时不能延期")
    errors = ErrorList()
    unit = unit or run.unit
    if not 1 <= days <= MAX_PERIOD:
        errors.add("days", "out_of_range", f"延长数值应在1至{MAX_PERIOD}之间")
    if unit not in TimeUnit.values:
        errors.add("unit", "invalid_choice", "单位应为工作日、自然日、月或年")
    reason = _required_text(errors, "reason", reason, "延期理由", 300)
    approved_by = _required_text(errors, "approved_by", approved_by, "批准人", 100)
    errors.raise_if_any()
    before = snapshot(run, _RUN_FIELDS)
    ClockExtension.objects.create(run=run, days=days, unit=unit, reason=reason, approved_by=approved_by)
    _recompute(run)
    run.save(update_fields=["due_date", "updated_at"])
    _record_run(run, actor, "clock.run.extend", before, reason)
    return run


@transaction.atomic(durable=True)
def stop_clock(*, actor: Any, run: ClockRun, on: dt.date, reason: str = "") -> ClockRun:
    """Stop a clock because the matter was done (办结) on ``on``; a suspension still open ends that day."""
    run = _lock_run(run)
    if run.status == RunStatus.STOPPED:
        raise Conflict(f"该计时已于{run.stopped_on.isoformat() if run.stopped_on else ''}结束")
    if on < run.start:
        raise ValidationFailed(FieldError("on", "before_start", f"办结日不能早于起算日{run.start.isoformat()}"))
    before = snapshot(run, _RUN_FIELDS)
    open_pause = run.pauses.filter(end__isnull=True).first()
    if open_pause is not None:
        open_pause.end = max(on, open_pause.start)
        open_pause.save(update_fields=["end"])
    run.status = RunStatus.STOPPED
    run.stopped_on = on
    _recompute(run)
    run.save(update_fields=["status", "stopped_on", "due_date", "updated_at"])
    _record_run(run, actor, "clock.run.stop", before, reason)
    return run

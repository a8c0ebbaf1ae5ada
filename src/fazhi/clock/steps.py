"""Clock operations that join the caller's transaction, for other apps' services.

A module whose own service changes a record and starts, pauses or stops its clock in the same transaction calls
these (``from fazhi.clock import steps as clock_steps``) inside its ``transaction.atomic(durable=True)`` block.
Views, the API and commands call :mod:`fazhi.clock.services` instead, whose functions of the same names open
their own durable transaction. Each step locks the clock row, validates, writes, and records an audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from fazhi.audit.services import record_event, snapshot
from fazhi.core.errors import Conflict, ErrorList, FieldError, NotFound, ValidationFailed

from .choices import RunStatus, TimeUnit
from .deadlines import compute_deadline
from .models import ClockExtension, ClockPause, ClockRun, resolve_time_limit
from .parsing import MAX_DAYS, required_text


def _require_transaction(name: str) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError(
            f"fazhi.clock.steps.{name} must run inside the caller's transaction; "
            f"outside one, call fazhi.clock.services.{name}"
        )


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


def start_clock(*, actor: Any, subject: models.Model, limit_code: str, start: dt.date) -> ClockRun:
    """Start the deadline ``limit_code`` on ``subject`` (any saved record), counted from ``start``.

    Uses the version of the time limit in force on ``start``. At most one open clock per record and limit.
    """
    _require_transaction("start_clock")
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


def pause_clock(*, actor: Any, run: ClockRun, on: dt.date, reason: str) -> ClockRun:
    """Suspend (中止) a running clock from ``on`` (that day is not counted) until :func:`resume_clock`."""
    _require_transaction("pause_clock")
    run = _lock_run(run)
    if run.status != RunStatus.RUNNING:
        raise Conflict(f"只有计时中的期限可以中止（当前状态：{run.get_status_display()}）")
    errors = ErrorList()
    reason = required_text(errors, "reason", reason, "中止原因", 300)
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


def resume_clock(*, actor: Any, run: ClockRun, on: dt.date, reason: str = "") -> ClockRun:
    """Resume a suspended clock; counting restarts the day after ``on``, and the due date is recomputed."""
    _require_transaction("resume_clock")
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


def extend_clock(
    *, actor: Any, run: ClockRun, days: int, reason: str, approved_by: str, unit: str | None = None
) -> ClockRun:
    """Extend (延期) a clock by ``days`` ``unit`` (default: the limit's own unit), counted from the current due date."""
    _require_transaction("extend_clock")
    run = _lock_run(run)
    if run.status == RunStatus.STOPPED:
        raise Conflict("已结束的计时不能延期")
    errors = ErrorList()
    unit = unit or run.unit
    if not 1 <= days <= MAX_DAYS:
        errors.add("days", "out_of_range", f"延长数值应在1至{MAX_DAYS}之间")
    if unit not in TimeUnit.values:
        errors.add("unit", "invalid_choice", "单位应为工作日、自然日、月或年")
    reason = required_text(errors, "reason", reason, "延期理由", 300)
    approved_by = required_text(errors, "approved_by", approved_by, "批准人", 100)
    errors.raise_if_any()
    before = snapshot(run, _RUN_FIELDS)
    ClockExtension.objects.create(run=run, days=days, unit=unit, reason=reason, approved_by=approved_by)
    _recompute(run)
    run.save(update_fields=["due_date", "updated_at"])
    _record_run(run, actor, "clock.run.extend", before, reason)
    return run


def stop_clock(*, actor: Any, run: ClockRun, on: dt.date, reason: str = "") -> ClockRun:
    """Stop a clock because the matter was done (办结) on ``on``; a suspension still open ends that day."""
    _require_transaction("stop_clock")
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

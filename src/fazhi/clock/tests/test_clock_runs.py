from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from fazhi.audit.models import AuditEvent
from fazhi.clock import selectors, services
from fazhi.clock.calendar import CalendarDataMissing
from fazhi.clock.choices import DeadlineStatus, RunStatus
from fazhi.clock.models import ClockRun
from fazhi.core.errors import Conflict, ValidationFailed

pytestmark = pytest.mark.django_db

START = date(2020, 9, 28)  # 行政许可 accepted on Monday before National Day


def _actions_since(seq: int) -> list[str]:
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq").values_list("action", flat=True))


def _last_seq() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def test_full_life_of_a_licensing_clock(actor: Any, subject: Any) -> None:
    seq = _last_seq()
    run = services.start_clock(actor=actor, subject=subject, limit_code="licensing.decide", start=START)
    # 20 working days: 9-29, 9-30, 10-9, 10-10 (调休), 10-12 ... 11-2
    assert (run.days, run.unit, run.due_date, run.status) == (20, "working", date(2020, 11, 2), RunStatus.RUNNING)
    assert run.deadline_status(today=date(2020, 10, 20)) is DeadlineStatus.ON_TIME

    run = services.pause_clock(actor=actor, run=run, on=date(2020, 10, 12), reason="组织听证")
    assert (run.status, run.due_date) == (RunStatus.PAUSED, None)
    assert run.deadline_status(today=date(2020, 10, 13)) is DeadlineStatus.PAUSED
    assert run.projected_due_date(date(2020, 10, 14)) == date(2020, 11, 5)

    # 10-12, 10-13, 10-14 (three working days) are not counted
    run = services.resume_clock(actor=actor, run=run, on=date(2020, 10, 14))
    assert (run.status, run.due_date) == (RunStatus.RUNNING, date(2020, 11, 5))

    run = services.extend_clock(
        actor=actor, run=run, days=10, reason="情况复杂，经负责人批准延长十日", approved_by="局长 王某"
    )
    assert run.due_date == date(2020, 11, 19)
    assert run.deadline_status(today=date(2020, 11, 18)) is DeadlineStatus.DUE_SOON
    assert run.deadline_status(today=date(2020, 11, 20)) is DeadlineStatus.OVERDUE

    run = services.stop_clock(actor=actor, run=run, on=date(2020, 11, 18), reason="作出准予许可决定")
    assert (run.status, run.stopped_on, run.due_date) == (RunStatus.STOPPED, date(2020, 11, 18), date(2020, 11, 19))
    assert run.deadline_status() is DeadlineStatus.DONE_ON_TIME

    assert _actions_since(seq) == [
        "clock.run.start",
        "clock.run.pause",
        "clock.run.resume",
        "clock.run.extend",
        "clock.run.stop",
    ]
    stop_event = AuditEvent.objects.get(action="clock.run.stop")
    assert stop_event.before["status"] == "running" and stop_event.after["status"] == "stopped"
    assert stop_event.reason == "作出准予许可决定"
    assert stop_event.after["subject"] == f"auth.user#{subject.pk}"

    stored = selectors.runs_for(subject).get()
    assert [(p.start, p.end) for p in stored.pauses.all()] == [(date(2020, 10, 12), date(2020, 10, 14))]
    assert [(e.days, e.unit, e.approved_by) for e in stored.extensions.all()] == [(10, "working", "局长 王某")]


def test_finished_late(actor: Any, subject: Any) -> None:
    run = services.start_clock(actor=actor, subject=subject, limit_code="sgs.publish", start=START)
    assert run.due_date == date(2020, 10, 14)
    run = services.stop_clock(actor=actor, run=run, on=date(2020, 10, 15))
    assert run.deadline_status() is DeadlineStatus.DONE_LATE


def test_clock_uses_the_version_in_force_on_its_start(actor: Any, subject: Any) -> None:
    run = services.start_clock(actor=actor, subject=subject, limit_code="penalty.hearing_request", start=START)
    assert (run.days, run.unit, run.duration_label) == (3, "calendar", "3日")
    assert "2017年修正" in run.time_limit.legal_source
    # a new version entered later does not change a running clock
    services.create_time_limit_version(
        actor=actor,
        code="penalty.hearing_request",
        name="行政处罚：当事人要求听证",
        days=10,
        unit="working",
        legal_source="假设的新规定",
        valid_from=date(2030, 1, 1),
    )
    run.refresh_from_db()
    assert (run.days, run.unit) == (3, "calendar")


def test_stopping_a_paused_clock_ends_the_pause(actor: Any, subject: Any) -> None:
    run = services.start_clock(actor=actor, subject=subject, limit_code="petition.conclude", start=date(2020, 6, 1))
    assert run.due_date == date(2020, 7, 31)
    run = services.pause_clock(actor=actor, run=run, on=date(2020, 6, 10), reason="等待鉴定结论")
    run = services.stop_clock(actor=actor, run=run, on=date(2020, 6, 19), reason="信访人撤回")
    assert run.pauses.get().end == date(2020, 6, 19)
    # 6-10..6-19 (ten days) are not counted: 7-31 + 10 days = 8-10 (Monday)
    assert run.due_date == date(2020, 8, 10)
    assert run.deadline_status() is DeadlineStatus.DONE_ON_TIME


def test_one_open_clock_per_record_and_limit(actor: Any, subject: Any) -> None:
    first = services.start_clock(actor=actor, subject=subject, limit_code="sgs.publish", start=START)
    with pytest.raises(Conflict) as caught:
        services.start_clock(actor=actor, subject=subject, limit_code="sgs.publish", start=START)
    assert "已在计时" in caught.value.message
    services.stop_clock(actor=actor, run=first, on=date(2020, 10, 9))
    again = services.start_clock(actor=actor, subject=subject, limit_code="sgs.publish", start=date(2020, 10, 9))
    assert again.pk != first.pk
    assert selectors.runs_for(subject).count() == 2


def test_wrong_transitions_are_refused_and_change_nothing(actor: Any, subject: Any) -> None:
    run = services.start_clock(actor=actor, subject=subject, limit_code="sgs.publish", start=START)
    seq = _last_seq()
    with pytest.raises(Conflict, match="只有已中止的期限可以恢复计时"):
        services.resume_clock(actor=actor, run=run, on=date(2020, 9, 30))
    with pytest.raises(ValidationFailed) as early:
        services.pause_clock(actor=actor, run=run, on=date(2020, 9, 1), reason="补正")
    assert early.value.message == "中止日不能早于起算日2020-09-28"
    with pytest.raises(ValidationFailed) as no_reason:
        services.pause_clock(actor=actor, run=run, on=date(2020, 9, 29), reason=" ")
    assert no_reason.value.message == "请填写中止原因"
    with pytest.raises(ValidationFailed) as late:
        services.pause_clock(actor=actor, run=run, on=date(2020, 10, 20), reason="补正")
    assert late.value.message == "期限已于2020-10-14届满，不能再中止"
    with pytest.raises(ValidationFailed) as extension:
        services.extend_clock(actor=actor, run=run, days=0, reason="", approved_by="")
    assert {e.field for e in extension.value.errors} == {"days", "reason", "approved_by"}
    services.pause_clock(actor=actor, run=run, on=date(2020, 9, 29), reason="补正")
    with pytest.raises(Conflict, match="只有计时中的期限可以中止"):
        services.pause_clock(actor=actor, run=run, on=date(2020, 9, 30), reason="补正")
    with pytest.raises(ValidationFailed, match="恢复日不能早于中止日"):
        services.resume_clock(actor=actor, run=run, on=date(2020, 9, 28))
    services.stop_clock(actor=actor, run=run, on=date(2020, 10, 9))
    with pytest.raises(Conflict, match="已结束的计时不能延期"):
        services.extend_clock(actor=actor, run=run, days=5, reason="延期", approved_by="局长")
    with pytest.raises(Conflict, match="该计时已于2020-10-09结束"):
        services.stop_clock(actor=actor, run=run, on=date(2020, 10, 9))
    assert _actions_since(seq) == ["clock.run.pause", "clock.run.stop"]


def test_clock_in_an_uncovered_year_is_not_started(actor: Any, subject: Any) -> None:
    seq = _last_seq()
    with pytest.raises(CalendarDataMissing):
        services.start_clock(actor=actor, subject=subject, limit_code="sgs.publish", start=date(2027, 3, 1))
    assert not ClockRun.objects.exists()
    assert _actions_since(seq) == []


def test_unknown_limit_and_unsaved_subject(actor: Any, subject: Any) -> None:
    from django.contrib.auth import get_user_model

    from fazhi.core.errors import NotFound

    with pytest.raises(NotFound, match="未找到代码为“nope”的法定期限"):
        services.start_clock(actor=actor, subject=subject, limit_code="nope", start=START)
    with pytest.raises(ValidationFailed, match="记录尚未保存"):
        services.start_clock(actor=actor, subject=get_user_model()(username="x"), limit_code="sgs.publish", start=START)


def test_calendar_services_write_audit_events(actor: Any) -> None:
    seq = _last_seq()
    services.set_calendar_override(actor=actor, date=date(2020, 10, 12), is_workday=False, reason="台风停工")
    services.set_calendar_override(actor=actor, date=date(2020, 10, 12), is_workday=False, reason="台风停工一天")
    services.delete_calendar_override(actor=actor, date=date(2020, 10, 12), reason="误录")
    services.set_calendar_year(actor=actor, year=2027, source="国务院办公厅通知")
    services.delete_calendar_year(actor=actor, year=2027)
    assert _actions_since(seq) == [
        "clock.calendar_override.set",
        "clock.calendar_override.set",
        "clock.calendar_override.delete",
        "clock.calendar_year.set",
        "clock.calendar_year.delete",
    ]
    update = AuditEvent.objects.filter(action="clock.calendar_override.set").order_by("seq").last()
    assert update is not None
    assert (update.before["reason"], update.after["reason"]) == ("台风停工", "台风停工一天")
    deletion = AuditEvent.objects.get(action="clock.calendar_override.delete")
    assert deletion.reason == "误录" and deletion.actor_name == "clock_admin"


def test_overdue_selector(actor: Any, subject: Any) -> None:
    run = services.start_clock(actor=actor, subject=subject, limit_code="sgs.publish", start=START)
    assert list(selectors.open_runs_due_by(date(2020, 10, 13))) == []
    assert list(selectors.open_runs_due_by(date(2020, 10, 14))) == [run]

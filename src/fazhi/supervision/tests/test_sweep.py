"""The sweep marks overdue items, reminds the lead unit (in the app and by e-mail) and escalates to the assigning
office after the configured delay — and running it again changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from fazhi.audit.models import AuditEvent
from fazhi.supervision import selectors, services
from fazhi.supervision.models import Notice, SupervisionRule, Task

from .conftest import make_task

pytestmark = pytest.mark.django_db

D = dt.date


def _resolve_overdue_task(sup, frozen):
    """Assigned 2020-09-01, deployed and reported on time, never closed: only "7" (due 09-08) runs late."""
    frozen(D(2020, 9, 1))
    task = make_task(sup, on=D(2020, 9, 1))
    u = sup.users["taiyuan_office"]
    services.take_step(actor=u, task=task, action="sign")
    services.take_step(actor=u, task=task, action="deploy", text="部署")
    services.take_step(actor=u, task=task, action="progress", text="进展")
    return task


def test_sweep_reminds_once_and_escalates_once(sup, frozen, django_capture_on_commit_callbacks):
    task = _resolve_overdue_task(sup, frozen)
    assert services.sweep_overdue(today=D(2020, 9, 8)).reminders == 0  # due today: not overdue yet

    frozen(D(2020, 9, 9))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("supervision", "sweep")
    task.refresh_from_db()
    assert task.overdue_marked_on == D(2020, 9, 9) and task.escalated_on is None
    assert [m.to for m in mail.outbox] == [["taiyuan_office@example.cn"]]
    assert "逾期" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        call_command("supervision", "sweep")
    assert len(mail.outbox) == 1

    # escalate_after = 3 calendar days after 09-08 → escalated from 09-12 (the day after 09-11)
    assert services.sweep_overdue(today=D(2020, 9, 11)).escalations == 0
    frozen(D(2020, 9, 12))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.sweep_overdue()
    assert (first.reminders, first.escalations) == (0, 1)
    events = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.sweep_overdue()
    assert (again.reminders, again.escalations, again.marked) == (0, 0, 0)
    assert AuditEvent.objects.count() == events
    assert Notice.objects.filter(kind="overdue").count() == 1
    escalation = Notice.objects.get(kind="escalation")
    assert escalation.recipient == sup.units["province_office"]
    assert [m.to for m in mail.outbox] == [["taiyuan_office@example.cn"], ["province_office@example.cn"]]
    task.refresh_from_db()
    assert task.escalated_on == D(2020, 9, 12)
    # shown in the app to the reminded unit
    assert [n.kind for n in selectors.notices_for(sup.users["taiyuan_office"]) if n.kind != "assigned"] == ["overdue"]


def test_the_escalation_delay_is_data(sup, frozen):
    _resolve_overdue_task(sup, frozen)
    services.update_rule(actor=sup.users["province_office"], code="escalate_after", days=0, unit="calendar")
    assert SupervisionRule.objects.get(code="escalate_after").days == 0
    result = services.sweep_overdue(today=D(2020, 9, 9))
    assert (result.reminders, result.escalations) == (1, 1)
    with pytest.raises(Exception, match="省级督办机构"):
        services.update_rule(actor=sup.users["taiyuan_office"], code="escalate_after", days=9, unit="calendar")


def test_closed_tasks_are_not_swept(sup, frozen):
    task = _resolve_overdue_task(sup, frozen)
    frozen(D(2020, 9, 20))
    services.take_step(actor=sup.users["taiyuan_office"], task=task, action="request_closure", text="办结")
    services.take_step(actor=sup.users["province_office"], task=task, action="close", rating="pass")
    assert services.sweep_overdue().reminders == 0
    assert Task.objects.get(pk=task.pk).overdue_marked_on is None
    assert selectors.task_row(task).resolve.status == "done_late"

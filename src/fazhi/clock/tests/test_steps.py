"""Other apps start and stop clocks inside their own service's transaction through ``fazhi.clock.steps``."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import transaction

from fazhi.audit.models import AuditEvent
from fazhi.clock import services, steps
from fazhi.clock.models import ClockRun

pytestmark = pytest.mark.django_db


class _Boom(Exception):
    pass


def test_a_clock_started_in_a_failed_transaction_disappears_with_it(actor: Any, subject: Any) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(_Boom), transaction.atomic(durable=True):
        run = steps.start_clock(actor=actor, subject=subject, limit_code="sgs.publish", start=date(2020, 9, 28))
        assert run.due_date == date(2020, 10, 14)
        raise _Boom  # the calling service fails after starting the clock
    assert not ClockRun.objects.exists()
    assert AuditEvent.objects.count() == events


def test_steps_compose_inside_another_service(actor: Any, subject: Any) -> None:
    with transaction.atomic(durable=True):
        run = steps.start_clock(actor=actor, subject=subject, limit_code="sgs.publish", start=date(2020, 9, 28))
        run = steps.stop_clock(actor=actor, run=run, on=date(2020, 10, 9))
    assert ClockRun.objects.get().stopped_on == date(2020, 10, 9)
    # the durable services cannot be nested; that is what the steps are for
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic(durable=True):
        services.start_clock(actor=actor, subject=subject, limit_code="sgs.publish", start=date(2020, 10, 9))


def test_steps_refuse_to_run_outside_a_transaction(actor: Any, subject: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    class NoTransaction:
        in_atomic_block = False

    monkeypatch.setattr(steps, "connection", NoTransaction())
    with pytest.raises(RuntimeError, match=r"call fazhi\.clock\.services\.start_clock"):
        steps.start_clock(actor=actor, subject=subject, limit_code="sgs.publish", start=date(2020, 9, 28))

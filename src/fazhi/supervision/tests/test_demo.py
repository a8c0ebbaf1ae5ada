"""The demo builds tasks in every state through the services, deterministically."""

from __future__ import annotations

import random
import time

import pytest

from fazhi.supervision.demo import generate_supervision
from fazhi.supervision.models import Task

pytestmark = pytest.mark.django_db


def test_demo_builds_every_state(sup):
    started = time.monotonic()
    counts = generate_supervision(rng=random.Random(7), scale="small")
    assert time.monotonic() - started < 10
    assert counts["supervision_tasks"] == Task.objects.count() > 0
    assert (
        counts["supervision_closed_tasks"] > 0
        and counts["supervision_returned_tasks"] > 0
        and counts["supervision_overdue_tasks"] > 0
    )
    assert counts["supervision_split_tasks"] > 0 and counts["supervision_reminders"] > 0
    states = set(Task.objects.values_list("state", flat=True))
    assert {"assigned", "signed", "in_progress", "closure_requested", "returned", "closed"} <= states
    assert set(Task.objects.exclude(rating="").values_list("rating", flat=True)) >= {"excellent", "good", "pass"}
    assert generate_supervision(rng=random.Random(7), scale="small") == counts  # runs once

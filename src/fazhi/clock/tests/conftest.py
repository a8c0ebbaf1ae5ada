from __future__ import annotations

import importlib
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _seeded_time_limits(request: pytest.FixtureRequest) -> None:
    """The seed migration's time limits, even after a transactional test (e.g. a live-server browser test)
    flushed the tables, or with ``--reuse-db`` on a database flushed by an earlier run."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from django.apps import apps

    from fazhi.clock.models import TimeLimit

    if not TimeLimit.objects.exists():
        importlib.import_module("fazhi.clock.migrations.0002_seed_time_limits").seed(apps, None)


@pytest.fixture
def actor(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    # The calendar and time limits are province-wide data; a superuser may change them (see test_permissions).
    return get_user_model().objects.create_superuser(username="clock_admin", password="ceshi-mima-2026", email="")


@pytest.fixture
def subject(db: Any) -> Any:
    """Any saved record can carry a clock; a user row stands in for a case or a petition."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="case_0001")

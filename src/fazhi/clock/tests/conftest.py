from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fazhi.clock.calendar import invalidate_calendar_cache


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    """Each test starts from the calendar in its own database (the cache outlives rolled-back transactions)."""
    invalidate_calendar_cache()
    yield
    invalidate_calendar_cache()


@pytest.fixture
def actor(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="clock_admin", password="ceshi-mima-2026")


@pytest.fixture
def subject(db: Any) -> Any:
    """Any saved record can carry a clock; a user row stands in for a case or a petition."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="case_0001")

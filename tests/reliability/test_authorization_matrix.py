"""Every staff page and API operation, four roles at different levels: outside jurisdiction is 404, denied writes
change nothing, no server errors (tests/reliability/matrix.py says exactly what is checked)."""

from __future__ import annotations

import pytest
from django.test import Client

from fazhi.org import scope

from .conftest import record_figures
from .matrix import KNOWN_GAPS, run_matrix

pytestmark = pytest.mark.django_db


def test_authorization_matrix_over_every_route(demo):
    result = run_matrix(Client(raise_request_exception=False), demo)
    record_figures("authorization", result.summary())
    assert not result.uncovered, (
        "routes the matrix cannot sample (add a sampler to matrix.PAGE_PARAMS / _api_value, or list the route in"
        f" KNOWN_GAPS with the reason): {result.uncovered}"
    )
    assert not result.failures, "\n".join(result.failures)
    stale = set(KNOWN_GAPS) - set(result.routes)
    assert not stale, f"KNOWN_GAPS lists routes that no longer exist: {stale}"
    assert len(result.checked) >= 100


def test_planted_scope_leak_is_caught(demo, monkeypatch):
    """Plant the bug the matrix exists for: staff reads no longer restricted to the user's jurisdiction."""
    monkeypatch.setattr(
        scope, "restrict", lambda queryset, user, permission: queryset if user.is_authenticated else queryset.none()
    )
    result = run_matrix(
        Client(raise_request_exception=False),
        demo,
        only=lambda key: key.startswith(("ingest:", "GET /api/v1/ingest", "enforcement:staff")),
    )
    assert any("other city's county" in f for f in result.failures), result.failures

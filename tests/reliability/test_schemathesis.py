"""Schemathesis against the live OpenAPI schema: generated calls of every operation — anonymous, and as a superuser
through an API token — get no server error. ``FAZHI_SCHEMATHESIS_EXAMPLES`` (default 6) sets the examples per
operation and identity; the long suite (``make reliability``) raises it."""

from __future__ import annotations

import os
from typing import Any

import pytest

from .conftest import record_figures

schemathesis = pytest.importorskip("schemathesis")

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FAZHI_SCHEMATHESIS_EXAMPLES", "6"))

# Server errors found by this suite in apps outside it, reported to their owners and not yet fixed: the test reports
# them as an expected failure (XFAIL, with the reason) while any other server error fails it. Which of them a run
# hits depends on the examples drawn, so a fixed one is not detected here: remove its entry when it is fixed.
REPORTED_BUGS: dict[str, str] = {}


def _fuzz(token: str | None, only: str = "") -> tuple[int, int, list[str]]:
    """Like Django's test client, keep the test's connection open across requests (the WSGI handler would close it
    when each request finishes, and with it the test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return _fuzz_all(token, only)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _fuzz_all(token: str | None, only: str) -> tuple[int, int, list[str]]:
    from django.core.wsgi import get_wsgi_application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    operations = 0
    counter = [0]
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if only and only not in operation.path:
            continue
        operations += 1

        _run(operation, headers, failures, counter)
    return operations, counter[0], failures


def _run(operation: Any, headers: dict[str, str], failures: list[str], counter: list[int]) -> None:
    from hypothesis import HealthCheck, given, settings

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def call(case: Any) -> None:
        counter[0] += 1
        response = case.call(headers=headers)
        if response.status_code >= 500:
            failures.append(
                f"{operation.method.upper()} {operation.path}: {response.status_code} for"
                f" path={case.path_parameters} query={case.query} body={str(case.body)[:120]!r}"
            )

    call()


def test_no_server_errors_anonymous_and_as_superuser(demo):
    from fazhi.org.services import create_api_token

    _, token = create_api_token(actor=demo["superuser"], user=demo["superuser"], name="schemathesis")
    ops, anon_calls, failures = _fuzz(None)
    _, staff_calls, staff_failures = _fuzz(token)
    failures += staff_failures
    record_figures(
        "schemathesis", {"operations": ops, "calls": anon_calls + staff_calls, "server_errors": len(failures)}
    )
    assert ops >= 80
    known = {op for op in REPORTED_BUGS if any(f.startswith(op + ":") for f in failures)}
    new = [f for f in failures if f.split(":")[0] not in REPORTED_BUGS]
    assert not new, "\n".join(sorted(set(new))[:40])
    if known:
        pytest.xfail("reported bugs still present: " + "; ".join(f"{op}: {REPORTED_BUGS[op]}" for op in sorted(known)))


def test_planted_server_error_is_caught(demo, monkeypatch):
    """Plant a crash in one public operation: the fuzzing reports it."""
    from fazhi.clock import api as clock_api

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("planted")

    monkeypatch.setattr(clock_api, "get_calendar", crash)
    _, _, failures = _fuzz(None, only="/clock/workday")
    assert failures

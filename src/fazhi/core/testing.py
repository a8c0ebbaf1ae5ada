"""Test helpers every module uses to declare its authorization matrix in a few lines.

    def test_case_matrix(client, org_world):
        assert_read_matrix(client, f"/api/v1/cases/{case.pk}", org_world.users, {
            "taiyuan_supervisor": 200, "xiaodian_officer": 200, "shangdang_officer": 404, None: 401,
        })
        assert_write_matrix(client, "patch", url, org_world.users, {...}, payload=lambda who: {...},
                            watch=[EnforcementCase])

A denied write must leave every watched table and the audit chain exactly as they were.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.test import Client

from fazhi.audit.models import AuditEvent


def table_state(watch: Iterable[type[models.Model]]) -> dict[str, list[dict[str, Any]]]:
    """Every row of every watched table (and the audit log), for before/after comparison."""
    state = {}
    models_to_watch: list[type[models.Model]] = [*watch, AuditEvent]
    for model in models_to_watch:
        state[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return state


def _login(client: Client, user: Any) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)


def _call(client: Client, method: str, url: str, payload: Any) -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(
        url, data=json.dumps(payload) if payload is not None else None, content_type="application/json"
    )


def assert_read_matrix(client: Client, url: str, users: dict[str, Any], expected: dict[str | None, int]) -> None:
    """``expected`` maps a user key (``None`` = anonymous) to the status that user must get."""
    failures = []
    for key, status in expected.items():
        _login(client, users[key] if key else None)
        response = client.get(url)
        if response.status_code != status:
            failures.append(f"{key or '匿名'}: expected {status}, got {response.status_code}")
    client.logout()
    if failures:
        raise AssertionError(f"GET {url}: " + "; ".join(failures))


def assert_write_matrix(
    client: Client,
    method: str,
    url: str,
    users: dict[str, Any],
    expected: dict[str | None, int],
    *,
    payload: Callable[[str | None], Any] | None = None,
    watch: Iterable[type[models.Model]] = (),
) -> None:
    """Each user in turn makes the call; denied calls (status >= 400) must change nothing at all."""
    watch = list(watch)
    failures = []
    for key, status in expected.items():
        _login(client, users[key] if key else None)
        before = table_state(watch)
        response = _call(client, method, url, payload(key) if payload else None)
        if response.status_code != status:
            failures.append(
                f"{key or '匿名'}: expected {status}, got {response.status_code} {response.content[:200]!r}"
            )
        elif status >= 400 and table_state(watch) != before:
            failures.append(f"{key or '匿名'}: denied with {status} but data changed")
    client.logout()
    if failures:
        raise AssertionError(f"{method.upper()} {url}: " + "; ".join(failures))


def screenshot(page: Any, name: str) -> None:
    """Save a full-page screenshot under ``var/screenshots/`` so a person can look at what the test saw."""
    shots = settings.DATA_DIR / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def page_width(page: Any) -> int:
    """How wide the rendered document is; on a 390 px phone anything above ~400 scrolls sideways."""
    return int(page.evaluate("document.documentElement.scrollWidth"))

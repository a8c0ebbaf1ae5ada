"""Per-request (or per-command) context that the audit log reads: who acts, under which request id."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("fazhi_request_id", default="")


def new_request_id(prefix: str = "req") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def current_request_id() -> str:
    """The id of the request or command being served; a fresh one when nothing set it."""
    value = _request_id.get()
    if not value:
        value = new_request_id("adhoc")
        _request_id.set(value)
    return value


@contextmanager
def request_context(request_id: str) -> Iterator[str]:
    token = _request_id.set(request_id)
    try:
        yield request_id
    finally:
        _request_id.reset(token)

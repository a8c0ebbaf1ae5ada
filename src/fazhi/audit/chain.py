"""Canonical form and hashing of audit events: the one definition used to write and to verify."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default)


def normalise(value: Any) -> Any:
    """What a JSON column will give back: dates and decimals as strings, keys as strings."""
    if value is None:
        return None
    return json.loads(canonical_json(value))


def event_hash(
    *,
    seq: int,
    occurred_at: dt.datetime,
    actor_id: int | None,
    actor_name: str,
    agency_id: int | None,
    agency_name: str,
    request_id: str,
    action: str,
    target_type: str,
    target_id: str,
    target_label: str,
    target_division_path: str,
    target_agency_path: str,
    before: Any,
    after: Any,
    reason: str,
    prev_hash: str,
) -> str:
    content = [
        seq,
        occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        actor_id,
        actor_name,
        agency_id,
        agency_name,
        request_id,
        action,
        target_type,
        target_id,
        target_label,
        target_division_path,
        target_agency_path,
        before,
        after,
        reason,
        prev_hash,
    ]
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_name",
    "agency_id",
    "agency_name",
    "request_id",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "target_division_path",
    "target_agency_path",
    "before",
    "after",
    "reason",
    "prev_hash",
)

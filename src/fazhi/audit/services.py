"""Writing audit events. Every service that changes state calls :func:`record_event` inside its transaction."""

from __future__ import annotations

from typing import Any

from django.db import connection, models
from django.utils import timezone

from fazhi.core.context import current_request_id
from fazhi.org.scope import location_of

from .chain import event_hash, normalise
from .models import GENESIS_HASH, AuditEvent, ChainHead


def _actor_fields(actor: Any) -> tuple[int | None, str, int | None, str]:
    if actor is None:
        return None, "系统", None, ""
    staff = getattr(actor, "staff", None) if hasattr(actor, "pk") else None
    agency = getattr(staff, "agency", None) if staff is not None else None
    name = getattr(staff, "name", "") or actor.get_username()
    return actor.pk, name, getattr(agency, "pk", None), getattr(agency, "name", "")


def _lock_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # First event ever (the migration normally creates the row). get_or_create under the unique pk makes
        # a race between two first writers fail loudly rather than fork.
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
    return head


def record_event(
    *,
    actor: Any,
    action: str,
    target: models.Model | tuple[str, str, str],
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    ``actor`` is the acting user, or ``None`` for the system (jobs, migrations of data). ``target`` is the
    model instance changed, or ``(type, id, label)`` for something that is not a row. ``action`` is
    ``app.noun.verb``, for example ``org.agency.create``.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction that makes the change")
    division_path: str | None = None
    agency_path: str | None = None
    if isinstance(target, models.Model):
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_label = str(target)[:300]
        division_path, agency_path = location_of(target)
    else:
        target_type, target_id, target_label = target
    actor_id, actor_name, agency_id, agency_name = _actor_fields(actor)

    head = _lock_head()
    fields: dict[str, Any] = {
        "seq": head.seq + 1,
        "occurred_at": timezone.now(),
        "actor_id": actor_id,
        "actor_name": actor_name[:150],
        "agency_id": agency_id,
        "agency_name": agency_name[:200],
        "request_id": current_request_id()[:64],
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "target_label": target_label,
        "target_division_path": division_path or "",
        "target_agency_path": agency_path or "",
        "before": normalise(before),
        "after": normalise(after),
        "reason": reason,
        "prev_hash": head.hash,
    }
    digest = event_hash(**fields)
    event = AuditEvent.objects.create(hash=digest, **fields)
    ChainHead.objects.filter(pk=1).update(seq=event.seq, hash=digest)
    return event


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The audited view of a row: its concrete fields (foreign keys as ids), JSON-ready."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password"}:
            continue
        data[field.attname] = getattr(instance, field.attname)
    return normalise(data)


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys that changed, on both sides."""
    keys = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from fazhi.core.errors import Forbidden
from fazhi.org.auth import staff_auth

from . import selectors
from .selectors import may_verify
from .verify import verify_chain

router = Router(tags=["审计留痕"], auth=staff_auth)


class EventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor_name: str
    agency_name: str
    request_id: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    before: Any = None
    after: Any = None
    reason: str
    hash: str


class EventFilter(Schema):
    action: str = Field("", max_length=80, description="操作前缀，如 org.agency")
    target_type: str = Field("", max_length=80)
    target_id: str = Field("", max_length=64)
    limit: int = Field(50, ge=1, le=500)
    before_seq: int | None = Field(None, ge=1, description="只返回序号小于此值的事件（翻页）")


class EventPage(Schema):
    items: list[EventOut]
    next_before_seq: int | None


@router.get("/events", response=EventPage, summary="辖区内的审计事件")
def list_events(request: HttpRequest, filters: Query[EventFilter]) -> EventPage:
    qs = selectors.events_for(
        request.user, action=filters.action, target_type=filters.target_type, target_id=filters.target_id
    )
    if filters.before_seq:
        qs = qs.filter(seq__lt=filters.before_seq)
    items = list(qs[: filters.limit])
    nxt = items[-1].seq if len(items) == filters.limit else None
    return EventPage(items=[EventOut.from_orm(e) for e in items], next_before_seq=nxt)


class VerifyOut(Schema):
    ok: bool
    checked: int
    first_bad_seq: int | None
    kind: str
    message: str


@router.get("/verify", response=VerifyOut, summary="校验整条审计链（需要“校验审计链”权限）")
def verify(request: HttpRequest) -> VerifyOut:
    if not may_verify(request.user):
        raise Forbidden("校验整条审计链需要全省范围的“校验审计链”权限")
    result = verify_chain()
    return VerifyOut(
        ok=result.ok,
        checked=result.checked,
        first_bad_seq=result.first_bad_seq,
        kind=result.kind,
        message=result.summary(),
    )

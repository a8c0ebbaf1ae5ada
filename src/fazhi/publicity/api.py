"""双公示 endpoints: entity profiles, public records, the change feed, open data; staff reads and actions."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from fazhi.core.api_errors import PageParams
from fazhi.core.errors import NotFound
from fazhi.org.auth import staff_auth

from . import opendata, selectors, services
from .public import public_view, staff_view

router = Router(tags=["双公示与信用"])
Kind = Literal["penalty", "licence"]


class EntityOut(Schema):
    uscc: str
    name: str
    penalties: list[dict[str, Any]] = Field(..., description="公示期内的行政处罚（已脱敏）")
    licences: list[dict[str, Any]] = Field(..., description="行政许可（已脱敏）")
    history: list[dict[str, Any]] | None = Field(None, description="仅辖区内工作人员：全部历史，含已撤回、已修复")


@router.get("/entities/{identifier}", response=EntityOut, summary="主体信用档案（按统一社会信用代码或名称）")
def entity(request: HttpRequest, identifier: str) -> EntityOut:
    user = request.user if request.user.is_authenticated else None
    profile = selectors.entity_profile(identifier, user=user)
    if profile is None:
        raise NotFound(f"没有找到“{identifier}”的公示信息")
    history = None
    if profile.history is not None:
        history = [staff_view(r, full_ids=selectors.sees_full_ids(user, r)) for r in profile.history]
    return EntityOut(
        uscc=profile.uscc,
        name=profile.name,
        penalties=[public_view(r) for r in profile.penalties],
        licences=[public_view(r) for r in profile.licences],
        history=history,
    )


@router.get("/records/{kind}/{record_id}", response=dict[str, Any], summary="一条公示记录（已脱敏）")
def public_record(request: HttpRequest, kind: Kind, record_id: int) -> dict[str, Any]:
    record = selectors.public_record(kind, record_id)
    if record is None:
        raise NotFound()
    return public_view(record)


class ChangeOut(Schema):
    seq: int
    type: str
    record_id: int
    action: str
    occurred_at: dt.datetime
    record: dict[str, Any] | None = Field(None, description="变更后的公开内容；离开公示（撤回、修复、期满）时为空")


class ChangePage(Schema):
    items: list[ChangeOut]
    next_after: int = Field(..., description="下次请求使用的 after 值")


class ChangeQuery(Schema):
    after: int = Field(0, ge=0, description="只返回序号大于此值的变更")
    limit: int = Field(500, ge=1, le=5000)


@router.get("/changes", response=ChangePage, summary="变更订阅：公示、更正、撤回、修复、期满，按序号排列")
def changes(request: HttpRequest, query: Query[ChangeQuery]) -> ChangePage:
    items = selectors.changes_after(query.after, query.limit)
    return ChangePage(
        items=[
            ChangeOut(
                seq=c.seq,
                type=c.record_type,
                record_id=c.record_id,
                action=c.action,
                occurred_at=c.occurred_at,
                record=c.public,
            )
            for c in items
        ],
        next_after=items[-1].seq if items else query.after,
    )


@router.get("/opendata/{kind}.{fmt}", summary="开放数据：当前公示的全部记录（CSV 为 UTF-8 带 BOM，Excel 可直接打开）")
def open_data(request: HttpRequest, kind: Kind, fmt: Literal["csv", "json"]) -> StreamingHttpResponse:
    if fmt == "json":
        response = StreamingHttpResponse(opendata.json_chunks(kind), content_type="application/json; charset=utf-8")
    else:
        response = StreamingHttpResponse(opendata.csv_chunks(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fazhi-{kind}.{fmt}"'
    return response


# --- staff -------------------------------------------------------------------------------------------------


class StaffQuery(PageParams):
    q: str = Field("", max_length=100, description="相对人名称、统一社会信用代码或文书号")
    status: str = Field("", max_length=20)


class StaffPage(Schema):
    count: int
    items: list[dict[str, Any]]


@router.get("/staff/records/{kind}", response=StaffPage, auth=staff_auth, summary="辖区内的双公示记录")
def staff_records(request: HttpRequest, kind: Kind, query: Query[StaffQuery]) -> StaffPage:
    qs = selectors.records_for(request.user, kind, q=query.q, status=query.status)
    items = qs[query.offset : query.offset + query.limit]
    return StaffPage(
        count=qs.count(), items=[staff_view(r, full_ids=selectors.sees_full_ids(request.user, r)) for r in items]
    )


class WithdrawIn(Schema):
    reason: str = Field(..., max_length=2000, description="撤回原因，例如：行政处罚决定已被复议机关撤销")
    revoked_on: dt.date | None = Field(
        None, description="决定被变更、撤销或确认违法的日期（用于核对 3 个工作日的撤回时限）"
    )


@router.post("/staff/records/{kind}/{record_id}/withdraw", response=dict[str, Any], auth=staff_auth, summary="撤回公示")
def withdraw(request: HttpRequest, kind: Kind, record_id: int, payload: WithdrawIn) -> dict[str, Any]:
    record = selectors.record_for(request.user, kind, record_id)
    record = services.withdraw_record(
        actor=request.user, record=record, reason=payload.reason, revoked_on=payload.revoked_on
    )
    return staff_view(record, full_ids=selectors.sees_full_ids(request.user, record))


class RepairIn(Schema):
    applicant_name: str = Field(..., max_length=200)
    applicant_contact: str = Field(..., max_length=100)
    commitment: str = Field(..., max_length=5000, description="公开的信用修复承诺")
    performed_statement: str = Field(..., max_length=5000, description="已履行行政处罚决定的情况")


class RepairOut(Schema):
    id: int
    record_id: int
    status: str
    submitted_on: dt.date
    review_due: dt.date
    decided_on: dt.date | None
    decision_reason: str


def _repair_out(repair: Any) -> RepairOut:
    return RepairOut(
        id=repair.pk,
        record_id=repair.record_id,
        status=repair.status,
        submitted_on=repair.submitted_on,
        review_due=repair.review_due,
        decided_on=repair.decided_on,
        decision_reason=repair.decision_reason,
    )


@router.post("/records/penalty/{record_id}/repair", response={201: RepairOut}, summary="申请信用修复")
def apply_repair(request: HttpRequest, record_id: int, payload: RepairIn) -> Status[RepairOut]:
    record = selectors.public_record("penalty", record_id)
    if record is None:
        raise NotFound()
    repair = services.apply_for_repair(record=record, **payload.dict())
    return Status(201, _repair_out(repair))


class ReviewIn(Schema):
    approve: bool
    reason: str = Field("", max_length=5000)


@router.get("/staff/repairs", response=list[RepairOut], auth=staff_auth, summary="辖区内的信用修复申请")
def staff_repairs(request: HttpRequest, status: str = "") -> list[RepairOut]:
    return [_repair_out(r) for r in selectors.repairs_for(request.user, status=status)[:500]]


@router.post("/staff/repairs/{repair_id}/review", response=RepairOut, auth=staff_auth, summary="审核信用修复申请")
def review(request: HttpRequest, repair_id: int, payload: ReviewIn) -> RepairOut:
    repair = selectors.repairs_for(request.user).filter(pk=repair_id).first()  # already scoped
    if repair is None:
        raise NotFound()
    return _repair_out(
        services.review_repair(actor=request.user, repair=repair, approve=payload.approve, reason=payload.reason)
    )


class QualityOut(Schema):
    agency_id: int
    agency_name: str
    submitted: int
    on_time: int
    late: int
    withdrawn: int
    on_time_rate: float | None
    rows_read: int
    rows_rejected: int
    error_rate: float | None


class QualityQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="只统计该年作出的决定")


@router.get("/staff/quality", response=list[QualityOut], auth=staff_auth, summary="报送质量：按机构的及时率")
def quality(request: HttpRequest, query: Query[QualityQuery]) -> list[QualityOut]:
    year = query.year
    return [
        QualityOut(
            agency_id=r.agency_id,
            agency_name=r.agency_name,
            submitted=r.submitted,
            on_time=r.on_time,
            late=r.late,
            withdrawn=r.withdrawn,
            on_time_rate=r.on_time_rate,
            rows_read=r.rows_read,
            rows_rejected=r.rows_rejected,
            error_rate=r.error_rate,
        )
        for r in selectors.quality_for(request.user, year=year)
    ]

"""13710 endpoints (``/api/v1/supervision``), all for staff (``staff_auth``: API token or login session): tasks in
the caller's view, create (立项交办), split (分解交办), the lifecycle steps, reporting nodes, per-unit statistics
and the caller's reminders. Each write is one service call; errors are ``core.errors`` types answered in Chinese by
the API root (404 out of scope, 403 visible but not permitted, 422 bad input)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from fazhi.core.api_errors import PageParams
from fazhi.core.errors import FieldError, ValidationFailed
from fazhi.org.auth import staff_auth
from fazhi.org.models import Agency

from . import selectors, services
from .choices import Rating, TaskSource, TaskState
from .models import Task

router = Router(tags=["“13710”督办"])

StepCode = Literal["sign", "deploy", "progress", "request_closure", "return", "close"]


class UnitOut(Schema):
    id: int
    name: str
    division_code: str
    division_name: str


class MilestoneOut(Schema):
    key: str = Field(..., description="13710.deploy / 13710.feedback / 13710.resolve / 13710.resolve_major / node:<id>")
    label: str
    due: dt.date | None
    done_on: dt.date | None
    status: str = Field(..., description="on_time 未到期 / due_soon 临期 / overdue 已逾期 / done_on_time / done_late")
    status_label: str


class TaskOut(Schema):
    id: int
    number: str
    parent_id: int | None
    title: str
    content: str
    source: str
    source_label: str
    source_detail: str
    is_major: bool
    assigned_by: UnitOut
    lead_unit: UnitOut
    co_units: list[UnitOut]
    assigned_on: dt.date
    state: str
    state_label: str
    rating: str
    rating_label: str
    return_count: int
    closed_on: dt.date | None
    overdue_marked_on: dt.date | None
    escalated_on: dt.date | None
    milestones: list[MilestoneOut]


class ReportOut(Schema):
    action: str
    action_label: str
    on: dt.date
    text: str
    state_after: str
    recorded_by: str


class TaskDetailOut(TaskOut):
    children: list[int]
    reports: list[ReportOut]


class TaskPage(Schema):
    count: int
    items: list[TaskOut]


def _unit(a: Agency) -> UnitOut:
    return UnitOut(id=a.pk, name=a.name, division_code=a.division.code, division_name=a.division.name)


def _out(row: selectors.TaskRow, user: Any = None, detail: bool = False) -> Any:
    t = row.task
    data: dict[str, Any] = {
        "id": t.pk,
        "number": t.number,
        "parent_id": t.parent_id,
        "title": t.title,
        "content": t.content,
        "source": t.source,
        "source_label": t.get_source_display(),
        "source_detail": t.source_detail,
        "is_major": t.is_major,
        "assigned_by": _unit(t.assigned_by),
        "lead_unit": _unit(t.lead_unit),
        "co_units": [_unit(a) for a in t.co_units.all()],
        "assigned_on": t.assigned_on,
        "state": t.state,
        "state_label": t.get_state_display(),
        "rating": t.rating,
        "rating_label": t.get_rating_display() if t.rating else "",
        "return_count": t.return_count,
        "closed_on": t.closed_on,
        "overdue_marked_on": t.overdue_marked_on,
        "escalated_on": t.escalated_on,
        "milestones": [
            MilestoneOut(
                key=m.key,
                label=m.label,
                due=m.due,
                done_on=m.done_on,
                status=m.status.value,
                status_label=m.status.label,
            )
            for m in row.milestones
        ],
    }
    if not detail:
        return TaskOut(**data)
    reports = [
        ReportOut(
            action=r.action,
            action_label=r.get_action_display(),
            on=r.on,
            text=r.text,
            state_after=r.state_after,
            recorded_by=r.recorded_by,
        )
        for r in t.reports.order_by("on", "pk")
    ]
    children = list(selectors.tasks_for(user).filter(parent=t).values_list("pk", flat=True))
    return TaskDetailOut(**data, children=children, reports=reports)


def _agency(pk: int | None, field: str, label: str) -> Agency | None:
    if pk is None:
        return None
    found = Agency.objects.select_related("division").filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(FieldError(field, "unknown_agency", f"没有 id 为 {pk} 的{label}"))
    return found


def _agencies(ids: list[int], field: str) -> list[Agency]:
    return [a for pk in ids if (a := _agency(pk, field, "协办单位")) is not None]


def _detail(request: HttpRequest, task: Task) -> TaskDetailOut:
    return _out(selectors.task_row(selectors.task_for(request.user, task.pk)), request.user, detail=True)


class TaskQuery(PageParams):
    q: str = Field("", max_length=100)
    state: TaskState | None = None
    flag: Literal["", "open", "closed", "on_time", "overdue", "overdue_now", "returned", "rated"] = ""
    unit: int | None = Field(None, description="承办单位 id")
    office: int | None = Field(None, description="交办单位 id")


@router.get("/tasks", response=TaskPage, auth=staff_auth, summary="可见的督办事项（交办的与承办的）")
def list_tasks(request: HttpRequest, query: Query[TaskQuery]) -> TaskPage:
    f = selectors.TaskFilter(
        q=query.q.strip(),
        unit=query.unit,
        office=query.office,
        state=query.state.value if query.state else "",
        flag=query.flag,
    )
    rows = selectors.filtered_rows(request.user, f)
    return TaskPage(count=len(rows), items=[_out(r) for r in rows[query.offset : query.offset + query.limit]])


class TaskIn(Schema):
    title: str = Field(..., max_length=200)
    content: str = Field(..., max_length=20000)
    source: TaskSource
    source_detail: str = Field("", max_length=200)
    is_major: bool = False
    lead_unit_id: int
    co_unit_ids: list[int] = Field(default_factory=list, max_length=50)
    assigned_on: dt.date | None = Field(None, description="交办日期，默认今天")
    classified: bool = Field(False, description="涉密事项：一律拒绝录入")


@router.post("/tasks", response={201: TaskDetailOut}, auth=staff_auth, summary="立项交办")
def create_task(request: HttpRequest, payload: TaskIn) -> Status[TaskDetailOut]:
    task = services.create_task(
        actor=request.user,
        title=payload.title,
        content=payload.content,
        source=payload.source.value,
        source_detail=payload.source_detail,
        is_major=payload.is_major,
        lead_unit=_agency(payload.lead_unit_id, "lead_unit_id", "承办单位"),
        co_units=_agencies(payload.co_unit_ids, "co_unit_ids"),
        assigned_on=payload.assigned_on,
        classified=payload.classified,
    )
    return Status(201, _detail(request, task))


@router.get("/tasks/{task_id}", response=TaskDetailOut, auth=staff_auth, summary="督办事项详情与节点状态")
def get_task(request: HttpRequest, task_id: int) -> TaskDetailOut:
    return _detail(request, selectors.task_for(request.user, task_id))


class SplitIn(Schema):
    lead_unit_id: int
    content: str = Field("", max_length=20000, description="留空沿用上级事项内容")
    co_unit_ids: list[int] = Field(default_factory=list, max_length=50)
    is_major: bool | None = None


@router.post("/tasks/{task_id}/split", response={201: TaskDetailOut}, auth=staff_auth, summary="分解交办给下级单位")
def split_task(request: HttpRequest, task_id: int, payload: SplitIn) -> Status[TaskDetailOut]:
    task = selectors.task_for(request.user, task_id)
    child = services.split_task(
        actor=request.user,
        task=task,
        lead_unit=_agency(payload.lead_unit_id, "lead_unit_id", "承办单位"),
        content=payload.content,
        co_units=_agencies(payload.co_unit_ids, "co_unit_ids"),
        is_major=payload.is_major,
    )
    return Status(201, _detail(request, child))


class StepIn(Schema):
    text: str = Field("", max_length=5000, description="部署情况、办理进展、办结情况、退回理由或评价意见")
    on: dt.date | None = Field(None, description="办理日期，默认今天")
    rating: Rating | None = Field(None, description="销号时必填：excellent 优秀 / good 良好 / pass 合格 / fail 不合格")
    node_id: int | None = Field(None, description="反馈进展时对应的时间节点")


@router.post(
    "/tasks/{task_id}/steps/{step}",
    response=TaskDetailOut,
    auth=staff_auth,
    summary="签收、部署、反馈、申请销号（承办单位）；退回、销号并评价（交办单位）",
)
def take_step(request: HttpRequest, task_id: int, step: StepCode, payload: StepIn) -> TaskDetailOut:
    task = selectors.task_for(request.user, task_id)
    services.take_step(
        actor=request.user,
        task=task,
        action=step,
        text=payload.text,
        on=payload.on,
        rating=payload.rating.value if payload.rating else "",
        node=payload.node_id,
    )
    return _detail(request, task)


class NodeIn(Schema):
    title: str = Field(..., max_length=200)
    due_on: dt.date


@router.post("/tasks/{task_id}/nodes", response={201: TaskDetailOut}, auth=staff_auth, summary="设置时间节点")
def add_node(request: HttpRequest, task_id: int, payload: NodeIn) -> Status[TaskDetailOut]:
    task = selectors.task_for(request.user, task_id)
    services.add_node(actor=request.user, task=task, title=payload.title, due_on=payload.due_on)
    return Status(201, _detail(request, task))


class UnitStatsOut(Schema):
    unit: UnitOut
    tasks: int
    closed: int
    on_time: int
    overdue: int
    overdue_now: int
    returned: int
    rated: int
    average_score: float | None = Field(None, description="平均评价：优秀4 良好3 合格2 不合格1")


@router.get("/stats", response=list[UnitStatsOut], auth=staff_auth, summary="按承办单位统计")
def stats(request: HttpRequest) -> list[UnitStatsOut]:
    rows = selectors.filtered_rows(request.user, selectors.TaskFilter())
    return [
        UnitStatsOut(
            unit=_unit(s.unit),
            tasks=s.tasks,
            closed=s.closed,
            on_time=s.on_time,
            overdue=s.overdue,
            overdue_now=s.overdue_now,
            returned=s.returned,
            rated=s.rated,
            average_score=s.average_score,
        )
        for s in selectors.unit_stats(rows)
    ]


class NoticeOut(Schema):
    id: int
    task_id: int
    kind: str
    kind_label: str
    message: str
    created_on: dt.date


@router.get("/notices", response=list[NoticeOut], auth=staff_auth, summary="本单位的督办提醒")
def notices(request: HttpRequest) -> list[NoticeOut]:
    return [
        NoticeOut(
            id=n.pk,
            task_id=n.task_id,
            kind=n.kind,
            kind_label=n.get_kind_display(),
            message=n.message,
            created_on=n.created_on,
        )
        for n in selectors.notices_for(request.user, limit=100)
    ]

"""The figures of the 13710 system for dashboards and the annual report (``reports.registry``).

A task belongs to the division of its lead unit (承办单位); the year is the year it was assigned. "On time" has the
meaning the 13710 dashboard gives it (``selectors.TaskRow.on_time``): closed, and no milestone — neither a "1-3-7/1"
clock nor a reporting node the office set — was met after its due date.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse

from fazhi.clock.models import ClockRun
from fazhi.core.permissions import SUPERVISION_VIEW
from fazhi.reports.registry import Metric, MetricGroup, register, register_group

from .choices import TaskState
from .models import Task, TaskNode

register_group(
    MetricGroup(
        code="supervision",
        title="“13710”督办",
        order=40,
        description="“1”当天研究部署、“3”三天内反馈、“7”一般事项七天内办结、“1”重大事项一个月内办结、“0”销号清零。",
    )
)


def _assigned(division: Any, year: int) -> QuerySet[Task]:
    return (
        Task.objects.filter(lead_unit__division__path__startswith=division.path, assigned_on__year=year)
        .select_related("lead_unit", "assigned_by")
        .order_by("-assigned_on", "-id")
    )


def _closed(division: Any, year: int) -> QuerySet[Task]:
    return _assigned(division, year).filter(state=TaskState.CLOSED)


def _missed_nothing(tasks: QuerySet[Task]) -> QuerySet[Task]:
    late_clock = ClockRun.objects.filter(
        content_type=ContentType.objects.get_for_model(Task),
        object_id=Cast(OuterRef("pk"), CharField()),
    ).filter(Q(stopped_on__gt=F("due_date")) | Q(stopped_on__isnull=True, due_date__lt=OuterRef("closed_on")))
    late_node = TaskNode.objects.filter(task=OuterRef("pk")).filter(
        Q(done_on__gt=F("due_on")) | Q(done_on__isnull=True, due_on__lt=OuterRef("closed_on"))
    )
    return tasks.filter(~Exists(late_clock), ~Exists(late_node))


def _open(division: Any, year: int) -> QuerySet[Task]:
    return _assigned(division, year).exclude(state=TaskState.CLOSED)


_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("编号", lambda t: t.number),
    ("事项名称", lambda t: t.title),
    ("承办单位", lambda t: t.lead_unit.name),
    ("交办单位", lambda t: t.assigned_by.name),
    ("交办日期", lambda t: t.assigned_on),
    ("状态", lambda t: t.get_state_display()),
    ("评价", lambda t: t.get_rating_display() or "—"),
)


def _url(task: Task) -> str:
    return reverse("supervision:task", args=[task.pk])


def _metric(code: str, title: str, unit: str, definition: str, order: int, **kwargs: Any) -> None:
    register(
        Metric(
            code=f"supervision.{code}",
            title=title,
            unit=unit,
            definition=definition,
            group="supervision",
            permission=SUPERVISION_VIEW,
            columns=_COLUMNS,
            record_url=_url,
            order=order,
            **kwargs,
        )
    )


_metric(
    "tasks_assigned",
    "督办事项数",
    "件",
    "年度内交办（含分解交办）的“13710”督办事项数，按承办单位所在区划、交办日期统计。",
    10,
    records=_assigned,
    chart=True,
)
_metric(
    "tasks_closed",
    "已销号事项数",
    "件",
    "年度内交办、目前已审核销号的督办事项数。",
    20,
    records=_closed,
)
_metric(
    "closed_on_time_rate",
    "按期办结率",
    "%",
    "年度内交办并已销号的事项中，部署、反馈、办结及交办单位设定的报告节点均未超期的比例。",
    30,
    records=_closed,
    numerator=_missed_nothing,
    chart=True,
)
_metric(
    "tasks_open",
    "未销号事项数",
    "件",
    "年度内交办、尚未销号的督办事项数（“0”：跟踪到底、销号清零）。",
    40,
    records=_open,
)

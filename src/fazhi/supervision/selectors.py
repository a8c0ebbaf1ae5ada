"""Scoped reads of the 13710 system, and where each task stands on the clock.

Visibility (docs/decisions/0012): a user sees a task when their 查看 jurisdiction covers its lead unit (the task
was assigned to them or to a unit in their subtree) *or* its assigning office (they assigned it). Both are
``org.scope`` jurisdictions applied to two ``ScopeSpec``s of the same row; out of scope answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from fazhi.clock.choices import DeadlineStatus
from fazhi.clock.deadlines import deadline_status
from fazhi.clock.models import ClockRun
from fazhi.core.errors import Forbidden, NotFound
from fazhi.core.permissions import SUPERVISION_ASSIGN, SUPERVISION_HANDLE, SUPERVISION_VIEW
from fazhi.org import scope
from fazhi.org.models import Agency

from . import lifecycle
from .choices import RATING_SCORES, Milestone, Rating, TaskState
from .models import ASSIGNER_SCOPE, Task, TaskNode
from .models import Notice as NoticeRow

LEAD_SCOPE = Task.scope


def today() -> dt.date:
    return timezone.localdate()


# --- jurisdiction --------------------------------------------------------------------------------------------------


def visible_q(user: Any, permission: str = SUPERVISION_VIEW) -> Q | None:
    """Rows the user may see with ``permission``: assigned to their subtree, or assigned by it (None: nothing)."""
    juris = scope.jurisdiction(user, permission)
    if juris.empty:
        return None
    return juris.q(LEAD_SCOPE) | juris.q(ASSIGNER_SCOPE)


def _base() -> QuerySet[Task]:
    return Task.objects.select_related("lead_unit__division", "assigned_by__division", "parent").prefetch_related(
        "co_units__division"
    )


def tasks_for(user: Any, permission: str = SUPERVISION_VIEW) -> QuerySet[Task]:
    condition = visible_q(user, permission)
    if condition is None:
        return Task.objects.none()
    return _base().filter(condition)


def task_for(user: Any, pk: Any) -> Task:
    """One task the user may see; NotFound (as for a missing one) otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = tasks_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def _place(task: Task, acts_as: str) -> tuple[str, str]:
    unit = task.lead_unit if acts_as == lifecycle.LEAD else task.assigned_by
    return unit.division.path, unit.path


def covers(user: Any, permission: str, task: Task, acts_as: str) -> bool:
    """Whether ``user`` holds ``permission`` over the lead unit (``LEAD``) or assigning office (``ASSIGNER``)."""
    if user is None:
        return True
    division_path, agency_path = _place(task, acts_as)
    return scope.jurisdiction(user, permission).covers(division_path=division_path, agency_path=agency_path)


def sees(user: Any, task: Task) -> bool:
    if user is None:
        return True
    juris = scope.jurisdiction(user, SUPERVISION_VIEW)
    return any(
        juris.covers(division_path=d, agency_path=a)
        for d, a in (_place(task, lifecycle.LEAD), _place(task, lifecycle.ASSIGNER))
    )


def require(user: Any, permission: str, task: Task, acts_as: str) -> None:
    """For writes: NotFound when the user cannot see the task, Forbidden when they see it but may not act."""
    if covers(user, permission, task, acts_as):
        return
    if sees(user, task):
        raise Forbidden()
    raise NotFound()


def can(user: Any, transition: lifecycle.Transition, task: Task) -> bool:
    return covers(user, transition.permission, task, transition.acts_as)


def can_split(user: Any, task: Task) -> bool:
    return task.state in lifecycle.SPLITTABLE and covers(user, SUPERVISION_ASSIGN, task, lifecycle.LEAD)


def can_set_nodes(user: Any, task: Task) -> bool:
    return task.is_open and covers(user, SUPERVISION_ASSIGN, task, lifecycle.ASSIGNER)


def assignable_units(user: Any) -> QuerySet[Agency]:
    """Units the user may assign tasks to: active agencies inside their 交办 jurisdiction."""
    return scope.restrict(
        Agency.objects.filter(is_active=True).select_related("division"), user, SUPERVISION_ASSIGN
    ).order_by("division__path", "name")


def handles_anything(user: Any) -> bool:
    return scope.has_permission_anywhere(user, SUPERVISION_HANDLE)


# --- milestones ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneRow:
    key: str
    label: str
    due: dt.date | None
    done_on: dt.date | None
    status: DeadlineStatus

    @property
    def overdue(self) -> bool:
        return self.status in (DeadlineStatus.OVERDUE, DeadlineStatus.DONE_LATE)


@dataclass
class TaskRow:
    task: Task
    milestones: list[MilestoneRow] = field(default_factory=list)

    @property
    def overdue_now(self) -> bool:
        return any(m.status == DeadlineStatus.OVERDUE for m in self.milestones)

    @property
    def ever_overdue(self) -> bool:
        return any(m.overdue for m in self.milestones)

    @property
    def due_soon(self) -> bool:
        return any(m.status == DeadlineStatus.DUE_SOON for m in self.milestones)

    @property
    def resolve(self) -> MilestoneRow | None:
        for m in self.milestones:
            if m.key in (Milestone.RESOLVE, Milestone.RESOLVE_MAJOR):
                return m
        return None

    @property
    def on_time(self) -> bool:
        """Closed, and no node was missed."""
        return self.task.state == TaskState.CLOSED and not self.ever_overdue

    @property
    def attention(self) -> DeadlineStatus | None:
        if self.overdue_now:
            return DeadlineStatus.OVERDUE
        if self.due_soon:
            return DeadlineStatus.DUE_SOON
        return None


_ORDER: dict[str, int] = {Milestone.DEPLOY: 0, Milestone.FEEDBACK: 1, Milestone.RESOLVE: 2, Milestone.RESOLVE_MAJOR: 2}


def runs_by_task(tasks: Iterable[Task]) -> dict[int, list[ClockRun]]:
    """The milestone clocks of many tasks in one query."""
    ids = [str(t.pk) for t in tasks]
    found: dict[int, list[ClockRun]] = defaultdict(list)
    if not ids:
        return found
    content_type = ContentType.objects.get_for_model(Task)
    for run in ClockRun.objects.filter(content_type=content_type, object_id__in=ids).order_by("start", "pk"):
        found[int(run.object_id)].append(run)
    return found


def nodes_by_task(tasks: Iterable[Task]) -> dict[int, list[TaskNode]]:
    found: dict[int, list[TaskNode]] = defaultdict(list)
    for node in TaskNode.objects.filter(task__in=[t.pk for t in tasks]).order_by("due_on", "pk"):
        found[node.task_id].append(node)
    return found


def milestones_of(
    task: Task, runs: Sequence[ClockRun], nodes: Sequence[TaskNode], on: dt.date | None = None
) -> list[MilestoneRow]:
    """The "1-3-7/1" nodes from the clock (its ``deadline_status``) plus the office's own nodes, by due date."""
    on = on or today()
    rows: list[MilestoneRow] = []
    for run in sorted(runs, key=lambda r: (_ORDER.get(r.limit_code, 9), r.pk)):
        label = Milestone(run.limit_code).label if run.limit_code in Milestone.values else run.limit_code
        rows.append(MilestoneRow(run.limit_code, str(label), run.due_date, run.stopped_on, run.deadline_status(on)))
    for node in nodes:
        status = deadline_status(node.due_on, today=on, done_on=node.done_on)
        rows.append(MilestoneRow(f"node:{node.pk}", f"节点：{node.title}", node.due_on, node.done_on, status))
    return rows


def rows_for(tasks: Sequence[Task], on: dt.date | None = None) -> list[TaskRow]:
    runs = runs_by_task(tasks)
    nodes = nodes_by_task(tasks)
    return [TaskRow(t, milestones_of(t, runs.get(t.pk, []), nodes.get(t.pk, []), on)) for t in tasks]


def task_row(task: Task, on: dt.date | None = None) -> TaskRow:
    return rows_for([task], on)[0]


# --- lists, drill-down, statistics ---------------------------------------------------------------------------------

FLAGS = {
    "": "全部",
    "open": "未销号",
    "closed": "已销号",
    "on_time": "按期办结",
    "overdue": "逾期（含逾期办结）",
    "overdue_now": "当前逾期",
    "returned": "曾被退回",
    "rated": "已评价",
}


@dataclass(frozen=True)
class TaskFilter:
    q: str = ""
    unit: int | None = None  # lead unit
    office: int | None = None  # assigning office
    state: str = ""
    flag: str = ""
    rating: str = ""
    root: int | None = None  # a task and every part split from it


def filtered_rows(user: Any, f: TaskFilter, on: dt.date | None = None) -> list[TaskRow]:
    """Visible tasks matching ``f``; the clock-based flags are evaluated on ``on`` (today)."""
    qs = tasks_for(user)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(content__icontains=f.q) | Q(source_detail__icontains=f.q))
    if f.unit:
        qs = qs.filter(lead_unit_id=f.unit)
    if f.office:
        qs = qs.filter(assigned_by_id=f.office)
    if f.state in TaskState.values:
        qs = qs.filter(state=f.state)
    if f.rating in Rating.values:
        qs = qs.filter(rating=f.rating)
    if f.flag == "open":
        qs = qs.exclude(state=TaskState.CLOSED)
    elif f.flag in ("closed", "on_time"):
        qs = qs.filter(state=TaskState.CLOSED)
    elif f.flag == "returned":
        qs = qs.filter(return_count__gt=0)
    elif f.flag == "rated":
        qs = qs.exclude(rating="")
    rows = rows_for(list(qs.order_by("-assigned_on", "-pk")[:5000]), on)
    if f.root:
        keep = _subtree_ids(f.root)
        rows = [r for r in rows if r.task.pk in keep]
    if f.flag == "on_time":
        rows = [r for r in rows if r.on_time]
    elif f.flag == "overdue":
        rows = [r for r in rows if r.ever_overdue]
    elif f.flag == "overdue_now":
        rows = [r for r in rows if r.overdue_now]
    return rows


def _subtree_ids(root: int) -> set[int]:
    found, frontier = {root}, [root]
    while frontier:
        frontier = list(Task.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        found.update(frontier)
    return found


def children_rows(task: Task, user: Any) -> list[TaskRow]:
    return rows_for(list(tasks_for(user).filter(parent=task).order_by("pk")))


@dataclass
class UnitStats:
    unit: Agency
    tasks: int = 0
    closed: int = 0
    on_time: int = 0
    overdue: int = 0
    overdue_now: int = 0
    returned: int = 0
    rated: int = 0
    score_sum: int = 0

    @property
    def average_score(self) -> float | None:
        return round(self.score_sum / self.rated, 2) if self.rated else None

    @property
    def average_label(self) -> str:
        """The average rating in words: 4 优秀, 3 良好, 2 合格, 1 不合格 (nearest)."""
        avg = self.average_score
        if avg is None:
            return "—"
        nearest = min(RATING_SCORES.items(), key=lambda kv: abs(kv[1] - avg))[0]
        return f"{avg:.2f}（约{Rating(nearest).label}）"

    @property
    def on_time_rate(self) -> int:
        return round(100 * self.on_time / self.closed) if self.closed else 0


def unit_stats(rows: Iterable[TaskRow]) -> list[UnitStats]:
    """Per lead unit: tasks, closed, on time, overdue (ever / now), returned, average rating."""
    stats: dict[int, UnitStats] = {}
    for row in rows:
        task = row.task
        s = stats.setdefault(task.lead_unit_id, UnitStats(task.lead_unit))
        s.tasks += 1
        s.closed += task.state == TaskState.CLOSED
        s.on_time += row.on_time
        s.overdue += row.ever_overdue
        s.overdue_now += row.overdue_now
        s.returned += task.return_count > 0
        if task.rating:
            s.rated += 1
            s.score_sum += RATING_SCORES[Rating(task.rating)]
    return sorted(stats.values(), key=lambda s: (-s.tasks, s.unit.division.path, s.unit.name))


def state_counts(rows: Iterable[TaskRow]) -> list[tuple[str, str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.task.state] += 1
    return [(value, str(label), counts[value]) for value, label in TaskState.choices]


def rating_counts(rows: Iterable[TaskRow]) -> list[tuple[str, str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.task.rating:
            counts[row.task.rating] += 1
    return [(value, str(label), counts[value]) for value, label in Rating.choices]


def offices_for(user: Any) -> list[Agency]:
    """The assigning offices whose ledgers the user may open (those of visible tasks)."""
    ids = tasks_for(user).values_list("assigned_by_id", flat=True).distinct()
    return list(Agency.objects.filter(pk__in=ids).select_related("division").order_by("division__path", "name"))


def notices_for(user: Any, limit: int = 20) -> list[NoticeRow]:
    """Reminders to the user's own unit (their staff agency)."""
    staff = getattr(user, "staff", None) if getattr(user, "is_authenticated", False) else None
    if staff is None:
        return []
    return list(
        NoticeRow.objects.filter(recipient_id=staff.agency_id)
        .select_related("task", "recipient")
        .order_by("-created_at", "-pk")[:limit]
    )

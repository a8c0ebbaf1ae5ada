"""The one write path of the 13710 system: create and split tasks, take lifecycle steps, set reporting nodes,
sweep for overdue items, change the rules kept as data.

Every function is ``<verb>_<noun>`` with keyword-only arguments and ``actor`` first (``None`` = the system), opens
one durable transaction, checks the actor's jurisdiction (``selectors.require``: 404 out of scope, 403 visible but
not permitted), writes its audit event, and schedules e-mail with ``transaction.on_commit``.

Milestones are clocks of ``fazhi.clock`` (``clock.steps``, in the same transaction): each task starts
``13710.deploy`` (1 day), ``13710.feedback`` (3 days) and ``13710.resolve`` (7 days) or ``13710.resolve_major``
(1 month) on its assignment date; the steps of ``lifecycle.TRANSITIONS`` stop them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import record_event, snapshot
from fazhi.clock import steps as clock_steps
from fazhi.clock.calendar import CalendarDataMissing
from fazhi.clock.choices import RunStatus, TimeUnit
from fazhi.clock.deadlines import compute_deadline
from fazhi.clock.models import ClockRun
from fazhi.core.errors import ErrorList, FieldError, Forbidden, ValidationFailed
from fazhi.core.permissions import SUPERVISION_ASSIGN, SUPERVISION_VIEW
from fazhi.org import scope
from fazhi.org.models import Agency

from . import lifecycle, selectors
from .choices import Milestone, NoticeKind, Rating, TaskAction, TaskSource, TaskState
from .models import Notice, SupervisionRule, Task, TaskNode, TaskReport

log = logging.getLogger(__name__)

A = TaskAction
S = TaskState

ESCALATE_AFTER = "escalate_after"
CLASSIFIED_MESSAGE = "涉密事项严禁纳入“13710”信息督办系统，请通过涉密渠道交办"
# Markings of classified documents (密级标志 such as “机密★1年”): refused like the flag itself.
_CLASSIFIED_MARKS = ("绝密★", "机密★", "秘密★", "绝密 ★", "机密 ★", "秘密 ★")

TASK_FIELDS = [
    "title",
    "source",
    "is_major",
    "assigned_by",
    "lead_unit",
    "assigned_on",
    "state",
    "signed_on",
    "deployed_on",
    "feedback_on",
    "closure_requested_on",
    "closed_on",
    "rating",
    "return_count",
    "overdue_marked_on",
    "escalated_on",
]


def _text(value: Any) -> str:
    return str(value or "").strip()


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "系统"
    staff = getattr(actor, "staff", None)
    return getattr(staff, "name", "") or actor.get_username()


def _actor_agency(actor: Any) -> Agency | None:
    staff = getattr(actor, "staff", None) if actor is not None else None
    return getattr(staff, "agency", None)


def _snap(task: Task) -> dict[str, Any]:
    data = snapshot(task, TASK_FIELDS)
    data["co_units"] = sorted(task.co_units.values_list("pk", flat=True)) if task.pk else []
    return data


def _check_date(
    errors: ErrorList, name: str, value: dt.date, *, not_before: dt.date | None, label: str, actor: Any = None
) -> None:
    """Dates are never in the future. A person's step is dated today: 13710 is about timeliness, so only the system
    (imports of paper records, the demo) may record an earlier date (docs/decisions/0012)."""
    if actor is not None and value != timezone.localdate():
        errors.add(
            name, "not_today", f"{label}以系统记录的当天为准（{timezone.localdate().isoformat()}），不能补记或预填"
        )
    elif value > timezone.localdate():
        errors.add(name, "future", f"{label}不能晚于今天")
    elif not_before is not None and value < not_before:
        errors.add(name, "too_early", f"{label}不能早于{not_before.isoformat()}")


def _is_classified(*texts: str) -> bool:
    return any(mark in text for text in texts for mark in _CLASSIFIED_MARKS)


def _start_clocks(actor: Any, task: Task) -> None:
    resolve = Milestone.RESOLVE_MAJOR if task.is_major else Milestone.RESOLVE
    for code in (Milestone.DEPLOY, Milestone.FEEDBACK, resolve):
        clock_steps.start_clock(actor=actor, subject=task, limit_code=str(code), start=task.assigned_on)


def _running(task: Task, code: str) -> ClockRun | None:
    return ClockRun.objects.filter(
        content_type=ContentType.objects.get_for_model(Task),
        object_id=str(task.pk),
        limit_code=code,
        status=RunStatus.RUNNING,
    ).first()


def _notify(task: Task, kind: str, key: str, recipient: Agency, message: str, on: dt.date) -> Notice | None:
    """One notice per (task, kind, key, recipient): a second call with the same key creates nothing."""
    if Notice.objects.filter(task=task, kind=kind, key=key, recipient=recipient).exists():
        return None
    return Notice.objects.create(
        task=task, kind=kind, key=key, recipient=recipient, message=message[:500], created_on=on
    )


def _mail_later(notices: list[Notice]) -> None:
    """After commit: e-mail each notice to the active staff of its recipient unit that have an address."""
    if not notices:
        return
    ids = [n.pk for n in notices]

    def send() -> None:
        user_model = get_user_model()
        for notice in Notice.objects.filter(pk__in=ids).select_related("task", "recipient"):
            emails = sorted(
                {
                    e
                    for e in user_model.objects.filter(staff__agency=notice.recipient, is_active=True).values_list(
                        "email", flat=True
                    )
                    if e
                }
            )
            if not emails:
                continue
            subject = f"【“13710”督办】{notice.get_kind_display()}：{notice.task.title}"[:150]
            body = f"{notice.message}\n\n督办编号：{notice.task.number}\n承办单位：{notice.task.lead_unit.name}\n"
            try:
                send_mail(subject, body, None, emails)
            except Exception:  # a mail server being down must not undo the sweep; the notice is in the app
                log.exception("督办提醒邮件发送失败（提醒 %s）", notice.pk)
                continue
            Notice.objects.filter(pk=notice.pk).update(emailed=len(emails))

    transaction.on_commit(send)


# --- create and split -----------------------------------------------------------------------------------------------


def _check_units(
    actor: Any, errors: ErrorList, lead_unit: Agency | None, co_units: list[Agency], assigned_by: Agency
) -> None:
    juris = scope.jurisdiction(actor, SUPERVISION_ASSIGN) if actor is not None else None

    def inside(unit: Agency) -> bool:
        return juris is None or juris.covers(division_path=unit.division.path, agency_path=unit.path)

    if lead_unit is None:
        errors.add("lead_unit", "required", "请选择承办单位")
    elif not lead_unit.is_active:
        errors.add("lead_unit", "inactive", f"“{lead_unit.name}”已撤销，不能交办")
    elif lead_unit.pk == assigned_by.pk:
        errors.add("lead_unit", "self", "承办单位不能是交办单位自身")
    elif not inside(lead_unit):
        errors.add("lead_unit", "out_of_scope", f"“{lead_unit.name}”不在您的交办范围内")
    for unit in co_units:
        if lead_unit is not None and unit.pk == lead_unit.pk:
            errors.add("co_units", "duplicate", "协办单位不能与承办单位相同")
        elif not unit.is_active or not inside(unit) or unit.pk == assigned_by.pk:
            errors.add("co_units", "out_of_scope", f"协办单位“{unit.name}”不在您的交办范围内")


def create_task(
    *,
    actor: Any,
    title: str,
    content: str,
    source: str,
    lead_unit: Agency | None,
    is_major: bool = False,
    source_detail: str = "",
    co_units: Iterable[Agency] = (),
    assigned_by: Agency | None = None,
    assigned_on: dt.date | None = None,
    classified: bool = False,
) -> Task:
    """立项交办: an office assigns a new task to a lead unit (and co-units) inside its jurisdiction.

    ``classified=True`` (涉密) is refused outright — classified matters must never be put in (DOMAIN §3). The
    assigning office defaults to the actor's own unit; the "1-3-7/1" clocks start on ``assigned_on`` (today).
    """
    with transaction.atomic(durable=True):
        if classified or _is_classified(_text(title), _text(content)):
            raise ValidationFailed(FieldError("classified", "classified_refused", CLASSIFIED_MESSAGE))
        assigned_by = assigned_by or _actor_agency(actor)
        if assigned_by is None:
            raise ValidationFailed(FieldError("assigned_by", "required", "请指定交办单位"))
        if actor is not None and not scope.jurisdiction(actor, SUPERVISION_ASSIGN).covers(
            division_path=assigned_by.division.path, agency_path=assigned_by.path
        ):
            raise Forbidden("您没有以该单位名义交办督办事项的权限")
        errors = ErrorList()
        title, content, source_detail = _text(title), _text(content), _text(source_detail)
        if not title:
            errors.add("title", "required", "请填写事项名称")
        elif len(title) > 200:
            errors.add("title", "too_long", "事项名称不能超过 200 个字")
        if not content:
            errors.add("content", "required", "请填写督办内容")
        if source not in TaskSource.values:
            errors.add("source", "invalid_choice", "请选择事项来源（会议、领导批示等）")
        if len(source_detail) > 200:
            errors.add("source_detail", "too_long", "来源说明不能超过 200 个字")
        co = list(dict.fromkeys(co_units))
        _check_units(actor, errors, lead_unit, co, assigned_by)
        assigned_on = assigned_on or timezone.localdate()
        _check_date(errors, "assigned_on", assigned_on, not_before=None, label="交办日期", actor=actor)
        errors.raise_if_any()
        assert lead_unit is not None  # noqa: S101 — checked above
        task = Task.objects.create(
            title=title,
            content=content,
            source=source,
            source_detail=source_detail,
            is_major=bool(is_major),
            assigned_by=assigned_by,
            lead_unit=lead_unit,
            assigned_on=assigned_on,
            created_by=actor,
        )
        task.co_units.set(co)
        record_event(actor=actor, action="supervision.task.create", target=task, after=_snap(task))
        _start_clocks(actor, task)
        _notify(task, NoticeKind.ASSIGNED, "", lead_unit, f"{assigned_by.name}交办：{title}", assigned_on)
        return task


def split_task(
    *,
    actor: Any,
    task: Task,
    lead_unit: Agency | None,
    content: str = "",
    co_units: Iterable[Agency] = (),
    is_major: bool | None = None,
    assigned_on: dt.date | None = None,
) -> Task:
    """分解交办: the lead unit of ``task`` assigns a part of it to a unit below it (city → county → township).

    The part is a new task assigned by ``task.lead_unit``, with its own clocks from ``assigned_on``. The parent can
    be closed only after all its parts are.
    """
    with transaction.atomic(durable=True):
        parent = Task.objects.select_for_update().filter(pk=task.pk).first()
        if parent is None:
            raise ValidationFailed(FieldError("task", "missing", "未找到该督办事项"))
        parent = Task.objects.select_related("lead_unit__division", "assigned_by__division").get(pk=parent.pk)
        selectors.require(actor, SUPERVISION_ASSIGN, parent, lifecycle.LEAD)
        if parent.state not in lifecycle.SPLITTABLE:
            raise ValidationFailed(
                FieldError(
                    "task",
                    "not_splittable",
                    f"事项当前状态为“{S(parent.state).label}”，签收后、申请销号前才能分解交办",
                )
            )
        errors = ErrorList()
        co = list(dict.fromkeys(co_units))
        _check_units(actor, errors, lead_unit, co, parent.lead_unit)
        if lead_unit is not None and not errors:
            below = lead_unit.division.path.startswith(parent.lead_unit.division.path) or lead_unit.path.startswith(
                parent.lead_unit.path
            )
            if not below:
                errors.add("lead_unit", "not_below", f"只能分解给“{parent.lead_unit.name}”所辖的下级单位")
        assigned_on = assigned_on or timezone.localdate()
        _check_date(errors, "assigned_on", assigned_on, not_before=parent.assigned_on, label="交办日期", actor=actor)
        content = _text(content) or parent.content
        errors.raise_if_any()
        assert lead_unit is not None  # noqa: S101
        child = Task.objects.create(
            parent=parent,
            title=parent.title,
            content=content,
            source=parent.source,
            source_detail=parent.source_detail,
            is_major=parent.is_major if is_major is None else bool(is_major),
            assigned_by=parent.lead_unit,
            lead_unit=lead_unit,
            assigned_on=assigned_on,
            created_by=actor,
        )
        child.co_units.set(co)
        record_event(
            actor=actor, action="supervision.task.split", target=child, after={**_snap(child), "parent": parent.pk}
        )
        _start_clocks(actor, child)
        _notify(
            child, NoticeKind.ASSIGNED, "", lead_unit, f"{parent.lead_unit.name}分解交办：{child.title}", assigned_on
        )
        return child


# --- the lifecycle ----------------------------------------------------------------------------------------------------


def _open_children(task: Task) -> int:
    return task.children.exclude(state=S.CLOSED).count()


def take_step(
    *,
    actor: Any,
    task: Task,
    action: str,
    text: str = "",
    on: dt.date | None = None,
    rating: str = "",
    node: TaskNode | int | None = None,
) -> Task:
    """Apply one row of ``lifecycle.TRANSITIONS`` to ``task``: 签收, 部署, 反馈, 申请销号 (lead unit);
    退回 with reasons, 销号 with a rating (assigning office).

    A task with parts can apply for closure, and be closed, only when every part is closed. Closing stops the
    resolution clock on the date the accepted closure request was made (that is when the unit finished).
    """
    with transaction.atomic(durable=True):
        locked = Task.objects.select_for_update().filter(pk=task.pk).first()
        if locked is None:
            raise ValidationFailed(FieldError("task", "missing", "未找到该督办事项"))
        task = Task.objects.select_related("lead_unit__division", "assigned_by__division").get(pk=locked.pk)
        if actor is not None and not selectors.sees(actor, task):
            selectors.require(actor, SUPERVISION_VIEW, task, lifecycle.LEAD)  # raises NotFound
        if action not in lifecycle.TRANSITIONS:
            raise ValidationFailed(FieldError("action", "unknown_action", f"没有“{action}”这一办理事项"))
        step = lifecycle.TRANSITIONS[action]
        selectors.require(actor, step.permission, task, step.acts_as)
        step = lifecycle.transition(action, task.state)
        errors = ErrorList()
        text = _text(text)
        if step.text_required and not text:
            errors.add("text", "required", f"请填写{step.text_label}")
        elif len(text) > 5000:
            errors.add("text", "too_long", f"{step.text_label}不能超过 5000 个字")
        last = task.reports.order_by("-on", "-pk").first()
        on = on or timezone.localdate()
        not_before = max(task.assigned_on, last.on) if last is not None else task.assigned_on
        _check_date(errors, "on", on, not_before=not_before, label="办理日期", actor=actor)
        if action == A.CLOSE and rating not in Rating.values:
            errors.add("rating", "required", "请选择评价等次：优秀、良好、合格或不合格")
        node_row: TaskNode | None = None
        if node:
            node_row = TaskNode.objects.filter(task=task, pk=getattr(node, "pk", node)).first()
            if node_row is None or action != A.PROGRESS:
                errors.add("node", "invalid", "请选择本事项的时间节点（仅反馈进展时可选）")
            elif node_row.done_on is not None:
                errors.add("node", "done", f"节点“{node_row.title}”已于{node_row.done_on.isoformat()}报告")
        if action in (A.REQUEST_CLOSURE, A.CLOSE):
            pending = _open_children(task)
            if pending:
                errors.add(
                    "action", "children_open", f"该事项分解交办的 {pending} 项子事项尚未全部销号，不能{A(action).label}"
                )
        errors.raise_if_any()

        before = _snap(task)
        state_before = task.state
        if action == A.SIGN:
            task.signed_on = on
        elif action == A.DEPLOY:
            task.deployed_on = on
        elif action == A.PROGRESS:
            task.feedback_on = task.feedback_on or on
        elif action == A.REQUEST_CLOSURE:
            task.closure_requested_on = on
            task.feedback_on = task.feedback_on or on
        elif action == A.RETURN:
            task.return_count += 1
        elif action == A.CLOSE:
            task.closed_on = on
            task.rating = rating
        task.state = step.target
        task.save()
        report = TaskReport.objects.create(
            task=task,
            action=action,
            on=on,
            text=text,
            state_before=state_before,
            state_after=task.state,
            node=node_row,
            recorded_by=_actor_name(actor),
            user=actor,
        )
        if node_row is not None:
            node_row.done_on = on
            node_row.save(update_fields=["done_on"])
        record_event(
            actor=actor,
            action=f"supervision.task.{action}",
            target=task,
            before=before,
            after=_snap(task),
            reason=text[:500],
        )
        stops: tuple[str, ...] = step.stops
        if action == A.REQUEST_CLOSURE:
            stops = (Milestone.FEEDBACK,)  # the closure report is also the feedback, if none was given
        stop_on = on
        if action == A.CLOSE:
            stops = (Milestone.DEPLOY, Milestone.FEEDBACK, Milestone.RESOLVE, Milestone.RESOLVE_MAJOR)
            stop_on = task.closure_requested_on or on
        for code in stops:
            run = _running(task, code)
            if run is not None:
                clock_steps.stop_clock(actor=actor, run=run, on=max(stop_on, run.start), reason=A(action).label)
        if action == A.REQUEST_CLOSURE:
            _notify(
                task,
                NoticeKind.CLOSURE,
                f"report:{report.pk}",
                task.assigned_by,
                f"{task.lead_unit.name}申请销号：{task.title}",
                on,
            )
        elif action == A.RETURN:
            _notify(
                task,
                NoticeKind.RETURNED,
                f"report:{report.pk}",
                task.lead_unit,
                f"销号申请被退回：{task.title}（{text[:200]}）",
                on,
            )
        return task


def add_node(*, actor: Any, task: Task, title: str, due_on: dt.date | None) -> TaskNode:
    """时间节点: the assigning office sets a date by which a long-running task reports (DOMAIN §3: "明确时间节点")."""
    with transaction.atomic(durable=True):
        task = Task.objects.select_related("lead_unit__division", "assigned_by__division").get(pk=task.pk)
        selectors.require(actor, SUPERVISION_ASSIGN, task, lifecycle.ASSIGNER)
        errors = ErrorList()
        title = _text(title)
        if not task.is_open:
            errors.add("task", "closed", "事项已销号，不能再设置时间节点")
        if not title:
            errors.add("title", "required", "请填写节点内容")
        elif len(title) > 200:
            errors.add("title", "too_long", "节点内容不能超过 200 个字")
        if due_on is None:
            errors.add("due_on", "required", "请填写报告截止日")
        elif due_on <= task.assigned_on:
            errors.add("due_on", "too_early", f"报告截止日应晚于交办日期{task.assigned_on.isoformat()}")
        errors.raise_if_any()
        assert due_on is not None  # noqa: S101
        node = TaskNode.objects.create(task=task, title=title, due_on=due_on)
        record_event(
            actor=actor,
            action="supervision.node.create",
            target=task,
            after={"node": node.pk, "title": title, "due_on": due_on.isoformat()},
        )
        return node


# --- the sweep -------------------------------------------------------------------------------------------------------


@dataclass
class SweepResult:
    today: dt.date
    marked: int = 0
    reminders: int = 0
    escalations: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.today.isoformat()} 督办巡检：新标记逾期事项 {self.marked} 项，"
            f"发出逾期提醒 {self.reminders} 条，升级督办 {self.escalations} 条"
        )
        return text + (
            f"；{len(self.skipped)} 项无法计算升级日期（{'；'.join(self.skipped[:3])}）" if self.skipped else ""
        )


def escalation_rule() -> SupervisionRule:
    rule = SupervisionRule.objects.filter(code=ESCALATE_AFTER).first()
    if rule is None:  # the migration seeds it; a deleted row falls back to the documented default
        return SupervisionRule(code=ESCALATE_AFTER, name="逾期后升级督办", days=3, unit=TimeUnit.CALENDAR)
    return rule


def sweep_overdue(*, actor: Any = None, today: dt.date | None = None) -> SweepResult:
    """标记逾期、提醒、升级: safe to run any number of times (each reminder and escalation exists once).

    For every open task whose milestone (a running clock, or a node the office set) is past its due date: mark the
    task overdue (once), remind its lead unit (in the app and by e-mail), and when the item is still open
    ``escalate_after`` after its due date, escalate to the assigning office (the unit's superior office).
    """
    today = today or timezone.localdate()
    result = SweepResult(today)
    with transaction.atomic(durable=True):
        rule = escalation_rule()
        content_type = ContentType.objects.get_for_model(Task)
        late: dict[int, list[tuple[str, str, dt.date]]] = {}
        for run in ClockRun.objects.filter(content_type=content_type, status=RunStatus.RUNNING, due_date__lt=today):
            label = Milestone(run.limit_code).label if run.limit_code in Milestone.values else run.limit_code
            assert run.due_date is not None  # noqa: S101 — filtered
            late.setdefault(int(run.object_id), []).append((run.limit_code, str(label), run.due_date))
        for node in TaskNode.objects.filter(done_on__isnull=True, due_on__lt=today):
            late.setdefault(node.task_id, []).append((f"node:{node.pk}", f"节点“{node.title}”", node.due_on))
        new: list[Notice] = []
        tasks = (
            Task.objects.select_for_update(of=("self",))
            .select_related("lead_unit__division", "assigned_by__division")
            .filter(pk__in=list(late))
            .exclude(state=S.CLOSED)
            .order_by("pk")
        )
        for task in tasks:
            before = _snap(task)
            changed: list[str] = []
            for key, label, due in sorted(late[task.pk], key=lambda item: (item[2], item[0])):
                notice = _notify(
                    task,
                    NoticeKind.OVERDUE,
                    key,
                    task.lead_unit,
                    f"{label}已逾期（应于{due.isoformat()}前完成）：{task.title}",
                    today,
                )
                if notice is not None:
                    new.append(notice)
                    result.reminders += 1
                    changed.append(f"逾期提醒：{label}")
                if task.overdue_marked_on is None:
                    task.overdue_marked_on = today
                    result.marked += 1
                try:
                    escalate_on = compute_deadline(due, rule.days, rule.unit)
                except CalendarDataMissing as exc:
                    result.skipped.append(f"{task.number}：{exc}")
                    continue
                if today > escalate_on:
                    notice = _notify(
                        task,
                        NoticeKind.ESCALATION,
                        key,
                        task.assigned_by,
                        f"升级督办：{task.lead_unit.name}承办的{label}逾期超过{rule}，请督促办理：{task.title}",
                        today,
                    )
                    if notice is not None:
                        new.append(notice)
                        result.escalations += 1
                        changed.append(f"升级督办：{label}")
                        task.escalated_on = task.escalated_on or today
            if changed:
                task.save(update_fields=["overdue_marked_on", "escalated_on", "updated_at"])
                record_event(
                    actor=actor,
                    action="supervision.task.sweep",
                    target=task,
                    before=before,
                    after=_snap(task),
                    reason="；".join(changed)[:500],
                )
        _mail_later(new)
    return result


def update_rule(*, actor: Any, code: str, days: int, unit: str, note: str = "") -> SupervisionRule:
    """Change a rule kept as data (e.g. the escalation delay); only a province-wide 交办 holder may."""
    with transaction.atomic(durable=True):
        scope.require_root(actor, SUPERVISION_ASSIGN, "只有省级督办机构可以修改督办规则")
        rule = SupervisionRule.objects.select_for_update().filter(code=code).first()
        if rule is None:
            raise ValidationFailed(FieldError("code", "unknown", f"没有代码为“{code}”的督办规则"))
        errors = ErrorList()
        if not 0 <= days <= 366:
            errors.add("days", "out_of_range", "数值应在0至366之间")
        if unit not in TimeUnit.values:
            errors.add("unit", "invalid_choice", "单位应为工作日、自然日、月或年")
        errors.raise_if_any()
        before = snapshot(rule, ["days", "unit", "note"])
        rule.days, rule.unit = days, unit
        rule.note = _text(note) or rule.note
        rule.save()
        record_event(
            actor=actor,
            action="supervision.rule.update",
            target=rule,
            before=before,
            after=snapshot(rule, ["days", "unit", "note"]),
        )
        return rule

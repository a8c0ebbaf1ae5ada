"""Staff pages of the 13710 system: my tasks and reminders, a task with its milestones and every step as a form,
create and split, the dashboard with drill-down, and the electronic ledger (also as XLSX). Views parse input, call
one service or selector, and render; nothing here saves a model. Out of scope answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.errors import FazhiError, Forbidden, NotFound
from fazhi.core.forms import add_service_errors
from fazhi.core.permissions import SUPERVISION_ASSIGN, SUPERVISION_VIEW
from fazhi.org import scope
from fazhi.org.models import Agency

from . import export, lifecycle, selectors, services
from .choices import Rating, TaskAction, TaskState
from .forms import NodeForm, SplitForm, StepForm, TaskForm
from .models import Task

PAGE = 30


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def _filter(request: HttpRequest) -> selectors.TaskFilter:
    flag = request.GET.get("flag", "")
    return selectors.TaskFilter(
        q=request.GET.get("q", "").strip()[:100],
        unit=_int(request.GET.get("unit")),
        office=_int(request.GET.get("office")),
        state=request.GET.get("state", "") if request.GET.get("state", "") in TaskState.values else "",
        flag=flag if flag in selectors.FLAGS else "",
        rating=request.GET.get("rating", "") if request.GET.get("rating", "") in Rating.values else "",
        root=_int(request.GET.get("root")),
    )


def _query(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _need_view(request: HttpRequest) -> None:
    if not scope.has_permission_anywhere(request.user, SUPERVISION_VIEW):
        raise PermissionDenied


def _task(request: HttpRequest, pk: int) -> Task:
    try:
        return selectors.task_for(request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _need_view(request)
    f = _filter(request)
    rows = selectors.filtered_rows(request.user, f)
    units = {r.task.lead_unit_id: r.task.lead_unit for r in rows}
    context = {
        "page": Paginator(rows, PAGE).get_page(request.GET.get("page")),
        "count": len(rows),
        "f": f,
        "flags": selectors.FLAGS.items(),
        "states": TaskState.choices,
        "ratings": Rating.choices,
        "unit_name": units[f.unit].name if f.unit in units else "",
        "notices": selectors.notices_for(request.user),
        "can_assign": scope.has_permission_anywhere(request.user, SUPERVISION_ASSIGN),
        "query": _query(request),
        "today": timezone.localdate(),
    }
    return render(request, "supervision/home.html", context)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not scope.has_permission_anywhere(request.user, SUPERVISION_ASSIGN):
        raise PermissionDenied
    form = TaskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_task(
                actor=request.user,
                title=data["title"],
                content=data["content"],
                source=data["source"],
                source_detail=data["source_detail"],
                is_major=data["is_major"],
                lead_unit=data["lead_unit"],
                co_units=list(data["co_units"]),
                classified=data["classified"],
            )
            messages.success(request, f"已交办“{task.title}”给{task.lead_unit.name}（{task.number}）。")
            return redirect("supervision:task", pk=task.pk)
        except FazhiError as exc:
            add_service_errors(form, exc)
    elif request.method == "POST" and request.POST.get("classified"):
        form.add_error("classified", services.CLASSIFIED_MESSAGE)
    return render(request, "supervision/form.html", {"form": form, "title": "立项交办"})


_STEP_HELP: dict[str, str] = {
    TaskAction.SIGN: "承办单位签收督办事项。",
    TaskAction.DEPLOY: "“1”：1日内研究部署，报告部署安排。",
    TaskAction.PROGRESS: "“3”：3日内反馈办理措施和进展；长期事项按时间节点报告。",
    TaskAction.REQUEST_CLOSURE: "“7/1”：一般事项7日内、重大事项1个月内办结并申请销号（分解的子事项须先全部销号）。",
    TaskAction.RETURN: "交办单位审核：不符合要求的，写明理由退回。",
    TaskAction.CLOSE: "交办单位审核通过，销号并评价（优秀、良好、合格、不合格）。",
}


def _page(request: HttpRequest, task: Task, bound: dict[str, Any] | None = None) -> HttpResponse:
    bound = bound or {}
    user = request.user
    steps = []
    for t in lifecycle.actions_from(task.state):
        if not selectors.can(user, t, task):
            continue
        form = bound.get(t.action) or StepForm(action=t.action, task=task, label=t.text_label)
        steps.append(
            {"code": t.action, "title": TaskAction(t.action).label, "help": _STEP_HELP[t.action], "form": form}
        )
    context = {
        "task": task,
        "row": selectors.task_row(task),
        "children": selectors.children_rows(task, user),
        "reports": task.reports.order_by("on", "pk"),
        "co_units": task.co_units.select_related("division"),
        "steps": steps,
        "split_form": bound.get("split")
        or (SplitForm(user=user, task=task) if selectors.can_split(user, task) else None),
        "node_form": bound.get("node") or (NodeForm() if selectors.can_set_nodes(user, task) else None),
        "parent_visible": task.parent_id is not None and selectors.tasks_for(user).filter(pk=task.parent_id).exists(),
    }
    return render(request, "supervision/task.html", context)


@login_required
def task(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _task(request, pk))


@login_required
@require_POST
def step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = _task(request, pk)
    if action not in lifecycle.TRANSITIONS:
        raise Http404
    row = lifecycle.TRANSITIONS[action]
    form = StepForm(request.POST, action=action, task=found, label=row.text_label)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.take_step(
                actor=request.user,
                task=found,
                action=action,
                text=data.get("text", ""),
                rating=data.get("rating", ""),
                node=data.get("node"),
            )
            messages.success(request, f"已办理“{TaskAction(action).label}”。")
            return redirect("supervision:task", pk=found.pk)
        except Forbidden:
            raise PermissionDenied from None
        except FazhiError as exc:
            add_service_errors(form, exc)
    found = _task(request, pk)  # as it is now (nothing changed)
    if not any(
        t.action == action and selectors.can(request.user, t, found) for t in lifecycle.actions_from(found.state)
    ):
        # no form for this step on the page any more: say why at the top
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("supervision:task", pk=found.pk)
    return _page(request, found, bound={action: form})


@login_required
@require_POST
def split(request: HttpRequest, pk: int) -> HttpResponse:
    found = _task(request, pk)
    form = SplitForm(request.POST, user=request.user, task=found)
    if form.is_valid():
        try:
            child = services.split_task(
                actor=request.user,
                task=found,
                lead_unit=form.cleaned_data["lead_unit"],
                content=form.cleaned_data["content"],
            )
            messages.success(request, f"已分解交办给{child.lead_unit.name}（{child.number}）。")
            return redirect("supervision:task", pk=found.pk)
        except Forbidden:
            raise PermissionDenied from None
        except FazhiError as exc:
            add_service_errors(form, exc)
    return _page(request, found, bound={"split": form})


@login_required
@require_POST
def add_node(request: HttpRequest, pk: int) -> HttpResponse:
    found = _task(request, pk)
    form = NodeForm(request.POST)
    if form.is_valid():
        try:
            services.add_node(actor=request.user, task=found, **form.cleaned_data)
            messages.success(request, "已设置时间节点。")
            return redirect("supervision:task", pk=found.pk)
        except Forbidden:
            raise PermissionDenied from None
        except FazhiError as exc:
            add_service_errors(form, exc)
    return _page(request, found, bound={"node": form})


def _bars(items: list[tuple[str, str, int]]) -> list[dict[str, Any]]:
    top = max((n for _, _, n in items), default=0) or 1
    return [{"code": c, "label": label, "n": n, "pct": round(100 * n / top)} for c, label, n in items]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _need_view(request)
    rows = selectors.filtered_rows(request.user, selectors.TaskFilter())
    stats = selectors.unit_stats(rows)
    totals = {
        "tasks": len(rows),
        "open": sum(r.task.is_open for r in rows),
        "closed": sum(not r.task.is_open for r in rows),
        "on_time": sum(r.on_time for r in rows),
        "overdue_now": sum(r.overdue_now for r in rows),
        "overdue": sum(r.ever_overdue for r in rows),
        "returned": sum(r.task.return_count > 0 for r in rows),
    }
    top = max((s.tasks for s in stats), default=0) or 1
    context = {
        "totals": totals,
        "states": _bars(selectors.state_counts(rows)),
        "ratings": _bars(selectors.rating_counts(rows)),
        "stats": [
            (s, round(100 * s.tasks / top), round(100 * s.closed / top), round(100 * s.overdue / top)) for s in stats
        ],
    }
    return render(request, "supervision/dashboard.html", context)


def _ledger(request: HttpRequest) -> tuple[Agency | None, list[Agency], list[selectors.TaskRow]]:
    _need_view(request)
    offices = selectors.offices_for(request.user)
    office_id = _int(request.GET.get("office"))
    office = next((o for o in offices if o.pk == office_id), None)
    if office_id and office is None:
        raise Http404
    if office is None:
        own = getattr(getattr(request.user, "staff", None), "agency_id", None)
        office = next((o for o in offices if o.pk == own), offices[0] if offices else None)
    rows = selectors.filtered_rows(request.user, selectors.TaskFilter(office=office.pk)) if office else []
    rows.sort(key=lambda r: (r.task.assigned_on, r.task.pk))
    return office, offices, rows


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    office, offices, rows = _ledger(request)
    return render(request, "supervision/ledger.html", {"office": office, "offices": offices, "rows": rows})


@login_required
def ledger_xlsx(request: HttpRequest) -> HttpResponse:
    office, _, rows = _ledger(request)
    if office is None:
        raise Http404
    title = f"{office.name}“13710”督办电子台账（{timezone.localdate().isoformat()}）"
    response = HttpResponse(
        export.ledger_xlsx(rows, title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"ledger-{office.pk}.xlsx\"; filename*=UTF-8''13710-ledger-{office.pk}.xlsx"
    )
    return response

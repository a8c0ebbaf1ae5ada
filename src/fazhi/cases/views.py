"""Staff pages: the case list, filing a case, the case page (timeline of acts with attachments, running time limits,
officers and their certificates, the legal-review opinion, and every act the table allows now as a form), and the
attachment download that checks the file's SHA-256. Views parse input, call one service or selector, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fazhi.core.errors import FazhiError, Forbidden, NotFound
from fazhi.core.forms import add_service_errors
from fazhi.core.permissions import CASE_LEGAL_REVIEW, ORG_MANAGE

from . import lifecycle, selectors, services
from .choices import ARTICLE_58, CaseAction, CaseStatus
from .forms import STEP_HELP, FileCaseForm, MajorItemForm, QualificationForm, StepForm
from .models import EnforcementCase


def _uploads(files: list[Any]) -> list[services.Upload]:
    return [services.Upload(name=f.name, stream=f, content_type=getattr(f, "content_type", "") or "") for f in files]


def _kind_labels(kinds: list[str]) -> list[str]:
    from fazhi.publicity.choices import PenaltyKind

    return [str(PenaltyKind(k).label) if k in PenaltyKind.values else k for k in kinds]


def _scoped(user: Any, pk: int) -> EnforcementCase:
    try:
        return selectors.case_for(user, pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    status = status if status in CaseStatus.values else ""
    found = selectors.cases_for(request.user, q=q, status=status)
    context = {
        "page": Paginator(found, 30).get_page(request.GET.get("page")),
        "q": q,
        "status": status,
        "statuses": CaseStatus.choices,
        "can_file": selectors.bodies_for_filing(request.user).exists(),
    }
    return render(request, "cases/list.html", context)


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    bodies = selectors.bodies_for_filing(request.user)
    if not bodies.exists():
        raise PermissionDenied
    form = FileCaseForm(request.POST or None, request.FILES or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.file_case(
                actor=request.user,
                body=data["body"],
                kind=data["kind"],
                title=data["title"],
                party_name=data["party_name"],
                party_category=data["party_category"],
                party_code=data["party_code"],
                legal_rep=data["legal_rep"],
                source=data["source"],
                filed_on=data["filed_on"],
                files=_uploads(data["attachments"]),
                major={name: data.get(name, False) for name, _ in ARTICLE_58},
            )
            messages.success(request, f"已立案，案号 {case.number}。")
            return redirect("cases:detail", pk=case.pk)
        except Forbidden as exc:
            raise PermissionDenied from exc
        except FazhiError as exc:
            add_service_errors(form, exc)
    return render(request, "cases/new.html", {"form": form}, status=422 if form.errors else 200)


def _step_form(step: str, case: EnforcementCase, data: Any = None, files: Any = None) -> StepForm:
    return StepForm(
        data,
        files,
        step=step,
        case=case,
        officers=selectors.officers_of(case),
        major_items=selectors.major_items_of(case),
    )


def _case_page(request: HttpRequest, case: EnforcementCase, bound: StepForm | None = None) -> HttpResponse:
    steps = []
    for t in lifecycle.actions_from(case.status, case.kind):
        if not selectors.can(request.user, t.permission, case):
            continue
        form = bound if bound is not None and bound.step == t.action else _step_form(t.action, case)
        if t.action == CaseAction.PUBLISH and case.published_on is not None:
            continue
        steps.append(
            {
                "code": t.action,
                "title": CaseAction(t.action).label,
                "help": STEP_HELP.get(CaseAction(t.action), ""),
                "form": form,
            }
        )
    if bound is not None and bound.errors and bound.step not in {s["code"] for s in steps}:
        for errors in bound.errors.values():
            for error in errors:
                messages.error(request, str(error))
    records = selectors.timeline(case)
    investigators: dict[int, Any] = {}
    for record in records:
        for ro in record.officers.all():
            investigators.setdefault(ro.officer_id, ro)
    context = {
        "case": case,
        "records": records,
        "clocks": selectors.clocks_of(case),
        "decide_note": selectors.decide_limit_note(case),
        "reviews": selectors.reviews_of(case),
        "officers": list(investigators.values()),
        "article_58": [(label, getattr(case, name)) for name, label in ARTICLE_58],
        "major_items": list(case.major_items.all()),
        "is_major": services.is_major(case),
        "steps": steps,
        "proposed_labels": _kind_labels(case.proposed_kinds),
        "decision_labels": _kind_labels(case.decision_kinds),
    }
    status = 422 if bound is not None and bound.errors else 200
    return render(request, "cases/detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _scoped(request.user, pk))


@login_required
@require_POST
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    case = _scoped(request.user, pk)
    found = lifecycle.TRANSITIONS.get(step)
    if found is None or step == CaseAction.FILE:
        raise Http404
    if not selectors.can(request.user, found.permission, case):
        raise PermissionDenied
    form = _step_form(step, case, request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        data = services.ActInput(
            on=d.get("on"),
            summary=d.get("summary", ""),
            reason=d.get("reason", ""),
            officers=list(d.get("officers") or []),
            files=_uploads(d.get("attachments") or []),
            major={name: d[name] for name, _ in ARTICLE_58 if name in d},
            major_items=list(d["major_items"]) if "major_items" in d else None,
            proposed_kinds=d.get("proposed_kinds") or [],
            proposed_fine=d.get("proposed_fine"),
            outcome=d.get("outcome", ""),
            decision_number=d.get("decision_number", ""),
            violation_type=d.get("violation_type", ""),
            facts=d.get("facts", ""),
            basis=d.get("basis", ""),
            decision_kinds=d.get("decision_kinds") or [],
            fine=d.get("fine"),
            decision_content=d.get("decision_content", ""),
            published_where=d.get("published_where", ""),
        )
        if not any(name in d for name, _ in ARTICLE_58):
            data.major = None
        try:
            services.take_action(actor=request.user, case=case, action=step, data=data)
            messages.success(request, f"已办理“{CaseAction(step).label}”。")
            return redirect("cases:detail", pk=case.pk)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except FazhiError as exc:
            add_service_errors(form, exc)
    return _case_page(request, selectors.case_for(request.user, pk), bound=form)


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    try:
        found = selectors.attachment_for(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    actual = services.file_sha256(found)
    if actual != found.sha256:
        return render(
            request,
            "core/error.html",
            {"title": "附件校验失败", "message": f"文件“{found.name}”的 SHA-256 与记录不一致，可能已被篡改。"},
            status=409,
        )
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
    response["X-Content-SHA256"] = actual
    return response


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """The agency's 重大执法决定目录 and the reviewers' 法律职业资格 (add forms for those who may add)."""
    agencies = selectors.agencies_with(request.user, CASE_LEGAL_REVIEW)
    staff = selectors.staff_with(request.user, ORG_MANAGE)
    item_form = MajorItemForm(request.POST if "item-title" in request.POST else None, agencies=agencies)
    qual_form = QualificationForm(request.POST if "qual-number" in request.POST else None, staff=staff)
    if request.method == "POST":
        try:
            if item_form.is_bound and item_form.is_valid():
                d = item_form.cleaned_data
                services.create_major_item(
                    actor=request.user,
                    agency=d["agency"],
                    title=d["title"],
                    legal_source=d["legal_source"],
                    valid_from=d["valid_from"],
                )
                messages.success(request, "已加入重大执法决定目录。")
                return redirect("cases:settings")
            if qual_form.is_bound and qual_form.is_valid():
                d = qual_form.cleaned_data
                services.record_legal_qualification(
                    actor=request.user, user=d["staff"].user, number=d["number"], obtained_on=d["obtained_on"]
                )
                messages.success(request, "已登记法律职业资格。")
                return redirect("cases:settings")
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404 from exc
        except FazhiError as exc:
            add_service_errors(item_form if item_form.is_bound else qual_form, exc)
    context = {
        "items": selectors.major_items_for(request.user),
        "qualifications": selectors.qualifications_for(request.user),
        "item_form": item_form if agencies.exists() else None,
        "qual_form": qual_form if staff.exists() else None,
    }
    errors = item_form.errors or qual_form.errors
    return render(request, "cases/settings.html", context, status=422 if errors else 200)

"""Staff pages of 案卷评查 (campaigns, a sampled file with its flags and score, corrections, results and XLSX) and of
the annual statistics (compute and publish), plus the public page of published statistics. Views parse input, call
one service or selector and render; nothing here saves a model. Out of scope answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fazhi.core.errors import FazhiError, Forbidden, NotFound
from fazhi.core.forms import add_service_errors
from fazhi.core.permissions import CASE_HANDLE, CASEFILE_REVIEW, ENFORCEMENT_STATS
from fazhi.org import scope

from . import export, lifecycle, selectors, services
from . import statistics as stats
from .choices import CampaignAction, DeductionSource, DeductionState, FileState, Rating
from .forms import AcceptForm, CampaignForm, ComputeForm, CorrectionForm, DecisionForm, DeductionForm, SubmitForm
from .models import Campaign, CaseFileReview, Deduction


def _need_any(request: HttpRequest, *permissions: str) -> None:
    if not any(scope.has_permission_anywhere(request.user, p) for p in permissions):
        raise PermissionDenied


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    try:
        return selectors.campaign_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _file(request: HttpRequest, pk: int) -> CaseFileReview:
    try:
        return selectors.file_for(request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _need_any(request, CASEFILE_REVIEW, CASE_HANDLE)
    files = selectors.files_for(request.user)
    campaigns = list(
        selectors.campaigns_for(request.user).annotate(
            n_files=Count("files", filter=Q(files__in=files), distinct=True),
            n_scored=Count("files", filter=Q(files__in=files) & ~Q(files__state=FileState.PENDING), distinct=True),
        )
    )
    context = {
        "campaigns": campaigns,
        "can_create": scope.has_permission_anywhere(request.user, CASEFILE_REVIEW),
        "can_stats": scope.has_permission_anywhere(request.user, ENFORCEMENT_STATS),
    }
    return render(request, "oversight/home.html", context)


@login_required
def results(request: HttpRequest) -> HttpResponse:
    """Results per agency across every campaign the user sees (optionally one campaign year); scored files only."""
    _need_any(request, CASEFILE_REVIEW, CASE_HANDLE)
    year = _year(request.GET.get("year"))
    files = selectors.files_for(request.user)
    if year:
        files = files.filter(campaign__year=year)
    years = sorted(set(selectors.campaigns_for(request.user).values_list("year", flat=True)), reverse=True)
    context = {"results": selectors.results(files), "year": year, "years": years, "ratings": Rating.choices}
    return render(request, "oversight/results.html", context)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    _need_any(request, CASEFILE_REVIEW)
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.create_campaign(actor=request.user, **data)
            messages.success(request, f"已创建评查活动“{campaign.name}”，可以抽取案卷。")
            return redirect("oversight:campaign", pk=campaign.pk)
        except FazhiError as exc:
            add_service_errors(form, exc)
    return render(request, "oversight/form.html", {"form": form, "title": "新建案卷评查活动"})


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    found = _campaign(request, pk)
    files = selectors.campaign_files(request.user, found).annotate(
        n_flags=Count("deductions", filter=Q(deductions__source=DeductionSource.AUTO))
    )
    step = lifecycle.next_action(found.state) if selectors.can_manage(request.user, found) else None
    context = {
        "campaign": found,
        "files": files,
        "results": selectors.results(selectors.campaign_files(request.user, found)),
        "step": step,
        "step_label": CampaignAction(step.action).label if step else "",
        "ratings": Rating.choices,
        "items": [(s, list(s.items.all())) for s in found.template.sections.all()],
        "bands": found.template.bands.all(),
    }
    return render(request, "oversight/campaign.html", context)


@login_required
@require_POST
def advance(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = _campaign(request, pk)
    if action not in lifecycle.TRANSITIONS:
        raise Http404
    try:
        services.advance_campaign(actor=request.user, campaign=found, action=action)
        messages.success(request, f"已{CampaignAction(action).label}。")
    except NotFound:
        raise Http404 from None
    except Forbidden:
        raise PermissionDenied from None
    except FazhiError as exc:
        messages.error(request, exc.message)
    return redirect("oversight:campaign", pk=found.pk)


@login_required
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    found = _campaign(request, pk)
    files = selectors.campaign_files(request.user, found).prefetch_related("deductions__item")
    body = export.results_xlsx(found, selectors.results(selectors.campaign_files(request.user, found)), files)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="campaign-{found.pk}-results.xlsx"'
    return response


def _file_page(request: HttpRequest, review: CaseFileReview, bound: dict[str, Any] | None = None) -> HttpResponse:
    bound = bound or {}
    user = request.user
    can_score = selectors.can_score(user, review)
    deductions = selectors.deductions_of(review)
    decisions = {
        d.pk: bound.get(f"d{d.pk}") or DecisionForm(prefix=f"d{d.pk}")
        for d in deductions
        if can_score and d.state == DeductionState.PROPOSED
    }
    context = {
        "f": review,
        "campaign": review.campaign,
        "facts": review.facts,
        "deductions": [(d, decisions.get(d.pk)) for d in deductions],
        "can_score": can_score,
        "add_form": bound.get("add") or (DeductionForm(template=review.campaign.template) if can_score else None),
        "submit_form": bound.get("submit") or (SubmitForm() if can_score else None),
        "preview": services.result_of(review) if can_score else None,
        "correction_form": bound.get("correct")
        or (CorrectionForm(initial={"text": review.correction}) if selectors.can_correct(user, review) else None),
        "accept_form": bound.get("accept") or (AcceptForm() if selectors.can_accept(user, review) else None),
        "can_view_case": selectors.can_view_cases(user, review),
        "released": review.campaign.state in lifecycle.RESULTS_VISIBLE_TO_AGENCY,
    }
    return render(request, "oversight/file.html", context)


@login_required
def case_file(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_page(request, _file(request, pk))


def _run(request: HttpRequest, review: CaseFileReview, key: str, form: Any, call: Any, done: str) -> HttpResponse:
    if form.is_valid():
        try:
            call(form.cleaned_data)
            messages.success(request, done)
            return redirect("oversight:file", pk=review.pk)
        except NotFound:
            raise Http404 from None
        except Forbidden:
            raise PermissionDenied from None
        except FazhiError as exc:
            add_service_errors(form, exc)
    return _file_page(request, _file(request, review.pk), bound={key: form})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, deduction: int) -> HttpResponse:
    review = _file(request, pk)
    found = Deduction.objects.filter(pk=deduction, review=review).first()
    if found is None:
        raise Http404
    form = DecisionForm(request.POST, prefix=f"d{found.pk}")
    return _run(
        request,
        review,
        f"d{found.pk}",
        form,
        lambda d: services.decide_deduction(
            actor=request.user, deduction=found, confirm=d["decision"] == "confirm", reason=d["reason"]
        ),
        "已确认扣分。" if request.POST.get(f"d{found.pk}-decision") == "confirm" else "已排除该问题。",
    )


@login_required
@require_POST
def add_deduction(request: HttpRequest, pk: int) -> HttpResponse:
    review = _file(request, pk)
    form = DeductionForm(request.POST, template=review.campaign.template)
    return _run(
        request,
        review,
        "add",
        form,
        lambda d: services.add_deduction(
            actor=request.user, review=review, item=d["item"], count=d["count"], note=d["note"]
        ),
        "已添加扣分。",
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    review = _file(request, pk)
    form = SubmitForm(request.POST)
    return _run(
        request,
        review,
        "submit",
        form,
        lambda d: services.submit_score(actor=request.user, review=review, comment=d["comment"]),
        "已提交评分。",
    )


@login_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    review = _file(request, pk)
    form = CorrectionForm(request.POST)
    return _run(
        request,
        review,
        "correct",
        form,
        lambda d: services.submit_correction(actor=request.user, review=review, text=d["text"]),
        "已报送整改情况。",
    )


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    review = _file(request, pk)
    form = AcceptForm(request.POST)
    return _run(
        request,
        review,
        "accept",
        form,
        lambda d: services.accept_correction(actor=request.user, review=review, opinion=d["opinion"]),
        "已确认整改。",
    )


# --- statistics ----------------------------------------------------------------------------------------------------


def _year(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


@login_required
def statistics_manage(request: HttpRequest) -> HttpResponse:
    _need_any(request, ENFORCEMENT_STATS)
    year = _year(request.GET.get("year"))
    form = ComputeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            snap = services.compute_statistics(
                actor=request.user, agency=form.cleaned_data["agency"], year=form.cleaned_data["year"]
            )
            messages.success(request, f"已计算{snap.agency.name}{snap.year}年度统计。")
            return redirect(f"{request.path}?year={snap.year}")
        except NotFound:
            raise Http404 from None
        except Forbidden:
            raise PermissionDenied from None
        except FazhiError as exc:
            add_service_errors(form, exc)
    snapshots = [
        (s, stats.rows(s.figures), stats.deadline(s.year)) for s in selectors.statistics_for(request.user, year=year)
    ]
    context = {"form": form, "snapshots": snapshots, "year": year, "metrics": stats.METRICS}
    return render(request, "oversight/statistics_manage.html", context)


@login_required
@require_POST
def statistics_publish(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        snap = selectors.snapshot_for(request.user, pk)
        snap = services.publish_statistics(actor=request.user, snapshot=snap)
        state = "按期" if snap.on_time else f"逾期（应于 {stats.deadline(snap.year).isoformat()} 前发布）"
        messages.success(request, f"已发布{snap.agency.name}{snap.year}年度统计：{state}。")
    except NotFound:
        raise Http404 from None
    except Forbidden:
        raise PermissionDenied from None
    except FazhiError as exc:
        messages.error(request, exc.message)
        return redirect("oversight:statistics_manage")
    return redirect(f"{reverse('oversight:statistics_manage')}?year={snap.year}")


def statistics_public(request: HttpRequest) -> HttpResponse:
    """Published statistics for everyone: agency, year and figures only."""
    year = _year(request.GET.get("year"))
    snapshots = [(s, stats.rows(s.figures), stats.deadline(s.year)) for s in selectors.public_statistics(year=year)]
    years = sorted(set(selectors.public_statistics().values_list("year", flat=True)), reverse=True)
    context = {"snapshots": snapshots, "year": year, "years": years}
    return render(request, "oversight/statistics_public.html", context)

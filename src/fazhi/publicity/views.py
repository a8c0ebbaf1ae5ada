from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.core.errors import FazhiError, NotFound
from fazhi.core.forms import add_service_errors
from fazhi.core.identifiers import fold, mask_id_number

from . import selectors, services
from .choices import PenaltyKind, RecordStatus, RepairStatus

_INTERNAL = {"id", "agency", "natural_key", "content_hash", "doc_number_key", "created_at", "updated_at"}


def _labelled(record: Any, *, full_ids: bool) -> list[tuple[str, Any]]:
    """(Chinese label, shown value) for every filled field, in model order, for the staff record page."""
    rows = []
    for f in record._meta.concrete_fields:
        if f.name in _INTERNAL:
            continue
        value = getattr(record, f.attname)
        if value in (None, "", []):
            continue
        if f.name == "kinds":
            value = "、".join(str(PenaltyKind(k).label) for k in value)
        elif f.choices:
            value = getattr(record, f"get_{f.name}_display")()
        elif f.name.endswith("id_number") and not full_ids:
            value = mask_id_number(value)
        elif isinstance(value, bool):
            value = "是" if value else "否"
        rows.append((str(f.verbose_name), value))
    return rows


def home(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    if q:
        profile = selectors.entity_profile(q, user=request.user)
        if profile is not None:
            return redirect("publicity:entity", identifier=profile.uscc or q)
    return render(request, "publicity/home.html", {"q": q, "totals": selectors.totals()})


def entity(request: HttpRequest, identifier: str) -> HttpResponse:
    profile = selectors.entity_profile(identifier, user=request.user)
    if profile is None:
        raise Http404
    return render(request, "publicity/entity.html", {"profile": profile})


def record(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    found = selectors.public_record(kind, pk)
    if found is None:
        raise Http404
    return render(request, "publicity/record.html", {"record": found, "kind": kind})


class RepairForm(forms.Form):
    applicant_name = forms.CharField(label="申请人（单位名称）", max_length=200)
    applicant_contact = forms.CharField(label="联系人及联系方式", max_length=100)
    performed_statement = forms.CharField(label="履行行政处罚决定的情况", widget=forms.Textarea(attrs={"rows": 4}))
    commitment = forms.CharField(label="信用修复承诺（将公开）", widget=forms.Textarea(attrs={"rows": 4}))
    proof = forms.FileField(
        label="履行处罚义务的证明（如缴款凭证）",
        required=False,
        help_text="PDF、JPG、PNG、DOC/DOCX 或 OFD，不超过 10 MB",
    )
    identity = forms.FileField(label="营业执照或身份证明", required=False)


def repair_apply(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.public_record("penalty", pk)
    if found is None:
        raise Http404
    form = RepairForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            files = [("履行处罚义务的证明", data.pop("proof")), ("营业执照或身份证明", data.pop("identity"))]
            repair = services.apply_for_repair(record=found, materials=[(t, f) for t, f in files if f], **data)
            messages.success(request, f"已提交信用修复申请，审核期限为 {repair.review_due:%Y年%-m月%-d日}。")
            return redirect("publicity:record", kind="penalty", pk=pk)
        except FazhiError as exc:
            add_service_errors(form, exc)
    return render(
        request, "publicity/repair_form.html", {"form": form, "record": found}, status=422 if form.errors else 200
    )


# --- staff -------------------------------------------------------------------------------------------------


@login_required
def staff_records(request: HttpRequest, kind: str = "penalty") -> HttpResponse:
    if kind not in ("penalty", "licence"):
        raise Http404
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    status = status if status in RecordStatus.values else ""
    page = Paginator(selectors.records_for(request.user, kind, q=q, status=status), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "publicity/staff_records.html",
        {"page": page, "kind": kind, "q": q, "status": status, "statuses": RecordStatus.choices},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    revoked_on = forms.DateField(
        label="决定被变更或撤销的日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="填写后核对 3 个工作日的撤回时限",
    )


@login_required
def staff_record(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in ("penalty", "licence"):
        raise Http404
    try:
        found = selectors.record_for(request.user, kind, pk)
    except NotFound as exc:
        raise Http404 from exc
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_record(
                actor=request.user,
                record=found,
                reason=form.cleaned_data["reason"],
                revoked_on=form.cleaned_data["revoked_on"],
            )
            messages.success(request, "已撤回公示，并已通知下游（变更订阅）。")
            return redirect("publicity:staff_record", kind=kind, pk=pk)
        except FazhiError as exc:
            add_service_errors(form, exc)
    data = _labelled(found, full_ids=selectors.sees_full_ids(request.user, found))
    return render(
        request,
        "publicity/staff_record.html",
        {"record": found, "data": data, "kind": kind, "form": form},
        status=422 if form.errors else 200,
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结果", choices=[("approve", "同意修复"), ("reject", "不予修复")])
    reason = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)


@login_required
def staff_repairs(request: HttpRequest) -> HttpResponse:
    repairs = selectors.repairs_for(request.user)
    if request.method == "POST":
        repair = repairs.filter(pk=request.POST.get("repair_id") or 0).first()
        if repair is None:
            raise Http404
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.review_repair(
                    actor=request.user,
                    repair=repair,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, "已审核。")
                return redirect("publicity:staff_repairs")
            except FazhiError as exc:
                messages.error(request, exc.message)
    context: dict[str, Any] = {
        "pending": repairs.filter(status=RepairStatus.SUBMITTED)[:200],
        "done": repairs.exclude(status=RepairStatus.SUBMITTED)[:50],
        "form": ReviewForm(),
    }
    return render(request, "publicity/staff_repairs.html", context)


@login_required
def staff_quality(request: HttpRequest) -> HttpResponse:
    year_text = fold(request.GET.get("year", ""))
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    return render(
        request, "publicity/staff_quality.html", {"rows": selectors.quality_for(request.user, year=year), "year": year}
    )


@login_required
def repair_material(request: HttpRequest, pk: int, material: int) -> FileResponse:
    """A material of a repair application in the reviewer's jurisdiction (404 otherwise)."""
    repair = selectors.repairs_for(request.user).filter(pk=pk).first()
    found = repair.materials.filter(pk=material).first() if repair is not None else None
    if found is None:
        raise Http404
    return FileResponse(
        found.file.open("rb"), as_attachment=True, filename=(found.file.name or "material").rsplit("/", 1)[-1]
    )

"""Pages: public (事前公开: bodies, officers, the power list, the random-inspection list, certificate verification)
and staff (scoped: bodies, officers, certificates with every lifecycle step as a form, power items and
adjustments). Views parse input, call one service or selector, and render; nothing here saves a model."""

from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.errors import FazhiError, NotFound, ValidationFailed
from fazhi.core.forms import add_service_errors
from fazhi.core.identifiers import fold
from fazhi.core.permissions import CERTIFICATE_MANAGE, ENFORCEMENT_MANAGE
from fazhi.org import scope
from fazhi.org.selectors import resolve_division

from . import lifecycle, selectors, services, signing
from .choices import OfficerStatus, PowerCategory, PowerStatus
from .forms import (
    STEP_TEXT,
    AdjustForm,
    ApplyForm,
    BodyEditForm,
    BodyForm,
    OfficerEditForm,
    OfficerForm,
    OfficerImportForm,
    PowerForm,
    StepForm,
    VerifyForm,
)
from .models import Certificate, PowerItem
from .numbers import check_number

PAGE = 30


def _page(request: HttpRequest, items: Any, per_page: int = PAGE) -> Any:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _q(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:100]


def _int(value: str | None) -> int | None:
    text = fold(value or "")
    return int(text) if text.isdigit() and len(text) < 12 else None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(fold(value or ""))
    except ValueError:
        return None


def _filters(request: HttpRequest, **extra: Any) -> str:
    """The current filters as a query string for the pager (everything but the page)."""
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in extra.items():
        params[key] = value
    return params.urlencode()


# --- public -------------------------------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "form": VerifyForm(),
        "domains": selectors.domains(in_use=True),
        "counts": {
            "bodies": selectors.public_bodies().count(),
            "officers": selectors.valid_certificates().filter(officer__body__is_active=True).count(),
            "powers": selectors.public_power_items().count(),
            "inspections": selectors.public_power_items(random_only=True).count(),
        },
    }
    return render(request, "enforcement/home.html", context)


def bodies(request: HttpRequest) -> HttpResponse:
    q, domain = _q(request), request.GET.get("domain", "")[:32]
    found = selectors.public_bodies(q=q, domain=domain)
    context = {"page": _page(request, found), "q": q, "domain": domain, "domains": selectors.domains(in_use=True)}
    return render(request, "enforcement/bodies.html", context | {"filters": _filters(request)})


def body(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.public_body(pk)
    if found is None:
        raise Http404
    officers = selectors.public_officers(body=found.pk)
    items = selectors.public_power_items(body=found.pk)
    context = {
        "body": found,
        "officers": officers[:100],
        "officer_count": officers.count(),
        "rows": [selectors.PowerRow.of(i) for i in items[:200]],
        "power_count": items.count(),
        "inspections": [
            selectors.PowerRow.of(i) for i in selectors.public_power_items(body=found.pk, random_only=True)
        ],
    }
    return render(request, "enforcement/body.html", context)


def officers(request: HttpRequest) -> HttpResponse:
    q, domain, body_id = _q(request), request.GET.get("domain", "")[:32], _int(request.GET.get("body"))
    found = selectors.public_officers(q=q, body=body_id, domain=domain)
    context = {
        "page": _page(request, found),
        "q": q,
        "domain": domain,
        "domains": selectors.domains(in_use=True),
        "body": selectors.public_body(body_id) if body_id else None,
        "filters": _filters(request),
    }
    return render(request, "enforcement/officers.html", context)


def officer(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.public_officer(pk)
    if certificate is None:
        raise Http404
    return render(request, "enforcement/officer.html", {"certificate": certificate, "officer": certificate.officer})


def powers(request: HttpRequest) -> HttpResponse:
    q, category = _q(request), request.GET.get("category", "")
    category = category if category in PowerCategory.values else ""
    body_id = _int(request.GET.get("body"))
    today = timezone.localdate()
    as_of = _date(request.GET.get("as_of"))
    error = ""
    if request.GET.get("as_of") and as_of is None:
        error = "日期格式应为 YYYY-MM-DD，例如 2020-12-31"
    elif as_of is not None and as_of > today:
        error, as_of = "只能查询今天及以前的清单", None
    if as_of is not None and as_of != today:
        page = _page(request, selectors.power_states_on(as_of, body=body_id, category=category, q=q))
        page.object_list = [selectors.PowerRow.of_adjustment(a) for a in page.object_list]
    else:
        as_of = None
        page = _page(request, selectors.public_power_items(body=body_id, category=category, q=q))
        page.object_list = [selectors.PowerRow.of(i) for i in page.object_list]
    context = {
        "page": page,
        "q": q,
        "category": category,
        "categories": PowerCategory.choices,
        "as_of": as_of,
        "error": error,
        "body": selectors.public_body(body_id) if body_id else None,
        "filters": _filters(request),
    }
    return render(request, "enforcement/powers.html", context, status=400 if error else 200)


def power(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.public_power_item(pk)
    if item is None:
        raise Http404
    context = {"item": item, "adjustments": selectors.adjustments_of(item)}
    return render(request, "enforcement/power.html", context)


def inspections(request: HttpRequest) -> HttpResponse:
    body_id = _int(request.GET.get("body"))
    items = selectors.public_power_items(body=body_id, random_only=True)
    page = _page(request, items)
    page.object_list = [selectors.PowerRow.of(i) for i in page.object_list]
    context = {"page": page, "body": selectors.public_body(body_id) if body_id else None, "filters": _filters(request)}
    return render(request, "enforcement/inspections.html", context)


def verify_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        try:
            number = check_number(form.cleaned_data["number"])
            return redirect("enforcement:verify_number", number=number)
        except ValidationFailed as exc:
            add_service_errors(form, exc)
    return render(request, "enforcement/verify_form.html", {"form": form}, status=400 if form.errors else 200)


def verify(request: HttpRequest, number: str) -> HttpResponse:
    """A certificate by number: its public facts and state today; with ``p`` and ``s`` (a scanned QR code) also
    whether the signed facts are genuine and still match the record."""
    try:
        number = check_number(number)
    except ValidationFailed as exc:
        form = VerifyForm({"number": number})
        form.is_valid()
        add_service_errors(form, exc)
        return render(request, "enforcement/verify_form.html", {"form": form}, status=400)
    certificate = selectors.certificate_by_number(number)
    today = timezone.localdate()
    context: dict[str, Any] = {"number": number, "certificate": certificate, "today": today}
    if certificate is not None:
        context["validity"] = lifecycle.validity_on(certificate, today)
        context["successor"] = certificate.successors.exclude(number=None).first()
    p, s = request.GET.get("p", ""), request.GET.get("s", "")
    if p or s:
        context["signed"] = _signed(number, p, s, certificate)
    return render(request, "enforcement/verify.html", context, status=200 if certificate is not None else 404)


def _signed(number: str, p: str, s: str, certificate: Certificate | None) -> dict[str, Any]:
    if not signing.available():
        return {"valid": False, "problem": "本站未配置签名公钥，无法核验二维码签名"}
    result = signing.check(p, s)
    if result.valid and result.facts is not None and result.facts.number != number:
        return {"valid": False, "facts": result.facts, "problem": "链接地址中的证号与签名内容不一致：链接被改动过"}
    signed: dict[str, Any] = {"valid": result.valid, "facts": result.facts, "problem": result.problem}
    if result.valid and result.facts is not None and certificate is not None and certificate.issued_on is not None:
        live = signing.facts_of(certificate)
        labels = {
            "name": "姓名",
            "body": "执法主体",
            "domains": "执法领域",
            "issued": "发证日期",
            "expires": "有效期至",
        }
        signed["differences"] = [
            (label, getattr(result.facts, key), getattr(live, key))
            for key, label in labels.items()
            if getattr(result.facts, key) != getattr(live, key)
        ]
    return signed


def public_key_pem(request: HttpRequest) -> HttpResponse:
    return _key_response(signing.public_key_pem(), "fazhi-signing-key.pem")


def public_key_txt(request: HttpRequest) -> HttpResponse:
    return _key_response(signing.public_key_base64() + "\n", "fazhi-signing-key.txt")


def _key_response(text: str, filename: str) -> HttpResponse:
    if not signing.available():
        raise Http404
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Key-Id"] = signing.key_id()
    return response


# --- staff --------------------------------------------------------------------------------------------------------


def _scoped(loader: Any, user: Any, pk: int) -> Any:
    try:
        return loader(user, pk)
    except NotFound as exc:
        raise Http404 from exc


def _require_anywhere(user: Any, permission: str) -> None:
    if not scope.has_permission_anywhere(user, permission):
        raise PermissionDenied


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    q = _q(request)
    context = {
        "counts": selectors.counts_for(request.user),
        "page": _page(request, selectors.bodies_for(request.user, q=q)),
        "q": q,
        "due": [
            (c, lifecycle.validity_on(c, timezone.localdate()))
            for c in selectors.certificates_due(request.user)
            .select_related("rule")
            .prefetch_related(selectors.EVENTS)[:20]
        ],
        "can_manage": scope.has_permission_anywhere(request.user, ENFORCEMENT_MANAGE),
        "filters": _filters(request),
    }
    return render(request, "enforcement/staff_home.html", context)


@login_required
def staff_body_create(request: HttpRequest) -> HttpResponse:
    _require_anywhere(request.user, ENFORCEMENT_MANAGE)
    form = BodyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = data["agency"]
        division = agency.division if agency is not None else None
        if division is None:
            resolved = resolve_division(data["division"]) if data["division"] else None
            division = resolved.division if resolved else None
        if division is None:
            form.add_error("division", "请选择所属机关，或填写所在区划的代码（例如 140105）")
        else:
            try:
                created = services.create_body(
                    actor=request.user,
                    division=division,
                    **{k: v for k, v in data.items() if k != "division"},
                )
                messages.success(request, f"已登记执法主体“{created.name}”。")
                return redirect("enforcement:staff_body", pk=created.pk)
            except NotFound:
                form.add_error("division", "该区划不在您的管辖范围内")
            except FazhiError as exc:
                add_service_errors(form, exc)
    return _form_page(request, form, "登记执法主体", "登记")


def _form_page(request: HttpRequest, form: Any, title: str, submit: str, intro: str = "") -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "intro": intro}
    return render(request, "enforcement/form.html", context, status=422 if form.errors else 200)


@login_required
def staff_body(request: HttpRequest, pk: int) -> HttpResponse:
    found = _scoped(selectors.body_for, request.user, pk)
    can_manage = selectors.can(request.user, ENFORCEMENT_MANAGE, found)
    initial = {f: getattr(found, f) for f in services.BODY_EDITABLE} | {"domains": list(found.domains.all())}
    form = BodyEditForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            domains = data.pop("domains")
            try:
                services.update_body(actor=request.user, body=found, changes=data, domains=domains)
                messages.success(request, "已保存。")
                return redirect("enforcement:staff_body", pk=pk)
            except FazhiError as exc:
                add_service_errors(form, exc)
    context = {
        "body": found,
        "form": form if can_manage else None,
        "officers": selectors.officers_for(request.user, body=found.pk)[:200],
        "powers": selectors.power_items_for(request.user, body=found.pk, status=PowerStatus.IN_FORCE).count(),
    }
    return render(request, "enforcement/staff_body.html", context, status=422 if form.errors else 200)


@login_required
def staff_officers(request: HttpRequest) -> HttpResponse:
    q, body_id = _q(request), _int(request.GET.get("body"))
    status = request.GET.get("status", "")
    status = status if status in OfficerStatus.values else ""
    found = selectors.officers_for(request.user, q=q, body=body_id, status=status)
    context = {
        "page": _page(request, found),
        "q": q,
        "status": status,
        "statuses": OfficerStatus.choices,
        "can_manage": scope.has_permission_anywhere(request.user, ENFORCEMENT_MANAGE),
        "filters": _filters(request),
    }
    return render(request, "enforcement/staff_officers.html", context)


def _initial_body(request: HttpRequest, bodies: Any) -> int | None:
    """The body a create form starts with: the one named in the address, or the user's only one."""
    named = _int(request.GET.get("body"))
    if named is None and len(first := list(bodies.values_list("pk", flat=True)[:2])) == 1:
        return int(first[0])
    return named


def _create_in_body(
    request: HttpRequest,
    form_class: Any,
    create: Any,
    *,
    success: str,
    target: str,
    title: str,
    submit: str,
    intro: str = "",
) -> HttpResponse:
    """A create page whose form starts with a body the user may manage (officers, power items)."""
    _require_anywhere(request.user, ENFORCEMENT_MANAGE)
    bodies = selectors.manageable_bodies(request.user)
    form = form_class(request.POST or None, bodies=bodies, initial={"body": _initial_body(request, bodies)})
    if request.method == "POST" and form.is_valid():
        try:
            created = create(actor=request.user, **form.cleaned_data)
            messages.success(request, success.format(name=created.name))
            return redirect(target, pk=created.pk)
        except FazhiError as exc:
            add_service_errors(form, exc)
    return _form_page(request, form, title, submit, intro)


@login_required
def staff_officer_create(request: HttpRequest) -> HttpResponse:
    return _create_in_body(
        request,
        OfficerForm,
        services.create_officer,
        success="已登记执法人员“{name}”。",
        target="enforcement:staff_officer",
        title="登记执法人员",
        submit="登记",
        intro="身份证号码、联系电话只在工作页面显示，不会公开。",
    )


IMPORT_MAX_ROWS = 5000


@login_required
def staff_officer_import(request: HttpRequest) -> HttpResponse:
    """A list of officers from a CSV or XLSX file: good rows registered, bad rows reported, re-running is safe."""
    from fazhi.ingest.readers import UnusableFile, match_headers, open_table

    _require_anywhere(request.user, ENFORCEMENT_MANAGE)
    bodies = selectors.manageable_bodies(request.user)
    form = OfficerImportForm(
        request.POST or None, request.FILES or None, bodies=bodies, initial={"body": _initial_body(request, bodies)}
    )
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with open_table(upload, filename=upload.name) as table:
                match = match_headers(table.headers, services.OFFICER_COLUMNS)
                missing = match.missing(["name", "id_number", "employment"])
                if missing:
                    names = "、".join(services.OFFICER_COLUMNS[key][0] for key in missing)
                    form.add_error("file", f"文件缺少必需的列：{names}（第一行应为表头）")
                else:
                    rows: list[tuple[int, dict[str, Any]]] = []
                    for row in table.rows():
                        if len(rows) >= IMPORT_MAX_ROWS:
                            form.add_error("file", f"一次最多导入 {IMPORT_MAX_ROWS} 人，请分批导入")
                            break
                        rows.append(
                            (row.number, {match.mapping[h]: v for h, v in row.values.items() if h in match.mapping})
                        )
                    if not form.errors:
                        result = services.import_officers(actor=request.user, body=form.cleaned_data["body"], rows=rows)
        except UnusableFile as exc:
            form.add_error("file", str(exc))
        except FazhiError as exc:
            add_service_errors(form, exc)
    labels = {key: names[0] for key, names in services.OFFICER_COLUMNS.items()}
    context = {"form": form, "result": result, "labels": labels}
    return render(request, "enforcement/officer_import.html", context, status=422 if form.errors else 200)


@login_required
def staff_officer(request: HttpRequest, pk: int) -> HttpResponse:
    found = _scoped(selectors.officer_for, request.user, pk)
    can_manage = selectors.can(request.user, ENFORCEMENT_MANAGE, found)
    edit = OfficerEditForm(
        request.POST if request.POST.get("form") == "edit" else None,
        initial={f: getattr(found, f) for f in services.OFFICER_EDITABLE},
    )
    apply = ApplyForm(request.POST if request.POST.get("form") == "apply" else None, body=found.body)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if edit.is_bound and edit.is_valid():
                services.update_officer(actor=request.user, officer=found, changes=edit.cleaned_data)
                messages.success(request, "已保存。")
                return redirect("enforcement:staff_officer", pk=pk)
            if apply.is_bound and apply.is_valid():
                created = services.apply_for_certificate(actor=request.user, officer=found, **apply.cleaned_data)
                messages.success(request, "已受理执法证申领，请登记培训考试结果。")
                return redirect("enforcement:staff_certificate", pk=created.pk)
        except FazhiError as exc:
            add_service_errors(edit if edit.is_bound else apply, exc)
    today = timezone.localdate()
    certificates = selectors.certificates_of(found)
    context = {
        "officer": found,
        "certificates": [(c, lifecycle.validity_on(c, today)) for c in certificates],
        "edit": edit if can_manage else None,
        "apply": apply if can_manage else None,
        "eligibility": services.eligibility_errors(found, today),
    }
    errors = edit.errors or apply.errors
    return render(request, "enforcement/staff_officer.html", context, status=422 if errors else 200)


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True, title="执法证核验二维码")


def _verify_link(request: HttpRequest, certificate: Certificate) -> str | None:
    if not certificate.number or certificate.issued_on is None or not signing.available():
        return None
    page = request.build_absolute_uri(reverse("enforcement:verify_number", kwargs={"number": certificate.number}))
    return signing.verification_url(certificate, page)


def _certificate_page(request: HttpRequest, certificate: Certificate, bound: StepForm | None = None) -> HttpResponse:
    can_act = selectors.can(request.user, CERTIFICATE_MANAGE, certificate)
    steps = []
    if can_act:
        for step in services.steps_from(certificate.status):
            form = bound if bound is not None and bound.step == step else StepForm(step=step)
            steps.append({"code": step, "form": form, "title": STEP_TEXT[step][0], "help": STEP_TEXT[step][1]})
    if bound is not None and bound.errors and bound.step not in {s["code"] for s in steps}:
        for errors in bound.errors.values():  # a step the table does not offer now: say why at the top
            for error in errors:
                messages.error(request, str(error))
    link = _verify_link(request, certificate)
    context = {
        "certificate": certificate,
        "officer": certificate.officer,
        "validity": lifecycle.validity_on(certificate, timezone.localdate()),
        "events": list(certificate.events.all()),
        "steps": steps,
        "link": link,
        "qr": _qr_svg(link) if link else "",
        "successors": list(certificate.successors.all()),
    }
    status = 422 if bound is not None and bound.errors else 200
    return render(request, "enforcement/staff_certificate.html", context, status=status)


@login_required
def staff_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    return _certificate_page(request, _scoped(selectors.certificate_for, request.user, pk))


@login_required
@require_POST
def certificate_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    certificate = _scoped(selectors.certificate_for, request.user, pk)
    if step not in STEP_TEXT:
        raise Http404
    if not selectors.can(request.user, CERTIFICATE_MANAGE, certificate):
        raise PermissionDenied
    form = StepForm(request.POST, step=step)
    if form.is_valid():
        try:
            result = services.take_certificate_step(
                actor=request.user, certificate=certificate, step=step, data=services.StepInput(**form.cleaned_data)
            )
            messages.success(request, f"已办理“{STEP_TEXT[step][0]}”。")
            return redirect("enforcement:staff_certificate", pk=result.pk)
        except FazhiError as exc:
            add_service_errors(form, exc)
    certificate = selectors.certificate_for(request.user, pk)  # as it is now (nothing changed)
    return _certificate_page(request, certificate, bound=form)


@login_required
def certificate_card(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _scoped(selectors.certificate_for, request.user, pk)
    link = _verify_link(request, certificate)
    if link is None:
        raise Http404
    context = {"certificate": certificate, "officer": certificate.officer, "link": link, "qr": _qr_svg(link)}
    return render(request, "enforcement/certificate_card.html", context)


@login_required
def staff_powers(request: HttpRequest) -> HttpResponse:
    q, body_id = _q(request), _int(request.GET.get("body"))
    category = request.GET.get("category", "")
    category = category if category in PowerCategory.values else ""
    status = request.GET.get("status", PowerStatus.IN_FORCE)
    status = status if status in PowerStatus.values else ""
    found = selectors.power_items_for(request.user, q=q, body=body_id, category=category, status=status)
    context = {
        "page": _page(request, found),
        "q": q,
        "category": category,
        "status": status,
        "categories": PowerCategory.choices,
        "statuses": PowerStatus.choices,
        "can_manage": scope.has_permission_anywhere(request.user, ENFORCEMENT_MANAGE),
        "filters": _filters(request),
    }
    return render(request, "enforcement/staff_powers.html", context)


@login_required
def staff_power_create(request: HttpRequest) -> HttpResponse:
    return _create_in_body(
        request,
        PowerForm,
        services.create_power_item,
        success="已将“{name}”列入权责清单。",
        target="enforcement:staff_power",
        title="新增权责清单事项",
        submit="列入清单",
    )


@login_required
def staff_power(request: HttpRequest, pk: int) -> HttpResponse:
    item: PowerItem = _scoped(selectors.power_item_for, request.user, pk)
    can_manage = selectors.can(request.user, ENFORCEMENT_MANAGE, item)
    form = AdjustForm(
        request.POST or None,
        bodies=selectors.manageable_bodies(request.user).exclude(pk=item.body_id),
        initial={f: getattr(item, f) for f in AdjustForm.CHANGEABLE},
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.adjust_power_item(
                    actor=request.user,
                    item=item,
                    kind=data["kind"],
                    effective_on=data["effective_on"],
                    doc_number=data["doc_number"],
                    reason=data["reason"],
                    changes=form.changes(item) if data["kind"] == "changed" else None,
                    to_body=data["to_body"],
                )
                messages.success(request, "已登记调整。")
                return redirect("enforcement:staff_power", pk=pk)
            except FazhiError as exc:
                add_service_errors(form, exc)
    context = {
        "item": item,
        "adjustments": selectors.adjustments_of(item),
        "form": form if can_manage and item.status == PowerStatus.IN_FORCE else None,
    }
    return render(request, "enforcement/staff_power.html", context, status=422 if form.errors else 200)

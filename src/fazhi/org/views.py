from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from fazhi.core.errors import FazhiError, NotFound
from fazhi.core.forms import add_service_errors
from fazhi.core.permissions import ORG_MANAGE, ORG_VIEW

from . import scope, selectors, services
from .forms import AgencyEditForm, AgencyForm, StaffForm
from .models import ApiToken, Division, Role


def division_page(request: HttpRequest, code: str) -> HttpResponse:
    resolved = selectors.resolve_division(code)
    if resolved is None:
        raise Http404
    if resolved.replaced is not None:
        messages.info(
            request,
            f"{resolved.replaced.old_name}（{resolved.replaced.old_code}）已撤销，现为{resolved.division.name}。",
        )
        return redirect("org:division", code=resolved.division.code)
    division = resolved.division
    agencies = Paginator(selectors.public_agencies(division=division), 50).get_page(request.GET.get("page"))
    ancestors: list[Division] = []
    node = division.parent
    while node is not None:
        ancestors.insert(0, node)
        node = node.parent
    context = {
        "division": division,
        "ancestors": ancestors,
        "children": selectors.divisions(parent_code=division.code),
        "former_codes": division.former_codes.all(),
        "agencies": agencies,
    }
    return render(request, "org/division.html", context)


def agency_page(request: HttpRequest, pk: int) -> HttpResponse:
    agency = selectors.public_agency(pk)
    staff_view = None
    if request.user.is_authenticated:
        try:
            agency = selectors.agency_for(request.user, pk)
            staff_view = {
                "staff": selectors.staff_for(request.user, agency=agency),
                "can_manage": scope.jurisdiction(request.user, ORG_MANAGE).covers(
                    division_path=agency.division.path, agency_path=agency.path
                ),
            }
        except NotFound:
            pass
    if agency is None:
        raise Http404
    children = selectors.public_agencies().filter(parent=agency)
    return render(request, "org/agency.html", {"agency": agency, "children": children, "staff_view": staff_view})


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    agencies = Paginator(selectors.agencies_for(request.user, q=q), 30).get_page(request.GET.get("page"))
    context = {
        "q": q,
        "agencies": agencies,
        "jurisdiction": selectors.jurisdiction_label(request.user),
        "staff_count": selectors.staff_for(request.user).count(),
        "can_manage": scope.has_permission_anywhere(request.user, ORG_MANAGE),
        "can_view": scope.has_permission_anywhere(request.user, ORG_VIEW),
    }
    return render(request, "org/workspace.html", context)


@login_required
def agency_create(request: HttpRequest) -> HttpResponse:
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resolved = selectors.resolve_division(data["division"])
            if resolved is None:
                form.add_error("division", f"没有区划代码为 {data['division']} 的行政区划")
            else:
                parent = services.get_agency_for_write(request.user, data["parent_id"]) if data["parent_id"] else None
                agency = services.create_agency(
                    actor=request.user,
                    name=data["name"],
                    kind=data["kind"],
                    division=resolved.division,
                    parent=parent,
                    uscc=data["uscc"],
                    short_name=data["short_name"],
                )
                messages.success(request, f"已创建机构“{agency.name}”。")
                return redirect("org:agency", pk=agency.pk)
        except NotFound:
            form.add_error(None, "所选区划或上级机构不存在，或不在您的管辖范围内。")
        except FazhiError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "org/agency_form.html",
        {"form": form, "title": "新建机构"},
        status=422 if form.errors else 200,
    )


@login_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        agency = services.get_agency_for_write(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    initial = {
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "uscc": agency.uscc or "",
        "is_active": agency.is_active,
    }
    form = AgencyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        reason = changes.pop("reason", "")
        changes = {k: v for k, v in changes.items() if v != initial.get(k)}
        try:
            services.update_agency(actor=request.user, agency=agency, changes=changes, reason=reason)
            messages.success(request, "已保存。")
            return redirect("org:agency", pk=agency.pk)
        except FazhiError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "org/agency_form.html",
        {"form": form, "title": f"修改机构：{agency.name}", "agency": agency},
        status=422 if form.errors else 200,
    )


@login_required
def staff_create(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        agency = services.get_agency_for_write(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    roles = list(Role.objects.order_by("code"))
    form = StaffForm(request.POST or None, roles=[(r.code, r.name) for r in roles])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        role = next((r for r in roles if r.code == data["role"]), None)
        try:
            staff = services.create_staff(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                name=data["name"],
                position=data["position"],
                agency=agency,
                role=role,
            )
            messages.success(request, f"已为{staff.name}创建账号 {staff.user.get_username()}。")
            return redirect(reverse("org:agency", kwargs={"pk": agency.pk}) + "#staff")
        except FazhiError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "org/agency_form.html",
        {"form": form, "title": f"新建账号：{agency.name}", "agency": agency},
        status=422 if form.errors else 200,
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in person's API tokens: create one (shown once) or revoke one."""
    created = None
    error = ""
    me: Any = request.user  # signed in (login_required)
    if request.method == "POST":
        try:
            if request.POST.get("revoke"):
                token = ApiToken.objects.filter(user=me, pk=request.POST["revoke"]).first()
                if token is None:
                    raise Http404
                services.revoke_api_token(actor=request.user, token=token, reason="本人撤销")
                messages.success(request, f"已撤销令牌 {token.prefix}…")
                return redirect("org:tokens")
            _, created = services.create_api_token(
                actor=request.user, user=request.user, name=request.POST.get("name", "")
            )
        except FazhiError as exc:
            error = exc.message
    context = {"tokens": ApiToken.objects.filter(user=me), "created": created, "error": error}
    return render(request, "org/tokens.html", context, status=422 if error else 200)

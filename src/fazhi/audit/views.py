from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from . import selectors
from .verify import verify_chain


@login_required
def events(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "").strip()[:80]
    page = Paginator(selectors.events_for(request.user, action=action), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/events.html",
        {"page": page, "action": action, "may_verify": selectors.may_verify(request.user)},
    )


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    if not selectors.may_verify(request.user):
        return render(
            request,
            "core/error.html",
            {"status": 403, "title": "没有权限", "message": "校验整条审计链需要全省范围的权限。"},
            status=403,
        )
    result = verify_chain()
    return render(request, "audit/verify.html", {"result": result}, status=200)

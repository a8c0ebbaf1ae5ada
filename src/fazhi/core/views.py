from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from fazhi.org import selectors as org_selectors


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "province": org_selectors.province(),
        "cities": org_selectors.city_overview(),
        "agencies": org_selectors.public_agency_sample(limit=12),
    }
    return render(request, "core/home.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": f"http_{status}", "message": message}, status=status)
    return render(request, "core/error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "请求有误", "请求无法处理，请检查后重试。")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "没有权限", "您没有执行此操作的权限。")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "未找到", "未找到您要找的页面或记录：它不存在，或不在您的管辖范围内。")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "系统错误", "系统出现错误，已记录。请稍后重试。")

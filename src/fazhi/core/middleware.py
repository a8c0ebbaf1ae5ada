from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from .context import new_request_id, request_context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (kept from ``X-Request-ID`` when it is well formed) that audit events carry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        with request_context(request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class RejectNulMiddleware:
    """Refuses input carrying NUL characters before it reaches a view.

    No legitimate text contains them, PostgreSQL cannot store them (it would fail with a 500 deep inside a
    query), and SQLite would store them silently. One check here protects every page, endpoint and form.
    """

    MESSAGE = "请求中含有不允许的空字符（\\0），请检查输入。"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": "nul_character", "message": self.MESSAGE},
                    status=400,
                    json_dumps_params={"ensure_ascii": False},
                )
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.method in {"POST", "PUT", "PATCH"}:
            content_type = request.content_type or ""
            if content_type.startswith(("application/json", "application/x-www-form-urlencoded", "text/")):
                body = request.body
                return b"\x00" in body or b"\\u0000" in body or b"%00" in body
        return False

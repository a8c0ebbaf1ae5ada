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


class OutOfRangeMiddleware:
    """A number beyond what the database can hold (an id of 40 digits in a URL or a filter) answers like a bad or
    missing value, not 500: SQLite raises ``OverflowError`` converting it, PostgreSQL a ``DataError``. No row can
    have such an id, so a page answers 404 and the API a 422 naming the problem; one handler serves every route."""

    MESSAGE = "数值超出允许的范围（例如编号过大），不存在这样的记录"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import DataError
        from django.http import Http404

        if not isinstance(exception, OverflowError | DataError):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "out_of_range", "message": self.MESSAGE}, status=422, json_dumps_params={"ensure_ascii": False}
            )
        raise Http404(self.MESSAGE)

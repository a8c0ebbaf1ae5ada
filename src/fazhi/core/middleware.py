from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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

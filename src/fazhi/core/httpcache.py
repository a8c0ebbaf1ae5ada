"""Cache headers for the API (``/api/v1/``): public answers may be kept for a while, staff answers never.

An anonymous ``GET``/``HEAD`` answered with 200 gets ``Cache-Control: public, max-age=N``
(``FAZHI_API_CACHE_SECONDS``) and an ``ETag``; asking again with ``If-None-Match`` gets ``304 Not Modified`` without
a body. Everything else under ``/api/v1/`` — a logged-in user or an ``Authorization`` header, any other method, any
other status (errors, redirects, 429), any answer that sets a cookie — gets ``Cache-Control: private, no-store``.
Every API answer says ``Vary: Cookie, Authorization``. The ETag and the 304 come from Django's own helpers
(``django.utils.cache``), the same ones ``ConditionalGetMiddleware`` uses. See docs/decisions/0007.

The middleware sits near the top of ``MIDDLEWARE`` so it sees the final answer, including cookies set by the
session and CSRF middleware and the 429 of :mod:`fazhi.core.ratelimit`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag

API_PREFIX = "/api/v1/"
SAFE_METHODS = frozenset({"GET", "HEAD"})
VARY = ("Cookie", "Authorization")
# Headers of the full answer that a 304 keeps besides those Django already keeps (ETag, Cache-Control, Vary, ...).
_KEPT_ON_304 = ("X-RateLimit-Limit", "X-RateLimit-Remaining")


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def is_signed_in(request: HttpRequest) -> bool:
    """A login session or any ``Authorization`` header: the answer may depend on who asks."""
    if request.headers.get("Authorization"):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def is_publicly_cacheable(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        request.method in SAFE_METHODS
        and response.status_code == 200
        and not response.cookies
        and not is_signed_in(request)
    )


class ApiCacheHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not is_api_request(request):
            return response
        patch_vary_headers(response, VARY)
        if not is_publicly_cacheable(request, response):
            patch_cache_control(response, private=True, no_store=True)
            return response
        if not response.has_header("Cache-Control"):  # a view that chose its own policy keeps it
            patch_cache_control(response, public=True, max_age=settings.FAZHI_API_CACHE_SECONDS)
        if not isinstance(response, HttpResponse):
            return response  # streaming (open data downloads): no body to hash up front, so no ETag
        if not response.has_header("ETag"):
            set_response_etag(response)
        conditional = get_conditional_response(request, etag=response.get("ETag"), response=response)
        if conditional is None or conditional is response:
            return response
        for header in _KEPT_ON_304:
            if response.has_header(header):
                conditional[header] = response[header]
        if conditional.status_code != 304:  # 412 for a failed If-Match: an error, like any other
            patch_vary_headers(conditional, VARY)
            patch_cache_control(conditional, private=True, no_store=True)
        return conditional

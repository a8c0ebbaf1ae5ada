"""Login throttling and the security headers Django does not set itself.

Login: after ``FAZHI_LOGIN_FAILURES`` failed attempts (default 5) for one user name from one client address within
``FAZHI_LOGIN_LOCKOUT_SECONDS`` (default 900), further attempts for that pair are refused with a Chinese message
until the window ends — even with the right password, so guessing gains nothing. Counters live in the ``default``
cache (Redis when ``REDIS_URL`` is set, so every process counts together); keys are a digest of the pair, never the
name itself. A successful login clears the pair's counter. If the cache is unreachable, logins are not throttled
(fail open, like the API rate limit) and a warning is logged. The client address is read as the API rate limit
reads it (``core.ratelimit.client_key``: ``FAZHI_TRUSTED_PROXIES`` decides whether ``X-Forwarded-For`` counts).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from .ratelimit import client_key

logger = logging.getLogger(__name__)
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")

THROTTLED_MESSAGE = (
    "登录失败次数过多，该账号在本机的登录已暂停 {minutes} 分钟，请稍后再试；如忘记密码请联系本单位管理员。"
)

# Sent with every answer: no plugins, no <base> hijacking, forms post only to this site, never framed.
# (Scripts and styles are not restricted here: some pages still carry inline scripts.)
CONTENT_SECURITY_POLICY = "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A cell for a CSV or XLSX someone will open in Excel or WPS: text starting like a formula (``=cmd|…``, ``+``,
    ``-``, ``@``, tab, CR) gets a leading apostrophe, so the spreadsheet shows it as text instead of running it (OWASP
    "CSV injection"). Plain numbers such as ``-5`` or ``+86`` and values that are not text are left alone. Every
    export uses it: open data, import error reports, the 13710 ledger, review results, discretion tables."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _limit() -> int:
    return int(getattr(settings, "FAZHI_LOGIN_FAILURES", 5))


def _window() -> int:
    return int(getattr(settings, "FAZHI_LOGIN_LOCKOUT_SECONDS", 900))


def _key(username: str, client: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}\x00{client}".encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


def login_client(request: HttpRequest | None) -> str:
    if request is None:
        return "unknown"
    return client_key(request, getattr(settings, "FAZHI_TRUSTED_PROXIES", ()))


def failures(username: str, client: str) -> int:
    try:
        return int(cache.get(_key(username, client), 0))
    except Exception:  # the cache being down must not lock everybody out
        logger.warning("login throttle: cache unreachable, not throttling", exc_info=True)
        return 0


def is_throttled(username: str, client: str) -> bool:
    return failures(username, client) >= _limit()


def record_failure(username: str, client: str) -> int:
    key = _key(username, client)
    try:
        cache.add(key, 0, timeout=_window())
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_window())
        return 1
    except Exception:
        logger.warning("login throttle: cache unreachable, failure not counted", exc_info=True)
        return 0


def clear_failures(username: str, client: str) -> None:
    try:
        cache.delete(_key(username, client))
    except Exception:
        logger.warning("login throttle: cache unreachable", exc_info=True)


def throttled_error() -> ValidationError:
    return ValidationError(THROTTLED_MESSAGE.format(minutes=max(1, _window() // 60)), code="throttled")


def _throttled_clean(form: AuthenticationForm, parent_clean: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    username = str(form.cleaned_data.get("username") or "")
    client = login_client(form.request)
    if username and is_throttled(username, client):
        logger.warning("login throttled for a user name from %s", client)
        error = throttled_error()
        form.throttled = error.message  # type: ignore[attr-defined]  # shown by registration/login.html
        raise error
    try:
        cleaned = parent_clean()
    except ValidationError:
        if username:
            record_failure(username, client)
        raise
    if username:
        clear_failures(username, client)
    return cleaned


class ThrottledAuthenticationForm(AuthenticationForm):
    throttled = ""

    def clean(self) -> dict[str, Any]:
        return _throttled_clean(self, super().clean)


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    throttled = ""

    def clean(self) -> dict[str, Any]:
        return _throttled_clean(self, super().clean)


class ThrottledLoginView(LoginView):
    form_class = ThrottledAuthenticationForm


class SecurityHeadersMiddleware:
    """Adds ``Content-Security-Policy`` (unless a view set one) and ``Permissions-Policy`` to every answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = PERMISSIONS_POLICY
        return response

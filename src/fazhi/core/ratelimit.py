"""A per-client limit on anonymous use of the API (``/api/v1/``), answered with a clear 429.

``FAZHI_ANON_RATE`` (``"120/min"``; also ``/s`` and ``/h``; ``0`` or ``off`` turns it off) is how many requests
one client may make per fixed window. A client is its address: ``REMOTE_ADDR``, or the address a trusted proxy
(``FAZHI_TRUSTED_PROXIES``) names in ``X-Forwarded-For``; IPv6 addresses count per /64, the block one subscriber
usually holds. Signed-in users (login session) and callers with a valid personal API token
(``Authorization: Bearer fz_…``) are not limited; an invalid token counts as anonymous, so a made-up header is
no way around the limit. The documentation page ``/api/v1/docs`` is not counted (a person reading it should
never meet a 429 there; it is a small fixed page, like the site's other pages, which have no limit either); the
schema it loads, ``/api/v1/openapi.json``, is counted: it is built on every request and is the dearest GET.

Counting is one cache key per client and window: ``cache.add`` starts it at 1 with an expiry just past the end
of the window, ``cache.incr`` counts on — both atomic in Redis and in the local-memory cache, so concurrent
requests are never lost. Without ``REDIS_URL`` each process counts for itself. If the cache cannot be reached
the API keeps answering without a limit (fail open), with one warning per pause. See docs/decisions/0007.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponseBase, JsonResponse

from .httpcache import API_PREFIX, is_api_request

logger = logging.getLogger(__name__)

UNCOUNTED_PATHS = frozenset({f"{API_PREFIX}docs"})
# How long after a failed cache call the limit stays off before the cache is tried again.
CACHE_PAUSE_SECONDS = 30.0
# A counter outlives its window by this much, so it cannot expire between ``add`` and ``incr``.
_KEY_GRACE_SECONDS = 5

_PERIODS: dict[str, tuple[int, str]] = {
    "s": (1, "每秒"),
    "sec": (1, "每秒"),
    "second": (1, "每秒"),
    "m": (60, "每分钟"),
    "min": (60, "每分钟"),
    "minute": (60, "每分钟"),
    "h": (3600, "每小时"),
    "hour": (3600, "每小时"),
}
_RATE = re.compile(r"^(\d+)\s*/\s*([a-z]+)$")


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds
    per: str  # 每分钟

    def __str__(self) -> str:
        return f"{self.per}最多 {self.limit} 次"


@functools.lru_cache(maxsize=32)
def parse_rate(text: str) -> Rate | None:
    """``"120/min"`` → 120 per 60 s; ``"0"``, ``"off"`` or a limit of 0 → ``None`` (no limit)."""
    value = str(text).strip().lower()
    if value in {"0", "off", "none"}:
        return None
    match = _RATE.match(value)
    if match is None or match.group(2) not in _PERIODS:
        raise ImproperlyConfigured(
            f"FAZHI_ANON_RATE 的值 {text!r} 无法识别："
            "应为“次数/时间单位”，如 120/min、10/s、3000/h；0 或 off 表示不限制。"
        )
    limit = int(match.group(1))
    if limit == 0:
        return None
    period, per = _PERIODS[match.group(2)]
    return Rate(limit=limit, period=period, per=per)


@dataclass(frozen=True)
class Usage:
    rate: Rate
    count: int  # requests in this window, this one included
    retry_after: int  # whole seconds until the window ends (at least 1)

    @property
    def allowed(self) -> bool:
        return self.count <= self.rate.limit

    @property
    def remaining(self) -> int:
        return max(0, self.rate.limit - self.count)


def count_request(store: BaseCache, client: str, rate: Rate, at: float) -> Usage:
    """Counts one request of ``client`` at time ``at`` (seconds since the epoch) in its fixed window."""
    window = int(at // rate.period)
    key = f"anon-rate:{rate.period}:{window}:{client}"
    timeout = rate.period + _KEY_GRACE_SECONDS
    if store.add(key, 1, timeout):
        count = 1
    else:
        try:
            count = store.incr(key)
        except ValueError:  # gone after all (evicted): start again
            count = 1 if store.add(key, 1, timeout) else store.incr(key)
    retry_after = max(1, math.ceil((window + 1) * rate.period - at))
    return Usage(rate=rate, count=count, retry_after=retry_after)


IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> IpAddress | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@functools.lru_cache(maxsize=8)
def _networks(items: tuple[str, ...]) -> tuple[IpNetwork, ...]:
    try:
        return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"FAZHI_TRUSTED_PROXIES 中有无效的地址：{exc}") from exc


def _trusted(address: IpAddress, networks: Sequence[IpNetwork]) -> bool:
    return any(address in network for network in networks)


def client_key(request: HttpRequest, trusted_proxies: Sequence[str] = ()) -> str:
    """Who is asking: the peer address, or — behind trusted proxies only — the nearest untrusted address in
    ``X-Forwarded-For``, read from the right (the left part is whatever the client chose to send)."""
    address = _address(request.META.get("REMOTE_ADDR", ""))
    if address is None:
        return "unknown"
    networks = _networks(tuple(trusted_proxies))
    if networks and _trusted(address, networks):
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        for hop in reversed(hops):
            forwarded = _address(hop)
            if forwarded is None:
                break
            address = forwarded
            if not _trusted(forwarded, networks):
                break
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def has_valid_token(request: HttpRequest) -> bool:
    """Whether the request carries a live personal API token (parsed as ``org.auth.TokenAuth`` does; read-only)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    from fazhi.org.auth import TOKEN_PREFIX, digest
    from fazhi.org.models import ApiToken

    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return False
    return ApiToken.objects.filter(digest=digest(token), revoked_at__isnull=True, user__is_active=True).exists()


def now() -> float:
    """The clock the windows follow (tests replace it)."""
    return time.time()


def too_many_requests(usage: Usage) -> JsonResponse:
    message = f"请求过于频繁：匿名访问{usage.rate}，请 {usage.retry_after} 秒后再试；如需更高频率，请使用 API 令牌"
    response = JsonResponse(
        {"code": "rate_limited", "message": message}, status=429, json_dumps_params={"ensure_ascii": False}
    )
    response["Retry-After"] = str(usage.retry_after)
    return response


class AnonymousRateLimitMiddleware:
    """Goes after ``AuthenticationMiddleware`` (it needs ``request.user``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        # A wrong value stops the server when it starts, not at the first API request.
        parse_rate(settings.FAZHI_ANON_RATE)
        _networks(tuple(settings.FAZHI_TRUSTED_PROXIES))
        self._cache_paused_until = 0.0

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_api_request(request) or request.path_info in UNCOUNTED_PATHS:
            return self.get_response(request)
        rate = parse_rate(settings.FAZHI_ANON_RATE)
        if rate is None or self._signed_in(request):
            return self.get_response(request)
        usage = self._count(request, rate)
        if usage is None:
            return self.get_response(request)
        response = self.get_response(request) if usage.allowed else too_many_requests(usage)
        response["X-RateLimit-Limit"] = str(rate.limit)
        response["X-RateLimit-Remaining"] = str(usage.remaining)
        return response

    @staticmethod
    def _signed_in(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated) or has_valid_token(request)

    def _count(self, request: HttpRequest, rate: Rate) -> Usage | None:
        if time.monotonic() < self._cache_paused_until:
            return None
        client = client_key(request, settings.FAZHI_TRUSTED_PROXIES)
        try:
            return count_request(cache, client, rate, now())
        except Exception as exc:  # any cache failure: answer without a limit rather than fail the request
            self._cache_paused_until = time.monotonic() + CACHE_PAUSE_SECONDS
            logger.warning(
                "匿名访问限流暂停 %d 秒：缓存不可用（%s: %s），此间 API 不限流",
                CACHE_PAUSE_SECONDS,
                type(exc).__name__,
                exc,
            )
            return None

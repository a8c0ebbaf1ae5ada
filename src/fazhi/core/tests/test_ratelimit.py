"""Anonymous API use is limited per client with a clear 429 in Chinese; people signed in or with a token are not."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from fazhi.core import ratelimit
from fazhi.org import services as org_services
from fazhi.org.models import ApiToken

pytestmark = pytest.mark.django_db

DEADLINE = "/api/v1/clock/deadline?start=2020-09-28&days=7&unit=working"
WINDOW_START = 1_800_000_000.0  # a whole minute (and hour) in epoch seconds
T0 = WINDOW_START + 20  # 20 s into the window: 40 s left
MESSAGE_3_PER_MINUTE_40_S = "请求过于频繁：匿名访问每分钟最多 3 次，请 40 秒后再试；如需更高频率，请使用 API 令牌"


class Clock:
    def __init__(self) -> None:
        self.now = T0


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    state = Clock()
    monkeypatch.setattr(ratelimit, "now", lambda: state.now)
    return state


@pytest.fixture
def three_per_minute(settings: Any, clock: Clock) -> Clock:
    settings.FAZHI_ANON_RATE = "3/min"
    return clock


def use_up(client: Client, times: int = 3, **extra: Any) -> list[Any]:
    return [client.get(DEADLINE, **extra) for _ in range(times)]


def test_the_fourth_request_in_a_minute_gets_a_429_in_chinese(client, three_per_minute):
    answers = use_up(client)
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a["X-RateLimit-Limit"] for a in answers] == ["3", "3", "3"]
    assert [a["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]

    refused = client.get(DEADLINE)
    assert refused.status_code == 429
    assert refused.json() == {"code": "rate_limited", "message": MESSAGE_3_PER_MINUTE_40_S}
    assert "请求过于频繁" in refused.content.decode("utf-8")  # readable Chinese, not \u escapes
    assert refused["Retry-After"] == "40"
    assert (refused["X-RateLimit-Limit"], refused["X-RateLimit-Remaining"]) == ("3", "0")
    assert "no-store" in refused["Cache-Control"] and "public" not in refused["Cache-Control"]

    three_per_minute.now = WINDOW_START + 59.5  # still the same minute: half a second left, rounded up
    late = client.get(DEADLINE)
    assert late.status_code == 429 and late["Retry-After"] == "1"
    assert "请 1 秒后再试" in late.json()["message"]

    three_per_minute.now = WINDOW_START + 60  # the next minute: a fresh allowance
    again = client.get(DEADLINE)
    assert again.status_code == 200 and again["X-RateLimit-Remaining"] == "2"


def test_every_api_path_shares_one_allowance_and_errors_count_too(client, three_per_minute):
    assert client.get("/api/v1/divisions?level=province").status_code == 200
    assert client.get("/api/v1/clock/deadline?start=not-a-date").status_code == 422
    assert client.get("/api/v1/openapi.json").status_code == 200
    refused = client.get("/api/v1/divisions?level=province")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"


def test_other_units_are_named_in_the_message(client, settings, clock):
    settings.FAZHI_ANON_RATE = "1/s"
    assert client.get(DEADLINE).status_code == 200
    refused = client.get(DEADLINE)
    assert refused.json()["message"].startswith("请求过于频繁：匿名访问每秒最多 1 次，请 1 秒后再试")
    settings.FAZHI_ANON_RATE = "1/h"
    assert client.get(DEADLINE).status_code == 200
    refused = client.get(DEADLINE)
    assert refused.json()["message"].startswith("请求过于频繁：匿名访问每小时最多 1 次，请 3580 秒后再试")
    assert refused["Retry-After"] == "3580"


def test_each_client_address_has_its_own_allowance(client, three_per_minute):
    use_up(client, 3, REMOTE_ADDR="198.51.100.1")
    assert client.get(DEADLINE, REMOTE_ADDR="198.51.100.1").status_code == 429
    assert client.get(DEADLINE, REMOTE_ADDR="198.51.100.2").status_code == 200
    # Without a trusted proxy, X-Forwarded-For is whatever the client wrote: changing it changes nothing.
    spoofed = client.get(DEADLINE, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert spoofed.status_code == 429
    # One IPv6 subscriber holds a whole /64: its addresses share one allowance.
    use_up(client, 3, REMOTE_ADDR="2001:db8:1:2::1")
    assert client.get(DEADLINE, REMOTE_ADDR="2001:db8:1:2::ffff").status_code == 429
    assert client.get(DEADLINE, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_client_counts(client, settings, three_per_minute):
    settings.FAZHI_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    use_up(client, 3, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert client.get(DEADLINE, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429
    assert client.get(DEADLINE, HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy).status_code == 200
    # What the client itself put in front of the header is not believed: the proxy's entry (rightmost) counts.
    forged = client.get(DEADLINE, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7", **proxy)
    assert forged.status_code == 429


def test_client_key_reads_forwarded_addresses_from_the_right():
    rf = RequestFactory()
    trusted = ["10.0.0.0/8", "172.16.0.1"]

    def key(remote: str, forwarded: str | None = None, proxies: list[str] = trusted) -> str:
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return ratelimit.client_key(rf.get("/api/v1/x", REMOTE_ADDR=remote, **extra), proxies)

    assert key("203.0.113.1", "192.0.2.1") == "203.0.113.1"  # not from a trusted proxy
    assert key("10.1.2.3", "192.0.2.1, 203.0.113.5, 172.16.0.1") == "203.0.113.5"  # two proxies deep
    assert key("10.1.2.3", "not-an-address, 203.0.113.5") == "203.0.113.5"
    assert key("10.1.2.3", "") == "10.1.2.3"
    assert key("10.1.2.3", "192.0.2.1", proxies=[]) == "10.1.2.3"
    assert key("::ffff:203.0.113.1") == "203.0.113.1"
    assert key("2001:db8::1") == "2001:db8::/64"
    assert key("") == "unknown"


def test_token_and_session_users_are_not_limited(client, org_world, three_per_minute):
    _, text = org_services.create_api_token(actor=None, user=org_world.users["xiaodian_officer"], name="报送系统")
    machine = Client()
    for _ in range(6):
        answer = machine.get(DEADLINE, headers={"Authorization": f"Bearer {text}"})
        assert answer.status_code == 200
        assert "X-RateLimit-Remaining" not in answer
    person = Client()
    person.force_login(org_world.users["taiyuan_admin"])
    assert [person.get(DEADLINE).status_code for _ in range(6)] == [200] * 6
    # Signed-in use does not eat into the anonymous allowance of the same address.
    assert client.get(DEADLINE)["X-RateLimit-Remaining"] == "2"


def test_a_made_up_or_revoked_token_is_no_way_around_the_limit(client, org_world, three_per_minute):
    made_up = {"headers": {"Authorization": "Bearer fz_guess"}}
    assert [a.status_code for a in use_up(client, 4, **made_up)] == [200, 200, 200, 429]

    _, text = org_services.create_api_token(actor=None, user=org_world.users["xiaodian_officer"], name="报送系统")
    org_services.revoke_api_token(actor=None, token=ApiToken.objects.get())
    other = {"REMOTE_ADDR": "198.51.100.3", "headers": {"Authorization": f"Bearer {text}"}}
    assert [a.status_code for a in use_up(client, 4, **other)] == [200, 200, 200, 429]


def test_the_docs_page_and_site_pages_are_not_counted(client, three_per_minute):
    for _ in range(5):
        docs = client.get("/api/v1/docs")
        assert docs.status_code == 200 and "X-RateLimit-Remaining" not in docs
        assert client.get("/clock/").status_code == 200
    assert client.get(DEADLINE)["X-RateLimit-Remaining"] == "2"


@pytest.mark.parametrize("value", ["off", "0", "OFF", "0/min"])
def test_the_limit_can_be_turned_off(client, settings, clock, value):
    settings.FAZHI_ANON_RATE = value
    answers = use_up(client, 10)
    assert {a.status_code for a in answers} == {200}
    assert "X-RateLimit-Limit" not in answers[-1]


def test_rates_are_read_with_their_unit_and_a_wrong_one_is_refused():
    assert ratelimit.parse_rate("120/min") == ratelimit.Rate(limit=120, period=60, per="每分钟")
    assert ratelimit.parse_rate(" 10 / s ") == ratelimit.Rate(limit=10, period=1, per="每秒")
    assert ratelimit.parse_rate("3000/hour") == ratelimit.Rate(limit=3000, period=3600, per="每小时")
    for wrong in ("120", "120/fortnight", "-1/min", "many/min", ""):
        with pytest.raises(ImproperlyConfigured, match="FAZHI_ANON_RATE"):
            ratelimit.parse_rate(wrong)


def test_an_unreachable_cache_lets_requests_through_with_one_warning(client, settings, three_per_minute, caplog):
    # Port 1 on this machine refuses connections: the cache is down.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with caplog.at_level(logging.WARNING, logger="fazhi.core.ratelimit"):
        answers = use_up(client, 5)
    assert [a.status_code for a in answers] == [200] * 5
    assert "X-RateLimit-Remaining" not in answers[0]
    warnings = [r for r in caplog.records if r.name == "fazhi.core.ratelimit"]
    assert len(warnings) == 1  # paused after the first failure, not one warning per request
    assert "缓存不可用" in warnings[0].getMessage()


# --- the shared Redis cache (REDIS_URL), when one is running ---------------------------------------------


def _redis_url_or_skip() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=0.5).close()
    except OSError:
        pytest.skip(f"Redis 不可达（{parts.hostname}:{parts.port or 6379}），跳过 Redis 后端的限流测试")
    return url


@pytest.fixture
def redis_cache(settings: Any) -> Iterator[str]:
    """The Redis backend under a key prefix of its own; only this test's keys are removed afterwards."""
    url = _redis_url_or_skip()
    prefix = f"fazhi-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield prefix
    redis_client = caches["default"]._cache.get_client(write=True)
    keys = list(redis_client.scan_iter(match=f"{prefix}:*"))
    if keys:
        redis_client.delete(*keys)


def test_redis_counts_the_limit_for_every_process(client, settings, redis_cache, three_per_minute):
    assert [a.status_code for a in use_up(client, 4)] == [200, 200, 200, 429]
    # Another worker process has its own connection to the same Redis and carries on the same count.
    other_worker = RedisCache(settings.CACHES["default"]["LOCATION"], {"KEY_PREFIX": redis_cache})
    usage = ratelimit.count_request(other_worker, "127.0.0.1", ratelimit.parse_rate("3/min"), T0)
    assert (usage.count, usage.allowed) == (5, False)


def test_redis_counting_loses_no_concurrent_request(redis_cache):
    rate = ratelimit.Rate(limit=1000, period=60, per="每分钟")
    counts: list[int] = []
    lock = threading.Lock()

    def hammer() -> None:
        store = caches["default"]  # each thread its own connection, like separate workers
        for _ in range(25):
            usage = ratelimit.count_request(store, "192.0.2.50", rate, T0)
            with lock:
                counts.append(usage.count)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(counts) == list(range(1, 201))  # every request got its own number: nothing lost or doubled
    assert ratelimit.count_request(cache, "192.0.2.50", rate, T0).count == 201

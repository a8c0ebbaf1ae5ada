"""Fixtures shared by every app's tests: the real Shanxi divisions and a small world of agencies and users."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from fazhi.core.identifiers import make_uscc

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """The read-only reference data beside the checkout (``../shared/data``); skip where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"参考数据目录 {SHARED_DATA} 不存在（用户自己的克隆里没有 ../shared/data），跳过依赖真实数据的测试")
    return SHARED_DATA


@pytest.fixture
def shanxi(db: Any) -> dict[str, Any]:
    from fazhi.org import services
    from fazhi.org.models import Division
    from fazhi.org.roles import DEFAULT_ROLES

    services.load_shanxi_divisions(actor=None)
    services.ensure_roles(actor=None, definitions=DEFAULT_ROLES)
    return {d.code: d for d in Division.objects.all()}


@dataclass
class OrgWorld:
    divisions: dict[str, Any]
    agencies: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)


PASSWORD = "ceshi-mima-2026"


@pytest.fixture
def org_world(shanxi: dict[str, Any]) -> OrgWorld:
    """Province, Taiyuan (小店区) and Changzhi (上党区) agencies, and one user per typical position.

    users: province_admin (admin @ 山西省), taiyuan_admin (admin @ 太原市), taiyuan_supervisor (supervisor @ 太原市),
    xiaodian_supervisor (supervisor @ 小店区), xiaodian_officer (officer @ 小店区市场监管局, an agency grant),
    shangdang_officer (officer @ 上党区市场监管局), superuser.
    """
    from fazhi.org import services
    from fazhi.org.models import Role

    world = OrgWorld(divisions=shanxi)
    n = 0

    def agency(key: str, name: str, division: str, parent: str | None = None, kind: str = "department") -> Any:
        nonlocal n
        n += 1
        world.agencies[key] = services.create_agency(
            actor=None,
            name=name,
            kind=kind,
            division=shanxi[division],
            parent=world.agencies[parent] if parent else None,
            uscc=make_uscc("11", division, f"{n:08d}"),
        )
        return world.agencies[key]

    agency("province_gov", "山西省人民政府", "140000", kind="government")
    agency("province_justice", "山西省司法厅", "140000", "province_gov")
    agency("taiyuan_justice", "太原市司法局", "140100")
    agency("xiaodian_justice", "太原市小店区司法局", "140105")
    agency("xiaodian_market", "太原市小店区市场监督管理局", "140105")
    agency("xiaodian_market_branch", "小店区市场监督管理局坞城所", "140105", "xiaodian_market")
    agency("shangdang_market", "长治市上党区市场监督管理局", "140404")

    roles = {r.code: r for r in Role.objects.all()}

    def user(key: str, agency_key: str, role: str | None, node: str | None, superuser: bool = False) -> None:
        staff = services.create_staff(
            actor=None,
            username=key,
            password=PASSWORD,
            name=key,
            agency=world.agencies[agency_key],
            is_superuser=superuser,
        )
        if role and node:
            if node in shanxi:
                services.grant_role(actor=None, user=staff.user, role=roles[role], division=shanxi[node])
            else:
                services.grant_role(actor=None, user=staff.user, role=roles[role], agency=world.agencies[node])
        world.users[key] = staff.user

    user("superuser", "province_justice", None, None, superuser=True)
    user("province_admin", "province_justice", "admin", "140000")
    user("taiyuan_admin", "taiyuan_justice", "admin", "140100")
    user("taiyuan_supervisor", "taiyuan_justice", "supervisor", "140100")
    user("xiaodian_supervisor", "xiaodian_justice", "supervisor", "140105")
    user("xiaodian_officer", "xiaodian_market", "officer", "xiaodian_market")
    user("shangdang_officer", "shangdang_market", "officer", "shangdang_market")
    return world


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Real hashers are slow by design; tests log in many users, so they use a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> None:
    """Every test starts with an empty cache of its own process (never a shared Redis: clearing would empty it)
    and an anonymous API limit no test reaches by accident; rate-limit tests set a low one themselves."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    settings.FAZHI_ANON_RATE = "10000/min"
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any) -> None:
    """pytest-django's test databases, with their seeded rows (time limits, roles, scoring templates ...) restored
    before every ``serialized_rollback`` test, even one that finds the connection rebuilt.

    Django keeps the snapshot it restores on the connection object. After a browser test had run, a later
    transactional test found that attribute missing (its connection was another object), so the tables a
    live-server test flushed stayed empty for it. Keeping the snapshot on the connection's class serves every
    object of it (one database alias here)."""
    from django.db import connections

    for alias in connections:
        wrapper = connections[alias]
        contents = getattr(wrapper, "_test_serialized_contents", None)
        if contents is not None:
            type(wrapper)._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _fresh_calendar() -> None:
    """The working-day calendar is cached per process; a test that entered a year or an override rolled its rows
    back, so the next test must not see them through the cache."""
    from fazhi.clock.calendar import invalidate_calendar_cache

    invalidate_calendar_cache()


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium from Debian's package, driven by Playwright (no browser download)."""
    if not CHROMIUM.exists():
        pytest.fail("找不到 /usr/bin/chromium：请用 make test 运行测试（它会安装 Debian 的 chromium 包）")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; allow Django's ORM here, and only while the
    # browser is up (a leaked variable would change how later tests behave).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
            )
            yield b
            b.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A desktop-sized page; tests that need a phone open their own context with ``phone_page``."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Uploaded files (error reports, repair materials) go to the test's own folder, not the checkout's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"

"""A 13710 world on top of ``org_world``: the offices of the province, 太原市, 长治市 and 小店区, a township,
a city department with a handler, and a clock that tests can freeze (``frozen``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from fazhi.conftest import PASSWORD
from fazhi.core.identifiers import make_uscc

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class SupWorld:
    org: Any
    units: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    """Freeze ``timezone.now()`` (and so ``timezone.localdate()``) at 10:00 Beijing time on a day."""

    def freeze(day: dt.date) -> None:
        moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=SHANGHAI)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


@pytest.fixture
def sup(org_world: Any) -> SupWorld:
    from fazhi.org import services
    from fazhi.org.models import Role

    world = SupWorld(org=org_world)
    d = org_world.divisions
    n = 100

    def unit(key: str, name: str, division: Any, kind: str = "department") -> Any:
        nonlocal n
        n += 1
        world.units[key] = services.create_agency(
            actor=None, name=name, kind=kind, division=division, uscc=make_uscc("11", division.code[:6], f"{n:08d}")
        )
        return world.units[key]

    town = services.create_division(actor=None, code="140105001", name="坞城街道", level="township", parent=d["140105"])
    unit("province_office", "山西省人民政府办公厅", d["140000"])
    unit("province_market", "山西省市场监督管理局", d["140000"])
    unit("taiyuan_office", "太原市人民政府办公室", d["140100"])
    unit("taiyuan_market", "太原市市场监督管理局", d["140100"])
    unit("xiaodian_office", "太原市小店区人民政府办公室", d["140105"])
    unit("xiaodian_town", "小店区坞城街道办事处", town, kind="government")
    unit("changzhi_office", "长治市人民政府办公室", d["140400"])
    roles = {r.code: r for r in Role.objects.all()}
    user_model = get_user_model()

    def user(key: str, unit_key: str, role: str, division: Any = None) -> None:
        staff = services.create_staff(
            actor=None, username=key, password=PASSWORD, name=key, agency=world.units[unit_key]
        )
        if division is not None:
            services.grant_role(actor=None, user=staff.user, role=roles[role], division=division)
        else:
            services.grant_role(actor=None, user=staff.user, role=roles[role], agency=world.units[unit_key])
        user_model.objects.filter(pk=staff.user.pk).update(email=f"{key}@example.cn")
        world.users[key] = user_model.objects.get(pk=staff.user.pk)

    user("province_office", "province_office", "office", d["140000"])
    user("taiyuan_office", "taiyuan_office", "office", d["140100"])
    user("xiaodian_office", "xiaodian_office", "office", d["140105"])
    user("changzhi_office", "changzhi_office", "office", d["140400"])
    user("taiyuan_handler", "taiyuan_market", "handler")
    return world


def make_task(world: SupWorld, *, lead: str = "taiyuan_office", major: bool = False, on: dt.date | None = None) -> Any:
    from fazhi.supervision import services

    return services.create_task(
        actor=world.users["province_office"],
        title="推进“证照分离”改革全覆盖",
        content="省政府第12次常务会议要求：年底前实现涉企经营许可事项全覆盖。",
        source="executive",
        source_detail="省政府第12次常务会议",
        is_major=major,
        lead_unit=world.units[lead],
        assigned_on=on,
    )

"""Only province-wide managers change the calendar and the time limits; a city administrator cannot."""

import datetime as dt

import pytest

from fazhi.clock import services
from fazhi.clock.models import CalendarOverride
from fazhi.core.errors import Forbidden

pytestmark = pytest.mark.django_db


def test_city_admin_cannot_change_the_calendar_but_a_province_admin_can(org_world):
    day = dt.date(2026, 12, 26)
    with pytest.raises(Forbidden) as info:
        services.set_calendar_override(actor=org_world.users["taiyuan_admin"], date=day, is_workday=True, reason="调休")
    assert "全省范围" in info.value.message
    assert not CalendarOverride.objects.filter(date=day).exists()
    services.set_calendar_override(actor=org_world.users["province_admin"], date=day, is_workday=True, reason="调休")
    assert CalendarOverride.objects.get(date=day).is_workday


def test_city_admin_cannot_add_a_time_limit_version(org_world):
    with pytest.raises(Forbidden):
        services.create_time_limit_version(
            actor=org_world.users["taiyuan_admin"],
            code="sgs.publish",
            name="双公示上网公示",
            days=5,
            unit="working",
            legal_source="测试",
            valid_from=dt.date(2027, 1, 1),
        )

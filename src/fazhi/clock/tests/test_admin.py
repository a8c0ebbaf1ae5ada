"""The back office writes through the services: every save leaves an audit event."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from fazhi.audit.models import AuditEvent
from fazhi.clock import calendar as clock_calendar
from fazhi.clock.models import CalendarOverride, CalendarYear, TimeLimit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser(username="houtai", password="ceshi-mima-2026")
    client.force_login(user)
    return client


def test_adding_an_override_in_the_admin_is_audited_and_changes_counting(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/clock/calendaroverride/add/", {"date": "2020-10-12", "is_workday": "", "reason": "台风停工"}
    )
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert (override.date, override.is_workday) == (date(2020, 10, 12), False)
    event = AuditEvent.objects.get(action="clock.calendar_override.set")
    assert event.actor_name == "houtai"
    assert clock_calendar.add_working_days(date(2020, 9, 28), 7) == date(2020, 10, 15)

    response = admin_client.post(f"/admin/clock/calendaroverride/{override.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert AuditEvent.objects.filter(action="clock.calendar_override.delete").count() == 1
    assert clock_calendar.add_working_days(date(2020, 9, 28), 7) == date(2020, 10, 14)


def test_admin_shows_service_errors_on_the_form(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/clock/calendaroverride/add/", {"date": "1900-01-01", "is_workday": "on", "reason": "x"}
    )
    assert response.status_code == 200
    assert "年份应在1990年至2100年之间" in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_marking_a_year_entered_in_the_admin(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/clock/calendaryear/add/", {"year": "2027", "source": "国务院办公厅关于2027年部分节假日安排的通知"}
    )
    assert response.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()
    assert AuditEvent.objects.filter(action="clock.calendar_year.set").count() == 1
    assert clock_calendar.add_working_days(date(2027, 3, 1), 5) == date(2027, 3, 8)


def _limit_form(**overrides: str) -> dict[str, str]:
    data = {
        "code": "petition.conclude",
        "name": "信访事项办结",
        "days": "45",
        "unit": "calendar",
        "legal_source": "假设的新规定",
        "valid_from": "2030-01-01",
        "valid_to": "",
        "note": "",
        "confidence": "low",
    }
    data.update(overrides)
    return data


def test_new_time_limit_version_in_the_admin_closes_the_old_one(admin_client: Client) -> None:
    response = admin_client.post("/admin/clock/timelimit/add/", _limit_form())
    assert response.status_code == 302
    current = TimeLimit.objects.get(code="petition.conclude", valid_from=date(2022, 5, 1))
    assert current.valid_to == date(2029, 12, 31)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"clock.time_limit.close", "clock.time_limit.create"} <= actions


def test_bad_time_limit_in_the_admin_is_a_form_error(admin_client: Client) -> None:
    response = admin_client.post("/admin/clock/timelimit/add/", _limit_form(code="信访"))
    assert response.status_code == 200
    assert "代码只能包含小写字母、数字、点、下划线和连字符" in response.content.decode()
    response = admin_client.post("/admin/clock/timelimit/add/", _limit_form(valid_from="2022-05-01"))
    assert response.status_code == 200
    assert not TimeLimit.objects.filter(days=45).exists()
    assert not AuditEvent.objects.exists()


def test_editing_a_version_goes_through_the_service(admin_client: Client) -> None:
    limit = TimeLimit.objects.get(code="rule.filing")
    data = _limit_form(name="政府规章报送备案（已核对）", legal_source=limit.legal_source, confidence="high")
    response = admin_client.post(f"/admin/clock/timelimit/{limit.pk}/change/", data)
    assert response.status_code == 302
    limit.refresh_from_db()
    assert (limit.name, limit.days, limit.valid_from) == ("政府规章报送备案（已核对）", 30, date(2002, 1, 1))
    assert AuditEvent.objects.filter(action="clock.time_limit.update").count() == 1


def test_admin_pages_render(admin_client: Client) -> None:
    for url in [
        "/admin/clock/timelimit/",
        "/admin/clock/calendaroverride/",
        "/admin/clock/calendaryear/",
        "/admin/clock/clockrun/",
        "/admin/clock/timelimit/add/",
    ]:
        assert admin_client.get(url).status_code == 200, url

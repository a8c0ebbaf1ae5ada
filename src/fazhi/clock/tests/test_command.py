from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fazhi.audit.models import AuditEvent
from fazhi.clock import calendar as clock_calendar

pytestmark = pytest.mark.django_db


def test_import_a_published_schedule_makes_the_year_countable(tmp_path: Path) -> None:
    schedule = {
        "year": 2027,
        "papers": ["国务院办公厅关于2027年部分节假日安排的通知（演示）"],
        "days": [
            {"name": "元旦", "date": "2027-01-01", "isOffDay": True},
            {"name": "春节", "date": "2027-02-06", "isOffDay": False},
        ],
    }
    path = tmp_path / "holiday-cn_2027.json"
    path.write_text(json.dumps(schedule, ensure_ascii=False), encoding="utf-8")
    call_command("clock_import_holidays", str(path))
    assert clock_calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert clock_calendar.is_workday(date(2027, 2, 6))  # a Saturday 调休上班
    year_event = AuditEvent.objects.get(action="clock.calendar_year.set")
    assert year_event.actor_name == "系统"
    assert "2027年部分节假日安排" in year_event.after["source"]


def test_an_empty_schedule_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "holiday-cn_2027.json"
    path.write_text('{"year": 2027, "papers": [], "days": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="2027年的节假日安排为空"):
        call_command("clock_import_holidays", str(path), "--source", "x")
    with pytest.raises(CommandError, match="无法读取"):
        call_command("clock_import_holidays", str(tmp_path / "missing.json"))

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from fazhi.audit.models import AuditEvent
from fazhi.clock import selectors, services
from fazhi.clock.models import TimeLimit, resolve_time_limit
from fazhi.core.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def test_seeded_limits_cover_what_other_modules_need() -> None:
    expected = {
        "sgs.publish": (7, "working", "国办发〔2015〕51号"),
        "enforcement.publish_other": (20, "working", "国办发〔2018〕118号"),
        "13710.deploy": (1, "calendar", "13710"),
        "13710.feedback": (3, "calendar", "13710"),
        "13710.resolve": (7, "calendar", "13710"),
        "13710.resolve_major": (1, "month", "13710"),
        "reconsideration.accept": (5, "working", "行政复议法"),
        "reconsideration.decide": (60, "calendar", "行政复议法"),
        "petition.conclude": (60, "calendar", "信访条例"),
        "licensing.decide": (20, "working", "行政许可法"),
        "deputy.answer": (3, "month", "代表法"),
        "rule.filing": (30, "calendar", "规章制定程序条例"),
        "gov_info.request": (20, "working", "政府信息公开条例"),
    }
    for code, (days, unit, source) in expected.items():
        limit = resolve_time_limit(code, date(2020, 6, 30))
        assert (limit.days, limit.unit) == (days, unit), code
        assert source in limit.legal_source, code
    withdraw = resolve_time_limit("penalty.withdraw", date(2021, 7, 15))
    assert (withdraw.days, withdraw.unit) == (3, "working")
    assert "第四十八条" in withdraw.legal_source


def test_a_2020_date_gets_the_2020_rule() -> None:
    old = resolve_time_limit("petition.conclude", date(2020, 6, 1))
    new = resolve_time_limit("petition.conclude", date(2022, 5, 1))
    assert "《信访条例》" in old.legal_source and old.valid_to == date(2022, 4, 30)
    assert "《信访工作条例》" in new.legal_source and new.valid_to is None
    assert resolve_time_limit("petition.conclude", date(2022, 4, 30)).pk == old.pk
    # where the number itself changed: 听证 request 3 calendar days (2017 law) -> 5 working days (2021 law)
    assert resolve_time_limit("penalty.hearing_request", date(2020, 6, 1)).duration_label == "3日"
    assert resolve_time_limit("penalty.hearing_request", date(2021, 7, 15)).duration_label == "5个工作日"


def test_resolving_a_missing_limit_says_why_in_chinese() -> None:
    with pytest.raises(NotFound) as unknown:
        resolve_time_limit("no.such", date(2020, 1, 1))
    assert unknown.value.message == "未找到代码为“no.such”的法定期限"
    with pytest.raises(NotFound) as not_yet:
        resolve_time_limit("penalty.withdraw", date(2020, 1, 1))
    assert "在2020-01-01没有施行中的版本" in not_yet.value.message
    assert "2021-07-15至今" in not_yet.value.message


def test_new_version_closes_the_previous_one_and_is_audited(actor: Any) -> None:
    events = AuditEvent.objects.count()
    created = services.create_time_limit_version(
        actor=actor,
        code="sgs.publish",
        name="双公示：行政许可、行政处罚信息上网公示",
        days=5,
        unit="working",
        legal_source="假设的新规定",
        valid_from=date(2030, 1, 1),
    )
    assert resolve_time_limit("sgs.publish", date(2029, 12, 31)).days == 7
    assert resolve_time_limit("sgs.publish", date(2030, 1, 1)).pk == created.pk
    previous = TimeLimit.objects.get(code="sgs.publish", valid_from=date(2015, 6, 24))
    assert previous.valid_to == date(2029, 12, 31)
    new_events = list(AuditEvent.objects.order_by("seq")[events:])
    assert [e.action for e in new_events] == ["clock.time_limit.close", "clock.time_limit.create"]
    assert new_events[1].actor_name == "clock_admin"
    assert new_events[0].after == {"valid_to": "2029-12-31"}


def test_version_inserted_before_an_existing_one_ends_the_day_before_it(actor: Any) -> None:
    created = services.create_time_limit_version(
        actor=actor,
        code="13710.resolve",
        name="“13710”督办：一般性问题落实解决（试行）",
        days=10,
        unit="calendar",
        legal_source="假设的试行规定",
        valid_from=date(2016, 1, 1),
    )
    assert created.valid_to == date(2016, 8, 31)
    assert [v.days for v in selectors.time_limit_history("13710.resolve")] == [10, 7]


def test_invalid_versions_are_refused_with_every_problem_listed(actor: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.create_time_limit_version(
            actor=actor,
            code="Bad Code",
            name="",
            days=-3,
            unit="week",
            legal_source="x",
            valid_from=date(2020, 1, 1),
            valid_to=date(2019, 1, 1),
        )
    fields = {e.field: e.message for e in caught.value.errors}
    assert set(fields) == {"code", "name", "days", "unit", "valid_to"}
    assert fields["unit"] == "单位应为工作日、自然日、月或年"
    with pytest.raises(ValidationFailed) as duplicate:
        services.create_time_limit_version(
            actor=actor,
            code="sgs.publish",
            name="重复",
            days=7,
            unit="working",
            legal_source="x",
            valid_from=date(2015, 6, 24),
        )
    assert "已有一个版本" in duplicate.value.message
    assert TimeLimit.objects.filter(code="sgs.publish").count() == 1


def test_update_corrects_the_description_but_not_the_rule(actor: Any) -> None:
    limit = resolve_time_limit("rule.filing", date(2020, 1, 1))
    services.update_time_limit(
        actor=actor,
        limit=limit,
        name="政府规章报送备案（更正）",
        legal_source=limit.legal_source,
        note="已核对原文",
        confidence="high",
        valid_to=None,
    )
    limit.refresh_from_db()
    assert (limit.name, limit.days) == ("政府规章报送备案（更正）", 30)
    event = AuditEvent.objects.filter(action="clock.time_limit.update").get()
    assert event.before == {"name": "政府规章报送备案", "note": ""}
    old = resolve_time_limit("petition.conclude", date(2020, 1, 1))
    with pytest.raises(ValidationFailed) as caught:
        services.update_time_limit(
            actor=actor,
            limit=old,
            name=old.name,
            legal_source=old.legal_source,
            note="",
            confidence="high",
            valid_to=date(2022, 6, 1),
        )
    assert caught.value.message == "失效日期须早于下一版本的施行日期2022-05-01"


def test_limits_in_force_on_a_date() -> None:
    codes_2020 = {limit.code for limit in selectors.time_limits_in_force(date(2020, 6, 30))}
    assert "petition.conclude" in codes_2020
    assert "penalty.withdraw" not in codes_2020  # from 2021-07-15
    in_force = selectors.time_limits_in_force(date(2023, 1, 1))
    assert in_force.filter(code="petition.conclude").count() == 1

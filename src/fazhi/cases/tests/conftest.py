"""Fixtures of the cases tests: the enforcement world (bodies, officers), certificates valid on the dates the tests
use, a qualified and an unqualified reviewer, and helpers that run a case through the services."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fazhi.conftest import PASSWORD
from fazhi.enforcement.tests.conftest import _seeded, issue, make_id, world  # noqa: F401 - fixtures

TODAY = timezone.localdate()


@dataclass
class CaseWorld:
    base: Any
    body: Any
    officers: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)


def valid_uscc() -> str:
    return "91110000600037341L"  # a valid code (also used by the publicity tests)


@pytest.fixture
def cw(world: Any) -> CaseWorld:  # noqa: F811
    from fazhi.cases import services
    from fazhi.enforcement import services as enforcement_services
    from fazhi.org import services as org_services
    from fazhi.org.models import Role

    body = world.bodies["xiaodian"]
    out = CaseWorld(base=world, body=body, users=world.users)
    zhang = world.officers["zhang"]
    issue(zhang, issued=TODAY - dt.timedelta(days=400))
    out.officers["zhang"] = zhang
    out.officers["li"] = world.officers["li"]  # 临时工: no certificate
    out.officers["wang"] = world.officers["wang"]  # 上党区
    for key, name, serial, issued in (
        ("zhao", "赵六", 41, TODAY - dt.timedelta(days=300)),
        ("qian", "钱七", 42, dt.date(2019, 3, 1)),
        ("sun", "孙八", 43, dt.date(2019, 3, 1)),
    ):
        officer = enforcement_services.create_officer(
            actor=None, body=body, name=name, id_number=make_id(dt.date(1985, 1, 1), serial), employment="civil_servant"
        )
        issue(officer, issued=issued)
        out.officers[key] = officer
    market = world.org.agencies["xiaodian_market"]
    reviewer_role = Role.objects.get(code="reviewer")
    for key, qualified in (("xiaodian_reviewer", True), ("xiaodian_reviewer_unqualified", False)):
        staff = org_services.create_staff(actor=None, username=key, password=PASSWORD, name=key, agency=market)
        org_services.grant_role(actor=None, user=staff.user, role=reviewer_role, agency=market)
        if qualified:
            services.record_legal_qualification(
                actor=None, user=staff.user, number="A20141401050001", obtained_on=dt.date(2014, 12, 1)
            )
        world.users[key] = staff.user
    out.users = world.users
    return out


def act(case: Any, action: str, actor: Any = None, **kw: Any) -> Any:
    from fazhi.cases import services

    return services.take_action(actor=actor, case=case, action=action, data=services.ActInput(**kw))


def file(cw: CaseWorld, *, on: dt.date | None = None, actor: Any = None, kind: str = "penalty", **kw: Any) -> Any:
    from fazhi.cases import services

    values: dict[str, Any] = {
        "title": "销售过期食品",
        "party_name": "太原市小店区某某食品有限公司",
        "party_category": "法人及非法人组织",
        "party_code": valid_uscc(),
        "legal_rep": "周某",
        "source": "群众举报",
    }
    values.update(kw)
    return services.file_case(actor=actor, body=cw.body, kind=kind, filed_on=on or TODAY, **values)


def pair(cw: CaseWorld, day: dt.date) -> list[Any]:
    """Two officers with certificates valid on ``day``."""
    if day < TODAY - dt.timedelta(days=300):
        return [cw.officers["qian"], cw.officers["sun"]]
    return [cw.officers["zhang"], cw.officers["zhao"]]


def to_notified(cw: CaseWorld, case: Any, day: dt.date, *, fine: str = "5000", actor: Any = None, **kw: Any) -> Any:
    from fazhi.cases.services import Upload

    case = act(
        case,
        "investigate",
        actor,
        on=day,
        summary="现场检查，发现过期食品 12 件",
        officers=pair(cw, day),
        files=[Upload("现场检查笔录.pdf", io.BytesIO(b"%PDF-1.4 record"), "application/pdf")],
    )
    return act(
        case,
        "notify",
        actor,
        on=day,
        summary="送达行政处罚告知书",
        proposed_kinds=["fine"],
        proposed_fine=Decimal(fine),
        **kw,
    )


DECISION = {
    "outcome": "penalty",
    "decision_number": "并小市监罚〔{year}〕{n}号",
    "violation_type": "销售超过保质期的食品",
    "facts": "当事人在经营场所销售超过保质期的食品12件。",
    "basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
    "decision_kinds": ["fine"],
    "fine": Decimal("5000"),
    "decision_content": "罚款人民币5000元",
}


def decide(case: Any, day: dt.date, n: int = 1, actor: Any = None, **kw: Any) -> Any:
    values = {**DECISION, "decision_number": DECISION["decision_number"].format(year=day.year, n=n)}
    values.update(kw)
    return act(case, "decide", actor, on=day, **values)

"""Fixtures of the enforcement tests: bodies in 小店区 and 上党区, officers, and certificates built through the
services with dated steps (as a certificate office would have entered them over the years)."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from fazhi.conftest import PASSWORD

TODAY = timezone.localdate()
ID_NUMBER = "140105198503150014"  # a valid 居民身份证号码 (checksum), used to prove it never reaches a public page
PHONE = "13912345678"


def make_id(birth: dt.date, serial: int) -> str:
    from fazhi.core.identifiers import resident_id_check_char

    body = f"140105{birth:%Y%m%d}{serial:03d}"
    return body + resident_id_check_char(body)


@pytest.fixture(autouse=True)
def _seeded(request: pytest.FixtureRequest) -> None:
    """The seed migration's domains and certificate rules, even after a transactional test flushed them."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from django.apps import apps

    from fazhi.enforcement.models import CertificateRule, Domain

    if not Domain.objects.exists() or not CertificateRule.objects.exists():
        importlib.import_module("fazhi.enforcement.migrations.0002_seed_domains_and_rules").seed(apps, None)


@dataclass
class World:
    org: Any
    domains: dict[str, Any]
    bodies: dict[str, Any] = field(default_factory=dict)
    officers: dict[str, Any] = field(default_factory=dict)
    cert: Any = None
    item: Any = None

    @property
    def users(self) -> dict[str, Any]:
        return self.org.users


def issue(
    officer: Any,
    *,
    issued: dt.date,
    domains: list[Any] | None = None,
    applied: dt.date | None = None,
    reviews: bool = True,
) -> Any:
    """A certificate applied for, examined and issued on ``issued`` (apply and exam a week before), with a passed
    年审 every year after issue up to today when ``reviews``."""
    from fazhi.enforcement import services

    applied = applied or issued - dt.timedelta(days=7)
    domains = domains or list(officer.body.domains.all()[:1])
    cert = services.apply_for_certificate(actor=None, officer=officer, domains=domains, on=applied)
    cert = services.record_exam(actor=None, certificate=cert, score=85, training_hours=40, on=applied)
    cert = services.issue_certificate(actor=None, certificate=cert, on=issued)
    if reviews:
        from fazhi.clock.calendar import shift_months

        year, last = 1, min(TODAY, cert.expires_on or TODAY)
        while shift_months(issued, 12 * year) <= last:
            cert = services.review_certificate(
                actor=None, certificate=cert, passed=True, on=shift_months(issued, 12 * year)
            )
            year += 1
    return cert


@pytest.fixture
def world(org_world: Any) -> World:
    """Bodies: 小店区市场监督管理局 (market + food), 上党区市场监督管理局 (market), a 小店区 comprehensive team.
    Officers: 张三 (在编, valid ID number), 李四 (临时工) in 小店区; 王五 in 上党区. An extra user
    ``shangdang_supervisor`` manages 上党区 (another county's supervisor)."""
    from fazhi.enforcement import services
    from fazhi.enforcement.models import Domain
    from fazhi.org import services as org_services
    from fazhi.org.models import Role

    domains = {d.code: d for d in Domain.objects.all()}
    w = World(org=org_world, domains=domains)
    market = org_world.agencies["xiaodian_market"]
    w.bodies["xiaodian"] = services.create_body(
        actor=None,
        name=market.name,
        kind="agency",
        division=market.division,
        agency=market,
        legal_basis="《中华人民共和国行政处罚法》；《市场监督管理行政处罚程序规定》",
        domains=[domains["market"], domains["health"]],
        remedy_channels="对行政处罚决定不服的，可以自收到决定书之日起六十日内向太原市小店区人民政府申请行政复议。",
        procedure="立案—调查取证—告知—决定—送达—执行",
    )
    other = org_world.agencies["shangdang_market"]
    w.bodies["shangdang"] = services.create_body(
        actor=None,
        name=other.name,
        kind="agency",
        division=other.division,
        agency=other,
        legal_basis="《中华人民共和国行政处罚法》",
        domains=[domains["market"]],
    )
    w.officers["zhang"] = services.create_officer(
        actor=None,
        body=w.bodies["xiaodian"],
        name="张三",
        id_number=ID_NUMBER,
        employment="civil_servant",
        position="科员",
        phone=PHONE,
    )
    w.officers["li"] = services.create_officer(
        actor=None,
        body=w.bodies["xiaodian"],
        name="李四",
        id_number=make_id(dt.date(1990, 5, 1), 21),
        employment="temporary",
    )
    w.officers["wang"] = services.create_officer(
        actor=None,
        body=w.bodies["shangdang"],
        name="王五",
        id_number=make_id(dt.date(1988, 2, 2), 33),
        employment="civil_servant",
    )
    staff = org_services.create_staff(
        actor=None,
        username="shangdang_supervisor",
        password=PASSWORD,
        name="上党区司法局监督员",
        agency=other,
    )
    org_services.grant_role(
        actor=None, user=staff.user, role=Role.objects.get(code="supervisor"), division=org_world.divisions["140404"]
    )
    org_world.users["shangdang_supervisor"] = staff.user
    return w


@pytest.fixture
def setup(world: World) -> World:
    """``world`` with 张三's certificate (issued 30 days ago, ``world.cert``) and one power item (``world.item``)."""
    from fazhi.enforcement import services

    world.cert = issue(world.officers["zhang"], issued=TODAY - dt.timedelta(days=30))
    world.item = services.create_power_item(
        actor=None,
        body=world.bodies["xiaodian"],
        code="CF-1",
        name="对无证经营的处罚",
        category="penalty",
        legal_basis="《无证无照经营查处办法》第十三条",
        effective_on=TODAY - dt.timedelta(days=100),
        doc_number="晋政发〔2020〕1号",
    )
    return world

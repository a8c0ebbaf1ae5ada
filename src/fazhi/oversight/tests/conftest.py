"""Fixtures of the oversight tests: closed cases built through the cases services (the cases tests' own helpers),
clean ones and ones with a defect. Where the cases services rightly refuse to create a defect (one officer on an
investigative act, an uncertified officer, a major decision without 法制审核), the defect is written into the rows of
a case built through the services — as a file migrated from an older system would look."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from typing import Any

import pytest

from fazhi.cases.tests.conftest import CaseWorld, act, cw, decide, file, to_notified  # noqa: F401 - fixtures
from fazhi.enforcement.tests.conftest import _seeded, world  # noqa: F401 - fixtures

D = dt.date(2023, 9, 20)  # a Wednesday; 7 个工作日 after 09-27 ends 10-12 (National Day holiday)
_serial = iter(range(1, 10_000))


@pytest.fixture(autouse=True)
def _template(request: pytest.FixtureRequest) -> None:
    """The seeded default template, even after a transactional test flushed it."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from django.apps import apps

    from fazhi.oversight.models import ReviewTemplate

    if not ReviewTemplate.objects.exists():
        importlib.import_module("fazhi.oversight.migrations.0002_default_template").seed(apps, None)


def closed_case(
    cw: CaseWorld,  # noqa: F811
    *,
    filed: dt.date = D,
    decided: dt.date | None = None,
    served: dt.date | None = None,
    published: dt.date | None = None,
    archive: bool = False,
    body: Any = None,
    officers: list[Any] | None = None,
    fine: str = "5000",
) -> Any:
    """A penalty case run through the services to 已结案 (or 已归档), on time unless the dates say otherwise."""
    n = next(_serial)
    decided = decided or filed + dt.timedelta(days=7)
    served = served or decided + dt.timedelta(days=1)
    published = published or min(served, decided + dt.timedelta(days=1))
    if body is not None:
        from fazhi.cases import services

        case = services.file_case(
            actor=None,
            body=body,
            kind="penalty",
            filed_on=filed,
            title="销售过期食品",
            party_name=f"某某食品有限公司{n}",
            party_category="法人及非法人组织",
            party_code="91110000600037341L",
            legal_rep="周某",
        )
        case = act(case, "investigate", on=filed, summary="现场检查", officers=officers)
        case = act(case, "notify", on=filed, summary="告知", proposed_kinds=["fine"], proposed_fine=Decimal(fine))
    else:
        case = file(cw, on=filed, party_name=f"某某食品有限公司{n}")
        case = to_notified(cw, case, filed, fine=fine)
    case = decide(case, decided, n=n, fine=Decimal(fine), decision_content=f"罚款人民币{fine}元")
    if published <= served:
        case = act(case, "publish", on=published)
        case = act(case, "serve", on=served, summary="直接送达")
    else:
        case = act(case, "serve", on=served, summary="直接送达")
        case = act(case, "publish", on=published)
    last = max(published, served)
    case = act(case, "execute", on=last, summary="已缴纳罚款")
    case = act(case, "close", on=last, summary="结案报告")
    if archive:
        case = act(case, "archive", on=last, summary="归档")
    return case


@pytest.fixture
def shangdang_pair(cw: CaseWorld) -> list[Any]:  # noqa: F811
    """Two certified officers of 上党区市场监督管理局 (another county)."""
    from fazhi.enforcement import services as enforcement_services
    from fazhi.enforcement.tests.conftest import issue, make_id

    body = cw.base.bodies["shangdang"]
    wang = cw.officers["wang"]
    issue(wang, issued=dt.date(2019, 3, 1))
    other = enforcement_services.create_officer(
        actor=None, body=body, name="陈九", id_number=make_id(dt.date(1986, 6, 6), 51), employment="civil_servant"
    )
    issue(other, issued=dt.date(2019, 3, 1))
    return [wang, other]


@pytest.fixture
def template() -> Any:
    from fazhi.oversight.models import ReviewTemplate

    return ReviewTemplate.objects.get(version=1)


@pytest.fixture
def province(cw: CaseWorld) -> Any:  # noqa: F811
    return cw.base.org.agencies["province_justice"]


def make_campaign(organiser: Any, template: Any, *, actor: Any = None, division: Any = None, **kw: Any) -> Any:
    from fazhi.oversight import services

    values: dict[str, Any] = {
        "name": "2023年度行政执法案卷评查",
        "year": 2024,
        "closed_from": dt.date(2023, 1, 1),
        "closed_to": dt.date(2023, 12, 31),
        "seed": "ceshi",
    }
    if "percent" not in kw:
        values["per_agency"] = 1
    values.update(kw)
    return services.create_campaign(
        actor=actor, organiser=organiser, division=division or organiser.division, template=template, **values
    )

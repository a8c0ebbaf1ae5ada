from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fazhi.publicity import services as publicity
from fazhi.publicity.tests.conftest import _seeded_rules, penalty_row  # noqa: F401  (rules after a flush)
from fazhi.publicity.validation import clean_row

YEAR = 2020


def add_penalties(
    world: Any,
    agency_key: str,
    count: int,
    *,
    decided_on: dt.date = dt.date(2020, 9, 28),
    published_on: dt.date = dt.date(2020, 10, 9),
    start: int = 1,
) -> None:
    """``count`` penalty decisions of one agency, published on ``published_on`` (on time for the default dates:
    due 2020-10-14; pass a later ``published_on`` for late ones)."""
    agency = world.agencies[agency_key]
    rows = []
    for i in range(start, start + count):
        row = penalty_row(
            decision_agency_uscc=agency.uscc,
            source_agency_uscc=agency.uscc,
            doc_number=f"{agency.short_name or agency.name[:4]}罚〔{decided_on.year}〕{i}号",
            party_name=f"山西测试企业{agency_key}{i}有限公司",
            decided_on=decided_on.isoformat(),
            valid_until=(decided_on + dt.timedelta(days=365)).isoformat(),
        )
        rows.append((i + 1, clean_row("penalty", row, today=timezone.localdate())))
    result = publicity.import_records(actor=None, kind="penalty", rows=rows, today=published_on)
    assert result.created == count, result.rejected


@pytest.fixture
def sgs_world(org_world: Any) -> Any:
    """Xiaodian (太原市小店区): 3 penalties on time and 1 late; Shangdang (长治市上党区): 2 on time."""
    add_penalties(org_world, "xiaodian_market", 3)
    add_penalties(org_world, "xiaodian_market", 1, start=10, published_on=dt.date(2020, 10, 20))
    add_penalties(org_world, "shangdang_market", 2)
    return org_world

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fazhi.publicity import services
from fazhi.publicity.tests.conftest import _seeded_rules, penalty_row  # noqa: F401 - the fixture is used by pytest
from fazhi.publicity.validation import clean_row

TODAY = timezone.localdate()


def licence_row(**overrides: Any) -> dict[str, Any]:
    row = {
        "party_name": "太原市晋阳化工有限公司",
        "party_category": "法人及非法人组织",
        "party_uscc": "91110000600037341L",
        "legal_rep": "张三",
        "doc_number": "并环许〔2020〕8号",
        "doc_title": "排污许可决定书",
        "category": "普通",
        "certificate_name": "排污许可证",
        "licence_number": "91140100MA0K000000001P",
        "content": "准予排污许可",
        "decided_on": (TODAY - dt.timedelta(days=30)).isoformat(),
        "valid_from": (TODAY - dt.timedelta(days=30)).isoformat(),
        "valid_until": "2099-12-31",
        "decision_agency_name": "太原市生态环境局",
        "decision_agency_uscc": "",
        "source_agency_name": "太原市生态环境局",
        "source_agency_uscc": "",
    }
    row.update(overrides)
    return row


@pytest.fixture
def publish(org_world: Any) -> Any:
    """publish(kind, agency_key, **fields): one record imported through the 双公示 service, as an agency would."""

    def make(kind: str, agency_key: str = "xiaodian_market", **fields: Any) -> Any:
        agency = org_world.agencies[agency_key]
        base = penalty_row if kind == "penalty" else licence_row
        row = base(decision_agency_uscc=agency.uscc, source_agency_uscc=agency.uscc, **fields)
        clean = clean_row(kind, row, today=TODAY)
        services.import_records(actor=None, kind=kind, rows=[(2, clean)], default_agency=agency)
        model = services.MODELS[kind]
        return model.objects.get(natural_key=clean.natural_key)

    return make

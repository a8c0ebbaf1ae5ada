from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _seeded_rules(request: pytest.FixtureRequest) -> None:
    """The seed migration's publicity rules and time limits, even after a transactional test flushed them."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from django.apps import apps

    from fazhi.clock.models import TimeLimit
    from fazhi.publicity.models import PublicityRule

    if not TimeLimit.objects.filter(code="sgs.publish").exists():
        importlib.import_module("fazhi.clock.migrations.0002_seed_time_limits").seed(apps, None)
    if not PublicityRule.objects.exists():
        importlib.import_module("fazhi.publicity.migrations.0002_seed_rules").seed(apps, None)


def penalty_row(**overrides: Any) -> dict[str, Any]:
    """A complete, valid penalty row keyed by field (what a good file line becomes after header matching)."""
    row = {
        "party_name": "太原市晋阳化工有限公司",
        "party_category": "法人及非法人组织",
        "party_uscc": "91110000600037341L",
        "legal_rep": "张三",
        "doc_number": "并环罚〔2020〕15号",
        "violation_type": "超标排放大气污染物",
        "facts": "2020年8月3日检查发现，该公司锅炉废气氮氧化物排放浓度超过排放标准。",
        "basis": "《中华人民共和国大气污染防治法》第九十九条第二项",
        "kinds": "罚款",
        "content": "罚款16万元",
        "fine_wan": "16",
        "decided_on": (timezone.localdate() - dt.timedelta(days=20)).isoformat(),
        "decision_agency_name": "太原市生态环境局",
        "decision_agency_uscc": "",
        "source_agency_name": "太原市生态环境局",
        "source_agency_uscc": "",
    }
    row.update(overrides)
    return row

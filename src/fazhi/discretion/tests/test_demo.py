"""Demo benchmarks: built through the services for the province's environment and market regulators, marked as
synthetic, with two versions of the environment benchmark; the calculator works on them."""

import datetime as dt
import random

import pytest

from fazhi.core.identifiers import make_uscc
from fazhi.discretion import selectors
from fazhi.discretion.calculator import calculate
from fazhi.discretion.demo import generate_discretion
from fazhi.discretion.models import BenchmarkItem, DiscretionBenchmark
from fazhi.org import services as org

pytestmark = pytest.mark.django_db


@pytest.fixture
def regulators(org_world):
    for n, name in enumerate(("山西省生态环境厅", "山西省市场监督管理局"), 1):
        org.create_agency(
            actor=None,
            name=name,
            kind="department",
            division=org_world.divisions["140000"],
            uscc=make_uscc("11", "140000", f"{n + 900:08d}"),
        )


def test_demo_benchmarks(regulators):
    made = generate_discretion(rng=random.Random(2020), scale="small")
    assert made == {"benchmarks": 3, "items": 8, "rules": made["rules"]} and made["rules"] > 40
    env = DiscretionBenchmark.objects.get(doc_key="晋环法〔2021〕3号")
    assert env.superseded_by.doc_key == "晋环法〔2024〕5号" and env.valid_to == dt.date(2024, 2, 29)
    assert all("演示数据" in b.title and "演示数据" in b.note for b in DiscretionBenchmark.objects.all())
    assert all("（演示）" in v for v in BenchmarkItem.objects.values_list("violation", flat=True))
    item = BenchmarkItem.objects.get(benchmark=env, code="HJ-1")
    old = calculate(item, answers={"整改情况": "限期内改正", "近二年同类违法行为": 1}, on=dt.date(2023, 1, 1))
    current = selectors.item_in_force(item, dt.date(2025, 1, 1))
    new = calculate(current, answers={"整改情况": "限期内改正", "近二年同类违法行为": 1}, on=dt.date(2025, 1, 1))
    assert old.grade_label == "从轻处罚" and old.fine.minimum == new.fine.minimum == 20000
    market = BenchmarkItem.objects.get(benchmark__doc_key="晋市监法〔2022〕8号", code="SJ-2")
    outcome = calculate(
        market,
        answers={"近二年同类违法行为": "3次以上", "整改情况": "逾期未改正"},
        figures={"货值金额": 10000},
        on=dt.date(2023, 1, 1),
    )
    assert outcome.fine.base == "货值金额" and outcome.fine.maximum is not None and outcome.fine.maximum <= 30000


def test_demo_without_the_agencies_does_nothing(org_world):
    assert generate_discretion(rng=random.Random(1), scale="small") == {"benchmarks": 0, "items": 0, "rules": 0}

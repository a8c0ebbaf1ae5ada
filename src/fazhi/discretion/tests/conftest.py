"""Discretion test world: an environment bureau and a market regulator with benchmark drafters (裁量基准制定人员), and
benchmarks built through the services from spreadsheet rows."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest

from fazhi.conftest import OrgWorld
from fazhi.discretion import services
from fazhi.discretion.models import DiscretionBenchmark
from fazhi.discretion.spreadsheet import write_csv

DAY = dt.date(2022, 1, 1)

# A small real-shaped item (广东 table §2.1, 水污染防治法第八十一条) with ranges, and one with multiples.
OBSTRUCTION = [
    {
        "事项编码": "2.1",
        "违法行为": "以拖延、围堵、滞留执法人员等方式拒绝、阻挠监督检查，或者在接受监督检查时弄虚作假",
        "违反条款": "《中华人民共和国水污染防治法》第三十条",
        "处罚依据": "《中华人民共和国水污染防治法》第八十一条：……处二万元以上二十万元以下的罚款。",
        "情形": "违法程度：以拖延执法人员的方式阻挠监督检查；近一年同类违法行为情况：无同类违法行为",
        "罚款": "2万元以上4万元以下",
    },
    {
        "事项编码": "2.1",
        "情形": "违法程度：以拖延执法人员的方式阻挠监督检查；近一年同类违法行为情况：有同类违法行为",
        "罚款": "4万元以上6万元以下",
    },
    {
        "事项编码": "2.1",
        "情形": "违法程度：在接受监督检查时弄虚作假；近一年同类违法行为情况：无同类违法行为",
        "罚款": "9万元以上13万元以下",
    },
    {
        "事项编码": "2.1",
        "情形": "违法程度：在接受监督检查时弄虚作假；近一年同类违法行为情况：有同类违法行为",
        "罚款": "13万元以上17万元以下",
    },
    {"事项编码": "2.1", "情形": "违法程度：以殴打执法人员的积极暴力方式阻挠监督检查", "罚款": "20万元"},
]
FEES = [
    {
        "事项编码": "1.10",
        "违法行为": "技术机构向建设单位、从事环境影响评价工作的单位收取费用",
        "处罚依据": "《建设项目环境保护管理条例》第二十四条：……处所收费用1倍以上3倍以下的罚款。",
        "情形": "近一年同类违法行为情况：无同类违法行为；违法行为持续时间：3个月以下",
        "裁量阶次": "从轻处罚",
        "罚款": "所收费用1倍以上1.5倍以下",
    },
    {
        "事项编码": "1.10",
        "情形": "近一年同类违法行为情况：无同类违法行为；违法行为持续时间：3个月以上",
        "裁量阶次": "一般处罚",
        "罚款": "所收费用2倍",
    },
    {
        "事项编码": "1.10",
        "情形": "近一年同类违法行为情况：有同类违法行为",
        "裁量阶次": "从重处罚",
        "处罚种类": "警告",
        "罚款": "没收违法所得，并处所收费用2倍以上3倍以下罚款",
    },
    {
        "事项编码": "1.10",
        "情形": "近一年同类违法行为情况：首次违法且及时改正",
        "情形说明": "行政处罚法第三十三条第一款",
        "裁量阶次": "不予处罚",
    },
]


def csv_file(rows: list[dict[str, str]], name: str = "基准.csv") -> io.BytesIO:
    buffer = io.BytesIO(write_csv(rows))
    buffer.name = name
    return buffer


@pytest.fixture
def world(org_world: OrgWorld) -> OrgWorld:
    """org_world plus 太原市生态环境局 and two benchmark drafters: one there, one at 上党区市场监督管理局."""
    from fazhi.core.identifiers import make_uscc
    from fazhi.org import services as org
    from fazhi.org.models import Role

    org_world.agencies["taiyuan_env"] = org.create_agency(
        actor=None,
        name="太原市生态环境局",
        kind="department",
        division=org_world.divisions["140100"],
        uscc=make_uscc("11", "140100", "00000901"),
    )
    legislator = Role.objects.get(code="legislator")
    for key, agency in (("taiyuan_drafter", "taiyuan_env"), ("shangdang_drafter", "shangdang_market")):
        staff = org.create_staff(
            actor=None, username=key, password="ceshi-mima-2026", name=key, agency=org_world.agencies[agency]
        )
        org.grant_role(actor=None, user=staff.user, role=legislator, agency=org_world.agencies[agency])
        org_world.users[key] = staff.user
    return org_world


@pytest.fixture
def make_benchmark(world: OrgWorld) -> Callable[..., DiscretionBenchmark]:
    def make(
        rows: list[dict[str, str]] | None = None,
        *,
        agency: str = "taiyuan_env",
        doc_number: str = "并环发〔2022〕1号",
        effective_from: dt.date = DAY,
        publish: bool = True,
        title: str = "太原市生态环境行政处罚裁量基准",
    ) -> DiscretionBenchmark:
        benchmark = services.create_benchmark(
            actor=None,
            agency=world.agencies[agency],
            title=title,
            doc_number=doc_number,
            domain="生态环境",
            effective_from=effective_from,
        )
        report = services.import_items(actor=None, benchmark=benchmark, file=csv_file(rows or OBSTRUCTION + FEES))
        assert not report.errors, [p.message for p in report.errors]
        if publish:
            benchmark = services.publish_benchmark(actor=None, benchmark=benchmark)
        return benchmark

    return make


Maker = Callable[..., Any]

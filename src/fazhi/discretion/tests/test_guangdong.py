"""The real Guangdong environmental fine discretion table (粤环发〔2021〕7号 附件1), read in place from
../shared/data, converted to the import spreadsheet and imported through the one import service: for every imported
row, the row's own circumstances make the calculator produce that row — its fine range as the table writes it and its
grade under the table's own midpoint rule (第十二条) — and the no-penalty list adds 不予处罚 rows."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from fazhi.discretion import guangdong, services
from fazhi.discretion.calculator import calculate
from fazhi.discretion.factors import parse_conditions
from fazhi.discretion.models import BenchmarkItem
from fazhi.discretion.spreadsheet import write_csv

pytestmark = pytest.mark.django_db
ON = dt.date(2023, 6, 1)
TABLE = "discretion/guangdong_eco_env_fine_discretion_table_2022.tables.json"
NO_PENALTY = "discretion/guangdong_eco_env_no_penalty_minor_violations_list_2022.tables.json"
# Defects of the published table itself: each rejects its row (and so its item) with a reason; nothing is guessed.
KNOWN_DEFECTS = {
    "45万元以上60万元以上",
    "7.5万元元以上8.5万元元以下",
    "8.5万元元以上10万元元以下",
    "500元/车次",
    "800元/车次",
    "1000元/车次",
    "2.5元万以上3.5万元以下",
    "1000元以2000元以下",
    "5万元以上10万元以上",
    "15万元以上20万元以上",
    "20万元以上35万元以上",
}


def expected_fine(text: str) -> tuple[str, Decimal | None, Decimal | None]:
    """The fine of a table cell, read independently of the importer: (base or "元", low, high)."""
    multiples = re.findall(r"(\d+(?:\.\d+)?)倍", text)
    if multiples:
        base = re.sub(r"^(没收违法所得，并处|处)", "", text.split(multiples[0])[0]).removesuffix("的")
        return base, Decimal(multiples[0]), Decimal(multiples[-1])
    amounts = [
        Decimal(n) * (10000 if unit.startswith("万") else 1)
        for n, unit in re.findall(r"(\d+(?:\.\d+)?)(万元|万|元)", text)
    ]
    if len(amounts) == 2:
        return "元", amounts[0], amounts[1]
    if "以下" in text:
        return "元", Decimal(0), amounts[0]
    if "以上" in text:
        return "元", amounts[0], None
    return "元", amounts[0], amounts[0]


def expected_grades(fines: list[tuple[str, Decimal | None, Decimal | None]]) -> list[str]:
    """第十二条: 从轻 below the middle of the item's range, 从重 not below it, 一般 at it (spanning it)."""
    spans: dict[str, list[Decimal]] = {}
    for base, low, high in fines:
        spans.setdefault(base, []).extend(v for v in (low, high) if v is not None)
    grades = []
    for base, low, high in fines:
        middle = (min(spans[base]) + max(spans[base])) / 2
        top = high if high is not None else low
        if low == top == middle:
            grades.append("一般处罚")
        elif high is not None and high <= middle:
            grades.append("从轻处罚")
        elif low is not None and low >= middle:
            grades.append("从重处罚")
        else:
            grades.append("一般处罚")
    return grades


@pytest.fixture
def imported(world, shared_data: Path, tmp_path: Path):
    conversion = guangdong.convert_files(shared_data / TABLE, shared_data / NO_PENALTY)
    spreadsheet = tmp_path / "广东罚款裁量表.csv"
    spreadsheet.write_bytes(write_csv(conversion.rows))
    benchmark = services.create_benchmark(
        actor=None,
        agency=world.agencies["taiyuan_env"],
        title="广东省生态环境违法行为行政处罚罚款金额裁量表（参考）",
        doc_number="粤环发〔2021〕7号",
        domain="生态环境",
        effective_from=dt.date(2022, 1, 1),
        expires_on=dt.date(2026, 12, 31),
    )
    report = services.import_items(actor=None, benchmark=benchmark, file=str(spreadsheet), filename=spreadsheet.name)
    benchmark = services.publish_benchmark(actor=None, benchmark=benchmark)
    items = {i.code: i for i in BenchmarkItem.objects.filter(benchmark=benchmark).prefetch_related("rules")}
    return conversion, report, items


def test_the_range_mode_of_the_table_is_imported_and_its_defects_reported(imported):
    conversion, report, items = imported
    assert conversion.entries == 281
    assert guangdong.skipped_summary(conversion.skipped) == {
        "权重累加模式（裁量百分值之和乘以最高罚款额），不是情形对应罚款的规则表": 46,
        "对单位和对个人分列罚款（每行有两个罚款数额）": 11,
    }
    assert len(conversion.codes) == 237 and len(items) == 229 and report.created == 229
    assert sum(len(i.rules.all()) for i in items.values()) >= 1300
    fines = {p.message.split("“")[1].split("”")[0] for p in report.errors if p.code == "invalid_fine"}
    assert fines == KNOWN_DEFECTS
    others = {p.code for p in report.errors} - {"invalid_fine", "item_rejected"}
    assert others == {"grade_required"}  # one 警告-only row: the table states no grade for it


def test_every_imported_row_is_reproduced_by_the_calculator(imported):
    conversion, _, items = imported
    checked = 0
    for code, item in items.items():
        rows = [r for r in conversion.rows if r["事项编码"] == code]
        fined = [r for r in rows if r.get("罚款")]
        grades = dict(
            zip((id(r) for r in fined), expected_grades([expected_fine(r["罚款"]) for r in fined]), strict=True)
        )
        for position, row in enumerate(rows, 1):
            outcome = calculate(item, answers=dict(parse_conditions(row["情形"])), on=ON)
            assert outcome.rule.position == position, (code, row["情形"])
            if not row.get("罚款"):
                assert outcome.grade_label == "不予处罚" and outcome.fine.text == "不罚款"
                continue
            base, low, high = expected_fine(row["罚款"])
            assert outcome.grade_label == grades[id(row)], (code, row["罚款"])
            if base == "元":
                assert (outcome.fine.minimum, outcome.fine.maximum) == (low, high), (code, row["罚款"])
            else:
                assert (outcome.fine.base, outcome.fine.multiple_min, outcome.fine.multiple_max) == (base, low, high)
            assert outcome.rule.penalty_text == row["罚款"]
            checked += 1
    assert checked >= 1300


def test_spot_checks_against_the_pdf(imported):
    _, _, items = imported
    obstruction = items["P029-1"]  # 水污染防治法第八十一条, 第29页
    outcome = calculate(
        obstruction,
        answers={"违法程度": "在接受监督检查时弄虚作假", "近一年同类违法行为情况": "有同类违法行为"},
        on=ON,
    )
    assert (outcome.grade_label, outcome.fine.text) == ("从轻处罚", "8万元至11万元")
    assert "第八十一条" in outcome.item.legal_basis and "粤环发〔2021〕7号附件1第29页" in outcome.explanation[1]
    beating = calculate(
        obstruction, answers={"违法程度": "以殴打执法人员的积极暴力方式阻挠环境保护主管部门的监督检查"}, on=ON
    )
    assert (beating.grade_label, beating.fine.text) == ("从重处罚", "20万元")
    fees = calculate(
        items["P021-1"],
        answers={"环评文件类别": "报告表类", "建设项目所在区域": "限批区或环境敏感区"},
        figures={"所收费用": 100000},
        on=ON,
    )
    assert (fees.fine.minimum, fees.fine.maximum) == (Decimal(350000), Decimal(400000))
    assert fees.penalty_kinds == "没收违法所得、罚款" and fees.grade_label == "从轻处罚"
    by_number = calculate(items["P085-1"], answers={"近二年同类违法行为情况": 5}, on=ON)
    assert by_number.answers == [("近二年同类违法行为情况", "3次以上")] and by_number.fine.text == "10万元"


def test_the_no_penalty_list_adds_no_penalty_rows(imported):
    conversion, _, items = imported
    assert conversion.no_penalty_matched >= 3
    filing = items["P018-2"]  # 建设单位未依法备案建设项目环境影响登记表 = 目录第1项
    outcome = calculate(filing, answers={"不予处罚情节": "符合《不予行政处罚的轻微违法行为目录》第1项"}, on=ON)
    assert outcome.grade_label == "不予处罚" and "属于首次违法" in outcome.rule.description
    fined = calculate(
        filing,
        answers={"不予处罚情节": "不符合", "建设项目所在区域": "一般区域", "整改情况": "逾期未完成备案手续"},
        on=ON,
    )
    assert (fined.grade_label, fined.fine.text) == ("一般处罚", "1万元至3万元")

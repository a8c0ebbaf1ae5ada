"""The calculator: the answers select one rule row; its grade and fine come out in yuan, with the reasons."""

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.discretion.calculator import calculate
from fazhi.discretion.models import BenchmarkItem

pytestmark = pytest.mark.django_db
ON = dt.date(2023, 5, 1)


@pytest.fixture
def items(make_benchmark):
    benchmark = make_benchmark()
    return {item.code: item for item in BenchmarkItem.objects.filter(benchmark=benchmark)}


def errors_of(exc_info):
    return {e.field: e.message for e in exc_info.value.errors}


def test_range_rows_give_their_grade_and_range(items):
    item = items["2.1"]
    outcome = calculate(
        item,
        answers={"违法程度": "在接受监督检查时弄虚作假", "近一年同类违法行为情况": "有同类违法行为"},
        on=ON,
    )
    assert outcome.grade_label == "从重处罚"  # 13–17万 lies above the middle of 2–20万
    assert (outcome.fine.minimum, outcome.fine.maximum) == (Decimal(130000), Decimal(170000))
    assert outcome.fine.text == "13万元至17万元"
    assert outcome.penalty_kinds == "罚款"
    first = calculate(
        item,
        answers={"违法程度": "以拖延执法人员的方式阻挠监督检查", "近一年同类违法行为情况": "无同类违法行为"},
        on=ON,
    )
    assert (first.grade_label, first.fine.text) == ("从轻处罚", "2万元至4万元")
    middle = calculate(
        item, answers={"违法程度": "在接受监督检查时弄虚作假", "近一年同类违法行为情况": "无同类违法行为"}, on=ON
    )
    assert (middle.grade_label, middle.fine.text) == ("一般处罚", "9万元至13万元")  # spans the middle, 11万


def test_fixed_amount_rows_need_only_their_own_factor(items):
    outcome = calculate(items["2.1"], answers={"违法程度": "以殴打执法人员的积极暴力方式阻挠监督检查"}, on=ON)
    assert (outcome.grade_label, outcome.fine.minimum, outcome.fine.maximum) == ("从重处罚", 200000, 200000)
    assert outcome.fine.text == "20万元"


def test_multiples_are_applied_to_the_figure_given(items):
    item = items["1.10"]
    answers = {"近一年同类违法行为情况": "有同类违法行为"}
    without = calculate(item, answers=answers, on=ON)
    assert without.fine.minimum is None and "所收费用的2倍至3倍" in without.fine.text
    assert without.penalty_kinds == "警告、没收违法所得、罚款"
    outcome = calculate(item, answers=answers, figures={"所收费用": "45,000"}, on=ON)
    assert (outcome.fine.minimum, outcome.fine.maximum) == (Decimal("90000.00"), Decimal("135000.00"))
    assert outcome.fine.text == "9万元至13.5万元（所收费用 4.5万元的2倍至3倍）"
    fixed = calculate(
        item,
        answers={"近一年同类违法行为情况": "无同类违法行为", "违法行为持续时间": "3个月以上"},
        figures={"所收费用": 10000},
        on=ON,
    )
    assert (fixed.grade_label, fixed.fine.minimum, fixed.fine.maximum) == ("一般处罚", 20000, 20000)


def test_numbers_answer_numeric_factors(items):
    outcome = calculate(
        items["1.10"], answers={"近一年同类违法行为情况": "无同类违法行为", "违法行为持续时间": 2}, on=ON
    )
    assert outcome.answers == [("近一年同类违法行为情况", "无同类违法行为"), ("违法行为持续时间", "3个月以下")]
    assert outcome.grade_label == "从轻处罚"


def test_no_penalty_rows(items):
    outcome = calculate(items["1.10"], answers={"近一年同类违法行为情况": "首次违法且及时改正"}, on=ON)
    assert outcome.grade_label == "不予处罚"
    assert outcome.fine.text == "不罚款" and outcome.penalty_kinds == ""


def test_explanation_names_the_rule_the_document_and_the_basis(items):
    outcome = calculate(
        items["2.1"],
        answers={"违法程度": "以拖延执法人员的方式阻挠监督检查", "近一年同类违法行为情况": "有同类违法行为"},
        on=ON,
    )
    text = "\n".join(outcome.explanation)
    assert "事项 2.1" in text and "第 2 条规则" in text
    assert "并环发〔2022〕1号" in text and "2022年1月1日起施行" in text and "2023年5月1日 施行中的版本" in text
    assert "《中华人民共和国水污染防治法》第八十一条" in text
    assert "裁量阶次：从轻处罚" in text and "罚款：4万元至6万元（基准原文：4万元以上6万元以下）" in text


@pytest.mark.parametrize(
    ("answers", "figures", "expected"),
    [
        ({}, {}, {"answers.违法程度": "请选择“违法程度”"}),
        (
            {"违法程度": "以拖延执法人员的方式阻挠监督检查"},
            {},
            {"answers.近一年同类违法行为情况": "请选择“近一年同类违法行为情况”"},
        ),
        ({"违法程度": "情节轻微"}, {}, {"answers.违法程度": "“情节轻微”不是“违法程度”的选项"}),
        ({"整改情况": "限期内改正"}, {}, {"answers.整改情况": "该事项没有“整改情况”这一裁量因素"}),
        ({}, {"违法所得": 100}, {"figures.违法所得": "该事项的罚款不以“违法所得”为基数"}),
    ],
)
def test_missing_and_invalid_answers_are_explained(items, answers, figures, expected):
    with pytest.raises(ValidationFailed) as exc_info:
        calculate(items["2.1"], answers=answers, figures=figures, on=ON)
    found = errors_of(exc_info)
    for field, message in expected.items():
        assert message in found[field]


def test_bad_figures_and_numbers_are_explained(items):
    with pytest.raises(ValidationFailed) as exc_info:
        calculate(
            items["1.10"],
            answers={"近一年同类违法行为情况": "有同类违法行为"},
            figures={"所收费用": "一大笔钱"},
            on=ON,
        )
    assert "所收费用：金额“一大笔钱”不是数字" in errors_of(exc_info)["figures.所收费用"]
    with pytest.raises(ValidationFailed) as exc_info:
        calculate(items["1.10"], answers={"违法行为持续时间": "很久"}, on=ON)
    assert "应从选项中选择，或填写数字（单位：个月）" in errors_of(exc_info)["answers.违法行为持续时间"]

"""Reading a benchmark table's cells: fines (ranges, multiples, fixed amounts), circumstances, numeric bands, and the
grade a row gets from where its fine sits in the item's range."""

from decimal import Decimal

import pytest

from fazhi.discretion.choices import FineKind, Grade
from fazhi.discretion.factors import (
    FactorFormatError,
    derive_factors,
    option_for_number,
    overlapping,
    parse_band,
    parse_conditions,
)
from fazhi.discretion.fines import FineFormatError, format_range, format_yuan, parse_fine, parse_penalty_kinds
from fazhi.discretion.grading import midpoint_grades

D = Decimal


@pytest.mark.parametrize(
    ("text", "kind", "low", "high"),
    [
        ("2万元以上4万元以下", FineKind.RANGE, D(20000), D(40000)),
        ("2万以上4万元以下", FineKind.RANGE, D(20000), D(40000)),
        ("2500元以上5000元以下", FineKind.RANGE, D(2500), D(5000)),
        ("5000元以上1万元以下", FineKind.RANGE, D(5000), D(10000)),
        ("1万元以下", FineKind.RANGE, D(0), D(10000)),
        ("五万元以下", FineKind.RANGE, D(0), D(50000)),
        ("10万元以上", FineKind.RANGE, D(100000), None),
        ("5万元", FineKind.FIXED, D(50000), D(50000)),
        ("处3万元罚款", FineKind.FIXED, D(30000), D(30000)),
        ("1.5万元", FineKind.FIXED, D(15000), D(15000)),
    ],
)
def test_amounts_in_yuan(text, kind, low, high):
    fine = parse_fine(text)
    assert (fine.kind, fine.minimum, fine.maximum) == (kind, low, high)
    assert "fine" in fine.kinds


@pytest.mark.parametrize(
    ("text", "base", "low", "high", "kinds"),
    [
        ("违法所得1倍以上3倍以下", "违法所得", D(1), D(3), ["fine"]),
        ("货值金额2倍", "货值金额", D(2), D(2), ["fine"]),
        ("处所收费用的1倍以上1.5倍以下罚款", "所收费用", D(1), D("1.5"), ["fine"]),
        ("没收违法所得，并处所收费用3倍以上3.5倍以下罚款", "所收费用", D(3), D("3.5"), ["confiscate_income", "fine"]),
        ("直接经济损失的1倍以上1.5倍以下", "直接经济损失", D(1), D("1.5"), ["fine"]),
    ],
)
def test_multiples_keep_their_base(text, base, low, high, kinds):
    fine = parse_fine(text)
    assert (fine.kind, fine.base, fine.multiple_min, fine.multiple_max) == (FineKind.MULTIPLE, base, low, high)
    assert list(fine.kinds) == kinds


def test_warning_and_optional_fine():
    fine = parse_fine("给予警告，可以并处2500元以下罚款")
    assert fine.kinds == ("warning", "fine")
    assert (fine.minimum, fine.maximum) == (D(0), D(2500))
    assert parse_fine("警告").kind == FineKind.NONE and parse_fine("警告").kinds == ("warning",)
    assert parse_fine("").kind == FineKind.NONE


@pytest.mark.parametrize(
    "text",
    # real typos of the Guangdong table, and a per-vehicle fine: none may be guessed
    [
        "45万元以上60万元以上",
        "7.5万元元以上8.5万元元以下",
        "2.5元万以上3.5万元以下",
        "1000元以2000元以下",
        "500元/车次",
    ],
)
def test_unreadable_fines_are_errors_in_chinese(text):
    with pytest.raises(FineFormatError, match="无法识别罚款"):
        parse_fine(text)


def test_low_above_high_is_an_error():
    with pytest.raises(FineFormatError, match="下限大于上限"):
        parse_fine("4万元以上2万元以下")


def test_penalty_kinds():
    assert parse_penalty_kinds("警告、罚款") == ["warning", "fine"]
    assert parse_penalty_kinds("没收违法所得，吊销营业执照") == ["confiscate_income", "revoke_licence"]
    with pytest.raises(FineFormatError, match="处罚种类“训诫”无法识别"):
        parse_penalty_kinds("警告、训诫")


def test_amounts_in_words():
    assert format_yuan(D(25000)) == "2.5万元"
    assert format_yuan(D(3500)) == "3,500元"
    assert format_range(D(0), D(10000)) == "1万元以下"
    assert format_range(D(20000), D(40000)) == "2万元至4万元"
    assert format_range(D(50000), D(50000)) == "5万元"


def test_circumstances_become_factors():
    assert parse_conditions("违法程度：情节轻微；整改情况：限期内改正") == [
        ("违法程度", "情节轻微"),
        ("整改情况", "限期内改正"),
    ]
    assert parse_conditions("首次违法且及时改正") == [("情形", "首次违法且及时改正")]
    with pytest.raises(FactorFormatError, match="没有写明因素"):
        parse_conditions("违法程度：轻微；及时改正")
    with pytest.raises(FactorFormatError, match="出现了两次"):
        parse_conditions("违法程度：轻微；违法程度：严重")
    factors = derive_factors(
        [
            [("持续时间", "3个月以下"), ("次数", "1次")],
            [("持续时间", "3个月以上6个月以下")],
            [("持续时间", "6个月以上")],
        ]
    )
    assert factors[0] == {
        "name": "持续时间",
        "options": ["3个月以下", "3个月以上6个月以下", "6个月以上"],
        "unit": "个月",
    }


def test_numeric_bands_include_the_lower_bound_only():
    factor = {"name": "持续时间", "options": ["3个月以下", "3个月以上6个月以下", "6个月以上"], "unit": "个月"}
    assert option_for_number(factor, "2.5") == "3个月以下"
    assert option_for_number(factor, 3) == "3个月以上6个月以下"  # “以上”包括本数
    assert option_for_number(factor, "6个月") == "6个月以上"
    assert parse_band("4次以上").contains(D(7)) and parse_band("2次").contains(D(2))
    with pytest.raises(FactorFormatError, match="不小于 0"):
        option_for_number(factor, "-1")


def test_rows_that_could_both_apply_overlap():
    assert overlapping([("a", "x")], [("a", "x"), ("b", "y")])
    assert not overlapping([("a", "x")], [("a", "z"), ("b", "y")])


def test_grades_from_the_middle_of_the_range():
    rows = [parse_fine(t) for t in ("2万元以上4万元以下", "8万元以上11万元以下", "10万元以上14万元以下", "20万元")]
    assert midpoint_grades(rows) == [Grade.LENIENT, Grade.LENIENT, Grade.GENERAL, Grade.SEVERE]
    only_max = [parse_fine(t) for t in ("1万元以下", "1万元以上3万元以下", "3万元以上5万元以下", "5万元")]
    assert midpoint_grades(only_max) == [Grade.LENIENT, Grade.GENERAL, Grade.SEVERE, Grade.SEVERE]
    multiples = [parse_fine(t) for t in ("所收费用1倍以上2倍以下", "所收费用2倍", "所收费用2倍以上3倍以下", "警告")]
    assert midpoint_grades(multiples) == [Grade.LENIENT, Grade.GENERAL, Grade.SEVERE, None]

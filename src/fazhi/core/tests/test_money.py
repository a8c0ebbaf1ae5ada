"""Amounts in 万元: one cell, and the amounts written in a decision's text."""

import csv
from decimal import Decimal

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.core.money import Money, amounts_in_text, fine_total_in_text, parse_amount

D = Decimal


def _error(raw, **kwargs):
    with pytest.raises(ValidationFailed) as info:
        parse_amount(raw, **kwargs)
    (error,) = info.value.errors
    return error


# --- parse_amount -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "wan"),
    [
        ("2000", D("2000")),
        ("2,000", D("2000")),
        ("２０００", D("2000")),
        ("0.2", D("0.2")),
        ("  1.5 ", D("1.5")),
        ("0.2万元", D("0.2")),
        ("人民币1.5", D("1.5")),
        ("118.680000", D("118.68")),
        ("0.000001", D("0.000001")),
        ("0", D("0")),
        ("-0", D("0")),
        (D("0.2"), D("0.2")),
        (16, D("16")),
        (0.2, D("0.2")),  # CF_NR_FK: 0.2 in the wire format of a live city system
        (0.1 + 0.2, D("0.3")),  # binary noise from a spreadsheet formula
        ("100000000", D("100000000")),
    ],
)
def test_amounts_in_wan(raw, wan):
    value = parse_amount(raw)
    assert value == wan
    assert "E" not in str(value)  # shown to people as a plain number


@pytest.mark.parametrize(
    ("raw", "wan"),
    [
        ("2000", "0.2"),
        ("15000", "1.5"),
        ("2,000.50", "0.20005"),
        ("0.01", "0.000001"),
        ("2000元", "0.2"),
        (1, "0.0001"),
    ],
)
def test_yuan_are_converted_exactly(raw, wan):
    value = parse_amount(raw, unit="元")
    assert value == D(wan)
    assert str(value) == wan  # no float artefacts, no trailing zeros


@pytest.mark.parametrize(
    ("raw", "kwargs", "code", "words"),
    [
        ("-5", {}, "amount_negative", "负数"),
        ("abc", {}, "amount_format", "不是数字"),
        ("贰万", {}, "amount_format", "阿拉伯数字"),
        ("1e3", {}, "amount_format", "不是数字"),
        ("2,00", {}, "amount_format", "不是数字"),
        ("1-2", {}, "amount_format", "不是数字"),
        ("0.0000001", {}, "amount_precision", "6 位小数"),
        ("0.001", {"unit": "元"}, "amount_precision", "0.01 元"),
        ("100000000.5", {}, "amount_too_large", "单位"),
        ("2000元", {}, "amount_unit", "2000元 = 0.2万元"),
        ("", {}, "required", "请填写金额"),
        (None, {}, "required", "请填写金额"),
        (float("nan"), {}, "amount_format", "不是数字"),
        (True, {}, "amount_format", "布尔"),
        (["1"], {}, "amount_format", "数字"),
        ("1", {"unit": "千元"}, "amount_unit", "万元"),
    ],
)
def test_bad_amounts(raw, kwargs, code, words):
    error = _error(raw, **kwargs)
    assert error.code == code
    assert words in error.message


def test_field_name_is_carried_into_the_error():
    assert _error("x", field_name="fine_wan").field == "fine_wan"


# --- amounts_in_text ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("罚款16万元；按日连续处罚118.68万元。", [("16", "fine", "16万元"), ("118.68", "daily_fine", "118.68万元")]),
        ("罚款2000元", [("0.2", "fine", "2000元")]),
        ("处罚款人民币贰万元整", [("2", "fine", "贰万元整")]),
        ("罚款人民币伍仟元", [("0.5", "fine", "伍仟元")]),
        ("没收违法所得3200元并处罚款1万元", [("0.32", "confiscation", "3200元"), ("1", "fine", "1万元")]),
        ("罚款1.5万元", [("1.5", "fine", "1.5万元")]),
        ("罚款15000元", [("1.5", "fine", "15000元")]),
        ("罚款１．５万元", [("1.5", "fine", "１．５万元")]),
        ("处以3万元罚款", [("3", "fine", "3万元")]),
        ("罚款一千零五元", [("0.1005", "fine", "一千零五元")]),
        ("罚款二〇〇〇元", [("0.2", "fine", "二〇〇〇元")]),
        ("罚款两万元", [("2", "fine", "两万元")]),
        ("罚款壹拾万元", [("10", "fine", "壹拾万元")]),
        ("罚款十五万元", [("15", "fine", "十五万元")]),
        ("罚款人民币壹佰贰拾叁万肆仟伍佰陆拾柒元", [("123.4567", "fine", "壹佰贰拾叁万肆仟伍佰陆拾柒元")]),
        ("罚款一亿二千万元", [("12000", "fine", "一亿二千万元")]),
        ("罚款1,000元", [("0.1", "fine", "1,000元")]),
        ("罚款人民币10000元（大写：壹万元整）", [("1", "fine", "10000元")]),
        ("分别罚款1万元、2万元", [("1", "fine", "1万元"), ("2", "fine", "2万元")]),
        ("违法所得3200元予以没收", [("0.32", "confiscation", "3200元")]),
        ("责令改正，罚款1万元，没收违法所得3200元", [("1", "fine", "1万元"), ("0.32", "confiscation", "3200元")]),
        ("处5万元以上10万元以下罚款", [("5", "other", "5万元"), ("10", "other", "10万元")]),
        ("整改投入资金50万元", [("50", "other", "50万元")]),
        ("罚款5千元", [("0.5", "fine", "5千元")]),
    ],
)
def test_amounts_in_text(text, expected):
    found = amounts_in_text(text)
    assert [(str(m.amount_wan), m.kind, m.text) for m in found] == expected
    for money in found:
        assert money.text in text


@pytest.mark.parametrize("text", ["", None, "警告。", "责令限期治理。", "罚款万元", "3单元", "第二次", 12])
def test_no_amounts(text):
    assert amounts_in_text(text) == []
    assert fine_total_in_text(text) is None


def test_fine_total_counts_fines_and_daily_fines_but_not_confiscation():
    assert fine_total_in_text("罚款16万元；按日连续处罚118.68万元。") == D("134.68")
    assert fine_total_in_text("没收违法所得3200元并处罚款1万元") == D("1")
    assert fine_total_in_text("违法所得3200元予以没收") is None
    assert str(fine_total_in_text("罚款2000元")) == "0.2"


def test_money_is_a_value():
    assert amounts_in_text("罚款2000元") == [Money(D("0.2"), "fine", "2000元")]


# --- real 信用中国 penalties -------------------------------------------------------------------------------------


def _penalties(shared_data):
    path = shared_data / "samples" / "creditchina_2017_env_key_polluters_penalties.csv"
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_real_penalty_text_is_read_without_an_exception(shared_data):
    rows = _penalties(shared_data)
    assert len(rows) == 171
    for row in rows:
        text = row["处罚结果"]
        found = amounts_in_text(text)
        total = fine_total_in_text(text)
        # every text that mentions 罚 has a fine in it, and no other text has one
        assert (total is not None) == ("罚" in text), text
        assert all(m.kind in ("fine", "daily_fine") and m.text.endswith("万元") for m in found), text
        if total is not None:
            assert total == sum(m.amount_wan for m in found)


# Rows picked and read by hand: (区域, 企业名称, 处罚结果) → fine total in 万元 and the kinds found.
HAND_PICKED = [
    ("山西省", "陵川县洁美污水处理有限公司", "罚款16万元；按日连续处罚118.68万元。", "134.68", ["fine", "daily_fine"]),
    ("山西省", "交城县供水公司污水处理厂", "罚款5.40万元。", "5.4", ["fine"]),
    ("山西省", "芮城县源清污水处理有限公司", "罚款13.4336万元。", "13.4336", ["fine"]),
    ("河北省", "张家口市塞北管理区圣洁污水处理有限公司", "罚款4.54万元。", "4.54", ["fine"]),
    ("内蒙古自治区", "东乌旗广厦热电有限责任公司", "罚款10万元；责令限期治理。", "10", ["fine"]),
    ("辽宁省", "鞍钢集团矿业公司齐大山铁矿", "按日连续处罚360万元。", "360", ["daily_fine"]),
    (
        "吉林省",
        "德惠市东风污水处理有限公司",
        "罚款16.27万元；按日连续处罚179.06万元。",
        "195.33",
        ["fine", "daily_fine"],
    ),
    (
        "黑龙江省",
        "黑龙江龙煤鹤岗矿业有限责任公司热电厂",
        "罚款10万元；按日连续处罚270万元；限制生产。",
        "280",
        ["fine", "daily_fine"],
    ),
    ("黑龙江省", "中煤龙化哈尔滨煤化工有限公司", "处罚174万元。", "174", ["fine"]),
    (
        "内蒙古自治区",
        "东乌旗乌里雅斯太镇污水处理厂",
        "罚款1万元，按日连续处罚45.09万元。",
        "46.09",
        ["fine", "daily_fine"],
    ),
    (
        "内蒙古自治区",
        "包头市加通污水处理有限责任公司",
        "罚款24.7022万元，按日连续处罚707.7324万元。",
        "732.4346",
        ["fine", "daily_fine"],
    ),
    ("内蒙古自治区", "牙克石市益民污水处理厂", "罚款5.00016万元。", "5.00016", ["fine"]),
    ("湖北省", "湖北三峡新型建材股份有限公司", "罚款440万元", "440", ["fine"]),
    ("河北省", "河北民悦热力供应有限公司", "罚款12万元，警告。", "12", ["fine"]),
    ("北京市", "北京市丰台区污水处理设施管理所", "警告。", None, []),
    ("浙江省", "湖州南浔和孚污水处理厂", "限制生产。", None, []),
]


@pytest.mark.parametrize(("region", "name", "text", "total", "kinds"), HAND_PICKED)
def test_hand_picked_real_rows(shared_data, region, name, text, total, kinds):
    rows = [r for r in _penalties(shared_data) if (r["区域"], r["企业名称"], r["处罚结果"]) == (region, name, text)]
    assert rows, "the row is in the file"
    assert fine_total_in_text(rows[0]["处罚结果"]) == (None if total is None else D(total))
    assert [m.kind for m in amounts_in_text(rows[0]["处罚结果"])] == kinds


def test_random_input_never_raises_anything_but_validation_failed():
    from fazhi.core.tests.test_identifiers_more import fuzz_values

    for value in fuzz_values(2019):
        for unit in ("万元", "元"):
            try:
                amount = parse_amount(value, unit=unit)
            except ValidationFailed as exc:
                assert exc.errors[0].code and exc.errors[0].message
            else:
                assert D(0) <= amount <= D(100_000_000)
        found = amounts_in_text(value)
        assert all(m.amount_wan >= 0 and m.kind in ("fine", "confiscation", "daily_fine", "other") for m in found)
        fine_total_in_text(value)

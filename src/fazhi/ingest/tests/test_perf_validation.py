"""The fast ``clean_row`` (a per-field plan, remembered outcomes of pure checks, a cheap blank test) gives exactly
what the straightforward version gives: the same values, the same warnings and the same errors in the same order,
on first sight of a value and when the value is seen again."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from fazhi.core import docnumbers, identifiers, money
from fazhi.core.errors import ErrorList, FieldError, ValidationFailed
from fazhi.publicity import validation as v
from fazhi.publicity.choices import IdType, LicenceCategory
from fazhi.publicity.fields import catalogue
from fazhi.publicity.tests.conftest import penalty_row

TODAY = dt.date(2026, 11, 28)


def reference_clean_row(kind: str, raw: dict[str, Any], *, today: dt.date, money_unit: str = "万元") -> v.CleanRow:
    """``clean_row`` as it was before the speed work (kept here as the specification)."""
    errors = ErrorList()
    warnings: list[FieldError] = []
    values: dict[str, Any] = {}
    for spec in catalogue(kind):
        value = raw.get(spec.key)
        if v._blank(value):
            if spec.required:
                errors.add(spec.key, "required", f"缺少必填项：{spec.label}")
            continue
        if spec.kind == "text":
            values[spec.key] = v._text(spec, value, errors)
        elif spec.kind == "doc_number":
            text = v._text(spec, value, errors)
            number = docnumbers.normalise_doc_number(text)
            values["doc_number"] = number.verbatim
            values["doc_number_key"] = docnumbers.doc_number_key(text)
        elif spec.kind == "date":
            values[spec.key] = v._date(spec, value, errors)
        elif spec.kind == "money":
            values[spec.key] = v._money(spec, value, errors, warnings, money_unit)
        elif spec.kind == "party_category":
            values[spec.key] = v._lookup(spec, value, v._PARTY_CATEGORY, errors, "法人及非法人组织、自然人、个体工商户")
        elif spec.kind == "id_type":
            text = identifiers.fold(str(value))
            values[spec.key] = (
                IdType.OTHER
                if text.startswith("其他")
                else v._lookup(spec, value, v._ID_TYPE, errors, "、".join(str(label) for label in IdType.labels))
            )
        elif spec.kind == "licence_category":
            text = identifiers.fold(str(value))
            if text.startswith("其他") and len(text) > 2:
                values["category"], values["category_other"] = (
                    LicenceCategory.OTHER,
                    text.removeprefix("其他").strip("-—：:"),
                )
            else:
                values[spec.key] = v._lookup(
                    spec, value, v._LICENCE_CATEGORY, errors, "普通、特许、认可、核准、登记、其他"
                )
        elif spec.kind == "severity":
            values[spec.key] = v._lookup(spec, value, v._SEVERITY, errors, "轻微、一般、严重")
        elif spec.kind == "special_field":
            values[spec.key] = v._lookup(spec, value, v._SPECIAL, errors, "特种设备、安全生产、消防")
        elif spec.kind == "bool":
            values[spec.key] = identifiers.fold(str(value)) not in {"否", "0", "false", "False", "N", "n"}
        elif spec.kind == "kinds":
            values[spec.key] = v._kinds(spec, value, errors)
        elif spec.kind in {"uscc", "agency_uscc"}:
            values[spec.key] = v._party_code(spec, value, values, errors, warnings)
        elif spec.kind == "id_number":
            values[spec.key] = identifiers.fold(str(value)).upper()
    if "kinds_2" in values:
        values["kinds"] = [
            *values.get("kinds", []),
            *[k for k in values.pop("kinds_2") if k not in values.get("kinds", [])],
        ]
    v._check_party(kind, values, errors, warnings)
    v._check_dates(kind, values, errors, today)
    if kind == "penalty":
        v._check_penalty(values, errors, warnings)
    values.pop("legacy_status", None)
    values.pop("division_code", None)
    errors.raise_if_any()
    return v.CleanRow(kind, values, warnings)


PENALTY = penalty_row(
    decided_on="2026-10-01", decision_agency_uscc="11140100MB1958448Y", source_agency_uscc="11140100MB1958448Y"
)
LICENCE = {
    "party_name": "太原市晋阳化工有限公司",
    "party_category": "法人及非法人组织",
    "party_uscc": "91110000600037341L",
    "legal_rep": "张三",
    "doc_title": "排污许可决定书",
    "doc_number": "并环许〔2026〕3号",
    "category": "普通",
    "certificate_name": "排污许可证",
    "licence_number": "91110000600037341L001P",
    "content": "准予排污许可",
    "decided_on": "2026-10-01",
    "valid_from": "2026-10-01",
    "valid_until": "2099-12-31",
    "decision_agency_name": "太原市生态环境局",
    "decision_agency_uscc": "11140100MB1958448Y",
    "source_agency_name": "太原市生态环境局",
    "source_agency_uscc": "11140100MB1958448Y",
}
BLANKS = [None, "", "  ", "\u200b", "\u3000", "\ufeff\u00a0", "\t\n"]
VARIANTS: dict[str, list[Any]] = {
    "party_name": [*BLANKS, "x" * 201, "\u200b太原市某公司\ufeff", "（个体）张三", "ＡＢＣ公司", "¨", "\u00a8"],
    "party_category": [*BLANKS, "自然人", "个体工商户", "3", "法 人", "法人及非法人组织 ", "企业", 2, "ｌｅｇａｌ"],
    "party_uscc": [
        *BLANKS,
        "91110000600037341M",
        "９１１１００００６０００３７３４１Ｌ",
        "91110000 600037341l",
        "66312847-8",
        "663128478",
        "110105010247558",
        "1101050102475",
        "110101199003071234",
        "9111000060003734",
        "ABC",
        "92330206MA2EL62660",
        "9.11E+17",
    ],
    "party_id_type": [*BLANKS, "身份证", "护照", "其他证件", "驾驶证", "居民身份证 "],
    "party_id_number": [*BLANKS, "110101199003071234", "11010119900307123x", "110101900307123", "12345"],
    "legal_rep_id_type": ["身份证", "护照"],
    "legal_rep_id_number": ["110101199003071234", "bad"],
    "doc_number": [
        *BLANKS,
        "并环罚[2020]第0015号",
        "发文字号：晋政发〔2014〕号16",
        "XK-2020-01",
        "山西省人民政府令第304号",
    ],
    "kinds": [*BLANKS, "警告", "罚款、没收违法所得", "罚没", "1", "吊销营业执照", "罚款,警告,罚款", "暂扣许可证"],
    "kinds_2": ["警告", "罚款", "无"],
    "content": [*BLANKS, "罚款5万元", "罚款20000元", "警告", "罚款1万元，没收违法所得3200元", "处罚贰万元整"],
    "fine_wan": [*BLANKS, "2000元", "0.2万元", "-1", "abc", "1,000", "０.５", "2万", 16, 16.5, "1e3"],
    "confiscation_wan": ["0.32", "x"],
    "licence_affected": ["营业执照 123"],
    "decided_on": [
        *BLANKS,
        *["2020/9/28", "2020年9月28日", "20200928", "44102", "2099-01-01", "2020-02-30", "28/09/2020"],
    ],
    "valid_until": ["2019-01-01", "2099-12-31", "x"],
    "publicity_until_given": ["2019-01-01", "2027-01-01"],
    "decision_agency_uscc": [*BLANKS, "91110000600037341L", "11140100MB1958442X", "bad"],
    "source_agency_uscc": [*BLANKS, "12140100MB1958442X", "11140100MB1958448Y "],
    "severity": ["严重", "严重失信", "很严重", ""],
    "special_field": ["安全生产", "食品"],
    "early_repair": ["否", "是", "0", "N"],
    "legacy_status": ["正常"],
    "division_code": ["140105"],
    "remarks": ["备注", "\u200b"],
}
LICENCE_VARIANTS: dict[str, list[Any]] = {
    "category": [*BLANKS, "特许", "其他-备案", "其他", "5", "其它"],
    "valid_from": ["2026-11-01", "x", ""],
    "valid_until": ["2026-01-01", "长期", "", "9999-12-31"],
    "doc_title": [*BLANKS, "t" * 301],
}


def _outcome(func: Any, kind: str, row: dict[str, Any]) -> tuple[str, Any, Any]:
    try:
        clean = func(kind, dict(row), today=TODAY)
    except ValidationFailed as exc:
        return ("errors", exc.errors, None)
    return ("ok", clean.values, clean.warnings)


def _rows() -> list[tuple[str, dict[str, Any]]]:
    rows: list[tuple[str, dict[str, Any]]] = [("penalty", PENALTY), ("licence", LICENCE)]
    for key, options in VARIANTS.items():
        for option in options:
            rows.append(("penalty", {**PENALTY, key: option}))
            if key in LICENCE or key in {"party_id_type", "party_id_number", "remarks"}:
                rows.append(("licence", {**LICENCE, key: option}))
    for key, options in LICENCE_VARIANTS.items():
        for option in options:
            rows.append(("licence", {**LICENCE, key: option}))
    rng = random.Random(7)
    for _ in range(400):
        row = dict(PENALTY)
        for key in rng.sample(sorted(VARIANTS), 4):
            row[key] = rng.choice(VARIANTS[key])
        rows.append(("penalty", row))
        lrow = dict(LICENCE)
        for key in rng.sample(sorted(LICENCE_VARIANTS), 2):
            lrow[key] = rng.choice(LICENCE_VARIANTS[key])
        rows.append(("licence", lrow))
    return rows


@pytest.mark.parametrize("unit", ["万元", "元"])
def test_fast_clean_row_matches_the_reference_first_time_and_from_memory(unit):
    v._MEMO.data.clear()
    v._FINES.data.clear()
    rows = _rows()
    for _round in range(2):  # the second round replays remembered outcomes
        for kind, row in rows:
            expected = _reference(kind, row, unit)
            got = _fast(kind, row, unit)
            assert got == expected, (kind, row)


def _reference(kind: str, row: dict[str, Any], unit: str) -> Any:
    try:
        clean = reference_clean_row(kind, dict(row), today=TODAY, money_unit=unit)
    except ValidationFailed as exc:
        return ("errors", exc.errors)
    return ("ok", clean.values, [type(x) for x in clean.values.values()], clean.warnings, clean.content_hash)


def _fast(kind: str, row: dict[str, Any], unit: str) -> Any:
    try:
        clean = v.clean_row(kind, dict(row), today=TODAY, money_unit=unit)
    except ValidationFailed as exc:
        return ("errors", exc.errors)
    return ("ok", clean.values, [type(x) for x in clean.values.values()], clean.warnings, clean.content_hash)


def test_remembered_lists_are_not_shared_between_rows():
    first = v.clean_row("penalty", dict(PENALTY, kinds="罚款、警告"), today=TODAY)
    second = v.clean_row("penalty", dict(PENALTY, kinds="罚款、警告", doc_number="并环罚〔2020〕16号"), today=TODAY)
    assert first.values["kinds"] == second.values["kinds"]
    assert first.values["kinds"] is not second.values["kinds"]


def test_memory_of_checks_is_bounded():
    memo = v._Memo(3)
    for n in range(10):
        memo.put(n, n)
        assert len(memo.data) <= 3
    assert memo.get(9) == 9


def test_fine_in_text_is_the_money_module_answer():
    texts = [
        "罚款5万元",
        "警告",
        "罚款1万元，没收违法所得3200元",
        "处罚贰万元整",
        "罚款16万元；按日连续处罚118.68万元。",
    ]
    for text in texts:
        assert v._fine_in_text(text) == money.fine_total_in_text(text)
        assert v._fine_in_text(text) == money.fine_total_in_text(text)  # remembered


def test_keys_are_computed_once_and_equal_the_definition():
    clean = v.clean_row("penalty", dict(PENALTY), today=TODAY)
    import hashlib
    import json

    text = json.dumps(clean.values, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))
    assert clean.content_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    values = clean.values
    raw = "|".join(["penalty", values["decision_agency_uscc"], values["doc_number_key"], values["party_uscc"]])
    assert clean.natural_key == hashlib.sha256(raw.encode("utf-8")).hexdigest()
    assert clean.natural_key is clean.natural_key

"""居民身份证号码, 组织机构代码, 工商注册号, code classification and the real-data facts about 统一社会信用代码."""

import contextlib
import csv
from datetime import date

import pytest
from stdnum.cn import ric, uscc

from fazhi.core.errors import ValidationFailed
from fazhi.core.identifiers import (
    check_org_code,
    check_registration_number,
    check_resident_id,
    check_uscc,
    classify_party_code,
    make_uscc,
    mask_id_number,
    registration_number_check_digit,
    resident_id_check_char,
    uscc_check_char,
)

TODAY = date(2025, 6, 1)


def _error(func, raw, **kwargs):
    with pytest.raises(ValidationFailed) as info:
        func(raw, **kwargs)
    assert len(info.value.errors) == 1
    return info.value.errors[0]


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- 居民身份证号码 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["11010519491231002X", "360426199101010071"])
def test_real_id_numbers_pass(number):
    assert check_resident_id(number, today=TODAY).value == number


def test_id_check_character_agrees_with_python_stdnum():
    for body in ("11010519491231002", "36042619910101007", "14010519800229123", "65010220000101000"):
        assert resident_id_check_char(body) == ric.calc_check_digit(body + "?")  # stdnum wants a placeholder


def test_lowercase_x_is_normalised_with_a_warning_that_does_not_repeat_the_number():
    checked = check_resident_id("11010519491231002x", today=TODAY)
    assert checked.value == "11010519491231002X"
    assert [w.code for w in checked.warnings] == ["id_number_normalised"]
    assert "1949" not in checked.warnings[0].message


def test_address_code_of_an_abolished_county_is_not_held_against_the_person():
    # 140421 长治县 became 140404 上党区 in 2018; people keep the number they were issued.
    body = "14042119850612003"
    number = body + resident_id_check_char(body)
    assert check_resident_id(number, today=TODAY).value == number


def test_fifteen_digit_old_number_is_converted_to_eighteen_digits():
    checked = check_resident_id("110105491231002", today=TODAY)
    assert checked.value == "11010519491231002X"
    assert [w.code for w in checked.warnings] == ["id_number_15_digit_converted"]
    assert "15 位旧身份证号码" in checked.warnings[0].message


def test_fifteen_digit_number_with_an_impossible_birth_date_is_rejected():
    assert _error(check_resident_id, "110105490231002", today=TODAY).code == "id_number_birth_date"


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ("", "required", "请填写"),
        ("110105194912310021", "id_number_checksum", "末位应为 X"),
        ("110105194902300021", "id_number_birth_date", "出生日期"),
        ("110105202601010021", "id_number_birth_date_range", "晚于今天"),
        ("110105187912310021", "id_number_birth_date_range", "早于 1880"),
        ("1101051949123100", "id_number_length", "实际为 16 位"),
        ("11010519491231002Y", "id_number_charset", "末位为数字或 X"),
        ("1.10105E+17", "id_number_scientific_notation", "文本"),
    ],
)
def test_bad_id_numbers_get_coded_messages(raw, code, words):
    error = _error(check_resident_id, raw, today=TODAY)
    assert error.code == code
    assert words in error.message
    assert error.field == "id_number"


def test_id_messages_never_contain_the_number():
    for raw in ("110105194912310021", "110105194902300021", "1.10105E+17", "110105202601010021"):
        assert "11010519" not in _error(check_resident_id, raw, today=TODAY).message


def test_field_name_is_carried_into_errors_and_warnings():
    assert _error(check_resident_id, "123", field_name="party_id_number").field == "party_id_number"
    checked = check_resident_id("11010519491231002x", field_name="legal_rep_id_number", today=TODAY)
    assert checked.warnings[0].field == "legal_rep_id_number"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        (" 1101 0519 4912 3100 2X ", "110105********002X"),  # spaces cannot shift what is shown
        ("110105491231002", "11***********02"),
        ("E12345678", "E1*****78"),
        ("12345", "1***5"),
        ("1234", "1**4"),
        ("123", "***"),
        ("", ""),
        (None, ""),
    ],
)
def test_masking(raw, masked):
    assert mask_id_number(raw) == masked


def test_masking_always_hides_the_birth_date():
    masked = mask_id_number("11010519491231002X")
    assert "19491231" not in masked
    assert masked[6:14] == "********"


# --- 组织机构代码 ---------------------------------------------------------------------------------------------


def test_hyphenated_written_form_is_accepted_and_reported():
    checked = check_org_code("66312847-8")
    assert checked.value == "663128478"
    assert [w.code for w in checked.warnings] == ["org_code_normalised"]
    assert "连字符" in checked.warnings[0].message


def test_real_organisation_code_columns_from_official_lists(shared_data):
    outcome: dict[str, int] = {}
    for name in ("gansu_credit_blacklist_91855_ecommerce.csv", "gansu_credit_blacklist_93516_transport.csv"):
        for row in _rows(shared_data / "samples" / name):
            if not row["组织机构代码"]:
                continue
            try:
                check_org_code(row["组织机构代码"])
                code = "ok"
            except ValidationFailed as exc:
                code = exc.errors[0].code
            outcome[code] = outcome.get(code, 0) + 1
    # Every 9-character value passes GB 11714; the lists also file credit codes (84), one registration number
    # and one 8-digit value in this column, and each gets a message that says so.
    assert outcome == {"ok": 595, "org_code_is_uscc": 84, "org_code_is_registration_number": 1, "org_code_length": 1}


def test_organisation_code_matches_the_one_inside_the_credit_code(shared_data):
    rows = _rows(shared_data / "samples" / "gansu_credit_blacklist_91855_ecommerce.csv")
    pairs = [(r["组织机构代码"], r["统一信用代码"]) for r in rows if r["统一信用代码"] and len(r["组织机构代码"]) == 9]
    assert len(pairs) > 250
    mismatched = [p for p in pairs if check_org_code(p[0]).value != check_uscc(p[1]).value[8:17]]
    # One real company got a credit code with a new "MA…" body instead of its old organisation code: the two
    # codes must not be required to agree.
    assert mismatched == [("682145919", "91450000MA5KU9W572")]


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ("663128479", "org_code_checksum", "第 9 位应为 8"),
        ("6631284", "org_code_length", "应为 9 位"),
        ("66312847?", "org_code_charset", "?"),
        ("00000000-0", "org_code_placeholder", "占位"),
        ("91330103311389009H", "org_code_is_uscc", "311389009"),
        ("330782000160043", "org_code_is_registration_number", "工商注册号"),
        ("", "required", "请填写组织机构代码"),
    ],
)
def test_bad_organisation_codes(raw, code, words):
    error = _error(check_org_code, raw)
    assert error.code == code
    assert words in error.message


# --- 工商注册号 -----------------------------------------------------------------------------------------------


def test_check_digit_is_iso_7064_mod_11_10():
    from stdnum.iso7064 import mod_11_10

    for body in ("11010501024755", "33010300021727", "52011500018399", "14010020064177"):
        assert registration_number_check_digit(body) == mod_11_10.calc_check_digit(body)


@pytest.mark.parametrize("number", ["110105010247558", "330103000217276"])
def test_real_registration_numbers_pass_without_warnings(number):
    checked = check_registration_number(number)
    assert (checked.value, checked.warnings) == (number, [])


def test_real_registration_numbers_from_official_lists(shared_data):
    numbers = []
    for name in ("gansu_credit_blacklist_91855_ecommerce.csv", "gansu_credit_blacklist_93516_transport.csv"):
        numbers += [r["工商注册号"] for r in _rows(shared_data / "samples" / name) if r["工商注册号"]]
    outcome = {"clean": 0, "registration_number_checksum": 0, "registration_number_legacy": 0, "rejected": 0}
    for number in numbers:
        try:
            checked = check_registration_number(number)
        except ValidationFailed:
            outcome["rejected"] += 1
            continue
        outcome[checked.warnings[0].code if checked.warnings else "clean"] += 1
    # 545 of 547 15-digit numbers pass GS15-2006; the 2 that do not are real and kept, with a warning.
    assert outcome == {
        "clean": 545,
        "registration_number_checksum": 2,
        "registration_number_legacy": 18,
        "rejected": 4,  # a USCC in the wrong column, two 14-digit and one 12-digit value
    }


def test_registration_number_with_a_wrong_check_digit_is_kept_with_a_warning():
    checked = check_registration_number("152100000001602")
    assert checked.value == "152100000001602"
    assert [w.code for w in checked.warnings] == ["registration_number_checksum"]
    assert "应为 6" in checked.warnings[0].message


def test_registration_number_from_a_spreadsheet_number_cell():
    assert check_registration_number(110105010247558).value == "110105010247558"
    assert check_registration_number(110105010247558.0).value == "110105010247558"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("54201022104325", "registration_number_length"),
        ("9132058172054433XE", "registration_number_is_uscc"),
        ("11010501024755A", "registration_number_charset"),
        ("1.10105E+14", "registration_number_scientific_notation"),
        ("", "required"),
    ],
)
def test_bad_registration_numbers(raw, code):
    assert _error(check_registration_number, raw).code == code


# --- what is in a 统一社会信用代码 column -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("91330103311389009H", "uscc"),
        ("91330103311389009h", "uscc"),
        ("913713005 578801721", "uscc"),  # OCR: space inside, wrong check character, still a credit code
        ("663128478", "org_code"),
        ("66312847-8", "org_code"),
        ("110105010247558", "registration_number"),
        ("1101082953931", "registration_number"),
        ("11010519491231002X", "resident_id"),
        ("110105194912310021", "resident_id"),  # wrong check character, but an ID number by shape
        ("", "unknown"),
        ("一 063752", "unknown"),
        (None, "unknown"),
        (110105010247558, "registration_number"),
    ],
)
def test_classify_party_code(raw, kind):
    assert classify_party_code(raw) == kind


def test_check_uscc_explains_an_organisation_code_in_the_credit_code_column():
    error = _error(check_uscc, "663128478")
    assert error.code == "uscc_is_org_code"
    assert "是 9 位组织机构代码" in error.message and "不是 18 位统一社会信用代码" in error.message
    # the written form with the hyphen, as found in an OCR'd official list
    assert _error(check_uscc, "69919233- 2").code == "uscc_is_org_code"


def test_check_uscc_explains_a_registration_number_and_an_id_number():
    assert _error(check_uscc, "110105010247558").code == "uscc_is_registration_number"
    error = _error(check_uscc, "11010519491231002X")
    assert error.code == "uscc_is_resident_id"
    assert "11010519491231002X" not in error.message


# --- 统一社会信用代码: facts from real data -------------------------------------------------------------------


def test_uscc_check_character_agrees_with_python_stdnum(shared_data):
    rows = _rows(shared_data / "samples" / "uscc_stdnum_found_online.csv")
    for code in (r["code"] for r in rows):
        assert uscc_check_char(code[:17]) == uscc.calc_check_digit(code[:17]) == code[17]


def test_every_real_code_in_the_three_clean_lists_passes_without_warnings(shared_data):
    codes = [r["code"] for r in _rows(shared_data / "samples" / "uscc_stdnum_found_online.csv")]
    codes += [r["uni_social_crd_cd"] for r in _rows(shared_data / "samples" / "uscc_ningbo_beilun_market_entities.csv")]
    codes += (shared_data / "samples" / "uscc_ningbo_zhenhai_codes_list.txt").read_text(encoding="utf-8").split()
    assert len(codes) > 2000
    assert [c for c in codes if check_uscc(c).warnings] == []


def test_seventeen_character_code_from_an_official_list_says_one_is_missing(shared_data):
    rows = _rows(shared_data / "samples" / "gansu_credit_blacklist_93516_transport.csv")
    (row,) = [r for r in rows if r["统一信用代码"] == "91450100898218204"]
    error = _error(check_uscc, row["统一信用代码"])
    assert error.code == "uscc_length"
    assert "实际为 17 位，少了 1 位" in error.message
    # The list's own organisation-code column shows which character was lost (the "5" at position 9).
    assert check_org_code(row["组织机构代码"]).value == "589821820"
    assert check_uscc("914501005898218204").value == "914501005898218204"


def test_codes_with_embedded_spaces_from_the_ocr_list_are_normalised_with_a_warning(shared_data):
    rows = _rows(shared_data / "samples" / "gansu_credit_blacklist_200257_worksafety_ocr.csv")
    column = next(k for k in rows[0] if k.replace(" ", "") == "统一社会信用代码")
    accepted = {}
    for row in rows:
        with contextlib.suppress(ValidationFailed):
            accepted[row[column]] = check_uscc(row[column])
    assert "911400007 259398751" in accepted  # 山西省朔州市朔城区
    checked = accepted["911400007 259398751"]
    assert checked.value == "911400007259398751"
    assert [w.code for w in checked.warnings] == ["uscc_normalised"]
    assert "去掉空格" in checked.warnings[0].message
    assert all(" " in raw for raw in accepted)  # every accepted value needed the space removed


def test_every_ocr_value_gets_a_coded_chinese_message_never_an_exception(shared_data):
    seen = 0
    codes = set()
    for path in sorted((shared_data / "samples").glob("gansu_credit_blacklist_*.csv")):
        rows = _rows(path)
        column = next(k for k in rows[0] if k.replace(" ", "") in ("统一社会信用代码", "统一信用代码"))
        for row in rows:
            raw = row[column]
            seen += 1
            try:
                check_uscc(raw)
                codes.add("ok")
            except ValidationFailed as exc:
                (error,) = exc.errors
                codes.add(error.code)
                assert error.code in {
                    "required",
                    "uscc_length",
                    "uscc_charset",
                    "uscc_checksum",
                    "uscc_org_code",
                    "uscc_is_org_code",
                    "uscc_is_registration_number",
                }
                assert "统一社会信用代码" in error.message or "请填写" in error.message
            assert classify_party_code(raw) in {"uscc", "org_code", "registration_number", "resident_id", "unknown"}
    assert seen > 1000
    assert {"ok", "uscc_length", "uscc_charset", "uscc_checksum", "uscc_is_registration_number"} <= codes


def test_rows_the_list_marks_valid_pass(shared_data):
    for path in sorted((shared_data / "samples").glob("gansu_credit_blacklist_*.csv")):
        rows = _rows(path)
        column = next(k for k in rows[0] if k.replace(" ", "") in ("统一社会信用代码", "统一信用代码"))
        for row in rows:
            if row["_computed_gb32100_valid"] == "True":
                assert check_uscc(row[column]).value == row[column].strip().upper()


def test_ocr_garbage_names_the_characters_that_do_not_belong():
    error = _error(check_uscc, "91350305727925178《")
    assert error.code == "uscc_charset"
    assert "《" in error.message
    error = _error(check_uscc, "913509817053054451^")
    assert error.code == "uscc_length"
    assert "实际为 19 位，多了 1 位" in error.message
    assert "^" in error.message
    error = _error(check_uscc, "91350900791791805V")
    assert error.code == "uscc_charset"
    assert "V" in error.message


def test_letter_o_is_suspected_to_be_a_zero():
    error = _error(check_uscc, "91110000600O37341L")
    assert error.code == "uscc_charset"
    assert "O 可能是数字 0" in error.message


def test_lowercase_check_character_is_normalised_with_a_warning():
    checked = check_uscc("91330103311389009h")
    assert checked.value == "91330103311389009H"
    assert [w.code for w in checked.warnings] == ["uscc_normalised"]
    assert "小写字母改为大写" in checked.warnings[0].message


@pytest.mark.parametrize("placeholder", ["000000000000000000", "00000000000000000X"])
def test_placeholder_codes_are_rejected(placeholder):
    # 00000000000000000X is what a live city credit system's demo record carries (standards/shuangyashan_*.json).
    assert _error(check_uscc, placeholder).code == "uscc_placeholder"


def test_spreadsheet_scientific_notation_is_explained():
    error = _error(check_uscc, "9.13713E+17")
    assert error.code == "uscc_scientific_notation"
    assert "文本" in error.message


def test_values_that_are_not_text_are_rejected_with_a_coded_error():
    for func in (check_uscc, check_org_code, check_registration_number, check_resident_id):
        error = _error(func, 1.5)
        assert error.code.endswith("_type")
        assert "文本" in error.message


def test_make_uscc_still_builds_codes_python_stdnum_accepts():
    code = make_uscc("12", "140105", "MB152917")
    assert uscc.is_valid(code)
    assert check_uscc(code).value == code


# --- robustness: nothing but ValidationFailed, whatever arrives --------------------------------------------------

FUZZ_ALPHABET = "0123456789XxAaLlOo-—.,E+ \t\u3000\u200b\ufeff０１９Ｘ٣²①〇一十号第元万〔〕[]()（）《^？?\ud800😀"


def fuzz_values(seed: int, count: int = 3000) -> list[object]:
    import random

    rng = random.Random(seed)
    values: list[object] = [None, "", 0, -1, 10**30, 1.5, float("nan"), float("inf"), True, b"91", [], {}, object()]
    for _ in range(count):
        length = rng.choice([1, 8, 9, 10, 13, 15, 17, 18, 19, rng.randint(0, 40)])
        values.append("".join(rng.choice(FUZZ_ALPHABET) for _ in range(length)))
    return values


def test_random_input_never_raises_anything_but_validation_failed():
    for value in fuzz_values(11643):
        for func in (check_uscc, check_org_code, check_registration_number, check_resident_id):
            try:
                checked = func(value)
            except ValidationFailed as exc:
                assert exc.errors and all(e.code and e.message for e in exc.errors)
            else:
                assert isinstance(checked.value, str)
        assert classify_party_code(value) in {"uscc", "org_code", "registration_number", "resident_id", "unknown"}
        assert isinstance(mask_id_number(value), str)

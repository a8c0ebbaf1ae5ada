import csv

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.core.identifiers import check_uscc, make_uscc, org_code_check_char


def _codes(shared_data):
    with open(shared_data / "samples" / "uscc_stdnum_found_online.csv", encoding="utf-8") as f:
        yield from (row["code"] for row in csv.DictReader(f))
    with open(shared_data / "samples" / "uscc_ningbo_beilun_market_entities.csv", encoding="utf-8") as f:
        yield from (row["uni_social_crd_cd"] for row in csv.DictReader(f))


def test_every_real_code_is_accepted(shared_data):
    codes = list(_codes(shared_data))
    assert len(codes) > 1000
    rejected = []
    for code in codes:
        try:
            check_uscc(code)
        except ValidationFailed as exc:
            rejected.append((code, exc.message))
    assert rejected == []


def test_wrong_check_character_is_rejected_with_the_expected_one():
    good = "91110000600037341L"
    with pytest.raises(ValidationFailed) as info:
        check_uscc(good[:-1] + "M")
    assert info.value.errors[0].code == "uscc_checksum"
    assert "末位应为 L" in info.value.message


def test_embedded_organisation_code_is_checked():
    # A code whose final character is right for GB 32100 but whose embedded GB 11714 check digit is wrong.
    body = "60003734"
    wrong_org_digit = "0" if org_code_check_char(body) != "0" else "2"
    from stdnum.cn import uscc

    partial = f"91110000{body}{wrong_org_digit}"
    code = partial + uscc.calc_check_digit(partial)
    with pytest.raises(ValidationFailed) as info:
        check_uscc(code)
    assert info.value.errors[0].code == "uscc_org_code"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("9111000060003734", "uscc_length"),  # 16 characters
        ("91110000600037341", "uscc_length"),  # 17 characters, as found in an official list
        ("91110000600O37341L", "uscc_charset"),  # letter O is not in the alphabet
        ("", "required"),
    ],
)
def test_malformed_codes_get_a_coded_chinese_message(raw, code):
    with pytest.raises(ValidationFailed) as info:
        check_uscc(raw)
    assert info.value.errors[0].code == code
    assert "统一社会信用代码" in info.value.message or "请填写" in info.value.message


def test_safe_normalisation_is_applied_and_reported():
    messy = " ９１１１０ ０００６０００３７３４１l\u200b"  # full-width digits, spaces, lowercase, zero-width space
    checked = check_uscc(messy)
    assert checked.value == "91110000600037341L"
    assert [w.code for w in checked.warnings] == ["uscc_normalised"]


def test_make_uscc_builds_valid_codes():
    code = make_uscc("11", "140105", "12345678")
    assert check_uscc(code).value == code

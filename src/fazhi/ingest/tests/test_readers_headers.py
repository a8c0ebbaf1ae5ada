"""Header matching: the many spellings of one 双公示 column all find their field, and nothing is guessed wrongly."""

from __future__ import annotations

import pytest

from fazhi.ingest.readers import catalogue_conflicts, match_headers, normalise_header

CATALOGUE = {
    "party_name": ["行政相对人名称", "CF_XDR_MC", "企业名称", "单位名称"],
    "party_uscc": ["行政相对人代码_1(统一社会信用代码)", "CF_XDR_SHXYM", "统一社会信用代码", "统一信用代码"],
    "party_org_code": ["行政相对人代码_3(组织机构代码)", "CF_XDR_ZZJG", "组织机构代码"],
    "decision_no": ["行政处罚决定书文号", "CF_WSH"],
    "fine": ["罚款金额(万元)", "CF_NR_FK"],
    "category_1": ["处罚类别1", "CF_CFLB1"],
    "category_2": ["处罚类别2", "CF_CFLB2"],
    "valid_from": ["有效期自", "XK_YXQZ"],
    "valid_to": ["有效期至", "XK_YXQZI"],
    "decided_on": ["处罚决定日期", "CF_JDRQ"],
}
REQUIRED = ["party_name", "decision_no", "decided_on"]


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("统一社 会信用 代码", "统一社会信用代码"),  # OCR spaces, as in the Gansu work-safety list
        ("统一社会\n信用代码", "统一社会信用代码"),  # a line break inside the header cell
        ("统一社会\u3000信用\u200b代码\ufeff", "统一社会信用代码"),  # ideographic space, zero-width space, BOM
        ("cf_xdr_mc", "cf_xdr_mc"),
        ("CF_XDR_MC", "cf_xdr_mc"),
        ("ＣＦ＿ＸＤＲ＿ＭＣ", "cf_xdr_mc"),  # full-width letters
        (" Cf_Xdr_Mc ", "cf_xdr_mc"),
        ("行政相对人名称（必填）", "行政相对人名称"),
        ("行政相对人名称【必填】", "行政相对人名称"),
        ("*行政相对人名称", "行政相对人名称"),
        ("行政相对人名称＊", "行政相对人名称"),
        ("备注（选填）", "备注"),
        ("罚款金额[万元]", "罚款金额(万元)"),
        ("罚款金额【万元】", "罚款金额(万元)"),
        ("罚款金额（万元）", "罚款金额(万元)"),
        ("行政相对人代码_1 (统一社会信用代码)", "行政相对人代码_1(统一社会信用代码)"),  # the Xuzhou dump's space
        ("处罚决定书文号〔必填〕", "处罚决定书文号"),
    ],
)
def test_normalise_header_folds_real_spellings_to_one_key(header: str, canonical: str) -> None:
    assert normalise_header(header) == canonical


def test_exact_matches_codes_labels_and_aliases_in_any_case_and_spacing() -> None:
    headers = ["CF_WSH", "企业名称", "统一社 会信用 代码", "cf_jdrq", "罚款金额（万元）", "区域"]
    match = match_headers(headers, CATALOGUE)
    assert match.mapping == {
        "CF_WSH": "decision_no",
        "企业名称": "party_name",
        "统一社 会信用 代码": "party_uscc",
        "cf_jdrq": "decided_on",
        "罚款金额（万元）": "fine",
    }
    assert match.unknown == ["区域"]
    assert match.fuzzy == {}
    assert match.warnings == []
    assert match.missing(REQUIRED) == []
    assert match.missing([*REQUIRED, "party_org_code"]) == ["party_org_code"]


def test_a_fields_own_key_is_accepted_as_a_header() -> None:
    assert match_headers(["party_name", "DECISION_NO"], CATALOGUE).mapping == {
        "party_name": "party_name",
        "DECISION_NO": "decision_no",
    }


def test_two_headers_for_one_field_keep_the_first_and_warn_in_chinese() -> None:
    match = match_headers(["统一社会信用代码", "企业名称", "CF_XDR_SHXYM"], CATALOGUE)
    assert match.mapping == {"统一社会信用代码": "party_uscc", "企业名称": "party_name"}
    assert match.duplicates == {"party_uscc": ["统一社会信用代码", "CF_XDR_SHXYM"]}
    assert match.unknown == []
    assert len(match.warnings) == 1
    assert "「统一社会信用代码」和「CF_XDR_SHXYM」都对应字段" in match.warnings[0]
    assert "已使用「统一社会信用代码」列" in match.warnings[0]


def test_ocr_damaged_chinese_headers_match_with_a_warning_naming_both() -> None:
    # Real OCR headers from the Gansu insurance lists: 企让名称 (企业名称), 组织结构代码 (组织机构代码).
    match = match_headers(["企让名称", "组织结构代码", "案号"], CATALOGUE)
    assert match.mapping == {"企让名称": "party_name", "组织结构代码": "party_org_code"}
    assert match.fuzzy == match.mapping
    assert match.unknown == ["案号"]
    assert any("「企让名称」" in w and "「行政相对人名称」" in w for w in match.warnings)
    assert any("「组织结构代码」" in w and "组织机构代码" in w for w in match.warnings)


@pytest.mark.parametrize(
    "header",
    [
        "罚款金额(元)",  # 元 vs 万元: a 10,000-fold difference is never an OCR slip
        "有效期止",  # as close to 有效期自 as to 有效期至: ambiguous
        "处罚类别3",  # digits must be identical
        "cf_xdr_mx",  # codes are matched exactly only
        "企业名",  # too short to guess
        "名称",
        "处罚机关名称",  # not within one edit per four characters of anything
    ],
)
def test_fuzzy_pass_never_guesses(header: str) -> None:
    match = match_headers([header], CATALOGUE)
    assert match.mapping == {}
    assert match.unknown == [header]


def test_ambiguous_ocr_header_is_left_unmatched_with_a_warning() -> None:
    catalogue = {"a": ["处罚决定日期"], "b": ["许可决定日期"]}
    match = match_headers(["处可决定日期"], catalogue)  # one slip away from each of them
    assert match.mapping == {}
    assert match.unknown == ["处可决定日期"]
    assert any("「处可决定日期」" in w and "都相近" in w for w in match.warnings)
    match = match_headers(["夕罚决定日期"], catalogue)  # one slip from 处罚决定日期, two from 许可决定日期
    assert match.mapping == {"夕罚决定日期": "a"}


def test_fuzzy_match_to_a_field_already_matched_exactly_is_refused() -> None:
    match = match_headers(["企业名称", "企让名称"], CATALOGUE)
    assert match.mapping == {"企业名称": "party_name"}
    assert match.unknown == ["企让名称"]
    assert any("已由表头「企业名称」对应" in w for w in match.warnings)


def test_two_ocr_headers_for_one_field_are_both_refused() -> None:
    match = match_headers(["企让名称", "企业名祢"], CATALOGUE)
    assert match.mapping == {}
    assert set(match.unknown) == {"企让名称", "企业名祢"}
    assert any("无法确定哪一列" in w for w in match.warnings)


def test_catalogue_conflicts_are_reported_and_never_matched() -> None:
    catalogue = {"a": ["名称（必填）"], "b": ["名称"]}
    assert catalogue_conflicts(catalogue) == {"名称": {"a", "b"}}
    match = match_headers(["名称"], catalogue)
    assert match.mapping == {}
    assert match.unknown == ["名称"]
    assert "无法确定对应哪一个" in match.warnings[0]
    assert catalogue_conflicts(CATALOGUE) == {}


def test_labels_prefer_the_chinese_name() -> None:
    match = match_headers([], {"fine": ["CF_NR_FK", "罚款金额（万元）"], "x": ["CODE_ONLY"]})
    assert match.label("fine") == "罚款金额（万元）"
    assert match.label("x") == "CODE_ONLY"
    assert match.label("unknown_key") == "unknown_key"

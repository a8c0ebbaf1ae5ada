"""Document numbers: every bracket and spacing variant of one number maps to one canonical form."""

import csv
from collections import defaultdict

import pytest

from fazhi.core.docnumbers import DocNumber, doc_number_key, normalise_doc_number
from fazhi.core.errors import ValidationFailed

VARIANTS = [
    "晋政发〔2020〕12号",
    "晋政发[2020]12号",
    "晋政发【2020】12号",
    "晋政发(2020)12号",
    "晋政发（2020）12号",
    "晋政发［2020］12号",
    "晋政发﹝2020﹞12号",
    "晋政发〈2020〉12号",
    "晋政发〔２０２０〕１２号",
    " 晋政发 〔2020〕 12 号 ",
    "\u200b晋政发〔2020〕12号",
    "晋政发〔2020〕第12号",
    "晋政发〔2020〕012号",
    "晋政发(2020〕12号",
    "晋政发〔2020〕12",
    "晋政发〔2020〕号12",
    "发文字号：晋政发〔2020〕12号",
]


def _shanxi_rows(shared_data):
    path = shared_data / "regulations" / "shanxi_provincial_gov_doc_numbers_2023scrape.csv"
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("raw", VARIANTS)
def test_every_variant_maps_to_the_canonical_form(raw):
    number = normalise_doc_number(raw)
    assert number.normalised == "晋政发〔2020〕12号"
    assert (number.issuer_prefix, number.year, number.serial) == ("晋政发", 2020, "12")
    assert number.verbatim == raw.strip()
    assert number == normalise_doc_number("晋政发〔2020〕12号")
    assert doc_number_key(raw) == "晋政发〔2020〕12号"


def test_variants_are_equal_and_hash_alike_although_their_verbatim_text_differs():
    numbers = {normalise_doc_number(raw) for raw in VARIANTS}
    assert len(numbers) == 1
    assert len({n.verbatim for n in map(normalise_doc_number, VARIANTS)}) == len(VARIANTS)


def test_canonical_form_round_trips_without_warnings():
    number = normalise_doc_number("晋政发〔2020〕12号")
    assert number.warnings == ()
    assert normalise_doc_number(number.normalised) == number


def test_normalisation_is_reported():
    number = normalise_doc_number("晋政发[2013]35号")
    assert [w.code for w in number.warnings] == ["doc_number_normalised"]
    assert "晋政发〔2013〕35号" in number.warnings[0].message


def test_serial_after_hao_is_repaired_with_its_own_warning():
    number = normalise_doc_number("晋政发〔2014〕号16", field_name="doc_no")
    assert number.normalised == "晋政发〔2014〕16号"
    assert [(w.field, w.code) for w in number.warnings] == [("doc_no", "doc_number_serial_after_hao")]


@pytest.mark.parametrize(
    ("raw", "normalised", "prefix", "year", "serial"),
    [
        ("晋市监罚〔2020〕15号", "晋市监罚〔2020〕15号", "晋市监罚", 2020, "15"),
        ("京环罚字[2020]第12号", "京环罚字〔2020〕12号", "京环罚字", 2020, "12"),
        ("（2020）第0012号", "〔2020〕12号", "", 2020, "12"),
        ("市场【2019】1号", "市场〔2019〕1号", "市场", 2019, "1"),  # a live city credit system's record
        ("晋政办发电〔2022〕20号", "晋政办发电〔2022〕20号", "晋政办发电", 2022, "20"),
        ("山西省人民政府令第304号", "山西省人民政府令第304号", "山西省人民政府令", None, "304"),
        ("国务院令 第 732 号", "国务院令第732号", "国务院令", None, "732"),
        ("京环罚字2020年第12号", "京环罚字〔2020〕12号", "京环罚字", 2020, "12"),
        ("晋市监罚〔2020〕15-1号", "晋市监罚〔2020〕15-1号", "晋市监罚", 2020, "15-1"),
    ],
)
def test_penalty_and_decree_numbers(raw, normalised, prefix, year, serial):
    number = normalise_doc_number(raw)
    assert (number.normalised, number.issuer_prefix, number.year, number.serial) == (normalised, prefix, year, serial)
    assert number.serial is not None and "第" not in number.serial


def test_text_that_is_not_a_document_number_is_kept_with_a_warning():
    number = normalise_doc_number("双环许可2019")  # a 许可编号 used as 文书号, as the standard allows
    assert not number.parsed
    assert number.normalised == "双环许可2019"
    assert [w.code for w in number.warnings] == ["doc_number_unrecognised"]
    assert doc_number_key(" 双环许可 2019 ") == "双环许可2019"


@pytest.mark.parametrize("raw", ["", "   ", None, "\u200b", "发文字号："])
def test_empty_values_give_an_empty_number(raw):
    number = normalise_doc_number(raw)
    assert number.normalised == "" and not number.parsed and number.warnings == ()
    assert doc_number_key(raw) == ""


def test_non_text_is_a_coded_error():
    with pytest.raises(ValidationFailed) as info:
        normalise_doc_number(2020)
    assert info.value.errors[0].code == "doc_number_type"
    assert doc_number_key(2020) == "2020"


def test_doc_number_is_immutable():
    number = normalise_doc_number("晋政发〔2020〕12号")
    assert isinstance(number, DocNumber)
    with pytest.raises(AttributeError):
        number.normalised = "x"  # type: ignore[misc]


def test_every_row_of_the_shanxi_list(shared_data):
    rows = _shanxi_rows(shared_data)
    assert len(rows) == 3559
    parsed = empty = unrecognised = 0
    by_key: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        number = normalise_doc_number(row["doc_number"])
        assert number.verbatim == row["doc_number"].strip()
        if not number.normalised:
            empty += 1
            continue
        if not number.parsed:
            unrecognised += 1
            continue
        parsed += 1
        # the canonical form parses to itself, with no warning: it round-trips
        again = normalise_doc_number(number.normalised)
        assert again == number and again.normalised == number.normalised and again.warnings == ()
        assert number.normalised.startswith(number.issuer_prefix)
        assert "〔" in number.normalised or number.year is None
        assert "\u200b" not in number.normalised and " " not in number.normalised
        by_key[number.normalised].add(number.verbatim)
    assert (parsed, empty, unrecognised) == (3469, 90, 0)
    # The scrape wrote the same numbers with different brackets and spacing; they now share a key.
    assert any(len(variants) > 1 for variants in by_key.values())


def test_shanxi_messy_rows_by_hand(shared_data):
    verbatim = {row["doc_number"] for row in _shanxi_rows(shared_data)}
    cases = {
        "发文字号：晋政发〔2014〕号16": "晋政发〔2014〕16号",
        "发文字号：\u200b晋政办发〔2023〕38号": "晋政办发〔2023〕38号",
        "发文字号：晋政函〔2017〕 69号": "晋政函〔2017〕69号",
        "发文字号：晋政发〔2017〕9 号": "晋政发〔2017〕9号",
        "发文字号：晋政发[2013]35号": "晋政发〔2013〕35号",
        "发文字号：晋政发(2007)18号": "晋政发〔2007〕18号",
        "发文字号：晋政办发(2017〕109号": "晋政办发〔2017〕109号",
        "发文字号：晋政办发〔2012〕18": "晋政办发〔2012〕18号",
        "发文字号：山西省人民政府令第304号": "山西省人民政府令第304号",
    }
    for raw, normalised in cases.items():
        assert raw in verbatim
        assert doc_number_key(raw) == normalised


def test_same_number_written_two_ways_in_the_shanxi_list_is_one_key(shared_data):
    rows = _shanxi_rows(shared_data)
    keys = {doc_number_key(r["doc_number"]) for r in rows if "2012〕 8号" in r["doc_number"]}
    # "晋政发〔2012〕 8号" (with a stray space) appears twice and the key has no space
    assert "晋政发〔2012〕8号" in keys


def test_random_input_never_raises_anything_but_validation_failed():
    from fazhi.core.tests.test_identifiers_more import fuzz_values

    for value in fuzz_values(9704):
        try:
            number = normalise_doc_number(value)
        except ValidationFailed as exc:
            assert exc.errors[0].code == "doc_number_type"
            assert not isinstance(value, str | None)
        else:
            assert number.normalised == doc_number_key(value)
            if number.parsed:
                assert normalise_doc_number(number.normalised) == number

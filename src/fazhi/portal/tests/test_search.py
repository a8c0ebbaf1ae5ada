"""The one search: Chinese substrings down to two characters, bracket variants, exact codes, filters, paging,
counts, masking, and records leaving public view."""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

import pytest
from django.core.management import call_command

from fazhi.core.identifiers import make_uscc
from fazhi.portal import query as query_module
from fazhi.portal.grams import fold_text, pairs
from fazhi.portal.models import SearchCount, SearchEntry, SearchPair
from fazhi.portal.query import Query, parse_params, search
from fazhi.publicity import services
from fazhi.publicity.models import LicenceRecord
from fazhi.publicity.public import record_type

from .conftest import TODAY

pytestmark = pytest.mark.django_db

PERSON_ID = "110101199003074514"  # a valid GB 11643 number


RECORDS = ("penalty", "licence")


def find(q: str = "", **filters: Any) -> Any:
    """The search over licence and penalty records (entities have a test of their own)."""
    filters.setdefault("types", RECORDS)
    return search(Query(q=q, **filters))


def titles(result: Any) -> list[str]:
    return [hit.title for hit in result.items]


def everything(q: str, **filters: Any) -> tuple[list[Any], Any]:
    """Every hit of a query, following the cursor page by page (limit 3 to force several pages)."""
    hits: list[Any] = []
    cursor = None
    first = None
    for _ in range(200):
        result = find(q, cursor=cursor, limit=3, **filters)
        first = first or result
        hits.extend(result.items)
        if result.next_cursor is None:
            return hits, first
        cursor = result.next_cursor
    raise AssertionError("paging did not end")


def assert_counts_consistent() -> None:
    """The kept counts equal a recount of the index (what every count and every plan relies on)."""
    stored = {(c.key, c.type): c.n for c in SearchCount.objects.all() if c.n}
    recount: dict[tuple[int, int], int] = {}
    for pair in SearchPair.objects.all():
        recount[(pair.gram, pair.type)] = recount.get((pair.gram, pair.type), 0) + 1
    for entry in SearchEntry.objects.all():
        recount[(0, entry.type)] = recount.get((0, entry.type), 0) + 1
    assert {k: v for k, v in stored.items() if k[0] >= 0} == recount


@pytest.fixture
def world(publish: Any) -> dict[str, Any]:
    return {
        "baode": publish(
            "penalty",
            party_name="保德县鹏泽商贸有限公司",
            party_uscc=make_uscc("91", "140931", "MA0K1234"),
            doc_number="小市监罚[2020]15号",
            decided_on=(TODAY - dt.timedelta(days=40)).isoformat(),
        ),
        "person": publish(
            "penalty",
            agency_key="shangdang_market",
            party_name="王鹏泽",
            party_category="自然人",
            party_uscc="",
            party_id_type="身份证",
            party_id_number=PERSON_ID,
            legal_rep="",
            doc_number="上市监罚〔2021〕7号",
            decided_on=(TODAY - dt.timedelta(days=10)).isoformat(),
        ),
        "jinyang": publish(
            "licence",
            party_name="太原市晋阳化工有限公司",
            doc_number="并环许【2020】8号",
            decided_on=(TODAY - dt.timedelta(days=60)).isoformat(),
        ),
    }


def test_two_character_queries_find_every_record_that_contains_them(world):
    assert titles(find("保德")) == ["保德县鹏泽商贸有限公司"]
    result = find("鹏泽")
    assert titles(result) == ["王鹏泽", "保德县鹏泽商贸有限公司"]  # newest first
    assert (result.count, result.exact) == (2, True)
    assert titles(find("晋阳化工")) == ["太原市晋阳化工有限公司"]
    assert find("泽鹏").count == 0  # the pairs exist, the substring does not


def test_several_words_must_all_match_and_case_and_width_do_not_matter(world):
    assert titles(find("保德 商贸")) == ["保德县鹏泽商贸有限公司"]
    assert find("保德 化工").count == 0
    assert titles(find("ＭＡ0k1234")) == []  # codes are matched exactly, not by substring
    assert titles(find("保德县鹏泽商贸有限公司　")) == ["保德县鹏泽商贸有限公司"]


def test_bracket_and_width_variants_of_document_numbers_match_each_other(world):
    for q in ("小市监罚〔2020〕15号", "小市监罚（2020）15号", "小市监罚［２０２０］15号", "小市监罚【2020】第015号"):
        result = find(q)
        assert result.direct == "doc_number", q
        assert titles(result) == ["保德县鹏泽商贸有限公司"], q
    for fragment in ("[2020]15", "(2020)15号", "【2020】8", "〔2021〕"):
        assert find(fragment).count == 1, fragment


def test_an_exact_credit_code_goes_straight_to_its_records(world, client):
    code = world["baode"].party_uscc
    result = search(Query(q=code.lower()))
    assert result.direct == "uscc"
    assert sorted(h.type.code for h in result.items) == ["entity", "penalty"]  # the entity and its one record
    assert set(titles(result)) == {"保德县鹏泽商贸有限公司"}
    response = client.get("/search/", {"q": code})
    assert response.status_code == 302
    assert response["Location"] == f"/credit/entities/{code}/"
    response = client.get("/search/", {"q": "小市监罚(2020)15号"})
    assert response["Location"] == f"/credit/records/penalty/{world['baode'].pk}/"


def test_natural_persons_id_numbers_are_masked_in_the_page_the_api_and_the_command(world, client, capsys):
    page = re.sub(r"<[^>]+>", "", client.get("/search/", {"q": "鹏泽"}).content.decode())  # without <mark>
    api = client.get("/api/v1/search", {"q": "鹏泽"}).content.decode()
    call_command("portal", "search", "鹏泽", "--json")
    cli = capsys.readouterr().out
    for body in (page, api, cli):
        assert "王鹏泽" in body
        assert PERSON_ID not in body
        assert PERSON_ID[6:14] not in body  # the birth date (positions 7-14) never shows
        assert "110101********4514" in body


def test_filters_by_type_area_agency_date_and_category(world, org_world):
    assert titles(find("有限", types=("licence",))) == ["太原市晋阳化工有限公司"]
    assert titles(find("鹏泽", area="1404")) == ["王鹏泽"]
    assert titles(find("鹏泽", area="140105")) == ["保德县鹏泽商贸有限公司"]
    assert titles(find("鹏泽", area="14")) == ["王鹏泽", "保德县鹏泽商贸有限公司"]
    assert find("鹏泽", area="1401").count == 1
    market = org_world.agencies["shangdang_market"]
    assert titles(find(agency=market.pk)) == ["王鹏泽"]
    recent = find(date_from=TODAY - dt.timedelta(days=45))
    assert titles(recent) == ["王鹏泽", "保德县鹏泽商贸有限公司"]
    old = find(date_to=TODAY - dt.timedelta(days=50))
    assert titles(old) == ["太原市晋阳化工有限公司"]
    assert find(category="fine").count == 2
    assert find(category="warning").count == 0


def test_records_leaving_public_view_leave_the_search(world, org_world):
    services.withdraw_record(actor=None, record=world["person"], reason="复议撤销")
    assert titles(find("鹏泽")) == ["保德县鹏泽商贸有限公司"]
    assert find("鹏泽").count == 1
    # A penalty whose maximum publicity window ended yesterday is hidden even before the nightly expiry runs,
    services.expire_records(actor=None, today=TODAY + dt.timedelta(days=4000))
    assert find("鹏泽").count == 0
    assert titles(find("晋阳")) == ["太原市晋阳化工有限公司"]  # licences have no window
    assert_counts_consistent()


def test_a_corrected_record_is_found_under_its_new_name(world, org_world, publish):
    publish(
        "penalty",
        party_name="保德县鹏泽商贸有限责任公司",
        party_uscc=world["baode"].party_uscc,
        doc_number="小市监罚〔2020〕15号",
        decided_on=world["baode"].decided_on.isoformat(),
    )
    assert titles(find("有限责任")) == ["保德县鹏泽商贸有限责任公司"]
    assert find("保德").count == 1
    assert_counts_consistent()


@pytest.fixture
def crowd(publish: Any) -> list[Any]:
    """60 records with names drawn from a small vocabulary, so that queries share pairs in many ways."""
    rng = random.Random(7)
    places, words, kinds = ["太原", "保德", "长治", "平遥"], ["鹏泽", "晋阳", "恒达", "泽鹏", "达恒"], ["商贸", "煤业"]
    made = []
    for n in range(60):
        name = f"{rng.choice(places)}{rng.choice(words)}{rng.choice(kinds)}有限公司"
        made.append(
            publish(
                "penalty" if n % 3 else "licence",
                agency_key=rng.choice(["xiaodian_market", "shangdang_market"]),
                party_name=name,
                party_uscc=make_uscc("91", "140105", f"{n:08d}"),
                doc_number=f"晋罚〔2020〕{n + 1}号",
                decided_on=(TODAY - dt.timedelta(days=rng.randrange(1, 300))).isoformat(),
            )
        )
    return made


@pytest.mark.parametrize(
    "q", ["鹏泽", "泽鹏", "达恒", "太原鹏", "有限", "恒达煤业", "原晋", "泽商", "2020〕1", "鹏 煤业"]
)
def test_every_page_together_is_exactly_the_matching_records_newest_first(crowd, q):
    terms = [fold_text(t) for t in q.split()]
    expected = [
        r for r in crowd if all(t in fold_text(r.party_name) or t in fold_text(r.doc_number_key) for t in terms)
    ]
    hits, first = everything(q)
    found = [(h.type.code, h.object_id) for h in hits]
    assert sorted(found) == sorted((record_type(r), str(r.pk)) for r in expected)
    assert len(set(found)) == len(found)  # no record twice across pages
    dates = [h.date for h in hits]
    assert dates == sorted(dates, reverse=True)
    assert first.exact and first.count == len(expected)


def test_large_counts_are_estimated_and_say_so(crowd, monkeypatch):
    monkeypatch.setattr(query_module, "SAMPLE", 5)
    result = find("有限 公司")  # the driver holds 60 rows: more than the sample
    assert result.exact is False
    assert 40 <= result.count <= 80
    plain = find("有限")  # one pair, no filter: the kept count is exact whatever the sample
    assert (plain.count, plain.exact) == (60, True)


def test_pairs_are_what_the_index_needs_for_two_characters():
    assert len(pairs(fold_text("鹏泽"))) == 1
    assert fold_text("【2020】") == fold_text("[2020]") == fold_text("（2020）") == "〔2020〕"
    assert fold_text("ＡＢＣ 公司") == "abc公司"


def test_bad_parameters_are_explained_in_chinese():
    with pytest.raises(Exception) as caught:
        parse_params({"type": "nonsense", "date_from": "2020-13-01", "division": "abc"})
    messages = " ".join(e.message for e in caught.value.errors)
    assert "起始日期" in messages
    with pytest.raises(Exception) as caught:
        parse_params({"type": "nonsense"})
    assert "类型“nonsense”不存在" in caught.value.errors[0].message
    with pytest.raises(Exception) as caught:
        parse_params({"division": "abc"})
    assert "区划代码" in caught.value.errors[0].message


def test_reindex_rebuilds_the_same_index(crowd, capsys):
    before = sorted(SearchEntry.objects.values_list("type", "object_id", "title"))
    expected = [(h.type.code, h.object_id) for h in everything("鹏泽")[0]]
    SearchPair.objects.all().delete()
    SearchEntry.objects.all().delete()
    call_command("portal", "reindex", "--missing")  # counts still say "indexed": nothing done
    assert SearchEntry.objects.count() == 0
    call_command("portal", "reindex")
    assert sorted(SearchEntry.objects.values_list("type", "object_id", "title")) == before
    assert [(h.type.code, h.object_id) for h in everything("鹏泽")[0]] == expected
    assert_counts_consistent()
    assert "行政处罚：已建立索引 40 条" in capsys.readouterr().out


def test_entities_are_found_once_with_what_is_public_about_them(world, publish, client):
    publish(
        "licence",
        party_name="保德县鹏泽商贸有限公司",
        party_uscc=world["baode"].party_uscc,
        doc_number="小许〔2021〕3号",
    )
    result = search(Query(q="鹏泽", types=("entity",)))
    assert titles(result) == ["保德县鹏泽商贸有限公司"]  # one entity, not one per record; no natural persons
    summary = result.items[0].summary
    assert (summary["penalties"], summary["licences"]) == (1, 1)
    assert result.items[0].url == f"/credit/entities/{world['baode'].party_uscc}/"
    grouped = client.get("/search/", {"q": "鹏泽"}).content.decode()
    assert 'id="group-entity"' in grouped and "公示中的行政处罚 1 条" in grouped
    services.withdraw_record(actor=None, record=world["baode"], reason="复议撤销")
    assert search(Query(q="鹏泽", types=("entity",))).items[0].summary["penalties"] == 0
    services.withdraw_record(
        actor=None, record=LicenceRecord.objects.get(doc_number_key="小许〔2021〕3号"), reason="撤销许可"
    )
    assert search(Query(q="鹏泽", types=("entity",))).count == 0  # nothing public left: the entity leaves too
    assert_counts_consistent()

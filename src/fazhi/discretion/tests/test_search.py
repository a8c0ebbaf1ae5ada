"""The portal's search (record type 7, 裁量基准): one entry per item of a version in force, found by its violation and
legal basis, gone when the version is replaced or retired; the result list and the type's page."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.discretion import services
from fazhi.discretion.models import BenchmarkItem
from fazhi.discretion.tests.conftest import FEES, csv_file
from fazhi.portal import registry
from fazhi.portal.query import parse_params, search

pytestmark = pytest.mark.django_db


def find(q, **params):
    return search(parse_params({"q": q, "type": "benchmark", **params}))


def test_the_type_is_registered_as_number_seven():
    search_type = registry.get("benchmark")
    assert (search_type.number, search_type.label) == (7, "裁量基准")
    assert search_type.hit_template == "discretion/_search_hit.html"


def test_items_in_force_are_found_by_violation_and_legal_basis(make_benchmark):
    benchmark = make_benchmark()
    hits = find("监督检查").items
    assert [h.title for h in hits] == [BenchmarkItem.objects.get(benchmark=benchmark, code="2.1").violation]
    assert hits[0].date == dt.date(2022, 1, 1) and hits[0].summary["doc_number"] == "并环发〔2022〕1号"
    assert [h.summary["code"] for h in find("第二十四条").items] == ["1.10"]  # in the legal basis only
    assert find("并环发〔2022〕1号").count == 2  # the document number finds every item
    assert find("不存在的违法行为").count == 0


def test_drafts_are_not_indexed_until_published(make_benchmark):
    draft = make_benchmark(publish=False)
    assert find("监督检查").count == 0
    services.publish_benchmark(actor=None, benchmark=draft)
    assert find("监督检查").count == 1


def test_replaced_and_retired_versions_leave_search(make_benchmark):
    first = make_benchmark()
    today = timezone.localdate()
    draft = services.create_version(
        actor=None, benchmark=first, doc_number="并环发〔2026〕1号", effective_from=today - dt.timedelta(days=1)
    )
    services.import_items(actor=None, benchmark=draft, file=csv_file(FEES))
    services.publish_benchmark(actor=None, benchmark=draft)
    hits = find("监督检查").items
    assert [h.summary["doc_number"] for h in hits] == ["并环发〔2026〕1号"]
    services.retire_benchmark(actor=None, benchmark=draft, retired_on=today, reason="停止施行")
    assert find("监督检查").count == 0


def test_a_future_version_enters_search_on_its_effective_date(make_benchmark):
    first = make_benchmark()
    today = timezone.localdate()
    draft = services.create_version(
        actor=None, benchmark=first, doc_number="并环发〔2099〕1号", effective_from=today + dt.timedelta(days=30)
    )
    services.publish_benchmark(actor=None, benchmark=draft)
    assert [h.summary["doc_number"] for h in find("监督检查").items] == ["并环发〔2022〕1号"]
    assert services.refresh_search_index(actor=None) == 2  # still the old version's two items


def test_item_changes_reach_search(make_benchmark):
    benchmark = make_benchmark()
    item = BenchmarkItem.objects.get(benchmark=benchmark, code="2.1")
    services.update_item(actor=None, item=item, changes={"violation": "拒绝、阻挠环境监测人员进入现场"})
    assert find("监督检查").count == 0 and find("环境监测人员").count == 1


def test_the_result_list_shows_the_document(client, make_benchmark):
    make_benchmark()
    page = client.get("/search/", {"q": "监督检查", "type": "benchmark"}).content.decode()
    assert "裁量基准" in page and "并环发〔2022〕1号" in page and "事项 2.1" in page

"""Pages: the public calculator and documents; every staff page with its authorization matrix (out of scope looks
like missing: 404; a denied form post changes nothing); bad form input shows Chinese errors and changes nothing."""

import io
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.core.testing import assert_read_matrix, table_state
from fazhi.discretion.models import BenchmarkItem, BenchmarkRule, DiscretionBenchmark
from fazhi.discretion.spreadsheet import write_csv
from fazhi.discretion.tests.conftest import FEES, OBSTRUCTION

pytestmark = pytest.mark.django_db
WATCH = [DiscretionBenchmark, BenchmarkItem, BenchmarkRule]
SCOPED = {
    None: 302,
    "xiaodian_officer": 404,
    "shangdang_drafter": 404,
    "taiyuan_supervisor": 404,
    "taiyuan_drafter": 200,
    "taiyuan_admin": 200,
    "province_admin": 200,
    "superuser": 200,
}
DENIED = {None: 302, "xiaodian_officer": 404, "shangdang_drafter": 404, "taiyuan_supervisor": 404}


def assert_form_matrix(client, url, users, expected, data, watch=WATCH):
    """Like core.testing.assert_write_matrix, for pages: form posts (files allowed); denied posts change nothing."""
    failures = []
    for who, status in expected.items():
        client.logout()
        if who:
            client.force_login(users[who])
        before = table_state(watch)
        response = client.post(url, data() if callable(data) else data)
        if response.status_code != status:
            failures.append(f"{who}: expected {status}, got {response.status_code}")
        elif (status >= 400 or (status == 302 and who is None)) and table_state(watch) != before:
            failures.append(f"{who}: denied but data changed")
    client.logout()
    assert not failures, f"POST {url}: " + "; ".join(failures)


@pytest.fixture
def benchmark(make_benchmark):
    return make_benchmark()


def test_calculator_page_finds_violations(client, benchmark):
    page = client.get("/discretion/")
    assert page.status_code == 200 and "太原市生态环境行政处罚裁量基准" in page.content.decode()
    found = client.get("/discretion/", {"q": "监督检查"}).content.decode()
    assert "找到 1 项" in found and "以拖延、围堵、滞留执法人员等方式拒绝" in found
    before = client.get("/discretion/", {"q": "监督检查", "on": "2021-06-01"}).content.decode()
    assert "找到 0 项" in before
    bad = client.get("/discretion/", {"q": "监督检查", "on": "2021-13-01"})
    assert bad.status_code == 422 and "适用日期“2021-13-01”不是有效的日期" in bad.content.decode()


def test_item_page_calculates_and_explains(client, benchmark):
    item = BenchmarkItem.objects.get(benchmark=benchmark, code="2.1")
    url = f"/discretion/items/{item.pk}/"
    assert "填写违法情节" in client.get(url).content.decode()
    query = {"on": "2023-05-01", "a1": "在接受监督检查时弄虚作假", "a2": "有同类违法行为"}
    page = client.get(url, query).content.decode()
    assert "裁量阶次：<strong>从重处罚</strong>" in page
    assert "13万元至17万元" in page and "事项 2.1 第 4 条" in page and "并环发〔2022〕1号" in page
    assert "《中华人民共和国水污染防治法》第八十一条" in page and 'class="chosen"' in page
    missing = client.get(url, {"a1": "在接受监督检查时弄虚作假"})
    assert missing.status_code == 422 and "请选择“近一年同类违法行为情况”" in missing.content.decode()
    too_early = client.get(url, {"on": "2020-01-01", "a1": "在接受监督检查时弄虚作假"})
    assert too_early.status_code == 422 and "2020年1月1日没有施行中的" in too_early.content.decode()


def test_item_page_with_figures(client, benchmark):
    item = BenchmarkItem.objects.get(benchmark=benchmark, code="1.10")
    page = client.get(f"/discretion/items/{item.pk}/", {"a1": "有同类违法行为", "b1": "10000"}).content.decode()
    assert "2万元至3万元（所收费用 1万元的2倍至3倍）" in page
    number = client.get(f"/discretion/items/{item.pk}/", {"a1": "无同类违法行为", "n2": "4"}).content.decode()
    assert "所收费用的2倍" in number and "违法行为持续时间：3个月以上" in number
    bad = client.get(f"/discretion/items/{item.pk}/", {"a1": "有同类违法行为", "b1": "很多"})
    assert bad.status_code == 422 and "所收费用：金额“很多”不是数字" in bad.content.decode()


def test_public_documents_include_old_versions_but_never_drafts(client, benchmark, make_benchmark):
    draft = make_benchmark(rows=FEES, doc_number="并环发〔2022〕9号", publish=False)
    listing = client.get("/discretion/benchmarks/").content.decode()
    assert "并环发〔2022〕1号" in listing and "并环发〔2022〕9号" not in listing
    assert client.get(f"/discretion/benchmarks/{benchmark.pk}/").status_code == 200
    assert client.get(f"/discretion/benchmarks/{draft.pk}/").status_code == 404
    draft_item = BenchmarkItem.objects.filter(benchmark=draft).first()
    assert client.get(f"/discretion/items/{draft_item.pk}/").status_code == 404
    assert client.get("/discretion/template.xlsx").content[:2] == b"PK"


def test_staff_read_pages_are_scoped(client, world, benchmark):
    item = BenchmarkItem.objects.get(benchmark=benchmark, code="2.1")
    rule = item.rules.first()
    for url in (
        f"/discretion/staff/{benchmark.pk}/",
        f"/discretion/staff/{benchmark.pk}/new-version/",
        f"/discretion/staff/{benchmark.pk}/retire/",
        f"/discretion/staff/{benchmark.pk}/export.xlsx",
        f"/discretion/staff/items/{item.pk}/",
        f"/discretion/staff/rules/{rule.pk}/",
    ):
        assert_read_matrix(client, url, world.users, SCOPED)
    # the page lists only agencies the user may issue benchmarks for; without any, there is no such page
    new_page = {None: 302, "xiaodian_officer": 404, "taiyuan_supervisor": 404, "shangdang_drafter": 200}
    assert_read_matrix(client, "/discretion/staff/new/", world.users, {**new_page, "taiyuan_drafter": 200})
    client.force_login(world.users["shangdang_drafter"])
    assert "并环发〔2022〕1号" not in client.get("/discretion/staff/").content.decode()


def test_staff_create_and_edit(client, world):
    agency = world.agencies["taiyuan_env"]
    data = {
        "agency": agency.pk,
        "title": "太原市生态环境行政处罚裁量基准",
        "doc_number": "并环发（2023）5号",
        "domain": "生态环境",
        "effective_from": "2023-03-01",
    }
    # an agency outside one's jurisdiction is not among the choices: the form refuses it
    denied = {**DENIED, "shangdang_drafter": 422}
    assert_form_matrix(client, "/discretion/staff/new/", world.users, {**denied, "taiyuan_drafter": 302}, data)
    created = DiscretionBenchmark.objects.get()
    assert created.doc_key == "并环发〔2023〕5号" and created.doc_number == "并环发（2023）5号"
    edit = {**data, "note": "征求意见后修改"}
    assert_form_matrix(client, f"/discretion/staff/{created.pk}/", world.users, {**DENIED, "taiyuan_admin": 302}, edit)
    assert DiscretionBenchmark.objects.get().note == "征求意见后修改"


def test_staff_import_publish_version_retire(client, world, make_benchmark):
    draft = make_benchmark(rows=OBSTRUCTION, publish=False)

    def upload():
        file = io.BytesIO(
            write_csv([*FEES, {"事项编码": "9", "违法行为": "x", "处罚依据": "y", "情形": "a", "罚款": "多"}])
        )
        file.name = "基准.csv"
        return {"file": file}

    assert_form_matrix(
        client, f"/discretion/staff/{draft.pk}/import/", world.users, {**DENIED, "taiyuan_drafter": 200}, upload
    )
    client.force_login(world.users["taiyuan_drafter"])
    page = client.post(f"/discretion/staff/{draft.pk}/import/", upload()).content.decode()
    assert "新增事项 <strong>0</strong>" in page and "未变 1" in page and "无法识别罚款“多”" in page
    assert_form_matrix(
        client, f"/discretion/staff/{draft.pk}/publish/", world.users, {**DENIED, "taiyuan_drafter": 302}, {}
    )
    assert DiscretionBenchmark.objects.get(pk=draft.pk).status == "published"
    version = {"doc_number": "并环发〔2024〕2号", "effective_from": "2024-01-01"}
    assert_form_matrix(
        client, f"/discretion/staff/{draft.pk}/new-version/", world.users, {**DENIED, "province_admin": 302}, version
    )
    second = DiscretionBenchmark.objects.get(previous=draft)
    client.force_login(world.users["taiyuan_drafter"])
    client.post(f"/discretion/staff/{second.pk}/publish/")
    retire = {"retired_on": "2025-01-01", "reason": "上位法修改"}
    assert_form_matrix(
        client, f"/discretion/staff/{second.pk}/retire/", world.users, {**DENIED, "taiyuan_drafter": 302}, retire
    )
    second.refresh_from_db()
    assert second.status == "retired" and str(second.valid_to) == "2024-12-31"


def test_staff_item_and_rule_edits(client, world, benchmark):
    item = BenchmarkItem.objects.get(benchmark=benchmark, code="2.1")
    rule = item.rules.get(position=5)
    texts = {"violation": item.violation, "provision": item.provision, "legal_basis": item.legal_basis, "note": "备注"}
    assert_form_matrix(
        client, f"/discretion/staff/items/{item.pk}/", world.users, {**DENIED, "taiyuan_drafter": 302}, texts
    )
    rule_data = {
        "circumstances": rule.circumstances,
        "grade": "从重处罚",
        "kinds": "罚款",
        "fine": "19万元以上20万元以下",
    }
    assert_form_matrix(
        client, f"/discretion/staff/rules/{rule.pk}/", world.users, {**DENIED, "taiyuan_drafter": 302}, rule_data
    )
    assert BenchmarkRule.objects.get(pk=rule.pk).fine_min == 190000


def test_bad_form_input_shows_chinese_errors_and_changes_nothing(client, world, benchmark):
    client.force_login(world.users["taiyuan_drafter"])
    item = BenchmarkItem.objects.get(benchmark=benchmark, code="2.1")
    rule = item.rules.get(position=1)
    before = table_state(WATCH)
    overlap = {"circumstances": "违法程度：以拖延执法人员的方式阻挠监督检查", "grade": "从轻处罚", "fine": "2万元"}
    response = client.post(f"/discretion/staff/rules/{rule.pk}/", overlap)
    assert response.status_code == 422 and "可能同时适用，请区分" in response.content.decode()
    response = client.post(f"/discretion/staff/rules/{rule.pk}/", {**overlap, "fine": "很多钱"})
    assert response.status_code == 422 and "无法识别罚款“很多钱”" in response.content.decode()
    response = client.post(f"/discretion/staff/{benchmark.pk}/", {"title": "", "doc_number": "x", "domain": "环境"})
    assert response.status_code == 422 and "请填写文件名称" in response.content.decode()
    response = client.post(f"/discretion/staff/{benchmark.pk}/retire/", {"retired_on": "2021-01-01", "reason": "x"})
    assert response.status_code == 422 and "废止日期应晚于施行日期" in response.content.decode()
    response = client.post(
        f"/discretion/staff/{benchmark.pk}/new-version/",
        {"doc_number": "并环发〔2022〕1号", "effective_from": "2023-01-01"},
    )
    assert response.status_code == 422 and "已有裁量基准使用" in response.content.decode()
    response = client.get(f"/discretion/staff/?{urlencode({'status': 'nonsense'})}")
    assert response.status_code == 200
    assert table_state(WATCH) == before


def test_the_published_document_form_shows_its_dates_and_keeps_its_number(client, world, benchmark):
    client.force_login(world.users["taiyuan_drafter"])
    page = client.get(f"/discretion/staff/{benchmark.pk}/").content.decode()
    assert 'value="2022-01-01"' in page and "已发布，不能修改" in page
    response = client.post(
        f"/discretion/staff/{benchmark.pk}/",
        {
            "title": benchmark.title,
            "domain": "生态环境",
            "note": "有效期五年",
            "expires_on": "2026-12-31",
            "doc_number": "并环发〔2030〕1号",
        },  # disabled on the page: ignored if sent anyway
    )
    assert response.status_code == 302
    benchmark.refresh_from_db()
    assert (benchmark.note, str(benchmark.expires_on), benchmark.doc_key) == (
        "有效期五年",
        "2026-12-31",
        "并环发〔2022〕1号",
    )


def test_document_pages_cost_the_same_whatever_the_number_of_items(client, world, make_benchmark):
    small = make_benchmark(rows=FEES)
    many = [dict(row, 事项编码=f"{n}.{row['事项编码']}") for n in range(12) for row in OBSTRUCTION]
    large = make_benchmark(rows=many, doc_number="并环发〔2022〕8号")
    client.force_login(world.users["taiyuan_drafter"])
    for url in ("/discretion/benchmarks/{}/", "/discretion/staff/{}/"):
        counts = []
        for benchmark in (small, large):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url.format(benchmark.pk)).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], (url, counts)

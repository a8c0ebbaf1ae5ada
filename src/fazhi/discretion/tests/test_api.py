"""The API: public documents, items and the calculator; staff operations with their authorization matrix (a denied
call changes nothing); bad input answers a Chinese error."""

import io
import json

import pytest

from fazhi.core.testing import assert_read_matrix, assert_write_matrix, table_state
from fazhi.discretion.models import BenchmarkItem, BenchmarkRule, DiscretionBenchmark
from fazhi.discretion.spreadsheet import write_csv
from fazhi.discretion.tests.conftest import FEES, OBSTRUCTION

pytestmark = pytest.mark.django_db
WATCH = [DiscretionBenchmark, BenchmarkItem, BenchmarkRule]
BASE = "/api/v1/discretion"
# Everyone who may not touch 太原市生态环境局's benchmarks, then one who may (writes succeed once).
DENIED = {None: 401, "xiaodian_officer": 404, "taiyuan_supervisor": 404, "shangdang_drafter": 404}
READERS = {
    None: 401,
    "xiaodian_officer": 404,
    "shangdang_drafter": 404,
    "taiyuan_drafter": 200,
    "taiyuan_admin": 200,
    "province_admin": 200,
    "superuser": 200,
}


@pytest.fixture
def benchmark(make_benchmark):
    return make_benchmark()


@pytest.fixture
def item(benchmark):
    return BenchmarkItem.objects.get(benchmark=benchmark, code="2.1")


def test_public_documents_items_and_search(client, benchmark, item):
    listed = client.get(f"{BASE}/benchmarks").json()
    assert [b["doc_number"] for b in listed] == ["并环发〔2022〕1号"] and listed[0]["state"] == "现行有效"
    detail = client.get(f"{BASE}/benchmarks/{benchmark.pk}").json()
    assert [i["code"] for i in detail["items"]] == ["2.1", "1.10"]
    found = client.get(f"{BASE}/items", {"q": "监督检查 弄虚作假"}).json()
    assert [h["code"] for h in found] == ["2.1"]
    body = client.get(f"{BASE}/items/{item.pk}").json()
    assert body["factors"][0]["name"] == "违法程度" and body["rules"][0]["fine"]["min_yuan"] == "20000"
    assert client.get(f"{BASE}/items/{item.pk + 999}").json() == {"code": "not_found", "message": "未找到该裁量事项"}


def test_calculate(client, item):
    payload = {
        "item_id": item.pk,
        "on": "2023-05-01",
        "answers": {"违法程度": "以拖延执法人员的方式阻挠监督检查", "近一年同类违法行为情况": "有同类违法行为"},
    }
    body = client.post(f"{BASE}/calculate", json.dumps(payload), content_type="application/json").json()
    assert (body["grade"], body["grade_label"]) == ("lenient", "从轻处罚")
    assert (body["fine"]["min_yuan"], body["fine"]["max_yuan"]) == ("40000.00", "60000.00")
    assert body["rule"]["position"] == 2 and body["benchmark"]["doc_number"] == "并环发〔2022〕1号"
    assert body["legal_basis"].startswith("《中华人民共和国水污染防治法》第八十一条")
    assert any("第 2 条规则" in line for line in body["explanation"])


def test_calculate_with_multiples(client, benchmark):
    fees = BenchmarkItem.objects.get(benchmark=benchmark, code="1.10")
    payload = {
        "item_id": fees.pk,
        "answers": {"近一年同类违法行为情况": "有同类违法行为"},
        "figures": {"所收费用": 30000},
    }
    body = client.post(f"{BASE}/calculate", json.dumps(payload), content_type="application/json").json()
    assert (body["fine"]["min_yuan"], body["fine"]["max_yuan"]) == ("60000.00", "90000.00")
    assert body["penalty_kinds_label"] == "警告、没收违法所得、罚款"


@pytest.mark.parametrize(
    ("payload", "status", "field", "message"),
    [
        ({"answers": {}}, 422, "answers.违法程度", "请选择“违法程度”"),
        ({"answers": {"违法程度": "不存在"}}, 422, "answers.违法程度", "不是“违法程度”的选项"),
        ({"on": "2020-01-01"}, 422, "on", "2020年1月1日没有施行中的"),
        ({"on": "2020-13-01"}, 422, "on", "日期格式应为 YYYY-MM-DD"),
        ({"figures": {"所收费用": -5}}, 422, "figures.所收费用", "该事项的罚款不以“所收费用”为基数"),
    ],
)
def test_calculate_errors_are_in_chinese(client, item, payload, status, field, message):
    response = client.post(
        f"{BASE}/calculate", json.dumps({"item_id": item.pk, **payload}), content_type="application/json"
    )
    assert response.status_code == status
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert message in errors[field]


def test_template_downloads(client):
    response = client.get(f"{BASE}/template.csv")
    assert response.content.decode("utf-8-sig").startswith("事项编码,违法行为,违反条款,处罚依据,情形")
    assert client.get(f"{BASE}/template.xlsx").content[:2] == b"PK"
    assert client.get(f"{BASE}/template.pdf").status_code == 422


def test_staff_reads_are_scoped(client, world, benchmark):
    users = world.users
    assert_read_matrix(client, f"{BASE}/staff/benchmarks/{benchmark.pk}", users, READERS)
    client.force_login(users["shangdang_drafter"])
    assert client.get(f"{BASE}/staff/benchmarks").json() == []
    client.force_login(users["taiyuan_drafter"])
    assert [b["id"] for b in client.get(f"{BASE}/staff/benchmarks").json()] == [benchmark.pk]


def test_create_matrix(client, world):
    agency = world.agencies["taiyuan_env"]

    def payload(who):
        return {
            "agency_id": agency.pk,
            "title": "太原市生态环境行政处罚裁量基准（2023）",
            "doc_number": "并环发〔2023〕4号",
            "domain": "生态环境",
            "effective_from": "2023-03-01",
        }

    assert_write_matrix(
        client,
        "post",
        f"{BASE}/staff/benchmarks",
        world.users,
        {**DENIED, "taiyuan_drafter": 201},
        payload=payload,
        watch=WATCH,
    )
    created = DiscretionBenchmark.objects.get()
    assert (created.status, created.doc_key, created.agency) == ("draft", "并环发〔2023〕4号", agency)


def test_update_publish_version_retire_matrices(client, world, make_benchmark):
    draft = make_benchmark(publish=False)
    url = f"{BASE}/staff/benchmarks/{draft.pk}"
    assert_write_matrix(
        client,
        "patch",
        url,
        world.users,
        {**DENIED, "taiyuan_drafter": 200},
        payload=lambda w: {"note": "征求意见稿"},
        watch=WATCH,
    )
    assert_write_matrix(client, "post", f"{url}/publish", world.users, {**DENIED, "taiyuan_admin": 200}, watch=WATCH)
    assert_write_matrix(
        client,
        "post",
        f"{url}/versions",
        world.users,
        {**DENIED, "province_admin": 201},
        payload=lambda w: {"doc_number": "并环发〔2024〕1号", "effective_from": "2024-01-01"},
        watch=WATCH,
    )
    assert DiscretionBenchmark.objects.filter(previous=draft, status="draft").count() == 1
    next_version = DiscretionBenchmark.objects.get(previous=draft)
    assert_write_matrix(
        client,
        "post",
        f"{BASE}/staff/benchmarks/{next_version.pk}/retire",
        world.users,
        {**DENIED, "taiyuan_drafter": 409},  # a draft is not retired: it is simply not published
        payload=lambda w: {"retired_on": "2024-06-01", "reason": "停止施行"},
        watch=WATCH,
    )
    assert_write_matrix(
        client,
        "post",
        f"{url}/retire",
        world.users,
        {**DENIED, "taiyuan_drafter": 409},  # it has a pending draft version
        payload=lambda w: {"retired_on": "2024-06-01", "reason": "停止施行"},
        watch=WATCH,
    )


def test_item_and_rule_matrices(client, world, benchmark):
    item = BenchmarkItem.objects.get(benchmark=benchmark, code="2.1")
    rule = item.rules.get(position=1)
    assert_write_matrix(
        client,
        "patch",
        f"{BASE}/staff/items/{item.pk}",
        world.users,
        {**DENIED, "taiyuan_drafter": 200},
        payload=lambda w: {"note": "参照广东省裁量表第二章第一条"},
        watch=WATCH,
    )
    assert BenchmarkItem.objects.get(pk=item.pk).note == "参照广东省裁量表第二章第一条"
    assert_write_matrix(
        client,
        "put",
        f"{BASE}/staff/rules/{rule.pk}",
        world.users,
        {**DENIED, "taiyuan_drafter": 200},
        payload=lambda w: {
            "circumstances": "违法程度：以拖延执法人员的方式阻挠监督检查；近一年同类违法行为情况：无同类违法行为",
            "grade": "从轻处罚",
            "fine": "2万元以上3万元以下",
        },
        watch=WATCH,
    )
    assert item.rules.get(position=1).fine_max == 30000


def test_import_matrix_and_report(client, world, make_benchmark):
    draft = make_benchmark(rows=OBSTRUCTION, publish=False)
    url = f"{BASE}/staff/benchmarks/{draft.pk}/import"
    rows = [*FEES, {"事项编码": "9.9", "违法行为": "x", "处罚依据": "y", "情形": "a：b", "罚款": "很多"}]
    for who, status in {**DENIED, "taiyuan_drafter": 200}.items():
        client.logout()
        if who:
            client.force_login(world.users[who])
        before = table_state(WATCH)
        upload = io.BytesIO(write_csv(rows))
        upload.name = "基准.csv"
        response = client.post(url, {"file": upload})
        assert response.status_code == status, (who, response.content[:200])
        if status >= 400:
            assert table_state(WATCH) == before
    body = response.json()
    assert (body["created"], body["rejected_rows"]) == (1, 1)
    assert body["problems"][0] | {"message": ""} == {
        "row": 6,
        "field": "fine",
        "field_label": "罚款",
        "code": "invalid_fine",
        "message": "",
        "level": "error",
    }


def test_bad_staff_input_is_refused_in_chinese_and_changes_nothing(client, world, benchmark):
    client.force_login(world.users["taiyuan_drafter"])
    before = table_state(WATCH)
    response = client.patch(
        f"{BASE}/staff/benchmarks/{benchmark.pk}",
        json.dumps({"doc_number": "并环发〔2030〕1号"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "已发布的版本不能修改文号和施行日期；如需调整，请发布新版本"
    response = client.post(
        f"{BASE}/staff/benchmarks",
        json.dumps(
            {
                "agency_id": world.agencies["taiyuan_env"].pk,
                "title": "",
                "doc_number": "第几号",
                "domain": "",
                "effective_from": "2023-01-01",
                "expires_on": "2022-01-01",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert fields["title"] == "请填写文件名称" and fields["expires_on"] == "有效期至不能早于施行日期"
    assert "应写成“机关代字〔年份〕序号号”" in fields["doc_number"]
    assert table_state(WATCH) == before


def test_a_person_over_many_agencies_issues_a_benchmark_for_any_of_them(client, world):
    """The province's administrator manages every agency: the one chosen need not be the first of them."""
    agency = world.agencies["taiyuan_env"]
    client.force_login(world.users["province_admin"])
    response = client.post(
        f"{BASE}/staff/benchmarks",
        {
            "agency_id": agency.pk,
            "title": "太原市生态环境行政处罚裁量基准（2024）",
            "doc_number": "并环发〔2024〕2号",
            "domain": "生态环境",
            "effective_from": "2024-03-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content.decode()
    assert DiscretionBenchmark.objects.get().agency == agency

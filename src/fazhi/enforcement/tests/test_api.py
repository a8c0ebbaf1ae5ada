"""The API: an authorization matrix for every staff operation, public reads, and bad input answered in Chinese
with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.testing import assert_read_matrix, assert_write_matrix, table_state
from fazhi.enforcement import services
from fazhi.enforcement.models import Certificate, Officer, PowerItem
from fazhi.enforcement.tests.conftest import ID_NUMBER, TODAY, make_id
from fazhi.enforcement.tests.test_staff import WATCH

pytestmark = pytest.mark.django_db
API = "/api/v1/enforcement"
DENY = {"shangdang_supervisor": 404, "xiaodian_officer": 403, None: 401}


def test_staff_reads(client, setup):
    w = setup
    for url in (
        f"{API}/staff/officers/{w.officers['zhang'].pk}/certificates",
        f"{API}/staff/certificates/{w.cert.pk}",
        f"{API}/staff/officers/{w.officers['zhang'].pk}/validity?on={TODAY.isoformat()}",
    ):
        assert_read_matrix(
            client,
            url,
            w.users,
            {"xiaodian_supervisor": 200, "xiaodian_officer": 200, "shangdang_supervisor": 404, None: 401},
        )
    for url in (f"{API}/staff/bodies", f"{API}/staff/officers", f"{API}/staff/powers"):
        assert_read_matrix(client, url, w.users, {"xiaodian_supervisor": 200, "shangdang_supervisor": 200, None: 401})
    client.force_login(w.users["shangdang_supervisor"])
    names = [o["name"] for o in client.get(f"{API}/staff/officers").json()["items"]]
    assert names == ["王五"]
    client.force_login(w.users["xiaodian_officer"])
    items = client.get(f"{API}/staff/officers?q=张三").json()["items"]
    assert items[0]["id_number"] == ID_NUMBER  # staff of the body see the full number; the public never does


def test_validity_for_the_case_module(client, setup):
    client.force_login(setup.users["xiaodian_supervisor"])
    zhang = setup.officers["zhang"]
    body = client.get(f"{API}/staff/officers/{zhang.pk}/validity?on={TODAY.isoformat()}").json()
    assert body["valid"] is True and body["certificate_number"] == setup.cert.number
    before = (setup.cert.issued_on - dt.timedelta(days=1)).isoformat()
    body = client.get(f"{API}/staff/officers/{zhang.pk}/validity?on={before}").json()
    assert body == {**body, "valid": False, "code": "no_certificate", "label": "无执法证件", "certificate_number": None}


def test_every_staff_write_by_who_may_make_it(client, setup):
    w = setup
    body = w.bodies["xiaodian"]
    zhang = w.officers["zhang"]
    ok = "xiaodian_supervisor"

    assert_write_matrix(
        client,
        "post",
        f"{API}/staff/bodies",
        w.users,
        {**DENY, ok: 201},
        payload=lambda who: {
            "name": "太原市小店区综合行政执法大队",
            "kind": "team",
            "agency_id": w.org.agencies["xiaodian_market"].pk,
            "domains": ["market", "culture"],
            "legal_basis": "《山西省综合行政执法条例》（推定）",
        },
        watch=WATCH,
    )
    assert_write_matrix(
        client,
        "patch",
        f"{API}/staff/bodies/{body.pk}",
        w.users,
        {**DENY, ok: 200},
        payload=lambda who: {"contact": "小店区坞城路 1 号，0351-1234567"},
        watch=WATCH,
    )
    assert_write_matrix(
        client,
        "post",
        f"{API}/staff/officers",
        w.users,
        {**DENY, ok: 201},
        payload=lambda who: {
            "body_id": body.pk,
            "name": "周九",
            "id_number": make_id(dt.date(1990, 9, 9), 91),
            "employment": "civil_servant",
        },
        watch=WATCH,
    )
    zhou = Officer.objects.get(name="周九")
    assert_write_matrix(
        client,
        "patch",
        f"{API}/staff/officers/{zhou.pk}",
        w.users,
        {**DENY, ok: 200},
        payload=lambda who: {"position": "科员"},
        watch=WATCH,
    )
    assert_write_matrix(
        client,
        "post",
        f"{API}/staff/officers/{zhou.pk}/certificates",
        w.users,
        {**DENY, ok: 201},
        payload=lambda who: {"domains": ["market"]},
        watch=WATCH,
    )
    assert_write_matrix(
        client,
        "post",
        f"{API}/staff/certificates/{w.cert.pk}/steps/suspend",
        w.users,
        {**DENY, ok: 200},
        payload=lambda who: {"reason": "涉嫌违纪"},
        watch=WATCH,
    )
    assert_write_matrix(
        client,
        "post",
        f"{API}/staff/powers",
        w.users,
        {**DENY, ok: 201},
        payload=lambda who: {
            "body_id": body.pk,
            "code": "JC-1",
            "name": "食品经营监督检查",
            "category": "inspection",
            "legal_basis": "《中华人民共和国食品安全法》第一百一十条",
            "effective_on": TODAY.isoformat(),
            "doc_number": "晋政发[2026]2号",
            "random_inspection": True,
        },
        watch=WATCH,
    )
    assert_write_matrix(
        client,
        "post",
        f"{API}/staff/powers/{w.item.pk}/adjustments",
        w.users,
        {**DENY, ok: 200},
        payload=lambda who: {
            "kind": "cancelled",
            "effective_on": TODAY.isoformat(),
            "doc_number": "晋政发〔2026〕9号",
            "reason": "上位法取消",
        },
        watch=WATCH,
    )
    assert Certificate.objects.get(pk=w.cert.pk).status == "suspended"
    assert PowerItem.objects.get(pk=w.item.pk).status == "cancelled"
    assert zhang.certificates.count() == 1


def test_the_whole_lifecycle_through_the_api(client, setup):
    w = setup
    client.force_login(w.users["xiaodian_supervisor"])
    wang = services.create_officer(
        actor=None,
        body=w.bodies["xiaodian"],
        name="吴十",
        id_number=make_id(dt.date(1985, 5, 5), 51),
        employment="civil_servant",
    )
    created = client.post(
        f"{API}/staff/officers/{wang.pk}/certificates", {"domains": ["market"]}, content_type="application/json"
    )
    cert_id = created.json()["id"]
    assert created.json()["allowed_steps"] == ["exam", "cancel"]
    step = client.post(f"{API}/staff/certificates/{cert_id}/steps/exam", {"score": 90}, content_type="application/json")
    assert step.json()["status"] == "exam_passed"
    issued = client.post(f"{API}/staff/certificates/{cert_id}/steps/issue", {}, content_type="application/json").json()
    assert issued["status"] == "active" and issued["valid_today"] is True
    assert f"/enforcement/verify/{issued['number']}/?p=" in issued["verify_url"]
    lost = client.post(
        f"{API}/staff/certificates/{cert_id}/steps/report_loss", {"reason": "遗失"}, content_type="application/json"
    ).json()
    assert lost["status"] == "lost" and lost["allowed_steps"] == ["reissue"]
    new = client.post(f"{API}/staff/certificates/{cert_id}/steps/reissue", {}, content_type="application/json").json()
    assert new["id"] != cert_id and new["replaces"] == issued["number"] and new["status"] == "active"
    public = client.get(f"{API}/certificates/{issued['number']}").json()
    assert public["validity_label"] == "遗失作废" and public["successor"] == new["number"]
    officers = client.get(f"{API}/officers?q=吴十").json()
    assert officers["count"] == 1 and officers["items"][0]["number"] == new["number"]
    assert "id_number" not in officers["items"][0]


@pytest.mark.parametrize(
    ("url", "payload", "words"),
    [
        ("/staff/officers", {"body_id": 0, "name": "x", "id_number": "1", "employment": "civil_servant"}, "未找到"),
        ("/staff/officers", {"name": "x"}, "body_id"),
        ("/staff/officers/{zhang}/certificates", {"domains": ["nonsense"]}, "没有执法领域“nonsense”"),
        ("/staff/officers/{li}/certificates", {"domains": ["market"]}, "李四为临时工，不能申领执法证"),
        ("/staff/certificates/{cert}/steps/renew", {}, "方可换证"),
        ("/staff/certificates/{cert}/steps/exam", {"score": 80}, "不能办理“登记培训考试（合格）”"),
        ("/staff/certificates/{cert}/steps/cancel", {}, "请选择注销原因"),
        ("/staff/certificates/{cert}/steps/suspend", {"reason": "x", "on": "2999-01-01"}, "不能晚于今天"),
        (
            "/staff/powers",
            {
                "body_id": "{body}",
                "code": "",
                "name": "x",
                "category": "penalty",
                "legal_basis": "y",
                "effective_on": "2024-01-01",
                "doc_number": "",
            },
            "请填写事项编码",
        ),
        (
            "/staff/powers/{item}/adjustments",
            {
                "kind": "delegated",
                "effective_on": "2025-01-01",
                "doc_number": "晋政发〔2025〕1号",
                "to_body_id": 999999,
            },
            "承接主体不存在",
        ),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(client, setup, url, payload, words):
    w = setup
    ids = {
        "zhang": w.officers["zhang"].pk,
        "li": w.officers["li"].pk,
        "cert": w.cert.pk,
        "item": w.item.pk,
        "body": w.bodies["xiaodian"].pk,
    }
    url = API + url.format(**ids)
    payload = {k: (ids["body"] if v == "{body}" else v) for k, v in payload.items()}
    client.force_login(w.users["xiaodian_supervisor"])
    before = table_state(WATCH)
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code in (404, 422), response.content
    text = response.content.decode()
    assert words in text, text
    assert table_state(WATCH) == before


def test_public_reads_of_bodies_and_officers(client, setup):
    bodies = client.get(f"{API}/bodies?domain=health").json()
    assert [b["name"] for b in bodies["items"]] == ["太原市小店区市场监督管理局"]
    assert bodies["items"][0]["remedy_channels"].startswith("对行政处罚决定不服的")
    assert client.get(f"{API}/bodies/999999").status_code == 404
    for division, names in (("140000", 2), ("140100", 1), ("140105", 1), ("140404", 1), ("140110", 0)):
        assert client.get(f"{API}/bodies?division={division}").json()["count"] == names, division
    officers = client.get(f"{API}/officers").json()
    assert [o["name"] for o in officers["items"]] == ["张三"]
    item = client.get(f"{API}/powers/{setup.item.pk}").json()
    assert (
        item["adjustments"][0]["kind_label"] == "新增" and item["adjustments"][0]["doc_number"] == "晋政发〔2020〕1号"
    )

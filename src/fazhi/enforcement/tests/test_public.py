"""What the public sees: bodies, officers with valid certificates, verification by number, the portal search — and
never an officer's ID number, birth date or phone."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.enforcement import services
from fazhi.enforcement.tests.conftest import ID_NUMBER, PHONE, TODAY, issue, make_id
from fazhi.portal.query import Query, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(world):
    world.cert = issue(world.officers["zhang"], issued=TODAY - dt.timedelta(days=90))
    services.create_power_item(
        actor=None,
        body=world.bodies["xiaodian"],
        code="CF-001",
        name="对生产经营不符合食品安全标准食品的处罚",
        category="penalty",
        legal_basis="《中华人民共和国食品安全法》第一百二十四条",
        effective_on=TODAY - dt.timedelta(days=200),
        doc_number="晋政发〔2020〕12号",
    )
    return world


def public_texts(client, world):
    cert = world.cert
    body = world.bodies["xiaodian"]
    zhang = world.officers["zhang"]
    urls = [
        "/enforcement/",
        "/enforcement/bodies/",
        f"/enforcement/bodies/{body.pk}/",
        "/enforcement/officers/",
        "/enforcement/officers/?q=张三",
        f"/enforcement/officers/{zhang.pk}/",
        f"/enforcement/verify/{cert.number}/",
        "/enforcement/powers/",
        "/search/?q=张三",
        "/search/?q=小店区市场",
        "/api/v1/enforcement/bodies",
        f"/api/v1/enforcement/bodies/{body.pk}",
        "/api/v1/enforcement/officers?q=张三",
        f"/api/v1/enforcement/certificates/{cert.number}",
        "/api/v1/search?q=张三",
    ]
    texts = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = response.content.decode()
    return texts


def test_public_pages_and_api_show_public_facts_and_nothing_private(client, certified):
    texts = public_texts(client, certified)
    birth = "1985-03-15"
    for url, text in texts.items():
        assert ID_NUMBER not in text, url
        assert PHONE not in text, url
        assert birth not in text and "19850315" not in text, url
    officer_page = texts[f"/enforcement/officers/{certified.officers['zhang'].pk}/"]
    assert (
        "张三" in officer_page
        and certified.cert.number in officer_page
        and "太原市小店区市场监督管理局" in officer_page
    )
    body_page = texts[f"/enforcement/bodies/{certified.bodies['xiaodian'].pk}/"]
    for words in (
        "市场监管",
        "卫生健康",
        "行政处罚法",
        "六十日内",
        "立案—调查取证",
        "对生产经营不符合食品安全标准食品的处罚",
    ):
        assert words in body_page
    assert "李四" not in body_page  # a 临时工 holds no certificate, so is not listed


def test_verify_by_number_shows_every_state_clearly(client, certified):
    cert = certified.cert
    page = client.get(f"/enforcement/verify/{cert.number}/").content.decode()
    assert "有效" in page and "张三" in page
    services.suspend_certificate(actor=None, certificate=cert, reason="涉嫌违纪")
    page = client.get(f"/enforcement/verify/{cert.number}/").content.decode()
    assert '<p class="big">暂扣</p>' in page and "不能</strong>用于执法" in page
    services.revoke_certificate(actor=None, certificate=cert, reason="开除")
    page = client.get(f"/enforcement/verify/{cert.number}/").content.decode()
    assert '<p class="big">已吊销</p>' in page
    api = client.get(f"/api/v1/enforcement/certificates/{cert.number}").json()
    assert api["valid"] is False and api["validity_label"] == "已吊销"
    assert client.get(f"/enforcement/officers/{certified.officers['zhang'].pk}/").status_code == 404


def test_an_expired_certificate_says_so(client, world):
    old = issue(world.officers["wang"], issued=dt.date(2019, 1, 10))
    page = client.get(f"/enforcement/verify/{old.number}/").content.decode()
    assert '<p class="big">已过期</p>' in page


def test_bad_or_unknown_numbers_are_explained(client, certified):
    response = client.get("/enforcement/verify/?number=1401 0000 0012")
    assert response.status_code == 400 and "校验位不对" in response.content.decode()
    response = client.get("/enforcement/verify/?number=abc")
    assert "应为 12 位数字" in response.content.decode()
    good = certified.cert.number
    spaced = f"{good[:4]} {good[4:8]} {good[8:]}"
    response = client.get("/enforcement/verify/", {"number": spaced})
    assert response.status_code == 302 and response["Location"].endswith(f"/enforcement/verify/{good}/")
    unknown = "140199999990"  # well-formed (check digit right), never issued
    response = client.get(f"/enforcement/verify/{unknown}/")
    assert response.status_code == 404 and "查无此证" in response.content.decode()
    api = client.get("/api/v1/enforcement/certificates/123")
    assert api.status_code == 422 and "12 位数字" in api.json()["message"]


def test_the_portal_finds_bodies_officers_with_valid_certificates_and_power_items(certified):
    def found(q, type_):
        return [h.title for h in search(Query(q=q, types=(type_,))).items]

    assert found("张三", "officer") == ["张三"]
    assert found(certified.cert.number[:8], "officer") == ["张三"]
    assert found("小店区市场", "body") == ["太原市小店区市场监督管理局"]
    assert found("食品安全标准", "power") == ["对生产经营不符合食品安全标准食品的处罚"]
    assert search(Query(q="晋政发〔2020〕12号")).items[0].title == "对生产经营不符合食品安全标准食品的处罚"

    # the index stops showing the officer the day the certificate is no longer valid, even with no write
    assert found("张三", "officer")
    late = certified.cert.review_due + dt.timedelta(days=1)
    assert [h.title for h in search(Query(q="张三", types=("officer",)), today=late).items] == []

    services.suspend_certificate(actor=None, certificate=certified.cert, reason="涉嫌违纪")
    assert found("张三", "officer") == []
    services.update_body(actor=None, body=certified.bodies["xiaodian"], changes={"name": "太原市小店区市场监管局"})
    assert found("小店区市场监管局", "body") == ["太原市小店区市场监管局"]


def test_list_pages_use_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(12):
        officer = services.create_officer(
            actor=None,
            body=world.bodies["xiaodian"],
            name=f"人员{n}",
            id_number=make_id(dt.date(1980, 1, 1), 100 + n),
            employment="civil_servant",
        )
        issue(officer, issued=TODAY - dt.timedelta(days=10))
    with django_assert_max_num_queries(12):
        assert "人员11" in client.get("/enforcement/officers/").content.decode()
    with django_assert_max_num_queries(12):
        client.get("/enforcement/bodies/")
    with django_assert_max_num_queries(14):
        client.get(f"/enforcement/bodies/{world.bodies['xiaodian'].pk}/")

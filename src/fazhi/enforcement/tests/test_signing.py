"""Signed verification links: checkable with the published public key alone; any change breaks them; the verify
page shows the signed facts and whether they still match the record."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import fields, replace
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from fazhi.enforcement import services, signing
from fazhi.enforcement.tests.conftest import TODAY, issue

pytestmark = pytest.mark.django_db


def b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture
def cert(world):
    return issue(world.officers["zhang"], issued=TODAY - dt.timedelta(days=60))


@pytest.fixture
def link(cert):
    return signing.verification_url(cert, f"https://fazhi.example.cn/enforcement/verify/{cert.number}/")


def test_the_link_verifies_offline_with_the_published_key_alone(client, cert, link):
    """What the README tells a citizen to do, with nothing but ``cryptography`` and the PEM file."""
    pem = client.get("/enforcement/verify/public-key.pem").content
    raw = base64.b64decode(client.get("/enforcement/verify/public-key.txt").content)
    query = parse_qs(urlsplit(link).query)
    message, signature = b64(query["p"][0]), b64(query["s"][0])
    key = serialization.load_pem_public_key(pem)
    assert isinstance(key, Ed25519PublicKey)
    key.verify(signature, message)  # raises InvalidSignature if anything was changed
    Ed25519PublicKey.from_public_bytes(raw).verify(signature, message)
    text = message.decode("utf-8")
    assert text.split("\n") == [
        "FZCERT1",
        f"number={cert.number}",
        "name=张三",
        "body=太原市小店区市场监督管理局",
        "domains=市场监管",
        f"issued={cert.issued_on.isoformat()}",
        f"expires={cert.expires_on.isoformat()}",
        f"key={signing.key_id()}",
    ]
    assert "140105198503150014" not in text  # no ID number, phone or birth date in the QR code
    api = client.get("/api/v1/enforcement/signing-key").json()
    assert api["public_key_pem"] == pem.decode() and api["key_id"] == signing.key_id() and api["algorithm"] == "Ed25519"


@pytest.mark.parametrize("name", [f.name for f in fields(signing.SignedFacts)])
def test_changing_any_field_breaks_the_signature(cert, link, name):
    query = parse_qs(urlsplit(link).query)
    facts = signing.SignedFacts.parse(b64(query["p"][0]))
    forged = replace(facts, **{name: getattr(facts, name) + "1"})
    result = signing.check(signing.b64url(forged.message()), query["s"][0])
    assert not result.valid and "签名不符" in result.problem
    assert signing.check(query["p"][0], query["s"][0]).valid


def test_a_forged_signature_or_another_key_is_refused(cert, link, settings):
    query = parse_qs(urlsplit(link).query)
    signature = bytearray(b64(query["s"][0]))
    signature[0] ^= 1
    assert not signing.check(query["p"][0], signing.b64url(bytes(signature))).valid
    assert signing.check("@@@", query["s"][0]).problem == "链接中的签名数据不完整或已损坏"
    assert signing.check(signing.b64url(b"hello"), query["s"][0]).problem == "链接中的证件信息格式不对"
    other = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    settings.FAZHI_SIGNING_KEY = other.decode()
    assert not signing.check(query["p"][0], query["s"][0]).valid


def test_the_verify_page_shows_the_signed_facts_and_whether_they_still_match(client, world, cert, link):
    path = link.split("fazhi.example.cn", 1)[1]
    page = client.get(path).content.decode()
    assert "签名真实，信息与现有记录一致" in page and "张三" in page and "有效" in page

    services.update_officer(actor=None, officer=world.officers["zhang"], changes={"name": "张叁"})
    page = client.get(path).content.decode()
    assert "签名真实，但信息已有变化" in page
    assert "<td>姓名</td><td>张三</td><td>张叁</td>" in page

    services.suspend_certificate(actor=None, certificate=cert, reason="涉嫌违纪")
    page = client.get(path).content.decode()
    assert "暂扣" in page and "不能</strong>用于执法" in page

    query = parse_qs(urlsplit(link).query)
    facts = signing.SignedFacts.parse(b64(query["p"][0]))
    forged = signing.b64url(replace(facts, expires="2099-12-31").message())
    page = client.get(f"/enforcement/verify/{cert.number}/?p={forged}&s={query['s'][0]}").content.decode()
    assert "签名无效" in page and "请勿相信" in page

    body = client.get(f"/api/v1/enforcement/verify?p={query['p'][0]}&s={query['s'][0]}").json()
    assert body["signature_valid"] is True and body["matches_record"] is False
    assert body["certificate"]["valid"] is False and body["certificate"]["status_label"] == "暂扣"
    assert {d["field"] for d in body["differences"]} == {"name"}


def test_a_link_moved_to_another_number_is_refused(client, world, cert, link):
    other = issue(world.officers["wang"], issued=TODAY - dt.timedelta(days=3), reviews=False)
    query = urlsplit(link).query
    page = client.get(f"/enforcement/verify/{other.number}/?{query}").content.decode()
    assert "链接地址中的证号与签名内容不一致" in page


def test_the_staff_page_shows_a_qr_code_of_the_signed_link(client, world, cert):
    client.force_login(world.users["xiaodian_supervisor"])
    page = client.get(f"/enforcement/staff/certificates/{cert.pk}/").content.decode()
    assert "<svg" in page and "执法证核验二维码" in page
    assert f"/enforcement/verify/{cert.number}/?p=" in page
    card = client.get(f"/enforcement/staff/certificates/{cert.pk}/card/").content.decode()
    assert "行政执法证" in card and "<svg" in card and cert.number in card


def test_the_deploy_check_names_an_unusable_or_generated_key(settings, tmp_path):
    from fazhi.enforcement.checks import signing_key_check

    settings.FAZHI_SIGNING_KEY = str(tmp_path / "missing.pem")
    assert [m.id for m in signing_key_check()] == ["fazhi.enforcement.E001"]
    settings.FAZHI_SIGNING_KEY = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"
    assert [m.id for m in signing_key_check()] == ["fazhi.enforcement.E001"]
    generated = settings.DATA_DIR / "signing_key.pem"
    settings.FAZHI_SIGNING_KEY = str(generated)
    assert [m.id for m in signing_key_check()] == ["fazhi.enforcement.I001"]

"""Signed verification links for certificate QR codes (Ed25519), checkable offline with the published public key.

The QR code on a certificate holds the address of its verification page with two parameters::

    https://<site>/enforcement/verify/<number>/?p=<message, base64url>&s=<signature, base64url>

``p`` is the signed message: UTF-8 text, lines separated by ``\\n``, no trailing newline::

    FZCERT1
    number=140100001233
    name=张三
    body=太原市小店区市场监督管理局
    domains=市场监管、食品安全
    issued=2024-03-01
    expires=2029-02-28
    key=3f2a9c0d41b7e215

``s`` is the Ed25519 signature over exactly those bytes; both are base64url without ``=`` padding. ``key`` is the
id of the signing key (the first 16 hex digits of SHA-256 over the 32 raw public-key bytes), so verifiers can tell
keys apart after a rotation. The public key is published at ``/enforcement/verify/public-key.pem`` (PEM) and
``/enforcement/verify/public-key.txt`` (the 32 raw bytes, standard base64) and in the API.

The private key comes from the ``FAZHI_SIGNING_KEY`` setting: PEM text, or the path of a PEM file (PKCS#8,
unencrypted). Development generates one under the data directory (``settings.py``); production must set it.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from .models import Certificate

MESSAGE_VERSION = "FZCERT1"
MAX_PARAM = 4000  # longer parameters are not ours (a QR code holds ~3 kB at most)


@dataclass(frozen=True)
class SignedFacts:
    """The public facts a QR code carries, in the order they are signed."""

    number: str
    name: str
    body: str
    domains: str  # names joined by "、"
    issued: str  # YYYY-MM-DD
    expires: str  # YYYY-MM-DD
    key: str  # key id

    def message(self) -> bytes:
        lines = [MESSAGE_VERSION, *(f"{f.name}={_one_line(getattr(self, f.name))}" for f in fields(self))]
        return "\n".join(lines).encode("utf-8")

    @classmethod
    def parse(cls, message: bytes) -> SignedFacts:
        """The facts of a message; ValueError when it is not a ``FZCERT1`` message with exactly these fields."""
        lines = message.decode("utf-8").split("\n")
        if not lines or lines[0] != MESSAGE_VERSION:
            raise ValueError("not a FZCERT1 message")
        names = [f.name for f in fields(cls)]
        pairs = [line.partition("=") for line in lines[1:]]
        if [key for key, _, _ in pairs] != names or any(sep != "=" for _, sep, _ in pairs):
            raise ValueError("fields missing, extra or out of order")
        return cls(**{key: value for key, _, value in pairs})


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    if len(text) > MAX_PARAM:
        raise ValueError("too long")
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


# --- keys --------------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _load(value: str) -> Ed25519PrivateKey:
    pem = value.encode("ascii") if value.lstrip().startswith("-----BEGIN") else Path(value).read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("FAZHI_SIGNING_KEY 必须是 Ed25519 私钥（PEM，PKCS#8，不加密）")
    return key


def available() -> bool:
    return bool(getattr(settings, "FAZHI_SIGNING_KEY", ""))


def private_key() -> Ed25519PrivateKey:
    value = getattr(settings, "FAZHI_SIGNING_KEY", "")
    if not value:
        raise ImproperlyConfigured(
            "未配置执法证二维码签名密钥：请设置 FAZHI_SIGNING_KEY（Ed25519 私钥 PEM 或其文件路径）"
        )
    return _load(value)


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_raw() -> bytes:
    return _raw(public_key())


def public_key_pem() -> str:
    return (
        public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def public_key_base64() -> str:
    return base64.b64encode(public_key_raw()).decode("ascii")


def key_id(raw: bytes | None = None) -> str:
    return hashlib.sha256(public_key_raw() if raw is None else raw).hexdigest()[:16]


# --- signing and checking ----------------------------------------------------------------------------------------


def facts_of(certificate: Certificate) -> SignedFacts:
    """The public facts of an issued certificate (never an ID number, phone or birth date)."""
    if not certificate.number or certificate.issued_on is None or certificate.expires_on is None:
        raise ValueError("only issued certificates carry a QR code")
    officer = certificate.officer
    return SignedFacts(
        number=certificate.number,
        name=officer.name,
        body=officer.body.name,
        domains="、".join(d.name for d in certificate.domains.all()),
        issued=certificate.issued_on.isoformat(),
        expires=certificate.expires_on.isoformat(),
        key=key_id(),
    )


def sign(facts: SignedFacts) -> dict[str, str]:
    """The query parameters ``p`` (message) and ``s`` (signature) of a verification link."""
    message = facts.message()
    return {"p": b64url(message), "s": b64url(private_key().sign(message))}


def verification_url(certificate: Certificate, page_url: str) -> str:
    """``page_url`` (the absolute address of the certificate's verification page) with the signed facts."""
    return f"{page_url}?{urlencode(sign(facts_of(certificate)))}"


@dataclass(frozen=True)
class Check:
    """What a verification link says: whether its signature holds, and the facts it carries."""

    valid: bool
    facts: SignedFacts | None
    problem: str = ""  # Chinese, when not valid


def check(p: str, s: str, *, key: Ed25519PublicKey | None = None) -> Check:
    """Check a link's ``p`` and ``s`` with the public key (this site's own by default)."""
    try:
        message, signature = unb64url(p), unb64url(s)
    except (ValueError, binascii.Error):
        return Check(False, None, "链接中的签名数据不完整或已损坏")
    try:
        facts = SignedFacts.parse(message)
    except (ValueError, UnicodeDecodeError):
        return Check(False, None, "链接中的证件信息格式不对")
    public = key or public_key()
    try:
        public.verify(signature, message)
    except InvalidSignature:
        return Check(False, facts, "签名不符：二维码中的信息被改动过，或不是本平台签发的")
    if facts.key != key_id(_raw(public)):
        return Check(False, facts, "签名密钥编号与公布的公钥不一致")
    return Check(True, facts)

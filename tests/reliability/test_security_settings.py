"""Security settings: headers, cookie flags, password rules, login throttling, and ``check --deploy`` in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from fazhi.core.security import spreadsheet_safe

from .conftest import record_figures

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "FAZHI_ENV": "production",
    "FAZHI_SECRET_KEY": "k" * 20 + "Zq8#vR2!mW9@xL4$pN7^tB1&cF6*hJ3(",
    "FAZHI_ALLOWED_HOSTS": "fazhi.example.gov.cn",
    "DJANGO_SETTINGS_MODULE": "fazhi.settings",
}


def _production(code: str) -> subprocess.CompletedProcess[str]:
    # Not the test process's own settings, nor the flag the browser fixture sets for Playwright (a deployment must not
    # set it, and check --deploy says so).
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("FAZHI_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    } | PRODUCTION_ENV
    env["FAZHI_DATA_DIR"] = os.environ.get("FAZHI_DATA_DIR", str(REPO / "var"))
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, cwd=REPO
    )


def test_check_deploy_is_clean_in_production():
    result = _production(
        "import django; django.setup(); from django.core.management import call_command;"
        " call_command('check', '--deploy', '--fail-level', 'WARNING')"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    record_figures("deploy_check", {"clean": True})


def test_production_cookie_and_transport_flags():
    result = _production(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_SAMESITE, s.DEBUG)"
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "True", "Lax", "False"], result.stderr


@pytest.mark.django_db
def test_every_answer_carries_the_security_headers(client):
    for url in ("/", "/credit/", "/api/v1/search?q=公司", "/accounts/login/", "/no-such-page/"):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url
        assert "object-src 'none'" in response["Content-Security-Policy"], url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_session_settings():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.parametrize("password", ["short1", "12345678901", "password123", "abcdefghij"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_reasonable_password_passes():
    validate_password("Fz-2026-shanxi-fazhi")


@pytest.mark.django_db
def test_login_is_throttled_per_user_name_and_address(org_world):
    client = Client()
    url = "/accounts/login/"
    for _ in range(settings.FAZHI_LOGIN_FAILURES):
        response = client.post(url, {"username": "xiaodian_officer", "password": "wrong-password"})
        assert response.status_code == 200 and "登录失败次数过多" not in response.content.decode()
    # Locked now, even with the right password; the message says so in Chinese.
    response = client.post(url, {"username": "xiaodian_officer", "password": "ceshi-mima-2026"})
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user from the same address, and the same user from another address, are not affected.
    assert Client().post(url, {"username": "taiyuan_admin", "password": "ceshi-mima-2026"}).status_code == 302
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.post(url, {"username": "xiaodian_officer", "password": "ceshi-mima-2026"}).status_code == 302
    # The admin login counts too.
    admin = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(settings.FAZHI_LOGIN_FAILURES):
        admin.post("/admin/login/", {"username": "superuser", "password": "nope-nope-nope"})
    response = admin.post("/admin/login/", {"username": "superuser", "password": "ceshi-mima-2026"})
    assert "登录失败次数过多" in response.content.decode()
    record_figures("login_throttle", {"limit": settings.FAZHI_LOGIN_FAILURES})


@pytest.mark.django_db
def test_planted_missing_throttle_is_caught(org_world, monkeypatch):
    """Plant: the throttle never locks. The test above would then log the user in — and this proves it notices."""
    from fazhi.core import security

    monkeypatch.setattr(security, "is_throttled", lambda username, client: False)
    client = Client()
    for _ in range(settings.FAZHI_LOGIN_FAILURES):
        client.post("/accounts/login/", {"username": "xiaodian_officer", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "xiaodian_officer", "password": "ceshi-mima-2026"})
    assert response.status_code == 302  # logged in: the throttle check above would have failed


def test_spreadsheet_cells_are_neutralised():
    assert spreadsheet_safe("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert spreadsheet_safe("@SUM(1)") == "'@SUM(1)"
    assert spreadsheet_safe("-5") == "-5" and spreadsheet_safe("0.5") == "0.5"
    assert spreadsheet_safe("某某公司") == "某某公司"

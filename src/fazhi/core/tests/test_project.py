"""Project-level promises: deploy settings, the OpenAPI snapshot, Chinese errors, the health check."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        **os.environ,
        "FAZHI_ENV": "production",
        "FAZHI_SECRET_KEY": "k" * 20 + "x9Q!v2#Lm7@pR4$tZ8&wB1^yN6*sD3(hF5)jK0_" + "a" * 10,
        "FAZHI_ALLOWED_HOSTS": "fazhi.example.cn",
        "FAZHI_DATA_DIR": str(tmp_path),
    }
    for name in ("FAZHI_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "fazhi", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret(tmp_path):
    env = {
        **os.environ,
        "FAZHI_ENV": "production",
        "FAZHI_ALLOWED_HOSTS": "x.cn",
        "FAZHI_DATA_DIR": str(tmp_path),
    }
    env.pop("FAZHI_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "fazhi", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "FAZHI_SECRET_KEY" in result.stderr


def test_openapi_snapshot_is_current():
    from fazhi.core.management.commands.openapi import schema_text

    snapshot = REPO / "docs" / "openapi.json"
    assert snapshot.exists(), "docs/openapi.json 缺失：运行 make openapi 生成"
    assert json.loads(snapshot.read_text(encoding="utf-8")) == json.loads(schema_text()), (
        "API 与已提交的 OpenAPI 快照不一致：确认改动是有意的，然后运行 make openapi 并提交 docs/openapi.json"
    )


@pytest.mark.django_db
def test_unknown_pages_and_endpoints_answer_in_chinese(client):
    page = client.get("/no/such/page/")
    assert page.status_code == 404
    assert "未找到" in page.content.decode()
    api = client.get("/api/v1/no-such-endpoint")
    assert api.status_code == 404
    assert "未找到" in api.json()["message"]


@pytest.mark.django_db
def test_staff_endpoints_ask_for_login_in_chinese(client):
    response = client.get("/api/v1/org/agencies")
    assert response.status_code == 401
    assert response.json()["message"] == "请先登录"


@pytest.mark.django_db
def test_health_check_and_request_id(client):
    response = client.get("/healthz", headers={"X-Request-ID": "probe-12345678"})
    assert response.json()["status"] == "ok"
    assert response["X-Request-ID"] == "probe-12345678"
    assert client.get("/healthz", headers={"X-Request-ID": "<script>"})["X-Request-ID"].startswith("req-")


@pytest.mark.django_db
def test_login_page_and_wrong_password(client, org_world):
    page = client.post("/accounts/login/", {"username": "taiyuan_admin", "password": "wrong"})
    assert page.status_code == 200
    assert "用户名或密码不正确" in page.content.decode()
    from fazhi.conftest import PASSWORD

    ok = client.post("/accounts/login/", {"username": "taiyuan_admin", "password": PASSWORD}, follow=True)
    assert "taiyuan_admin" in ok.content.decode()


@pytest.mark.django_db
def test_interactive_api_page_needs_no_outside_network(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr.net" not in page
    assert "swagger-ui-bundle.js" in page

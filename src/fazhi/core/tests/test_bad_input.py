"""Bad input to every API endpoint gets a clear Chinese message and never a 500.

Walks the OpenAPI schema, so every endpoint a module adds is covered without writing a test for it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from fazhi.api import api

pytestmark = pytest.mark.django_db

NASTY = ["", "x'\"<script>", "-1", "99999999999999999999999", "2020-13-45", "１２３", "null", "\u200b", "%00", "\x00"]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    ops = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            ops.append((path, method, op))
    return ops


def _fill_path(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value or "0", path)


def _check(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{what} -> {response.status_code}"
    if response.status_code >= 400:
        body = response.json()
        assert CHINESE.search(body.get("message", "")), f"{what}: 错误信息不是中文：{body}"


@pytest.mark.parametrize(("path", "method", "op"), _operations(), ids=lambda v: v if isinstance(v, str) else "")
def test_endpoint_survives_garbage(client, org_world, path, method, op):
    client.force_login(org_world.users["taiyuan_admin"])
    params = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
    base = "/api/v1" + path if not path.startswith("/api/v1") else path
    for value in NASTY:
        url = _fill_path(base, value.replace("/", ""))
        query = {name: value for name in params}
        if method == "get":
            _check(client.get(url, query), f"GET {url} {query}")
        else:
            bodies = (
                "{broken",
                json.dumps([1, 2]),
                json.dumps({k: value for k in ["name", "kind", "division", "reason"]}),
            )
            for body in bodies:
                response = getattr(client, method)(url, data=body, content_type="application/json")
                _check(response, f"{method.upper()} {url} {body}")


def test_nul_characters_are_refused_on_pages_and_forms(client, org_world):
    client.force_login(org_world.users["taiyuan_admin"])
    page = client.get("/org/", {"q": "小店\x00"})
    assert page.status_code == 400
    assert "空字符" in page.content.decode()
    from fazhi.org.models import Agency

    form = client.post("/org/agencies/new/", {"name": "甲\x00局", "kind": "department", "division": "140105"})
    assert form.status_code in (400, 422)  # multipart forms are refused by the form's own field check
    assert "空字符" in form.content.decode()
    assert not Agency.objects.filter(name__startswith="甲").exists()


def test_an_id_too_large_for_the_database_is_not_found_not_a_server_error(client, org_world):
    # found by schemathesis: GET /api/v1/enforcement/staff/officers?body=<39 digits> answered 500
    huge = "49087746490113029125730570846469095424"
    client.force_login(org_world.users["superuser"])
    api_answer = client.get(f"/api/v1/enforcement/staff/officers?body={huge}")
    if api_answer.status_code == 422:  # SQLite cannot hold the number
        assert api_answer.json()["code"] == "out_of_range" and "编号过大" in api_answer.json()["message"]
    else:  # PostgreSQL compares it as a numeric: no such body
        assert api_answer.status_code == 200 and api_answer.json()["items"] == []
    assert client.get(f"/api/v1/cases/{huge}").status_code in (404, 422)
    assert client.get(f"/cases/{huge}/").status_code == 404
    assert client.get(f"/org/agencies/{huge}/").status_code == 404

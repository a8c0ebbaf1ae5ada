"""Public API answers can be cached and revalidated (ETag → 304); staff answers, writes and errors never are."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.cache import has_vary_header

from fazhi.core.identifiers import make_uscc
from fazhi.org import services as org_services

pytestmark = pytest.mark.django_db

DEADLINE = "/api/v1/clock/deadline?start=2020-09-28&days=7&unit=working"


def directives(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_never_stored(response: Any) -> None:
    assert {"private", "no-store"} <= directives(response), response.get("Cache-Control")
    assert "public" not in directives(response)
    assert not response.has_header("ETag")


def test_a_public_answer_is_cacheable_and_a_repeat_gets_304_without_a_body(client):
    first = client.get(DEADLINE)
    assert first.status_code == 200
    assert directives(first) == {"public", "max-age=60"}
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    assert has_vary_header(first, "Cookie") and has_vary_header(first, "Authorization")

    repeat = client.get(DEADLINE, headers={"If-None-Match": etag})
    assert repeat.status_code == 304
    assert repeat.content == b""
    assert repeat["ETag"] == etag
    assert directives(repeat) == {"public", "max-age=60"}
    assert has_vary_header(repeat, "Authorization")
    assert repeat.has_header("X-RateLimit-Remaining")  # the client still learns its allowance on a 304
    # Weak comparison, as browsers and proxies send it.
    assert client.get(DEADLINE, headers={"If-None-Match": f"W/{etag}"}).status_code == 304

    # If-Match with another version: 412, an error like any other.
    mismatch = client.get(DEADLINE, headers={"If-Match": '"something-else"'})
    assert mismatch.status_code == 412
    assert_never_stored(mismatch)

    other = client.get(DEADLINE.replace("days=7", "days=8"), headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.json()["days"] == 8
    assert other["ETag"] != etag


def test_new_data_changes_the_etag(client, org_world):
    first = client.get("/api/v1/agencies?limit=500")
    assert first.status_code == 200
    org_services.create_agency(
        actor=None,
        name="太原市小店区应急管理局",
        kind="department",
        division=org_world.divisions["140105"],
        uscc=make_uscc("11", "140105", "00000099"),
    )
    after = client.get("/api/v1/agencies?limit=500", headers={"If-None-Match": first["ETag"]})
    assert after.status_code == 200  # a stale copy is not confirmed: the new agency is there
    assert "太原市小店区应急管理局" in {a["name"] for a in after.json()["items"]}
    assert after["ETag"] != first["ETag"]


def test_max_age_is_a_setting(client, settings):
    settings.FAZHI_API_CACHE_SECONDS = 300
    assert directives(client.get(DEADLINE)) == {"public", "max-age=300"}


def test_staff_answers_are_never_stored_whether_by_session_or_token(org_world):
    person = Client()
    person.force_login(org_world.users["taiyuan_admin"])
    staff_list = person.get("/api/v1/org/agencies")
    assert staff_list.status_code == 200
    assert_never_stored(staff_list)
    assert has_vary_header(staff_list, "Cookie")
    # Even a public endpoint, asked by someone signed in, is answered for that person only.
    assert_never_stored(person.get(DEADLINE))
    again = person.get("/api/v1/org/agencies", headers={"If-None-Match": "*"})
    assert again.status_code == 200 and again.json()["count"] == staff_list.json()["count"]

    _, text = org_services.create_api_token(actor=None, user=org_world.users["xiaodian_officer"], name="报送系统")
    machine = Client()
    by_token = machine.get("/api/v1/org/agencies", headers={"Authorization": f"Bearer {text}"})
    assert by_token.status_code == 200
    assert_never_stored(by_token)
    assert has_vary_header(by_token, "Authorization")
    assert_never_stored(machine.get(DEADLINE, headers={"Authorization": f"Bearer {text}"}))


def test_writes_and_errors_are_never_stored(client):
    write = client.post("/api/v1/records/penalty/999999/repair", {"reason": "x"}, content_type="application/json")
    assert write.status_code >= 400
    assert_never_stored(write)
    assert_never_stored(client.get("/api/v1/clock/deadline?start=not-a-date"))  # 422
    assert_never_stored(client.get("/api/v1/agencies/999999"))  # 404
    assert_never_stored(client.get("/api/v1/me"))  # 401
    assert_never_stored(client.head(DEADLINE))  # the API answers HEAD with 405 for now


def test_a_429_is_never_stored(client, settings):
    settings.FAZHI_ANON_RATE = "1/h"
    client.get(DEADLINE)
    refused = client.get(DEADLINE)
    assert refused.status_code == 429
    assert_never_stored(refused)


def test_pages_outside_the_api_keep_their_own_headers(client):
    page = client.get("/clock/")
    assert page.status_code == 200
    assert "public" not in directives(page)
    assert not page.has_header("ETag")

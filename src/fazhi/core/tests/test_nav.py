"""The workspace bar shows each person the staff areas they may use, and the public none."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from fazhi.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _workspace(client: Client) -> list[str]:
    html = client.get("/").content.decode()
    bar = re.search(r'<nav class="workspace"[^>]*>(.*?)</nav>', html, re.S)
    return re.findall(r"<a [^>]*>([^<]+)</a>", bar.group(1)) if bar else []


def _as(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_public_sees_no_workspace(org_world: Any) -> None:
    assert _workspace(Client()) == []


def test_an_officer_sees_casework_areas_but_not_supervision_or_audit(org_world: Any) -> None:
    areas = _workspace(_as("xiaodian_officer"))
    assert "双公示" in areas and "执法主体与人员" in areas
    assert "13710督办" not in areas and "审计留痕" not in areas and "后台管理" not in areas


def test_an_admin_sees_every_area_of_their_role(org_world: Any) -> None:
    areas = _workspace(_as("province_admin"))
    for label in ("双公示", "执法主体与人员", "裁量基准", "13710督办", "机构与账号", "审计留痕"):
        assert label in areas


def test_the_current_area_is_marked(org_world: Any) -> None:
    html = _as("province_admin").get("/supervision/").content.decode()
    assert re.search(r'<a href="/supervision/" aria-current="page">13710督办</a>', html)

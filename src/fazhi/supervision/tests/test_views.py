"""Pages: scoped (404 out of scope), forms that show Chinese errors instead of failing, the dashboard's drill-down,
and the ledger exported to XLSX (opened again with openpyxl; no formula gets in)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from fazhi.supervision import services
from fazhi.supervision.models import Task

from .conftest import make_task

pytestmark = pytest.mark.django_db

D = dt.date


def _closed_and_late(sup, frozen):
    frozen(D(2020, 9, 1))
    good = make_task(sup, on=D(2020, 9, 1))
    late = services.create_task(
        actor=sup.users["province_office"],
        title='=HYPERLINK("http://x")',
        content="+cmd|' /C calc'!A0",
        source="thematic",
        source_detail="@SUM(1+1)",
        lead_unit=sup.units["taiyuan_market"],
        assigned_on=D(2020, 9, 1),
    )
    city = sup.users["taiyuan_office"]
    for action, text in (("sign", ""), ("deploy", "部署"), ("progress", "进展"), ("request_closure", "办结")):
        services.take_step(actor=city, task=good, action=action, text=text)
    services.take_step(actor=sup.users["province_office"], task=good, action="close", rating="excellent")
    frozen(D(2020, 9, 30))
    return good, late


def test_pages_render_and_are_scoped(client, sup, frozen):
    good, late = _closed_and_late(sup, frozen)
    client.force_login(sup.users["province_office"])
    for url in ("/supervision/", "/supervision/dashboard/", "/supervision/ledger/", "/supervision/new/"):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/supervision/tasks/{good.pk}/").content.decode()
    assert "优秀" in page and "按期办结" in page
    client.force_login(sup.users["changzhi_office"])
    assert client.get(f"/supervision/tasks/{good.pk}/").status_code == 404
    assert client.post(f"/supervision/tasks/{late.pk}/sign/").status_code == 404
    assert client.get("/supervision/new/").status_code == 200  # an office, but sees only its own units
    client.logout()
    assert client.get("/supervision/").status_code == 302


def test_dashboard_figures_drill_down_to_their_tasks(client, sup, frozen):
    good, late = _closed_and_late(sup, frozen)
    client.force_login(sup.users["province_office"])
    dash = client.get("/supervision/dashboard/").content.decode()
    assert f"?unit={late.lead_unit_id}&amp;flag=overdue" in dash
    overdue = client.get(f"/supervision/?unit={late.lead_unit_id}&flag=overdue").content.decode()
    assert late.number in overdue and good.number not in overdue
    on_time = client.get("/supervision/?flag=on_time").content.decode()
    assert good.number in on_time and late.number not in on_time


def test_bad_input_is_answered_in_chinese(client, sup, frozen):
    _good, late = _closed_and_late(sup, frozen)
    client.force_login(sup.users["province_office"])
    response = client.post(
        "/supervision/new/",
        {
            "title": "涉密项目",
            "source": "other",
            "content": "x",
            "lead_unit": sup.units["taiyuan_office"].pk,
            "classified": "on",
        },
    )
    assert response.status_code == 200 and "涉密事项严禁纳入" in response.content.decode()
    client.force_login(sup.users["taiyuan_handler"])
    response = client.post(f"/supervision/tasks/{late.pk}/deploy/", {"text": "", "on": "2020-09-30"}, follow=True)
    assert response.status_code == 200 and "不能办理“报告部署情况”" in response.content.decode()
    response = client.post(f"/supervision/tasks/{late.pk}/close/", {"rating": "perfect"}, follow=True)
    assert response.status_code == 200 and '<li class="error">' in response.content.decode()
    assert Task.objects.get(pk=late.pk).state == "assigned"
    assert client.post(f"/supervision/tasks/{late.pk}/teleport/", {}).status_code == 404
    assert client.get("/supervision/?unit=abc&flag=zzz&state=@@").status_code == 200


def test_ledger_exports_to_xlsx_without_formulas(client, sup, frozen):
    good, late = _closed_and_late(sup, frozen)
    client.force_login(sup.users["province_office"])
    response = client.get(f"/supervision/ledger.xlsx?office={sup.units['province_office'].pk}")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "督办编号"
    body = {r[0]: r for r in rows[2:]}
    assert set(body) == {good.number, late.number}
    assert body[good.number][18] == "优秀"
    assert body[late.number][1] == '\'=HYPERLINK("http://x")' and body[late.number][3] == "'@SUM(1+1)"
    assert body[late.number][14] == "已逾期"
    client.force_login(sup.users["changzhi_office"])
    assert client.get(f"/supervision/ledger.xlsx?office={sup.units['province_office'].pk}").status_code == 404

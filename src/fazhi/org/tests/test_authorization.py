"""Authorization matrix for the org endpoints: out of jurisdiction looks like missing, denied writes change nothing."""

import pytest

from fazhi.audit.models import AuditEvent
from fazhi.core.testing import assert_read_matrix, assert_write_matrix
from fazhi.org.models import Agency, RoleGrant, Staff

pytestmark = pytest.mark.django_db


def test_reading_one_agency(client, org_world):
    market = org_world.agencies["xiaodian_market"]
    assert_read_matrix(
        client,
        f"/api/v1/org/agencies/{market.pk}",
        org_world.users,
        {
            "superuser": 200,
            "province_admin": 200,
            "taiyuan_supervisor": 200,
            "xiaodian_supervisor": 200,
            "xiaodian_officer": 200,
            "shangdang_officer": 404,
            None: 401,
        },
    )
    justice = org_world.agencies["xiaodian_justice"]
    # An agency grant covers that agency and its subordinates, not its neighbours in the same county.
    assert_read_matrix(
        client,
        f"/api/v1/org/agencies/{justice.pk}",
        org_world.users,
        {"xiaodian_supervisor": 200, "xiaodian_officer": 404, "shangdang_officer": 404},
    )
    branch = org_world.agencies["xiaodian_market_branch"]
    assert_read_matrix(client, f"/api/v1/org/agencies/{branch.pk}", org_world.users, {"xiaodian_officer": 200})


def test_out_of_scope_is_indistinguishable_from_missing(client, org_world):
    client.force_login(org_world.users["shangdang_officer"])
    hidden = client.get(f"/api/v1/org/agencies/{org_world.agencies['xiaodian_market'].pk}")
    missing = client.get("/api/v1/org/agencies/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_listing_is_limited_to_the_jurisdiction(client, org_world):
    client.force_login(org_world.users["xiaodian_supervisor"])
    names = {a["name"] for a in client.get("/api/v1/org/agencies?limit=500").json()["items"]}
    assert names == {"太原市小店区司法局", "太原市小店区市场监督管理局", "小店区市场监督管理局坞城所"}
    client.force_login(org_world.users["taiyuan_supervisor"])
    names = {a["name"] for a in client.get("/api/v1/org/agencies?limit=500").json()["items"]}
    assert "太原市司法局" in names and "长治市上党区市场监督管理局" not in names


def test_updating_an_agency(client, org_world):
    market = org_world.agencies["xiaodian_market"]
    assert_write_matrix(
        client,
        "patch",
        f"/api/v1/org/agencies/{market.pk}",
        org_world.users,
        {
            None: 401,
            "shangdang_officer": 404,  # cannot see it: looks missing
            "xiaodian_officer": 403,  # sees it, may not manage it
            "taiyuan_supervisor": 403,
            "taiyuan_admin": 200,
            "province_admin": 200,
        },
        payload=lambda who: {"short_name": f"小店市监-{who}", "reason": "简称规范"},
        watch=[Agency],
    )
    market.refresh_from_db()
    assert market.short_name == "小店市监-province_admin"
    event = AuditEvent.objects.filter(action="org.agency.update", target_id=str(market.pk)).order_by("-seq").first()
    assert event.after == {"short_name": "小店市监-province_admin"}
    assert event.before == {"short_name": "小店市监-taiyuan_admin"}
    assert event.reason == "简称规范"
    assert event.actor_name == "province_admin"


def test_creating_an_agency(client, org_world):
    counter = iter(range(100))
    assert_write_matrix(
        client,
        "post",
        "/api/v1/org/agencies",
        org_world.users,
        {None: 401, "shangdang_officer": 404, "taiyuan_supervisor": 403, "taiyuan_admin": 201},
        payload=lambda who: {
            "name": f"小店区测试局{next(counter)}",
            "kind": "department",
            "division": "140105",
        },
        watch=[Agency],
    )
    assert Agency.objects.filter(name__startswith="小店区测试局").count() == 1


def test_bad_agency_input_gets_chinese_errors_and_changes_nothing(client, org_world):
    client.force_login(org_world.users["taiyuan_admin"])
    before = Agency.objects.count()
    cases = [
        ({"name": "", "kind": "department", "division": "140105"}, "请填写机构名称"),
        ({"name": "甲局", "kind": "ministry", "division": "140105"}, "取值不在允许范围内"),
        ({"name": "乙局", "kind": "department", "division": "999999"}, "没有区划代码为 999999"),
        (
            {"name": "丙局", "kind": "department", "division": "140105", "uscc": "91110000600037341M"},
            "校验位错误",
        ),
        ({"name": "太原市小店区司法局", "kind": "department", "division": "140105"}, "已有名为"),
        ({"kind": "department"}, "缺少必填参数"),
    ]
    for payload, phrase in cases:
        response = client.post("/api/v1/org/agencies", payload, content_type="application/json")
        assert response.status_code in (409, 422), payload
        assert phrase in response.content.decode(), (payload, response.content.decode())
    response = client.post("/api/v1/org/agencies", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert Agency.objects.count() == before


def test_granting_roles_cannot_escalate(client, org_world):
    staff = Staff.objects.get(user=org_world.users["xiaodian_officer"])
    assert_write_matrix(
        client,
        "post",
        "/api/v1/org/grants",
        org_world.users,
        {
            "shangdang_officer": 404,
            "taiyuan_supervisor": 403,  # sees the person, lacks 管理机构
            "taiyuan_admin": 201,
        },
        payload=lambda who: {
            "staff_id": staff.pk,
            "role": "reviewer",
            "agency_id": org_world.agencies["xiaodian_market"].pk,
        },
        watch=[RoleGrant],
    )
    # Taiyuan's administrator cannot grant anything over a Changzhi node.
    client.force_login(org_world.users["taiyuan_admin"])
    response = client.post(
        "/api/v1/org/grants",
        {"staff_id": staff.pk, "role": "officer", "division": "140404"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_staff_pages_show_only_the_jurisdiction(client, org_world):
    client.force_login(org_world.users["xiaodian_supervisor"])
    page = client.get("/org/").content.decode()
    assert "太原市小店区市场监督管理局" in page
    assert "长治市上党区市场监督管理局" not in page
    assert "太原市司法局" not in page
    edit = client.get(f"/org/agencies/{org_world.agencies['shangdang_market'].pk}/edit/")
    assert edit.status_code == 404
    assert "未找到" in edit.content.decode()


def test_agency_form_shows_field_errors(client, org_world):
    client.force_login(org_world.users["taiyuan_admin"])
    response = client.post(
        "/org/agencies/new/", {"name": "丁局", "kind": "department", "division": "140105", "uscc": "12345"}
    )
    assert response.status_code == 422
    assert "统一社会信用代码应为 18 位" in response.content.decode()
    ok = client.post("/org/agencies/new/", {"name": "丁局", "kind": "department", "division": "140105"}, follow=True)
    assert ok.status_code == 200
    assert "已创建机构“丁局”" in ok.content.decode()


def test_manager_creates_an_account_with_a_role_from_the_agency_page(client, org_world):
    market = org_world.agencies["xiaodian_market"]
    client.force_login(org_world.users["taiyuan_admin"])
    page = client.get(f"/org/agencies/{market.pk}/")
    assert "新建账号" in page.content.decode()
    bad = client.post(
        f"/org/agencies/{market.pk}/staff/new/",
        {"name": "钱七", "username": "q", "password": "12345678", "role": "officer"},
    )
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "用户名为 3–150 位" in text and "密码不符合要求" in text
    ok = client.post(
        f"/org/agencies/{market.pk}/staff/new/",
        {"name": "钱七", "username": "qianqi", "password": "Zhifa-2026-ok", "role": "officer"},
        follow=True,
    )
    assert "已为钱七创建账号 qianqi" in ok.content.decode()
    staff = Staff.objects.get(user__username="qianqi")
    assert list(RoleGrant.objects.filter(user=staff.user).values_list("role__code", "agency_id")) == [
        ("officer", market.pk)
    ]
    # The officer of another county cannot even open the form.
    client.force_login(org_world.users["shangdang_officer"])
    assert client.get(f"/org/agencies/{market.pk}/staff/new/").status_code == 404

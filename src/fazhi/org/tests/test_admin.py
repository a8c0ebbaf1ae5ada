"""The back office writes through the services: audit events, Chinese errors on the form, no 500."""

import pytest

from fazhi.audit.models import AuditEvent
from fazhi.org.models import Agency, RoleGrant

pytestmark = pytest.mark.django_db


def test_admin_creates_and_edits_an_agency_through_the_service(client, org_world):
    client.force_login(org_world.users["superuser"])
    division = org_world.divisions["140105"]
    response = client.post(
        "/admin/org/agency/add/",
        {"name": "小店区后台新建局", "short_name": "", "kind": "department", "uscc": "", "division": division.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agency = Agency.objects.get(name="小店区后台新建局")
    assert agency.path == f"{agency.pk}/"
    assert AuditEvent.objects.filter(action="org.agency.create", target_id=str(agency.pk)).exists()

    edit = client.post(
        f"/admin/org/agency/{agency.pk}/change/",
        {"name": "小店区后台改名局", "short_name": "改名", "kind": "department", "uscc": "", "is_active": "on"},
    )
    assert edit.status_code == 302
    event = AuditEvent.objects.filter(action="org.agency.update", target_id=str(agency.pk)).get()
    assert event.after == {"name": "小店区后台改名局", "short_name": "改名"}
    assert event.reason == "后台修改"


def test_admin_shows_service_errors_on_the_form(client, org_world):
    client.force_login(org_world.users["superuser"])
    division = org_world.divisions["140105"]
    before = Agency.objects.count()
    response = client.post(
        "/admin/org/agency/add/",
        {"name": "太原市小店区司法局", "kind": "department", "uscc": "91110000600037341M", "division": division.pk},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "校验位错误" in text
    assert Agency.objects.count() == before


def test_admin_grants_and_revokes_roles_with_audit(client, org_world):
    client.force_login(org_world.users["superuser"])
    user = org_world.users["xiaodian_officer"]
    from fazhi.org.models import Role

    role = Role.objects.get(code="reviewer")
    market = org_world.agencies["xiaodian_market"]
    response = client.post("/admin/org/rolegrant/add/", {"user": user.pk, "role": role.pk, "agency": market.pk})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=user, role=role)
    duplicate = client.post("/admin/org/rolegrant/add/", {"user": user.pk, "role": role.pk, "agency": market.pk})
    assert duplicate.status_code == 200 and "已有这个角色" in duplicate.content.decode()
    neither = client.post("/admin/org/rolegrant/add/", {"user": user.pk, "role": role.pk})
    assert "二选一" in neither.content.decode()
    client.post(f"/admin/org/rolegrant/{grant.pk}/delete/", {"post": "yes"})
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.filter(action="org.role_grant.revoke", target_id=str(grant.pk)).exists()

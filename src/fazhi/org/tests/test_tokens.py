"""API tokens: a system calls the API as a person, within that person's jurisdiction, without cookies or CSRF."""

import pytest
from django.core.management import call_command
from django.test import Client

from fazhi.audit.models import AuditEvent
from fazhi.org import services
from fazhi.org.models import Agency, ApiToken

pytestmark = pytest.mark.django_db


def test_token_acts_as_its_user_and_can_be_revoked(org_world):
    _, text = services.create_api_token(actor=None, user=org_world.users["xiaodian_supervisor"], name="监督系统同步")
    machine = Client(enforce_csrf_checks=True)
    auth = {"Authorization": f"Bearer {text}"}
    names = {a["name"] for a in machine.get("/api/v1/org/agencies", headers=auth).json()["items"]}
    assert names == {"太原市小店区司法局", "太原市小店区市场监督管理局", "小店区市场监督管理局坞城所"}
    hidden = org_world.agencies["shangdang_market"].pk
    assert machine.get(f"/api/v1/org/agencies/{hidden}", headers=auth).status_code == 404
    # A write with a token needs no CSRF token, and jurisdiction still applies (supervisor: may not manage).
    market = org_world.agencies["xiaodian_market"].pk
    response = machine.patch(
        f"/api/v1/org/agencies/{market}", {"short_name": "x"}, content_type="application/json", headers=auth
    )
    assert response.status_code == 403
    assert Agency.objects.get(pk=market).short_name == ""

    token = ApiToken.objects.get()
    assert text not in str(token.__dict__)  # only the digest is stored
    services.revoke_api_token(actor=org_world.users["xiaodian_supervisor"], token=token)
    refused = machine.get("/api/v1/org/agencies", headers=auth)
    assert refused.status_code == 401 and refused.json()["message"] == "请先登录"
    assert machine.get("/api/v1/org/agencies", headers={"Authorization": "Bearer fz_guess"}).status_code == 401
    assert {"org.api_token.create", "org.api_token.revoke"} <= set(AuditEvent.objects.values_list("action", flat=True))


def test_session_writes_still_need_csrf(org_world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(org_world.users["taiyuan_admin"])
    market = org_world.agencies["xiaodian_market"].pk
    response = browser.patch(f"/api/v1/org/agencies/{market}", {"short_name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert Agency.objects.get(pk=market).short_name == ""


def test_tokens_for_someone_else_need_management_rights(org_world):
    from fazhi.core.errors import NotFound

    with pytest.raises(NotFound):
        services.create_api_token(
            actor=org_world.users["shangdang_officer"], user=org_world.users["xiaodian_officer"], name="越权"
        )
    token, _ = services.create_api_token(
        actor=org_world.users["taiyuan_admin"], user=org_world.users["xiaodian_officer"], name="报送系统"
    )
    assert token.user == org_world.users["xiaodian_officer"]


def test_token_page_and_command(client, org_world, capsys):
    client.force_login(org_world.users["xiaodian_officer"])
    page = client.post("/org/tokens/", {"name": "报送系统"})
    text = page.content.decode()
    assert 'id="new-token">fz_' in text
    assert client.post("/org/tokens/", {"name": " "}).status_code == 422
    call_command("token", "create", "xiaodian_officer", "--name", "夜间推送")
    created = capsys.readouterr().out.strip()
    assert created.startswith("fz_")
    call_command("token", "list", "xiaodian_officer")
    listing = capsys.readouterr().out
    assert "夜间推送\t有效" in listing and "报送系统\t有效" in listing
    call_command("token", "revoke", created[:10])
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 1

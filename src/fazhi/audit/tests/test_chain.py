"""The hash chain: every state change leaves an event, and any tampering is found and named."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from fazhi.audit.chain import event_hash
from fazhi.audit.models import AuditEvent, ChainHead
from fazhi.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_services_leave_a_complete_intact_chain(org_world):
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) > 150  # 129 divisions, 11 code changes, roles, agencies, staff, grants
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    actions = {e.action for e in events}
    assert {
        "org.division.create",
        "org.agency.create",
        "org.staff.create",
        "org.role_grant.create",
    } <= actions
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checked == len(events)


def test_event_records_who_what_and_the_request(client, org_world):
    client.force_login(org_world.users["taiyuan_admin"])
    market = org_world.agencies["xiaodian_market"]
    response = client.patch(
        f"/api/v1/org/agencies/{market.pk}",
        {"name": "太原市小店区市场监管局", "reason": "更名"},
        content_type="application/json",
        headers={"X-Request-ID": "test-request-0001"},
    )
    assert response.status_code == 200
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "org.agency.update"
    assert event.actor_name == "taiyuan_admin"
    assert event.agency_name == "太原市司法局"
    assert event.request_id == "test-request-0001"
    assert event.before == {"name": "太原市小店区市场监督管理局"}
    assert event.after == {"name": "太原市小店区市场监管局"}
    assert event.reason == "更名"


def _tamper(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_edited_event_is_named(org_world):
    AuditEvent.objects.filter(seq=40).update(target_label="被篡改的对象")
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == 40
    assert result.kind == "modified"
    assert "#40" in result.problem


def test_an_edited_json_value_is_found(org_world):
    event = AuditEvent.objects.get(seq=60)
    after = dict(event.after)
    after["name"] = "改过的名字"
    AuditEvent.objects.filter(seq=60).update(after=after)
    assert verify_chain().first_bad_seq == 60


def test_a_deleted_event_is_named(org_world):
    AuditEvent.objects.filter(seq=25).delete()
    result = verify_chain()
    assert (result.ok, result.first_bad_seq, result.kind) == (False, 25, "deleted")


def test_reordered_events_are_found(org_world):
    _tamper(f"UPDATE {AuditEvent._meta.db_table} SET seq = -1 WHERE seq = 30", [])
    _tamper(f"UPDATE {AuditEvent._meta.db_table} SET seq = 30 WHERE seq = 31", [])
    _tamper(f"UPDATE {AuditEvent._meta.db_table} SET seq = 31 WHERE seq = -1", [])
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == 30


def test_an_inserted_event_is_found_even_with_a_correct_hash(org_world):
    last = AuditEvent.objects.order_by("-seq").first()
    fields = {
        "seq": last.seq + 1,
        "occurred_at": last.occurred_at,
        "actor_id": None,
        "actor_name": "冒充者",
        "agency_id": None,
        "agency_name": "",
        "request_id": "forged",
        "action": "org.agency.update",
        "target_type": "org.agency",
        "target_id": "1",
        "target_label": "伪造",
        "target_division_path": "",
        "target_agency_path": "",
        "before": None,
        "after": {"name": "伪造"},
        "reason": "",
        "prev_hash": last.hash,
    }
    AuditEvent.objects.create(hash=event_hash(**fields), **fields)
    result = verify_chain()
    assert (result.ok, result.first_bad_seq, result.kind) == (False, last.seq + 1, "inserted")


def test_an_event_inserted_in_the_middle_is_found(org_world):
    # Make room by moving the tail up one, then slip a well-formed event into the gap.
    table = AuditEvent._meta.db_table
    head = ChainHead.objects.get(pk=1)
    for seq in range(head.seq, 49, -1):
        _tamper(f"UPDATE {table} SET seq = %s WHERE seq = %s", [seq + 1, seq])
    prev = AuditEvent.objects.get(seq=49)
    fields = {
        "seq": 50,
        "occurred_at": prev.occurred_at,
        "actor_id": None,
        "actor_name": "冒充者",
        "agency_id": None,
        "agency_name": "",
        "request_id": "forged",
        "action": "x",
        "target_type": "x",
        "target_id": "1",
        "target_label": "",
        "target_division_path": "",
        "target_agency_path": "",
        "before": None,
        "after": None,
        "reason": "",
        "prev_hash": prev.hash,
    }
    AuditEvent.objects.create(hash=event_hash(**fields), **fields)
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == 51  # the first original event no longer fits where it now stands


def test_a_truncated_tail_is_found(org_world):
    last = AuditEvent.objects.order_by("-seq").first()
    AuditEvent.objects.filter(seq=last.seq).delete()
    result = verify_chain()
    assert (result.ok, result.kind) == (False, "head")


def test_command_exit_status_and_message(org_world, capsys):
    call_command("audit", "verify")
    assert "审计链完整" in capsys.readouterr().out
    AuditEvent.objects.filter(seq=33).update(reason="事后补写的理由")
    with pytest.raises(SystemExit) as info:
        call_command("audit", "verify")
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "#33" in err and "被修改" in err


def test_verify_endpoint_needs_province_wide_permission(client, org_world):
    client.force_login(org_world.users["taiyuan_admin"])
    assert client.get("/api/v1/audit/verify").status_code == 403
    client.force_login(org_world.users["province_admin"])
    body = client.get("/api/v1/audit/verify").json()
    assert body["ok"] is True and body["checked"] > 0


def test_event_listing_is_scoped(client, org_world):
    client.force_login(org_world.users["taiyuan_admin"])
    client.patch(
        f"/api/v1/org/agencies/{org_world.agencies['xiaodian_market'].pk}",
        {"short_name": "小店市监"},
        content_type="application/json",
    )
    # The county's supervisor sees the history of a county agency, although a city administrator made the change.
    for who in ("xiaodian_supervisor", "taiyuan_supervisor", "province_admin"):
        client.force_login(org_world.users[who])
        items = client.get("/api/v1/audit/events?action=org.agency.update").json()["items"]
        assert [i["after"] for i in items] == [{"short_name": "小店市监"}], who
    # A supervisor of another county does not.
    from fazhi.org import services
    from fazhi.org.models import Role

    supervisor = Role.objects.get(code="supervisor")
    services.grant_role(
        actor=None, user=org_world.users["shangdang_officer"], role=supervisor, division=org_world.divisions["140404"]
    )
    client.force_login(org_world.users["shangdang_officer"])
    assert client.get("/api/v1/audit/events?action=org.agency.update").json()["items"] == []
    page = client.get("/audit/").content.decode()
    assert "长治市上党区市场监督管理局" in page and "小店市监" not in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_do_not_fork_the_chain(shanxi):
    from fazhi.org import services

    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(8):
                services.create_agency(
                    actor=None, name=f"并发测试局{n}-{i}", kind="department", division=shanxi["140105"]
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    before = ChainHead.objects.get(pk=1).seq
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    head = ChainHead.objects.get(pk=1)
    assert head.seq == before + 32
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, head.seq + 1))
    assert verify_chain().ok

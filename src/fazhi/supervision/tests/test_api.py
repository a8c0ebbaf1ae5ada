"""The API end to end (create → split → report → review), the authorization matrix, and bad input answered in
Chinese without a 500."""

from __future__ import annotations

import json

import pytest

from fazhi.clock.models import ClockRun
from fazhi.core.testing import assert_read_matrix, assert_write_matrix
from fazhi.supervision.models import Notice, Task, TaskReport

pytestmark = pytest.mark.django_db

BASE = "/api/v1/supervision"
WATCH = [Task, TaskReport, Notice, ClockRun]


def _post(client, user, url, payload):
    client.force_login(user)
    return client.post(BASE + url, data=json.dumps(payload), content_type="application/json")


def _step(client, user, pk, step, **payload):
    response = _post(client, user, f"/tasks/{pk}/steps/{step}", payload)
    assert response.status_code == 200, response.content.decode()
    return response.json()


def _create(client, sup, **extra):
    payload = {
        "title": "优化营商环境专项督办",
        "content": "省长批示：一个月内拿出整改方案并落实。",
        "source": "instruction",
        "lead_unit_id": sup.units["taiyuan_office"].pk,
        **extra,
    }
    return _post(client, sup.users["province_office"], "/tasks", payload)


def test_the_whole_chain_through_the_api(client, sup):
    response = _create(client, sup, is_major=True, co_unit_ids=[sup.units["taiyuan_market"].pk])
    assert response.status_code == 201, response.content.decode()
    task = response.json()
    assert task["assigned_by"]["name"] == "山西省人民政府办公厅"
    assert [m["key"] for m in task["milestones"]] == ["13710.deploy", "13710.feedback", "13710.resolve_major"]
    assert task["co_units"][0]["name"] == "太原市市场监督管理局"

    city = sup.users["taiyuan_office"]
    _step(client, city, task["id"], "sign")
    response = _post(client, city, f"/tasks/{task['id']}/split", {"lead_unit_id": sup.units["xiaodian_office"].pk})
    assert response.status_code == 201, response.content.decode()
    part = response.json()
    assert part["parent_id"] == task["id"] and part["assigned_by"]["name"] == "太原市人民政府办公室"

    county = sup.users["xiaodian_office"]
    _step(client, county, part["id"], "sign")
    _step(client, county, part["id"], "deploy", text="区政府常务会议专题部署")
    _step(client, county, part["id"], "progress", text="已完成 12 项整改")
    assert _step(client, county, part["id"], "request_closure", text="整改全部完成")["state"] == "closure_requested"
    returned = _step(client, city, part["id"], "return", text="请附整改台账")
    assert returned["state"] == "returned" and returned["reports"][-1]["text"] == "请附整改台账"
    _step(client, county, part["id"], "request_closure", text="已附整改台账")
    closed = _step(client, city, part["id"], "close", rating="excellent", text="整改扎实")
    assert (closed["state"], closed["rating_label"]) == ("closed", "优秀")

    _step(client, city, task["id"], "deploy", text="市政府部署")
    _step(client, city, task["id"], "request_closure", text="全市整改完成")
    done = _step(client, sup.users["province_office"], task["id"], "close", rating="good")
    assert done["state"] == "closed" and done["children"] == [part["id"]]

    client.force_login(sup.users["province_office"])
    stats = {s["unit"]["name"]: s for s in client.get(BASE + "/stats").json()}
    assert stats["太原市小店区人民政府办公室"]["returned"] == 1
    assert stats["太原市小店区人民政府办公室"]["average_score"] == 4
    assert stats["太原市人民政府办公室"]["average_score"] == 3


def test_classified_and_bad_input_are_refused_in_chinese(client, sup):
    response = _create(client, sup, classified=True)
    assert response.status_code == 422 and "涉密事项严禁纳入" in response.json()["message"]
    response = _create(client, sup, lead_unit_id=999999)
    assert response.status_code == 422 and "承办单位" in response.json()["message"]
    response = _create(client, sup, source="gossip")
    assert response.status_code == 422
    response = _create(client, sup, assigned_on="2020-13-45")
    assert response.status_code == 422
    assert Task.objects.count() == 0
    task = _create(client, sup).json()
    response = _post(client, sup.users["taiyuan_office"], f"/tasks/{task['id']}/steps/fly", {})
    assert response.status_code == 422
    response = _post(client, sup.users["taiyuan_office"], f"/tasks/{task['id']}/steps/deploy", {"text": "x"})
    assert response.status_code == 422 and "不能办理“报告部署情况”" in response.json()["message"]
    client.force_login(sup.users["province_office"])
    assert client.get(BASE + "/tasks/424242").status_code == 404


def _county_task_waiting_for_review(client, sup) -> int:
    task = _create(client, sup).json()
    city, county = sup.users["taiyuan_office"], sup.users["xiaodian_office"]
    _step(client, city, task["id"], "sign")
    part = _post(client, city, f"/tasks/{task['id']}/split", {"lead_unit_id": sup.units["xiaodian_office"].pk}).json()
    _step(client, county, part["id"], "sign")
    _step(client, county, part["id"], "deploy", text="部署")
    _step(client, county, part["id"], "request_closure", text="办结")
    client.logout()
    return int(part["id"])


def test_authorization_matrix(client, sup):
    pk = _county_task_waiting_for_review(client, sup)
    users = sup.users
    readers = {
        "province_office": 200,
        "taiyuan_office": 200,  # assigned it
        "xiaodian_office": 200,  # assigned to it
        "changzhi_office": 404,  # another city
        "taiyuan_handler": 404,  # a department of the city, not in the chain
        None: 401,
    }
    assert_read_matrix(client, f"{BASE}/tasks/{pk}", users, readers)

    # only the assigning office (and offices above it) may review; the county sees it but may not close itself
    assert_write_matrix(
        client,
        "post",
        f"{BASE}/tasks/{pk}/steps/close",
        users,
        {"changzhi_office": 404, "taiyuan_handler": 404, "xiaodian_office": 403, None: 401, "taiyuan_office": 200},
        payload=lambda who: {"rating": "good"},
        watch=WATCH,
    )
    # splitting someone else's task is not possible; out of scope answers 404 and changes nothing
    parent = Task.objects.get(pk=pk).parent_id
    assert_write_matrix(
        client,
        "post",
        f"{BASE}/tasks/{parent}/split",
        users,
        {"changzhi_office": 404, "taiyuan_handler": 404, None: 401},
        payload=lambda who: {"lead_unit_id": sup.units["xiaodian_town"].pk},
        watch=WATCH,
    )
    assert_write_matrix(
        client,
        "post",
        f"{BASE}/tasks",
        users,
        {"taiyuan_handler": 403, "changzhi_office": 422, None: 401},
        payload=lambda who: {
            "title": "x",
            "content": "y",
            "source": "other",
            "lead_unit_id": sup.units["taiyuan_office"].pk,
        },
        watch=WATCH,
    )


def test_lists_are_scoped(client, sup):
    _county_task_waiting_for_review(client, sup)
    counts = {}
    for key in ("province_office", "taiyuan_office", "xiaodian_office", "changzhi_office"):
        client.force_login(sup.users[key])
        counts[key] = client.get(BASE + "/tasks").json()["count"]
    assert counts == {"province_office": 2, "taiyuan_office": 2, "xiaodian_office": 1, "changzhi_office": 0}


def test_list_queries_do_not_grow_with_the_tasks(client, sup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        client.force_login(sup.users["province_office"])
        with CaptureQueriesContext(connection) as api:
            assert client.get(BASE + "/tasks").status_code == 200
        with CaptureQueriesContext(connection) as page:
            assert client.get("/supervision/").status_code == 200
        return len(api) + len(page)

    for _ in range(2):
        _create(client, sup, co_unit_ids=[sup.units["taiyuan_market"].pk])
    few = count()
    for _ in range(6):
        _create(client, sup, co_unit_ids=[sup.units["taiyuan_market"].pk])
    assert count() == few

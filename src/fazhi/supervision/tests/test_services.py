"""The 13710 flow through the services: assign, split down the levels, report, return, close with a rating."""

from __future__ import annotations

import pytest

from fazhi.audit.models import AuditEvent
from fazhi.clock.models import ClockRun
from fazhi.core.errors import Forbidden, NotFound, ValidationFailed
from fazhi.supervision import selectors, services
from fazhi.supervision.choices import TaskState
from fazhi.supervision.models import Notice, Task

from .conftest import make_task

pytestmark = pytest.mark.django_db


def _codes(exc: ValidationFailed) -> set[str]:
    return {e.code for e in exc.errors}


def test_classified_matters_are_refused_and_nothing_is_stored(sup):
    with pytest.raises(ValidationFailed) as exc:
        services.create_task(
            actor=sup.users["province_office"],
            title="某项目",
            content="见附件",
            source="instruction",
            lead_unit=sup.units["taiyuan_office"],
            classified=True,
        )
    assert "涉密事项严禁纳入" in exc.value.message
    with pytest.raises(ValidationFailed):
        services.create_task(
            actor=sup.users["province_office"],
            title="机密★1年 某工程",
            content="内容",
            source="instruction",
            lead_unit=sup.units["taiyuan_office"],
        )
    assert Task.objects.count() == 0 and ClockRun.objects.count() == 0


def test_province_to_city_to_county_and_closure_up_the_chain(sup):
    u = sup.users
    task = make_task(sup)
    assert task.assigned_by == sup.units["province_office"] and task.state == TaskState.ASSIGNED
    assert sorted(ClockRun.objects.values_list("limit_code", flat=True)) == [
        "13710.deploy",
        "13710.feedback",
        "13710.resolve",
    ]
    assert Notice.objects.filter(recipient=sup.units["taiyuan_office"], kind="assigned").count() == 1

    task = services.take_step(actor=u["taiyuan_office"], task=task, action="sign")
    # the city splits the task to its county
    part = services.split_task(actor=u["taiyuan_office"], task=task, lead_unit=sup.units["xiaodian_office"])
    assert part.parent == task and part.assigned_by == sup.units["taiyuan_office"]
    assert part.title == task.title and part.state == TaskState.ASSIGNED
    # the county splits further, to a township
    part = services.take_step(actor=u["xiaodian_office"], task=part, action="sign")
    town = services.split_task(actor=u["xiaodian_office"], task=part, lead_unit=sup.units["xiaodian_town"])
    assert town.assigned_by == sup.units["xiaodian_office"]

    # the city cannot apply to close while its part is open
    services.take_step(actor=u["taiyuan_office"], task=task, action="deploy", text="召开专题会部署")
    with pytest.raises(ValidationFailed) as exc:
        services.take_step(actor=u["taiyuan_office"], task=task, action="request_closure", text="已完成")
    assert "children_open" in _codes(exc.value)

    # the township's task: the county office handles it for the township (its jurisdiction includes townships)
    for action, text in (("sign", ""), ("deploy", "已部署"), ("progress", "完成80%"), ("request_closure", "已办结")):
        town = services.take_step(actor=u["xiaodian_office"], task=town, action=action, text=text)
    town = services.take_step(actor=u["xiaodian_office"], task=town, action="close", rating="good")
    assert town.state == TaskState.CLOSED and town.rating == "good"

    part = services.take_step(actor=u["xiaodian_office"], task=part, action="deploy", text="区政府常务会部署")
    part = services.take_step(actor=u["xiaodian_office"], task=part, action="request_closure", text="已全部办结")
    # the county cannot close its own request: that is the city's review
    with pytest.raises(Forbidden):
        services.take_step(actor=u["xiaodian_office"], task=part, action="close", rating="excellent")
    # the city returns it with reasons, the county re-applies, the city closes and rates
    part = services.take_step(actor=u["taiyuan_office"], task=part, action="return", text="缺少佐证材料")
    assert part.state == TaskState.RETURNED and part.return_count == 1
    assert Notice.objects.filter(task=part, kind="returned", message__contains="缺少佐证材料").exists()
    part = services.take_step(actor=u["xiaodian_office"], task=part, action="request_closure", text="已补充材料")
    part = services.take_step(actor=u["taiyuan_office"], task=part, action="close", rating="excellent")
    assert part.state == TaskState.CLOSED

    task = services.take_step(actor=u["taiyuan_office"], task=task, action="request_closure", text="全市已办结")
    task = services.take_step(actor=u["province_office"], task=task, action="close", rating="pass", text="按期办结")
    assert task.state == TaskState.CLOSED and task.rating == "pass"
    assert not ClockRun.objects.filter(status="running").exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"supervision.task.create", "supervision.task.split", "supervision.task.close"} <= actions


def test_return_needs_reasons_and_closing_needs_a_rating(sup):
    u = sup.users
    task = make_task(sup)
    for action, text in (("sign", ""), ("deploy", "部署"), ("request_closure", "办结")):
        task = services.take_step(actor=u["taiyuan_office"], task=task, action=action, text=text)
    with pytest.raises(ValidationFailed) as exc:
        services.take_step(actor=u["province_office"], task=task, action="return", text="  ")
    assert exc.value.errors[0].message == "请填写退回理由"
    with pytest.raises(ValidationFailed) as exc:
        services.take_step(actor=u["province_office"], task=task, action="close", rating="perfect")
    assert "评价等次" in exc.value.message
    task.refresh_from_db()
    assert task.state == TaskState.CLOSURE_REQUESTED


def test_steps_follow_the_table(sup):
    task = make_task(sup)
    with pytest.raises(ValidationFailed) as exc:
        services.take_step(actor=sup.users["taiyuan_office"], task=task, action="request_closure", text="x")
    assert "不能办理“申请销号”" in exc.value.message
    with pytest.raises(ValidationFailed):
        services.split_task(actor=sup.users["taiyuan_office"], task=task, lead_unit=sup.units["xiaodian_office"])


def test_out_of_scope_is_not_found_and_splitting_sideways_is_refused(sup):
    task = make_task(sup)
    with pytest.raises(NotFound):
        services.take_step(actor=sup.users["changzhi_office"], task=task, action="sign")
    services.take_step(actor=sup.users["taiyuan_office"], task=task, action="sign")
    with pytest.raises(ValidationFailed) as exc:
        services.split_task(actor=sup.users["taiyuan_office"], task=task, lead_unit=sup.units["changzhi_office"])
    assert "不在您的交办范围内" in exc.value.message
    with pytest.raises(ValidationFailed):  # the city cannot create province tasks for another city
        services.create_task(
            actor=sup.users["taiyuan_office"],
            title="x",
            content="y",
            source="other",
            lead_unit=sup.units["changzhi_office"],
        )


def test_visibility_assigned_by_and_assigned_to(sup):
    u = sup.users
    task = make_task(sup)
    services.take_step(actor=u["taiyuan_office"], task=task, action="sign")
    part = services.split_task(actor=u["taiyuan_office"], task=task, lead_unit=sup.units["xiaodian_office"])
    market = services.create_task(
        actor=u["province_office"],
        title="食品安全专项整治",
        content="内容",
        source="instruction",
        lead_unit=sup.units["province_market"],
    )

    def seen(key):
        return set(selectors.tasks_for(u[key]).values_list("pk", flat=True))

    assert seen("province_office") == {task.pk, part.pk, market.pk}
    assert seen("taiyuan_office") == {task.pk, part.pk}
    assert seen("xiaodian_office") == {part.pk}
    assert seen("changzhi_office") == set()
    assert seen("taiyuan_handler") == set()


def test_people_cannot_backdate_a_step(sup, frozen):
    import datetime as dt

    frozen(dt.date(2020, 9, 10))
    task = make_task(sup, on=dt.date(2020, 9, 10))
    services.take_step(actor=sup.users["taiyuan_office"], task=task, action="sign")
    with pytest.raises(ValidationFailed) as exc:
        services.take_step(
            actor=sup.users["taiyuan_office"], task=task, action="deploy", text="部署", on=dt.date(2020, 9, 9)
        )
    assert "不能补记" in exc.value.message
    with pytest.raises(ValidationFailed):
        make_task(sup, on=dt.date(2020, 9, 1))  # an office cannot backdate an assignment either

"""The power list: adjustments with dates and document numbers; the list now and as of any day."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.errors import NotFound, ValidationFailed
from fazhi.enforcement import selectors, services
from fazhi.enforcement.models import PowerAdjustment, PowerItem
from fazhi.enforcement.tests.conftest import TODAY

pytestmark = pytest.mark.django_db
D = dt.date


def messages(caught):
    return " ".join(e.message for e in caught.value.errors)


FIRST_LIST = D(2020, 3, 1)


def add(world, code, name, category="penalty", body="xiaodian", on=FIRST_LIST, **kw):
    return services.create_power_item(
        actor=None,
        body=world.bodies[body],
        code=code,
        name=name,
        category=category,
        legal_basis="《中华人民共和国食品安全法》第一百二十二条",
        effective_on=on,
        doc_number=kw.pop("doc_number", "晋政发[2020]5号"),
        **kw,
    )


@pytest.fixture
def city_body(world):
    agency = world.org.agencies["taiyuan_justice"]  # any agency of 太原市 will do for a city-level body
    return services.create_body(
        actor=None,
        name="太原市市场监督管理局",
        kind="authorised",
        division=agency.division,
        legal_basis="《中华人民共和国行政处罚法》",
        domains=[world.domains["market"], world.domains["health"]],
    )


def names(rows):
    return sorted(r.name for r in rows)


def test_the_list_as_of_any_day_follows_the_adjustments(world, city_body):
    penalty = services.create_power_item(
        actor=None,
        body=city_body,
        code="CF-001",
        name="对无证生产食品的处罚",
        category="penalty",
        legal_basis="《中华人民共和国食品安全法》第一百二十二条",
        effective_on=D(2020, 3, 1),
        doc_number="并政发〔2020〕5号",
    )
    check = services.create_power_item(
        actor=None,
        body=city_body,
        code="JC-001",
        name="食品生产经营监督检查",
        category="inspection",
        legal_basis="《中华人民共和国食品安全法》第一百一十条",
        effective_on=D(2020, 3, 1),
        doc_number="并政发〔2020〕5号",
        random_inspection=True,
        inspection_scope="按 5% 比例随机抽取食品生产企业，每年一次",
    )
    services.adjust_power_item(
        actor=None,
        item=penalty,
        kind="changed",
        effective_on=D(2021, 7, 15),
        doc_number="并政发（2021）9号",
        changes={"legal_basis": "《中华人民共和国食品安全法》（2021年修正）第一百二十二条"},
    )
    services.adjust_power_item(
        actor=None,
        item=penalty,
        kind="delegated",
        effective_on=D(2022, 1, 1),
        doc_number="并政发〔2021〕30号",
        to_body=world.bodies["xiaodian"],
        reason="下放至县级实施",
    )
    services.adjust_power_item(
        actor=None,
        item=check,
        kind="cancelled",
        effective_on=D(2023, 6, 1),
        doc_number="并政发〔2023〕2号",
        reason="并入",
    )

    assert names(selectors.power_list_on(D(2020, 2, 29), body=city_body.pk)) == []
    rows = selectors.power_list_on(D(2020, 3, 1), body=city_body.pk)
    assert names(rows) == ["对无证生产食品的处罚", "食品生产经营监督检查"]
    assert [r.name for r in selectors.power_list_on(D(2020, 3, 1), random_only=True)] == ["食品生产经营监督检查"]
    (before_change,) = [r for r in rows if r.code == "CF-001"]
    assert before_change.legal_basis.endswith("第一百二十二条") and "2021" not in before_change.legal_basis
    (after_change,) = [r for r in selectors.power_list_on(D(2021, 7, 15), body=city_body.pk) if r.code == "CF-001"]
    assert "2021年修正" in after_change.legal_basis
    assert names(selectors.power_list_on(D(2022, 1, 1), body=city_body.pk)) == ["食品生产经营监督检查"]
    assert names(selectors.power_list_on(D(2022, 1, 1), body=world.bodies["xiaodian"].pk)) == ["对无证生产食品的处罚"]
    assert names(selectors.power_list_on(D(2023, 6, 1), body=city_body.pk)) == []

    # the current list (from the items) equals the list as of today (from the adjustments)
    current = [selectors.PowerRow.of(i) for i in selectors.public_power_items()]
    assert sorted(current, key=lambda r: r.item_id) == sorted(selectors.power_list_on(TODAY), key=lambda r: r.item_id)
    keys = list(PowerAdjustment.objects.order_by("id").values_list("doc_number_key", flat=True))
    assert keys == [
        "并政发〔2020〕5号",
        "并政发〔2020〕5号",
        "并政发〔2021〕9号",
        "并政发〔2021〕30号",
        "并政发〔2023〕2号",
    ]


def test_bad_adjustments_are_refused_in_chinese_and_change_nothing(world, city_body):
    item = services.create_power_item(
        actor=None,
        body=city_body,
        code="XK-01",
        name="食品生产许可",
        category="licence",
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        effective_on=D(2021, 1, 1),
        doc_number="并政发〔2021〕1号",
    )
    cases = [
        (dict(kind="changed", changes={"name": "食品生产许可"}), "与现行内容相同"),
        (dict(kind="changed", changes={"random_inspection": True}), "只有行政检查事项可以列入随机抽查事项清单"),
        (dict(kind="delegated", to_body=world.bodies["shangdang"]), "下放只能下放给太原市下级区划"),
        (dict(kind="transferred"), "请选择承接该事项的执法主体"),
        (dict(kind="cancelled"), "取消事项须说明理由"),
        (dict(kind="changed", changes={"name": "新名称"}, effective_on=D(2020, 12, 31)), "不能早于该事项上一次调整"),
        (dict(kind="changed", changes={"name": "新名称"}, doc_number=""), "请填写调整所依据的文件文号"),
        (dict(kind="changed", changes={"name": "新名称"}, effective_on=TODAY + dt.timedelta(days=1)), "不能晚于今天"),
    ]
    for kwargs, words in cases:
        args = {"effective_on": D(2022, 1, 1), "doc_number": "并政发〔2022〕1号", **kwargs}
        with pytest.raises(ValidationFailed) as caught:
            services.adjust_power_item(actor=None, item=item, **args)
        assert words in messages(caught), kwargs
    assert PowerAdjustment.objects.filter(item=item).count() == 1
    item.refresh_from_db()
    assert (item.name, item.body_id, item.status) == ("食品生产许可", city_body.pk, "in_force")


def test_codes_are_unique_in_a_bodys_current_list_and_writes_are_scoped(world):
    add(world, "CF-9", "对销售过期食品的处罚")
    with pytest.raises(ValidationFailed) as caught:
        add(world, "CF-9", "另一个事项")
    assert "已有编码为“CF-9”的事项" in messages(caught)
    with pytest.raises(NotFound):
        services.create_power_item(
            actor=world.users["shangdang_supervisor"],
            body=world.bodies["xiaodian"],
            code="CF-10",
            name="x",
            category="penalty",
            legal_basis="y",
            effective_on=D(2022, 1, 1),
            doc_number="晋政发〔2022〕1号",
        )
    item = add(world, "CF-11", "对标签不合格的处罚", on=D(2022, 1, 1))
    with pytest.raises(NotFound):  # moving an item needs 维护 over the new body too
        services.adjust_power_item(
            actor=world.users["xiaodian_supervisor"],
            item=item,
            kind="transferred",
            effective_on=D(2022, 2, 1),
            doc_number="晋政发〔2022〕2号",
            to_body=world.bodies["shangdang"],
        )
    assert PowerItem.objects.get(pk=item.pk).body_id == world.bodies["xiaodian"].pk


def test_public_pages_show_the_current_list_the_history_and_the_random_inspection_list(client, world):
    add(
        world, "JC-1", "食品经营监督检查", category="inspection", random_inspection=True, inspection_scope="每年抽查 5%"
    )
    item = add(world, "CF-1", "对无证经营的处罚")
    services.adjust_power_item(
        actor=None,
        item=item,
        kind="cancelled",
        effective_on=D(2024, 1, 1),
        doc_number="晋政发〔2024〕1号",
        reason="取消",
    )
    page = client.get("/enforcement/powers/").content.decode()
    assert "食品经营监督检查" in page and "对无证经营的处罚" not in page
    old = client.get("/enforcement/powers/?as_of=2023-12-31").content.decode()
    assert "对无证经营的处罚" in old and "2023年12月31日的清单" in old
    bad = client.get("/enforcement/powers/?as_of=2023-13-01")
    assert bad.status_code == 400 and "日期格式应为 YYYY-MM-DD" in bad.content.decode()
    history = client.get(f"/enforcement/powers/{item.pk}/").content.decode()
    assert "已取消" in history and "晋政发〔2024〕1号" in history and "晋政发〔2020〕5号" in history
    inspections = client.get("/enforcement/inspections/").content.decode()
    assert "食品经营监督检查" in inspections and "每年抽查 5%" in inspections
    api = client.get("/api/v1/enforcement/powers?as_of=2023-12-31").json()
    assert {i["code"] for i in api["items"]} == {"JC-1", "CF-1"}
    assert [i["code"] for i in client.get("/api/v1/enforcement/powers?as_of=2023-12-31&q=无证").json()["items"]] == [
        "CF-1"
    ]
    assert client.get("/api/v1/enforcement/powers?as_of=2023-12-31&category=inspection").json()["count"] == 1
    assert client.get("/api/v1/enforcement/powers").json()["count"] == 1
    assert client.get("/api/v1/enforcement/powers?random_inspection=true").json()["items"][0]["code"] == "JC-1"
    future = client.get(f"/api/v1/enforcement/powers?as_of={TODAY + dt.timedelta(days=3)}")
    assert future.status_code == 422 and future.json()["message"] == "只能查询今天及以前的清单"


def test_empty_states_say_so(client, db):
    for url, words in (
        ("/enforcement/powers/", "没有符合条件的事项"),
        ("/enforcement/inspections/", "还没有列入随机抽查事项清单的检查事项"),
        ("/enforcement/bodies/", "还没有公开的执法主体"),
        ("/enforcement/officers/", "没有符合条件的持证人员"),
    ):
        assert words in client.get(url).content.decode()

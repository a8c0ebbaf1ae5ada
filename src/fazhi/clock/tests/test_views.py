from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def page(client: Client, query: str = "", **headers: str) -> Any:
    return client.get(reverse("clock:calculator") + (f"?{query}" if query else ""), headers=headers)


def test_empty_form_with_labels(client: Client) -> None:
    assert reverse("clock:calculator") == "/clock/"
    response = page(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>计算法定期限</h1>" in html
    assert '<label for="id_start">起算日期' in html
    assert '<label for="id_days">期限数值' in html
    assert 'type="date"' in html
    assert "请填写" not in html  # an untouched form shows no errors
    # the statutory limits in force are listed with their legal source
    assert "双公示：行政许可、行政处罚信息上网公示" in html
    assert "国办发〔2015〕51号" in html


def test_documented_example(client: Client) -> None:
    response = page(client, "start=2020-09-28&days=7&unit=working")
    assert response.status_code == 200
    html = response.content.decode()
    assert "届满日：<strong>2020年10月14日</strong>（星期三）" in html
    assert "法定节假日（国庆节）" in html
    assert "起算日不计入；期限届满日为法定休假日的，顺延至休假日后的第一个工作日" in html
    assert "期间内不计入的休息日（9 天）" in html


def test_calendar_days_show_the_postponement(client: Client) -> None:
    html = page(client, "start=2020-09-16&days=15&unit=calendar").content.decode()
    assert "<strong>2020年10月9日</strong>" in html
    assert "期间届满日 2020年10月1日（星期四）为休息日，顺延至其后第一个工作日" in html


def test_picking_a_statutory_limit_uses_the_version_in_force_on_the_start(client: Client) -> None:
    html = page(client, "start=2020-06-01&limit=petition.conclude&days=&unit=working").content.decode()
    assert "<strong>2020年7月31日</strong>" in html
    assert "《信访条例》（2005年）第三十三条" in html
    html = page(client, "start=2023-02-01&limit=petition.conclude").content.decode()
    assert "《信访工作条例》" in html


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        ("start=2020-02-30&days=7&unit=working", "起算日期“2020-02-30”不是有效的日期"),
        ("start=28/09/2020&days=7&unit=working", "起算日期格式应为 YYYY-MM-DD"),
        ("start=&days=7&unit=working", "请填写起算日期"),
        ("start=2020-09-28&days=-1&unit=working", "期限数值应为 0 至 3650 之间的整数"),
        ("start=2020-09-28&days=99999&unit=working", "期限数值应为 0 至 3650 之间的整数"),
        ("start=2020-09-28&days=七&unit=working", "期限数值应为 0 至 3650 之间的整数"),
        ("start=2020-09-28&days=&unit=working", "请填写期限数值，或选择一项法定期限"),
        ("start=2020-09-28&days=7&unit=week", "请选择工作日、自然日、月或年"),
        ("start=2020-09-28&limit=nope", "没有这项法定期限，请从列表中选择"),
        ("start=2020-01-01&limit=penalty.withdraw", "没有施行中的版本"),
        ("start=1900-01-01&days=7&unit=working", "起算日期应在1990年至2100年之间"),
        ("start=2027-03-01&days=7&unit=working", "2027年的节假日安排尚未收录，无法计算工作日"),
        ("start=2026-12-25&days=10&unit=working", "请管理员在“日历调整”中补录该年安排或升级日历数据"),
    ],
)
def test_bad_input_shows_a_chinese_form_error(client: Client, query: str, phrase: str) -> None:
    response = page(client, query)
    assert response.status_code == 422
    html = response.content.decode()
    assert phrase in html
    assert 'role="alert"' in html
    assert "届满日：" not in html


def test_field_errors_are_tied_to_their_inputs(client: Client) -> None:
    html = page(client, "start=bad&days=7&unit=working").content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_start_help id_start_error"' in html


def test_htmx_gets_the_fragment_and_a_swappable_status(client: Client) -> None:
    response = page(client, "start=2020-09-28&days=7&unit=working", **{"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="calculator"' in html
    assert "2020年10月14日" in html
    invalid = page(client, "start=2027-03-01&days=7&unit=working", **{"HX-Request": "true"})
    assert invalid.status_code == 200
    assert "2027年的节假日安排尚未收录" in invalid.content.decode()


def test_year_entered_by_hand_makes_the_page_work(client: Client, actor: Any) -> None:
    from fazhi.clock import services

    services.set_calendar_year(actor=actor, year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    response = page(client, "start=2027-03-01&days=5&unit=working")
    assert response.status_code == 200
    assert f"<strong>{date(2027, 3, 8):%Y年%-m月%-d日}</strong>" in response.content.decode()


def test_only_get(client: Client) -> None:
    assert client.post(reverse("clock:calculator"), {"start": "2020-09-28"}).status_code == 405

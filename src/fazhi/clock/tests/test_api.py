from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from fazhi.clock import services
from fazhi.clock.deadlines import GENERAL_RULE

pytestmark = pytest.mark.django_db
API = "/api/v1/clock"


def get(client: Client, path: str) -> Any:
    return client.get(f"{API}{path}")


def test_the_documented_example(client: Client) -> None:
    response = get(client, "/deadline?start=2020-09-28&days=7&unit=working")
    assert response.status_code == 200
    body = response.json()
    assert body["deadline"] == "2020-10-14"
    assert body["deadline_weekday"] == "星期三"
    assert (body["start"], body["days"], body["unit"], body["unit_label"]) == ("2020-09-28", 7, "working", "工作日")
    assert body["rule"] == GENERAL_RULE == "起算日不计入；期限届满日为法定休假日的，顺延至休假日后的第一个工作日"
    skipped = {day["date"]: day for day in body["skipped_rest_days"]}
    assert skipped["2020-10-01"]["name"] == "国庆节"
    assert skipped["2020-10-01"]["kind_label"] == "法定节假日"
    assert skipped["2020-10-11"]["kind_label"] == "周末"
    assert "2020-10-10" not in skipped  # 调休上班
    assert body["limit"] is None


def test_calendar_days_ending_in_the_national_day_holiday_move_to_the_next_working_day(client: Client) -> None:
    body = get(client, "/deadline?start=2020-09-16&days=15&unit=calendar").json()
    assert (body["deadline"], body["period_end"], body["postponed"]) == ("2020-10-09", "2020-10-01", True)
    assert body["unit_label"] == "自然日"
    assert len(body["skipped_rest_days"]) == 8


def test_months(client: Client) -> None:
    body = get(client, "/deadline?start=2020-01-31&days=1&unit=month").json()
    assert (body["deadline"], body["period_end"], body["unit_label"]) == ("2020-03-02", "2020-02-29", "月")


def test_limit_instead_of_days_echoes_the_legal_source(client: Client) -> None:
    body = get(client, "/deadline?start=2020-09-28&limit=sgs.publish").json()
    assert (body["deadline"], body["days"], body["unit"]) == ("2020-10-14", 7, "working")
    assert "国办发〔2015〕51号" in body["legal_source"]
    assert body["limit"]["code"] == "sgs.publish"
    old = get(client, "/deadline?start=2020-06-01&limit=petition.conclude").json()
    new = get(client, "/deadline?start=2023-02-01&limit=petition.conclude").json()
    assert "《信访条例》" in old["legal_source"] and old["deadline"] == "2020-07-31"
    assert "《信访工作条例》" in new["legal_source"]


def test_limits_list(client: Client) -> None:
    everything = get(client, "/limits").json()
    petition = [row for row in everything if row["code"] == "petition.conclude"]
    assert len(petition) == 2
    in_2020 = get(client, "/limits?on=2020-06-30").json()
    codes = [row["code"] for row in in_2020]
    assert "penalty.withdraw" not in codes
    assert codes.count("petition.conclude") == 1
    row = next(r for r in in_2020 if r["code"] == "sgs.publish")
    assert (row["duration_label"], row["unit_label"], row["valid_to"]) == ("7个工作日", "工作日", None)
    only = get(client, "/limits?code=petition.conclude&on=2023-01-01").json()
    assert [r["valid_from"] for r in only] == ["2022-05-01"]


@pytest.mark.parametrize(
    ("day", "is_workday", "kind_label", "name"),
    [
        ("2020-10-10", True, "调休上班", "国庆节"),
        ("2020-10-01", False, "法定节假日", "国庆节"),
        ("2020-10-17", False, "周末", ""),
        ("2020-10-12", True, "工作日", ""),
    ],
)
def test_workday(client: Client, day: str, is_workday: bool, kind_label: str, name: str) -> None:
    body = get(client, f"/workday?date={day}").json()
    assert (body["is_workday"], body["kind_label"], body["name"]) == (is_workday, kind_label, name)
    assert body["weekday"].startswith("星期")


def test_workday_next_working_day(client: Client) -> None:
    assert get(client, "/workday?date=2020-10-01").json()["next_workday"] == "2020-10-09"


@pytest.mark.parametrize(
    ("path", "phrase"),
    [
        ("/deadline?start=2020-13-01&days=7&unit=working", "起算日期“2020-13-01”不是有效的日期"),
        ("/deadline?start=abc&days=7&unit=working", "起算日期格式应为 YYYY-MM-DD"),
        ("/deadline?start=20200928&days=7&unit=working", "起算日期格式应为 YYYY-MM-DD"),
        ("/deadline?days=7&unit=working", "缺少必填参数"),
        ("/deadline?start=2020-09-28&days=-1&unit=working", "期限数值应为 0 至 3650 之间的整数"),
        ("/deadline?start=2020-09-28&days=3651&unit=working", "期限数值应为 0 至 3650 之间的整数"),
        ("/deadline?start=2020-09-28&days=7.5&unit=working", "期限数值应为 0 至 3650 之间的整数"),
        ("/deadline?start=2020-09-28&days=abc&unit=working", "期限数值应为 0 至 3650 之间的整数"),
        ("/deadline?start=2020-09-28&days=7&unit=week", "期限单位应为 working（工作日）"),
        ("/deadline?start=2020-09-28&days=7", "请填写期限单位"),
        ("/deadline?start=2020-09-28&unit=working", "请填写期限数值"),
        ("/deadline?start=2020-09-28", "请填写期限数值"),
        ("/deadline?start=2020-09-28&limit=nope", "未找到代码为“nope”的法定期限"),
        ("/deadline?start=2020-09-28&limit=sgs.publish&days=7", "二选一"),
        ("/deadline?start=2020-01-01&limit=penalty.withdraw", "没有施行中的版本"),
        ("/deadline?start=1800-01-01&days=7&unit=working", "起算日期应在1990年至2100年之间"),
        ("/deadline?start=9999-12-31&days=3650&unit=calendar", "起算日期应在1990年至2100年之间"),
        ("/deadline?start=2027-03-01&days=7&unit=working", "2027年的节假日安排尚未收录"),
        ("/deadline?start=2026-12-25&days=10&unit=working", "2027年的节假日安排尚未收录"),
        ("/deadline?start=2100-12-31&days=3650&unit=calendar", "2110年的节假日安排尚未收录"),
        ("/limits?on=2020-02-30", "日期“2020-02-30”不是有效的日期"),
        ("/workday?date=2027-01-01", "2027年的节假日安排尚未收录"),
        ("/workday?date=yesterday", "日期格式应为 YYYY-MM-DD"),
        ("/workday", "缺少必填参数"),
    ],
)
def test_bad_input_gets_a_chinese_4xx(client: Client, path: str, phrase: str) -> None:
    response = get(client, path)
    assert response.status_code == 422, response.content
    body = response.json()
    text = body["message"] + "".join(e["message"] for e in body.get("errors") or [])
    assert phrase in text, text


def test_uncovered_year_error_code(client: Client) -> None:
    body = get(client, "/deadline?start=2027-03-01&days=7&unit=working").json()
    assert body["code"] == "calendar_year_not_covered"
    assert body["message"] == (
        "2027年的节假日安排尚未收录，无法计算工作日；请管理员在“日历调整”中补录该年安排或升级日历数据。"
    )


def test_a_year_entered_by_hand_works_through_the_api(client: Client, actor: Any) -> None:
    services.import_calendar_year(actor=actor, year=2027, days=[(date(2027, 3, 5), False, "地方调休")], source="演示")
    body = get(client, "/deadline?start=2027-03-01&days=5&unit=working").json()
    assert body["deadline"] == "2027-03-09"
    assert any(d["date"] == "2027-03-05" and d["source"] == "override" for d in body["skipped_rest_days"])


def test_openapi_describes_the_clock(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/clock/deadline"]["get"]
    assert operation["tags"] == ["法定期限"]
    assert operation["summary"] == "计算法定期限的届满日"
    parameters = {p["name"] for p in operation["parameters"]}
    assert parameters == {"start", "days", "unit", "limit"}
    deadline_out = schema["components"]["schemas"]["DeadlineOut"]
    assert {"deadline", "unit_label", "rule", "skipped_rest_days", "legal_source"} <= set(deadline_out["properties"])

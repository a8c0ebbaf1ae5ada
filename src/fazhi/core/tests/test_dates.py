"""Date cells as 双公示 files carry them, 长期, and the future/order checks."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from fazhi.core.dates import LONG_TERM, check_not_future, check_order, is_long_term, parse_date
from fazhi.core.errors import ValidationFailed

SEP_28 = date(2020, 9, 28)


def _error(raw, **kwargs):
    with pytest.raises(ValidationFailed) as info:
        parse_date(raw, **kwargs)
    (error,) = info.value.errors
    return error


@pytest.mark.parametrize(
    "raw",
    [
        "2020-09-28",
        "2020/9/28",
        "2020/09/28",
        "2020.09.28",
        "2020-9-28",
        "20200928",
        "2020年9月28日",
        "2020 年 9 月 28 日",
        "2020年09月28日",
        "二〇二〇年九月二十八日",
        "２０２０－０９－２８",
        "２０２０年９月２８日",
        " 2020-09-28 ",
        "\u200b2020-09-28",
        "2020-09-28 00:00:00",
        "2020-09-28T10:30:00",
        "2020/9/28 0:00",
        44102,
        44102.0,
        44102.75,  # a date with a time of day
        "44102",
        Decimal("44102"),
        20200928,
        SEP_28,
        datetime(2020, 9, 28, 23, 59),  # noqa: DTZ001 - openpyxl hands over naive datetimes
    ],
)
def test_every_real_form_of_the_same_day(raw):
    assert parse_date(raw) == SEP_28


def test_aware_datetimes_are_read_in_china_time():
    utc_evening = datetime(2020, 9, 27, 17, 0, tzinfo=UTC)  # 01:00 on the 28th in Beijing
    assert parse_date(utc_evening) == SEP_28


def test_wire_format_dates_of_a_live_system(shared_data):
    record = json.loads(
        (shared_data / "standards" / "shuangyashan_api_shuanggongshi_wire_format_samples.json").read_text()
    )
    row = record["penalty_response"]["rows"][0]
    assert parse_date(row["CF_JDRQ"]) == date(2019, 10, 10)
    assert parse_date(row["CF_GSJZQ"]) == date(2020, 10, 17)


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ("2020-02-30", "date_invalid", "2020 年 2 月没有 30 日"),
        ("2019-02-29", "date_invalid", "2019 年 2 月没有 29 日"),
        ("2020-13-01", "date_invalid", "月份应为 1–12"),
        ("20200230", "date_invalid", "没有 30 日"),
        (20200230, "date_invalid", "没有 30 日"),
        ("28/09/2020", "date_format", "年份不在最前"),
        ("20-09-28", "date_format", "2020-09-28"),
        ("明天", "date_format", "无法识别的日期“明天”"),
        ("2020年9月", "date_format", "2020年9月28日"),
        ("2020", "date_format", "只有年份"),
        (2020, "date_format", "只有年份"),
        ("12", "date_out_of_range", "Excel 日期序号"),
        (-5, "date_out_of_range", "Excel 日期序号"),
        (80000, "date_out_of_range", "Excel 日期序号"),
        ("", "required", "请填写日期"),
        (None, "required", "请填写日期"),
        (True, "date_type", "布尔"),
        (float("nan"), "date_type", "nan"),
        (["2020-09-28"], "date_type", "list"),
    ],
)
def test_bad_dates_get_coded_chinese_messages(raw, code, words):
    error = _error(raw, field_name="decided_on")
    assert (error.field, error.code) == ("decided_on", code)
    assert words in error.message


def test_leap_day_is_a_real_date():
    assert parse_date("2020-02-29") == date(2020, 2, 29)


def test_long_term():
    assert date(2099, 12, 31) == LONG_TERM
    assert parse_date("2099/12/31") == LONG_TERM
    assert is_long_term(parse_date("2099-12-31"))
    assert is_long_term(parse_date("9999-12-31"))  # other systems' placeholder for the same thing
    assert is_long_term(parse_date(2958465))  # 9999-12-31 as an Excel serial
    assert not is_long_term(date(2025, 12, 31))
    assert not is_long_term(None)


def test_check_not_future():
    today = date(2025, 6, 1)
    assert check_not_future(today, today=today) == today
    with pytest.raises(ValidationFailed) as info:
        check_not_future(today + timedelta(days=1), today=today, field_name="decided_on", label="处罚决定日期")
    (error,) = info.value.errors
    assert (error.field, error.code) == ("decided_on", "date_in_future")
    assert error.message.startswith("处罚决定日期 2025-06-02 晚于今天")


def test_check_not_future_defaults_to_today_in_china():
    assert check_not_future(date(2000, 1, 1)) == date(2000, 1, 1)
    with pytest.raises(ValidationFailed):
        check_not_future(date(2999, 1, 1))


def test_check_order():
    decided, until = date(2019, 10, 10), date(2020, 10, 17)
    check_order(decided, until, earlier_field="decided_on", later_field="publicity_until")
    check_order(decided, decided, earlier_field="decided_on", later_field="publicity_until")
    check_order(None, until, earlier_field="decided_on", later_field="publicity_until")
    with pytest.raises(ValidationFailed) as info:
        check_order(
            until, decided, earlier_field="valid_from", later_field="valid_until", message="有效期至早于有效期自"
        )
    (error,) = info.value.errors
    assert (error.field, error.code, error.message) == ("valid_until", "date_order", "有效期至早于有效期自")
    with pytest.raises(ValidationFailed) as info:
        check_order(until, decided, earlier_field="有效期自", later_field="有效期至")
    assert "2019-10-10" in info.value.message and "2020-10-17" in info.value.message


def test_random_input_never_raises_anything_but_validation_failed():
    from fazhi.core.tests.test_identifiers_more import fuzz_values

    values = [*fuzz_values(44102), "٢٠٢٠-٠٩-٢٨", "2020-09-28T", "99999999", 99_991_231, 10**20, -(10**20), 1e300]
    for value in values:
        try:
            assert isinstance(parse_date(value), date)
        except ValidationFailed as exc:
            assert exc.errors[0].code and exc.errors[0].message

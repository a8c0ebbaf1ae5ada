"""Public REST endpoints of the statutory clock: ``/api/v1/clock/...`` (no login needed)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from fazhi.core.errors import FieldError, NotFound, ValidationFailed

from . import selectors
from .calendar import CalendarDataMissing, DayInfo, get_calendar, weekday_name
from .choices import TimeUnit
from .deadlines import DeadlineExplanation, explain_deadline
from .models import TimeLimit, resolve_time_limit
from .parsing import MAX_DAYS, UNIT_HINT, blank_to_none, parse_date, parse_days, parse_unit

router = Router(tags=["法定期限"])


# --- schemas ------------------------------------------------------------------------------------------------


class FieldErrorOut(Schema):
    field: str
    code: str
    message: str


class ErrorOut(Schema):
    code: str = Field(..., description="稳定的错误代码，例如 validation_failed、calendar_year_not_covered")
    message: str = Field(..., description="中文说明")
    errors: list[FieldErrorOut] | None = None


class DayOut(Schema):
    date: dt.date
    weekday: str = Field(..., description="星期几", examples=["星期六"])
    is_workday: bool
    kind: str = Field(..., description="workday / weekend / holiday / makeup_workday")
    kind_label: str = Field(..., description="工作日 / 周末 / 法定节假日 / 调休上班")
    name: str = Field(..., description="节日名称或日历调整原因，例如 国庆节")
    explanation: str = Field(..., examples=["法定节假日（国庆节）"])
    source: str = Field(..., description="library（国务院节假日安排）/ override（日历调整）/ weekday_rule")
    source_label: str

    @staticmethod
    def build(info: DayInfo) -> DayOut:
        return DayOut(
            date=info.date,
            weekday=info.weekday_name,
            is_workday=info.is_workday,
            kind=info.kind.value,
            kind_label=info.kind_label,
            name=info.name,
            explanation=info.explanation,
            source=info.source.value,
            source_label=info.source_label,
        )


class WorkdayOut(DayOut):
    next_workday: dt.date | None = Field(None, description="之后的第一个工作日（该日之后的安排尚未收录时为空）")


class TimeLimitOut(Schema):
    code: str = Field(..., examples=["sgs.publish"])
    name: str
    days: int
    unit: TimeUnit
    unit_label: str
    duration_label: str = Field(..., examples=["7个工作日"])
    legal_source: str
    valid_from: dt.date
    valid_to: dt.date | None = Field(None, description="最后一个有效日；为空表示现行有效")
    note: str
    confidence: str

    @staticmethod
    def build(limit: TimeLimit) -> TimeLimitOut:
        return TimeLimitOut(
            code=limit.code,
            name=limit.name,
            days=limit.days,
            unit=TimeUnit(limit.unit),
            unit_label=limit.get_unit_display(),
            duration_label=limit.duration_label,
            legal_source=limit.legal_source,
            valid_from=limit.valid_from,
            valid_to=limit.valid_to,
            note=limit.note,
            confidence=limit.confidence,
        )


class DeadlineOut(Schema):
    start: dt.date = Field(..., description="起算日期（当天不计入）")
    start_weekday: str
    days: int
    unit: TimeUnit
    unit_label: str = Field(..., examples=["工作日"])
    deadline: dt.date = Field(..., description="届满日（最后一天）", examples=["2020-10-14"])
    deadline_weekday: str = Field(..., examples=["星期三"])
    period_end: dt.date = Field(..., description="未顺延的期间届满日；按工作日计算时与 deadline 相同")
    postponed: bool = Field(..., description="届满日是否因休息日顺延")
    rule: str = Field(..., description="通用计算规则")
    unit_rule: str = Field(..., description="本单位的计算规则")
    skipped_rest_days: list[DayOut] = Field(
        ..., description="按工作日计算时：期间内不计入的休息日；其他单位：顺延时跳过的休息日"
    )
    limit: TimeLimitOut | None = Field(None, description="使用 limit 参数时，起算日施行的法定期限版本")
    legal_source: str = Field("", description="法律依据（使用 limit 参数时）")

    @staticmethod
    def build(explanation: DeadlineExplanation, limit: TimeLimit | None) -> DeadlineOut:
        return DeadlineOut(
            start=explanation.start,
            start_weekday=weekday_name(explanation.start),
            days=explanation.days,
            unit=explanation.unit,
            unit_label=explanation.unit_label,
            deadline=explanation.deadline,
            deadline_weekday=explanation.deadline_weekday,
            period_end=explanation.period_end,
            postponed=explanation.postponed,
            rule=explanation.rule,
            unit_rule=explanation.unit_rule,
            skipped_rest_days=[DayOut.build(info) for info in explanation.skipped_rest_days],
            limit=TimeLimitOut.build(limit) if limit else None,
            legal_source=limit.legal_source if limit else "",
        )


class DeadlineQuery(Schema):
    start: dt.date = Field(..., description="起算日期 YYYY-MM-DD（当天不计入）", examples=["2020-09-28"])
    days: int | None = Field(None, ge=0, le=MAX_DAYS, description="期限数值（与 unit 一起使用）", examples=[7])
    unit: TimeUnit | None = Field(None, description=f"期限单位：{UNIT_HINT}")
    limit: str | None = Field(
        None, max_length=64, description="法定期限代码（代替 days、unit），例如 sgs.publish", examples=["sgs.publish"]
    )

    @field_validator("start", mode="before")
    @classmethod
    def _start(cls, value: object) -> dt.date:
        return parse_date(value, "起算日期")

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, value: object) -> int | None:
        value = blank_to_none(value)
        return None if value is None else parse_days(value)

    @field_validator("unit", mode="before")
    @classmethod
    def _unit(cls, value: object) -> TimeUnit | None:
        value = blank_to_none(value)
        return None if value is None else parse_unit(value)

    @field_validator("limit", mode="before")
    @classmethod
    def _limit(cls, value: object) -> str | None:
        value = blank_to_none(value)
        return None if value is None else str(value).strip()


class LimitsQuery(Schema):
    on: dt.date | None = Field(None, description="只列出该日施行的版本；不填则列出全部版本", examples=["2020-06-30"])
    code: str | None = Field(None, max_length=64, description="只列出该代码的版本")

    @field_validator("on", mode="before")
    @classmethod
    def _on(cls, value: object) -> dt.date | None:
        value = blank_to_none(value)
        return None if value is None else parse_date(value, "日期")

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: object) -> str | None:
        value = blank_to_none(value)
        return None if value is None else str(value).strip()


class WorkdayQuery(Schema):
    date: dt.date = Field(..., description="要查询的日期 YYYY-MM-DD", examples=["2020-10-10"])

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> dt.date:
        return parse_date(value, "日期")


# --- endpoints ----------------------------------------------------------------------------------------------

_ERRORS: dict[int | str, type[Schema]] = {422: ErrorOut}


@router.get(
    "/deadline",
    response={200: DeadlineOut, **_ERRORS},
    summary="计算法定期限的届满日",
    operation_id="clock_deadline",
)
def deadline(request: HttpRequest, params: Query[DeadlineQuery]) -> DeadlineOut:
    """按起算日期和期限（天数 + 单位，或法定期限代码 `limit`）计算届满日。

    起算日不计入；按工作日计算的只计工作日；按自然日、月、年计算的，届满日为法定休假日的顺延至其后第一个工作日。
    使用 `limit` 时，采用起算日施行的期限版本并返回其法律依据。所需年份的节假日安排尚未收录时返回 422
    （`calendar_year_not_covered`）。
    """
    limit: TimeLimit | None = None
    if params.limit:
        if params.days is not None or params.unit is not None:
            raise ValidationFailed(
                FieldError("limit", "ambiguous", "请在法定期限代码（limit）与期限数值和单位（days、unit）中二选一")
            )
        try:
            limit = resolve_time_limit(params.limit, params.start)
        except NotFound as exc:
            raise ValidationFailed(FieldError("limit", "unknown_limit", exc.message)) from exc
        days, unit = limit.days, TimeUnit(limit.unit)
    else:
        problems = []
        if params.days is None:
            problems.append(FieldError("days", "required", "请填写期限数值（days），或用 limit 指定法定期限"))
        if params.unit is None:
            problems.append(FieldError("unit", "required", f"请填写期限单位（unit）：{UNIT_HINT}"))
        if problems or params.days is None or params.unit is None:
            raise ValidationFailed(problems)
        days, unit = params.days, params.unit
    explanation = explain_deadline(params.start, days, unit)
    return DeadlineOut.build(explanation, limit)


@router.get(
    "/limits",
    response={200: list[TimeLimitOut], **_ERRORS},
    summary="法定期限列表（含历史版本）",
    operation_id="clock_limits",
)
def limits(request: HttpRequest, params: Query[LimitsQuery]) -> list[TimeLimitOut]:
    """全部法定期限版本；给出 `on` 时只列出该日施行的版本。每项包括期限、单位、法律依据和施行期间。"""
    queryset = selectors.time_limits_in_force(params.on) if params.on else selectors.all_time_limits()
    if params.code:
        queryset = queryset.filter(code=params.code)
    return [TimeLimitOut.build(limit) for limit in queryset]


@router.get(
    "/workday",
    response={200: WorkdayOut, **_ERRORS},
    summary="某日是否工作日",
    operation_id="clock_workday",
)
def workday(request: HttpRequest, params: Query[WorkdayQuery]) -> WorkdayOut:
    """某日是否工作日，以及原因：周末、法定节假日（名称）、调休上班或日历调整。该年安排尚未收录时返回 422。"""
    calendar = get_calendar()
    info = calendar.day_info(params.date)
    try:
        following: dt.date | None = calendar.next_workday(params.date)
    except CalendarDataMissing:
        following = None
    base = DayOut.build(info)
    return WorkdayOut(**base.model_dump(), next_workday=following)

"""Metrics and reports (``/api/v1/reports``): the metric catalogue, figures for a division and year (from the rollup,
with their data time), and the annual reports with their downloads. Public callers see public metrics and
published reports; staff (session or token on the ``/staff`` endpoints) see everything in their jurisdiction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from fazhi.core.errors import NotFound
from fazhi.org.auth import staff_auth

from . import outputs, registry, selectors
from .render import render_report

router = Router(tags=["统计指标与年度报告"])


class MetricOut(Schema):
    code: str
    title: str
    unit: str
    definition: str
    group: str
    group_title: str
    public: bool


class ValueQuery(Schema):
    division: str = Field("140000", description="省、市或县（市、区）的 6 位区划代码")
    year: int = Field(..., ge=2000, le=2100, description="年度")


class FigureOut(Schema):
    code: str
    title: str
    unit: str
    value: Decimal | None
    text: str
    computed_at: dt.datetime | None = Field(None, description="数据时间；为空表示尚未汇总")


class ValuesOut(Schema):
    division: str
    division_name: str
    year: int
    figures: list[FigureOut]


class ReportOut(Schema):
    id: int
    title: str
    division: str
    division_name: str
    year: int
    status: str
    deadline: dt.date
    published_on: dt.date | None
    published_on_time: bool | None
    downloads: dict[str, str]


def _metric_out(metric: registry.Metric) -> MetricOut:
    group = registry.group(metric.group)
    return MetricOut(
        code=metric.code,
        title=metric.title,
        unit=metric.unit,
        definition=metric.definition,
        group=metric.group,
        group_title=group.title if group else metric.group,
        public=metric.public,
    )


def _values(request: HttpRequest, query: ValueQuery, *, staff: bool) -> ValuesOut:
    division = selectors.division_by_code(query.division)
    if staff and not selectors.sees_all_metrics(request.user, division):
        raise NotFound("未找到该行政区划")
    metrics = selectors.visible_metrics(request.user, division)
    values = selectors.figures([division], query.year, metrics)
    return ValuesOut(
        division=division.code,
        division_name=division.name,
        year=query.year,
        figures=[
            FigureOut(
                code=m.code,
                title=m.title,
                unit=m.unit,
                value=values[(division.pk, m.code)].value,
                text=values[(division.pk, m.code)].text,
                computed_at=values[(division.pk, m.code)].computed_at,
            )
            for m in metrics
        ],
    )


@router.get("/metrics", response=list[MetricOut], summary="指标目录（口径、单位；公开指标，登录后含内部指标）")
def metrics(request: HttpRequest) -> list[MetricOut]:
    staff = getattr(request.user, "is_authenticated", False)
    return [_metric_out(m) for m in registry.all_metrics(public_only=not staff)]


@router.get("/values", response=ValuesOut, summary="一个区划一个年度的指标数值（来自汇总表，附数据时间）")
def values(request: HttpRequest, query: Query[ValueQuery]) -> ValuesOut:
    return _values(request, query, staff=False)


@router.get("/staff/values", response=ValuesOut, auth=staff_auth, summary="辖区内区划的全部指标数值")
def staff_values(request: HttpRequest, query: Query[ValueQuery]) -> ValuesOut:
    return _values(request, query, staff=True)


def _report_out(report: Any) -> ReportOut:
    return ReportOut(
        id=report.pk,
        title=report.title,
        division=report.division.code,
        division_name=report.division.name,
        year=report.year,
        status=report.status,
        deadline=report.deadline,
        published_on=report.published_on,
        published_on_time=report.published_on_time,
        downloads={fmt: f"/api/v1/reports/annual/{report.pk}/download?format={fmt}" for fmt in outputs.FORMATS},
    )


@router.get("/annual", response=list[ReportOut], summary="法治政府建设年度报告（已发布的；工作人员另见辖区草稿）")
def annual_reports(request: HttpRequest) -> list[ReportOut]:
    return [_report_out(r) for r in selectors.reports_for(request.user)[:500]]


class DownloadQuery(Schema):
    format: Literal["html", "docx", "pdf"] = "docx"


@router.get("/annual/{report_id}/download", summary="下载年度报告（html、docx 或 pdf）", response={200: None})
def download(request: HttpRequest, report_id: int, query: Query[DownloadQuery]) -> HttpResponse:
    report = selectors.report_for(request.user, report_id)
    rendered = render_report(report)
    response = HttpResponse(outputs.export(rendered, query.format), content_type=outputs.CONTENT_TYPES[query.format])
    name = quote(outputs.filename(rendered, query.format))
    response["Content-Disposition"] = (
        f"attachment; filename=\"report-{report.pk}.{query.format}\"; filename*=UTF-8''{name}"
    )
    response["X-Data-Time"] = timezone.now().isoformat()
    return response

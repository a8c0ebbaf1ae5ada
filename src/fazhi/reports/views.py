"""Pages: the dashboard (province, city or county; public metrics for everyone, all of them for staff in
jurisdiction), the metric catalogue, drill-downs to the records behind a figure, and the annual reports (list,
page, editor with preview, publish, downloads). Views parse input, call one service or selector, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.errors import FazhiError, NotFound, ValidationFailed
from fazhi.core.identifiers import fold
from fazhi.core.permissions import REPORTS_EDIT
from fazhi.org import scope

from . import narrative, outputs, registry, selectors, services
from .render import render_report, render_text


def _year(request: HttpRequest, default: int | None = None) -> int:
    text = fold(request.GET.get("year") or request.POST.get("year") or "")
    this_year = timezone.localdate().year
    if text.isdigit() and services.FIRST_YEAR <= int(text) <= this_year:
        return int(text)
    return default or this_year - 1


def _years() -> list[int]:
    return list(range(timezone.localdate().year, 2018, -1))


def _division(request: HttpRequest) -> Any:
    code = fold(request.GET.get("division") or request.POST.get("division") or "")
    if code:
        try:
            return selectors.division_by_code(code)
        except NotFound as exc:
            raise Http404(exc.message) from exc
    division = selectors.home_division(request.user)
    if division is None:
        raise Http404("尚未载入行政区划")
    return division


def _ancestors(division: Any) -> list[Any]:
    chain = []
    node = division.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def dashboard(request: HttpRequest) -> HttpResponse:
    division = _division(request)
    year = _year(request, timezone.localdate().year)  # this year so far (the data time says how far)
    metrics = selectors.visible_metrics(request.user, division)
    children = list(selectors.sub_divisions(division))
    values = selectors.figures([division, *children], year, metrics)
    sections = []
    charts = []
    for group in registry.groups():
        own = [m for m in metrics if m.group == group.code]
        if not own and not group.expected:
            continue
        chart_metrics = [m for m in own if m.chart]
        chart_id = ""
        if chart_metrics and children:
            chart_id = f"chart-{group.code}"
            charts.append(
                {
                    "id": chart_id,
                    "title": f"{group.title}：各{'市' if division.level == 'province' else '县（市、区）'}比较",
                    "categories": [c.name for c in children],
                    "series": [
                        {
                            "name": f"{m.title}（{m.unit}）",
                            "rate": m.is_rate,
                            "data": [values[(c.pk, m.code)].number for c in children],
                        }
                        for m in chart_metrics
                    ],
                }
            )
        sections.append(
            {
                "group": group,
                "figures": [values[(division.pk, m.code)] for m in own],
                "chart_id": chart_id,
                "pending": not registry.metrics_of(group.code),
            }
        )
    times = [f.computed_at for f in values.values() if f.computed_at is not None]
    context = {
        "division": division,
        "year": year,
        "years": _years(),
        "ancestors": _ancestors(division),
        "children": children,
        "sections": sections,
        "charts": charts,
        "data_time": min(times) if times else None,
        "missing": any(f.computed_at is None for f in values.values()),
        "full": selectors.sees_all_metrics(request.user, division),
        "can_refresh": selectors.can_edit(request.user, division),
        "province": selectors.province(),
    }
    return render(request, "reports/dashboard.html", context)


@require_POST
@login_required
def refresh(request: HttpRequest) -> HttpResponse:
    division = _division(request)
    year = _year(request)
    try:
        written = services.refresh_values(actor=request.user, division=division, year=year)
    except NotFound as exc:
        raise Http404 from exc
    except FazhiError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已重新计算 {written} 个数值")
    return redirect(f"{reverse('reports:dashboard')}?division={division.code}&year={year}")


def catalogue(request: HttpRequest) -> HttpResponse:
    staff = not scope.jurisdiction(request.user, "reports.view").empty
    groups = []
    for group in registry.groups():
        metrics = registry.metrics_of(group.code, public_only=not staff)
        groups.append({"group": group, "metrics": metrics})
    return render(request, "reports/catalogue.html", {"groups": groups, "staff": staff})


@login_required
def drilldown(request: HttpRequest, code: str, division: str, year: int) -> HttpResponse:
    try:
        dd = selectors.drilldown(request.user, code, division, year)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    counted_ids = set(dd.counted.values_list("pk", flat=True)) if dd.counted is not None else None
    page = Paginator(dd.records, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "cells": [fn(obj) for _, fn in dd.metric.columns] if dd.metric.columns else [str(obj)],
            "url": dd.metric.record_url(obj) if dd.metric.record_url else "",
            "counted": counted_ids is None or obj.pk in counted_ids,
        }
        for obj in page
    ]
    context = {
        "dd": dd,
        "page": page,
        "rows": rows,
        "headers": [label for label, _ in dd.metric.columns] or ["记录"],
        "total": dd.records.count(),
        "counted_total": len(counted_ids) if counted_ids is not None else None,
    }
    return render(request, "reports/drilldown.html", context)


# --- annual reports --------------------------------------------------------------------------------------------------


def _report(request: HttpRequest, pk: int) -> Any:
    try:
        return selectors.report_for(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def report_list(request: HttpRequest) -> HttpResponse:
    reports = list(selectors.reports_for(request.user)[:500])
    editable = scope.restrict(services.rollup_divisions(), request.user, REPORTS_EDIT)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        code = fold(request.POST.get("division", ""))
        year_text = fold(request.POST.get("year", ""))
        division = editable.filter(code=code).first()
        if division is None:
            errors["division"] = "请选择您有权编写报告的行政区划"
        if not year_text.isdigit():
            errors["year"] = "请填写年度，例如 2020"
        if not errors and division is not None:
            try:
                report = services.create_report(actor=request.user, division=division, year=int(year_text))
            except ValidationFailed as exc:
                errors.update({e.field: e.message for e in exc.errors})
            except FazhiError as exc:
                errors["form"] = exc.message
            else:
                messages.success(request, "已按默认模板生成报告草稿，请修改正文后发布")
                return redirect("reports:report_edit", pk=report.pk)
    context = {
        "reports": reports,
        "editable": list(editable[:300]),
        "errors": errors,
        "years": _years(),
        "default_year": timezone.localdate().year - 1,
    }
    return render(request, "reports/report_list.html", context, status=422 if errors else 200)


def report_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    rendered = render_report(report)
    context = {
        "report": report,
        "r": rendered,
        "can_edit": not report.is_published and selectors.can_edit(request.user, report),
        "today": timezone.localdate(),
    }
    return render(request, "reports/report.html", context)


def _posted_sections(request: HttpRequest, report: Any) -> dict[str, str]:
    return {s.key: request.POST.get(f"section_{s.key}", s.body) for s in report.sections.all()}


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not selectors.can_edit(request.user, report):
        raise Http404("未找到该报告")
    sections = list(report.sections.order_by("number"))
    title, intro = report.title, report.intro
    texts = {s.key: s.body for s in sections}
    errors: dict[str, str] = {}
    preview = None
    status = 200
    if request.method == "POST":
        title = request.POST.get("title", title)
        intro = request.POST.get("intro", intro)
        texts = _posted_sections(request, report)
        if request.POST.get("action") == "preview":
            preview = render_text(
                division=report.division,
                year=report.year,
                title=title,
                intro=intro,
                sections=[(s.key, s.heading, texts[s.key]) for s in sections],
            )
        else:
            try:
                services.update_report(actor=request.user, report=report, title=title, intro=intro, sections=texts)
            except ValidationFailed as exc:
                errors.update({e.field: e.message for e in exc.errors})
                status = 422
            except FazhiError as exc:
                errors["form"] = exc.message
                status = 409
            else:
                messages.success(request, "已保存")
                return redirect("reports:report", pk=report.pk)
    context = {
        "report": report,
        "title": title,
        "intro": intro,
        "fields": [
            {"key": s.key, "heading": f"{narrative.numeral(s.number)}、{s.heading}", "text": texts[s.key]}
            for s in sections
        ],
        "errors": errors,
        "preview": preview,
        "r": preview,
        "metrics": registry.all_metrics(),
    }
    return render(request, "reports/report_edit.html", context, status=status)


@require_POST
@login_required
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        report = services.publish_report(actor=request.user, report=report)
    except NotFound as exc:
        raise Http404 from exc
    except FazhiError as exc:
        messages.error(request, exc.message)
    else:
        when = "按时" if report.published_on_time else "逾期"
        messages.success(request, f"报告已发布（{when}：应于{report.year + 1}年4月1日前发布）")
    return redirect("reports:report", pk=report.pk)


def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in outputs.FORMATS:
        raise Http404("不支持的格式")
    report = _report(request, pk)
    rendered = render_report(report)
    response = HttpResponse(outputs.export(rendered, fmt), content_type=outputs.CONTENT_TYPES[fmt])
    if fmt != "html":
        from urllib.parse import quote

        name = quote(outputs.filename(rendered, fmt))
        response["Content-Disposition"] = f"attachment; filename=\"report-{report.pk}.{fmt}\"; filename*=UTF-8''{name}"
    return response

"""Pages: the public calculator (/discretion/), benchmark documents (every version), the template; staff pages to
keep benchmarks (scoped to the issuing agencies in the user's jurisdiction; anything else answers 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from fazhi.clock.parsing import parse_date
from fazhi.core.errors import FazhiError, NotFound, ValidationFailed
from fazhi.core.forms import add_service_errors

from . import calculator, selectors, services
from .choices import BenchmarkStatus, Grade
from .forms import (
    BenchmarkForm,
    CalculatorForm,
    ImportForm,
    ItemForm,
    NewBenchmarkForm,
    NewVersionForm,
    RetireForm,
    RuleForm,
)
from .models import DiscretionBenchmark
from .spreadsheet import TEMPLATE_ROWS, rule_cells, write_csv, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _date_param(request: HttpRequest) -> tuple[dt.date, str]:
    """The ``on`` query parameter (default today) and, when it is not a date, the Chinese error."""
    text = request.GET.get("on", "").strip()
    if not text:
        return timezone.localdate(), ""
    try:
        return parse_date(text, "适用日期"), ""
    except ValueError as exc:
        return timezone.localdate(), str(exc)


# --- public ------------------------------------------------------------------------------------------------


@require_safe
def calculator_page(request: HttpRequest) -> HttpResponse:
    """Find the violation (words of the violation or its legal basis), in the versions in force on a date."""
    on, date_error = _date_param(request)
    q = request.GET.get("q", "").strip()[:100]
    items = selectors.items_in_force(on, q=q) if q and not date_error else []
    in_force = [b for b in selectors.public_benchmarks() if b.in_force_on(on)] if not q else []
    context = {
        "q": q,
        "on": on,
        "on_text": request.GET.get("on", ""),
        "date_error": date_error,
        "items": items,
        "in_force": in_force,
        "limit": selectors.MAX_RESULTS,
    }
    return render(request, "discretion/calculator.html", context, status=422 if date_error else 200)


@require_safe
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The calculator for one violation: answer its circumstances, get the grade, the fine and the reasons.

    The item shown is the one of the version in force on the date asked about (today by default), whichever version
    the link pointed at; without answers the page only shows the questions and the item's table."""
    try:
        item = selectors.public_item(pk)
    except NotFound as exc:
        raise Http404 from exc
    asked = any(key != "on" for key in request.GET)
    form = CalculatorForm(request.GET or None, item=item)
    outcome = None
    if request.GET and form.is_valid():
        on = form.on_date()
        try:
            current = selectors.item_in_force(item, on)
            if current.pk != item.pk:
                item, form = current, CalculatorForm(request.GET, item=current)
                form.is_valid()
            if asked and not form.errors:
                outcome = calculator.calculate(item, answers=form.answers(), figures=form.figures(), on=on)
        except ValidationFailed as exc:
            for error in exc.errors:
                form.add_error(form.field_for(error.field), error.message)
    context = {
        "item": item,
        "benchmark": item.benchmark,
        "form": form,
        "outcome": outcome,
        "rules": list(item.rules.all()),
        "today": timezone.localdate(),
    }
    return render(request, "discretion/item.html", context, status=422 if form.errors else 200)


@require_safe
def benchmarks_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_benchmarks(), 30).get_page(request.GET.get("page"))
    return render(request, "discretion/benchmarks.html", {"page": page, "today": timezone.localdate()})


@require_safe
def benchmark_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        benchmark = selectors.public_benchmark(pk)
    except NotFound as exc:
        raise Http404 from exc
    items = selectors.with_rules(benchmark.items.all())
    context = {
        "benchmark": benchmark,
        "items": items,
        "versions": selectors.versions(benchmark),
        "today": timezone.localdate(),
    }
    return render(request, "discretion/benchmark.html", context)


@require_safe
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    return spreadsheet_response(TEMPLATE_ROWS, fmt, "裁量基准导入模板")


def spreadsheet_response(rows: list[dict[str, str]], fmt: str, name: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(write_xlsx(rows), content_type=XLSX)
    elif fmt == "csv":
        response = HttpResponse(write_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return response


# --- staff -------------------------------------------------------------------------------------------------


def _staff_benchmark(request: HttpRequest, pk: int) -> DiscretionBenchmark:
    try:
        return selectors.benchmark_for(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    status = status if status in BenchmarkStatus.values else ""
    page = Paginator(selectors.benchmarks_for(request.user, q=q, status=status), 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "status": status,
        "statuses": BenchmarkStatus.choices,
        "can_create": bool(selectors.manageable_agencies(request.user)),
        "today": timezone.localdate(),
    }
    return render(request, "discretion/staff_list.html", context)


@login_required
def staff_new(request: HttpRequest) -> HttpResponse:
    agencies = selectors.manageable_agencies(request.user)
    if not agencies:
        raise Http404
    form = NewBenchmarkForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency = next(a for a in agencies if str(a.pk) == data.pop("agency"))
        try:
            benchmark = services.create_benchmark(actor=request.user, agency=agency, **data)
            messages.success(request, "已新建裁量基准（草稿）。请导入事项后发布。")
            return redirect("discretion:staff_benchmark", pk=benchmark.pk)
        except FazhiError as exc:
            add_service_errors(form, exc)
    return render(request, "discretion/staff_new.html", {"form": form}, status=422 if form.errors else 200)


def _benchmark_initial(benchmark: DiscretionBenchmark) -> dict[str, Any]:
    return {name: getattr(benchmark, name) for name in services.BENCHMARK_FIELDS}


@login_required
def staff_benchmark(request: HttpRequest, pk: int) -> HttpResponse:
    benchmark = _staff_benchmark(request, pk)
    form = _benchmark_form(benchmark, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changes = {
            k: v for k, v in form.cleaned_data.items() if v != getattr(benchmark, k) and (v or getattr(benchmark, k))
        }
        try:
            services.update_benchmark(actor=request.user, benchmark=benchmark, changes=changes)
            messages.success(request, "已保存。")
            return redirect("discretion:staff_benchmark", pk=pk)
        except FazhiError as exc:
            add_service_errors(form, exc)
    return _render_staff_benchmark(request, benchmark, form=form)


def _benchmark_form(benchmark: DiscretionBenchmark, data: Any = None) -> BenchmarkForm:
    """The document's fields; once published, its number and effective date are shown but not editable."""
    form = BenchmarkForm(data, initial=_benchmark_initial(benchmark))
    if benchmark.status != BenchmarkStatus.DRAFT:
        for name in ("doc_number", "effective_from"):
            form.fields[name].disabled = True
            form.fields[name].help_text = "已发布，不能修改；如需调整请发布新版本"
    return form


def _render_staff_benchmark(
    request: HttpRequest, benchmark: DiscretionBenchmark, *, form: Any = None, report: Any = None, status: int = 200
) -> HttpResponse:
    items = selectors.with_rules(benchmark.items.all())
    context = {
        "benchmark": benchmark,
        "form": form or _benchmark_form(benchmark),
        "import_form": ImportForm(),
        "items": items,
        "versions": selectors.versions(benchmark, public=False),
        "report": report,
        "today": timezone.localdate(),
        "frozen": benchmark.status == BenchmarkStatus.RETIRED or benchmark.superseded_by_id is not None,
    }
    if form is not None and form.errors:
        status = 422
    return render(request, "discretion/staff_benchmark.html", context, status=status)


@login_required
@require_POST
def staff_import(request: HttpRequest, pk: int) -> HttpResponse:
    benchmark = _staff_benchmark(request, pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要导入的文件。")
        return redirect("discretion:staff_benchmark", pk=pk)
    upload = form.cleaned_data["file"]
    try:
        report = services.import_items(actor=request.user, benchmark=benchmark, file=upload, filename=upload.name)
    except FazhiError as exc:
        messages.error(request, exc.message)
        return redirect("discretion:staff_benchmark", pk=pk)
    benchmark.refresh_from_db()
    return _render_staff_benchmark(request, benchmark, report=report, status=200)


@login_required
@require_POST
def staff_publish(request: HttpRequest, pk: int) -> HttpResponse:
    benchmark = _staff_benchmark(request, pk)
    try:
        services.publish_benchmark(actor=request.user, benchmark=benchmark)
        messages.success(request, f"已发布，自 {benchmark.effective_from:%Y年%-m月%-d日} 起施行。")
    except FazhiError as exc:
        messages.error(request, exc.message)
    return redirect("discretion:staff_benchmark", pk=pk)


@login_required
def staff_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    benchmark = _staff_benchmark(request, pk)
    form = NewVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.create_version(actor=request.user, benchmark=benchmark, **form.cleaned_data)
            messages.success(request, "已新建下一版本（草稿），内容复制自上一版本；修改、导入后发布即可。")
            return redirect("discretion:staff_benchmark", pk=draft.pk)
        except FazhiError as exc:
            add_service_errors(form, exc)
    context = {"benchmark": benchmark, "form": form, "action": "new_version"}
    return render(request, "discretion/staff_action.html", context, status=422 if form.errors else 200)


@login_required
def staff_retire(request: HttpRequest, pk: int) -> HttpResponse:
    benchmark = _staff_benchmark(request, pk)
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.retire_benchmark(actor=request.user, benchmark=benchmark, **form.cleaned_data)
            messages.success(request, "已废止。废止前的版本仍可查阅，按废止前的日期计算时仍会使用它。")
            return redirect("discretion:staff_benchmark", pk=pk)
        except FazhiError as exc:
            add_service_errors(form, exc)
    context = {"benchmark": benchmark, "form": form, "action": "retire"}
    return render(request, "discretion/staff_action.html", context, status=422 if form.errors else 200)


@login_required
@require_safe
def staff_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    benchmark = _staff_benchmark(request, pk)
    return spreadsheet_response(selectors.export_rows(benchmark), fmt, benchmark.doc_key)


@login_required
def staff_item(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.item_for(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    initial = {name: getattr(item, name) for name in ("violation", "provision", "legal_basis", "note")}
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(actor=request.user, item=item, changes=form.cleaned_data)
            messages.success(request, "已保存。")
            return redirect("discretion:staff_item", pk=pk)
        except FazhiError as exc:
            add_service_errors(form, exc)
    benchmark = item.benchmark
    frozen = benchmark.status == BenchmarkStatus.RETIRED or benchmark.superseded_by_id is not None
    context = {"item": item, "benchmark": benchmark, "form": form, "rules": list(item.rules.all()), "frozen": frozen}
    return render(request, "discretion/staff_item.html", context, status=422 if form.errors else 200)


@login_required
def staff_rule(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        rule = selectors.rule_for(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc
    cells = rule_cells(rule.item, rule)
    initial = {
        "circumstances": cells["情形"],
        "description": cells["情形说明"],
        "grade": cells["裁量阶次"],
        "kinds": cells["处罚种类"],
        "fine": cells["罚款"],
    }
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_rule(actor=request.user, rule=rule, **form.cleaned_data)
            messages.success(request, "已保存。")
            return redirect("discretion:staff_item", pk=rule.item_id)
        except FazhiError as exc:
            add_service_errors(form, exc)
    context = {"rule": rule, "item": rule.item, "form": form, "grades": Grade.choices}
    return render(request, "discretion/staff_rule.html", context, status=422 if form.errors else 200)

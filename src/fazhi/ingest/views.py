from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.core.errors import FazhiError, FieldError, NotFound, ValidationFailed
from fazhi.core.forms import add_service_errors
from fazhi.core.permissions import PUBLICITY_SUBMIT
from fazhi.org import scope
from fazhi.org.models import Agency

from . import selectors
from .models import ImportRun
from .services import attach_report, ingest_file

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # larger files: use the command, which streams from disk


def submit_agencies(user: Any) -> list[Agency]:
    return list(
        scope.restrict(Agency.objects.select_related("division"), user, PUBLICITY_SUBMIT).order_by("path")[:500]
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=[("penalty", "行政处罚"), ("licence", "行政许可")])
    file = forms.FileField(
        label="数据文件",
        help_text="CSV（UTF-8、GBK、GB18030）、XLSX 或 JSON；表头用国家标准中文字段名或 CF_*/XK_* 代码",
    )
    agency = forms.ChoiceField(label="报送机构", help_text="行中未填写数据来源单位代码时，记入此机构")
    money_unit = forms.ChoiceField(
        label="金额单位", choices=[("万元", "万元（国家标准）"), ("元", "元（将自动换算为万元）")]
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = cast(forms.ChoiceField, self.fields["agency"])
        agency_field.choices = [(str(a.pk), a.name) for a in agencies]


def run_upload(request: HttpRequest, *, kind: str, upload: Any, agency_id: int | None, money_unit: str) -> ImportRun:
    """Save the upload to disk (streamed), run the ingest, keep the error report with the run."""
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(FieldError("file", "too_large", "文件超过 200 MB，请用命令 fazhi ingest 导入"))
    agency = None
    if agency_id is not None:
        agency = (
            scope.restrict(Agency.objects.select_related("division"), request.user, PUBLICITY_SUBMIT)
            .filter(pk=agency_id)
            .first()
        )
        if agency is None:
            raise NotFound("所选报送机构不存在，或不在您的报送范围内")
    elif not scope.has_permission_anywhere(request.user, PUBLICITY_SUBMIT):
        raise FazhiError("您没有报送双公示数据的权限", code="forbidden")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload"
        with path.open("wb") as f:
            for chunk in upload.chunks():
                f.write(chunk)
        report_path = Path(tmp) / "errors.csv"
        with report_path.open("w", encoding="utf-8", newline="") as report:
            outcome = ingest_file(
                actor=request.user,
                path=path,
                kind=kind,
                errors_out=report,
                default_agency=agency,
                filename=upload.name,
                money_unit=money_unit,
            )
        run = outcome.run
        if run.rejected or run.warnings or run.status == ImportRun.Status.FAILED:
            attach_report(actor=request.user, run=run, path=report_path)
    return run


@login_required
def upload_page(request: HttpRequest) -> HttpResponse:
    agencies = submit_agencies(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            run = run_upload(
                request,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                agency_id=int(form.cleaned_data["agency"]),
                money_unit=form.cleaned_data["money_unit"],
            )
            messages.success(
                request, f"已处理“{run.filename}”：新增 {run.created}，更正 {run.updated}，拒绝 {run.rejected} 行。"
            )
            return redirect("ingest:run", pk=run.pk)
        except FazhiError as exc:
            add_service_errors(form, exc)
    context = {"form": form, "agencies": agencies, "runs": selectors.runs_for(request.user)[:20]}
    return render(request, "ingest/upload.html", context, status=422 if form.errors else 200)


@login_required
def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        run = selectors.run_for(request.user, pk)
    except NotFound:
        return render(
            request, "core/error.html", {"status": 404, "title": "未找到", "message": "未找到该导入记录。"}, status=404
        )
    preview: list[list[str]] = []
    summary: list[dict[str, Any]] = []
    if run.error_report:
        preview, summary = _read_report(run)
    return render(request, "ingest/run.html", {"run": run, "preview": preview, "summary": summary})


def _read_report(run: ImportRun) -> tuple[list[list[str]], list[dict[str, Any]]]:
    """The first 200 lines, and every problem counted by kind (field + code), most frequent first, with the first
    rows it occurs in — what a person fixing the file needs first."""
    counts: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    preview: list[list[str]] = []
    with run.error_report.open("rb") as raw:
        lines = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
        next(lines, None)
        for line in lines:
            if len(line) < 6:
                continue
            if len(preview) < 200:
                preview.append(line)
            row, level, _field, label, code, message = line[:6]
            # file-level notices (row 1) each say something different; row problems of one kind are grouped
            key = (level, label, code, message if row == "1" else "")
            entry = counts.setdefault(
                key, {"level": level, "label": label, "code": code, "rows": [], "count": 0, "example": message}
            )
            entry["count"] += 1
            if len(entry["rows"]) < 5 and row not in entry["rows"]:
                entry["rows"].append(row)
    summary = sorted(counts.values(), key=lambda e: (e["level"] != "错误", -e["count"]))
    return preview, summary

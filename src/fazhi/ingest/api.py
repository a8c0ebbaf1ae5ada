"""Upload a 双公示 file through the API (the same service as the command and the upload page)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from fazhi.core.errors import NotFound
from fazhi.org.auth import staff_auth

from . import selectors, views

router = Router(tags=["数据导入"], auth=staff_auth)


class RunOut(Schema):
    id: int
    kind: str
    filename: str
    status: str
    status_label: str
    message: str
    rows_read: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    warnings: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    error_report_url: str | None
    exit_code: int


def run_out(run: Any) -> RunOut:
    return RunOut(
        id=run.pk,
        kind=run.kind,
        filename=run.filename,
        status=run.status,
        status_label=run.get_status_display(),
        message=run.message,
        rows_read=run.rows_read,
        created=run.created,
        updated=run.updated,
        unchanged=run.unchanged,
        rejected=run.rejected,
        warnings=run.warnings,
        started_at=run.started_at,
        finished_at=run.finished_at,
        error_report_url=f"/api/v1/ingest/runs/{run.pk}/errors.csv" if run.error_report else None,
        exit_code=run.exit_code,
    )


@router.post("/upload/{kind}", response={200: RunOut}, summary="上传并导入双公示数据文件（CSV/XLSX/JSON）")
def upload(
    request: HttpRequest,
    kind: Literal["penalty", "licence"],
    file: File[UploadedFile],
    agency_id: Form[int | None] = None,
    money_unit: Form[Literal["万元", "元"]] = "万元",
) -> RunOut:
    run = views.run_upload(request, kind=kind, upload=file, agency_id=agency_id, money_unit=money_unit)
    return run_out(run)


@router.get("/runs", response=list[RunOut], summary="辖区内的导入记录")
def runs(request: HttpRequest) -> list[RunOut]:
    return [run_out(r) for r in selectors.runs_for(request.user)[:200]]


@router.get("/runs/{run_id}", response=RunOut, summary="一次导入")
def run(request: HttpRequest, run_id: int) -> RunOut:
    return run_out(selectors.run_for(request.user, run_id))


@router.get("/runs/{run_id}/errors.csv", summary="导入的错误报告（CSV）")
def errors_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    found = selectors.run_for(request.user, run_id)
    if not found.error_report:
        raise NotFound("这次导入没有错误报告")
    response = HttpResponse(found.error_report.read(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{found.pk}-errors.csv"'
    return response

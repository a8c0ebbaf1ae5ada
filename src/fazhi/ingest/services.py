"""The ingest pipeline, one service behind the command, the upload page and the API.

file -> readers.open_table (format, encoding) -> header matching against the field catalogue -> per row:
publicity.validation.clean_row -> batches of clean rows -> publicity.services.import_records (one transaction
each). Every rejected row goes to the error report (row, field, code, message) as it is found, so memory stays
bounded whatever the file size; re-running the same file creates nothing new.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import record_event
from fazhi.core.errors import FieldError, ValidationFailed
from fazhi.core.security import spreadsheet_safe
from fazhi.org.models import Agency
from fazhi.publicity.fields import label_of
from fazhi.publicity.services import BatchResult, ImportContext, import_records, require_submitter
from fazhi.publicity.validation import CleanRow

from .models import ImportRun
from .readers import UnusableFile
from .worker import EOF, META, NOTE, ROW, UNUSABLE, use_worker, validated_events, worker_events

logger = logging.getLogger(__name__)

REPORT_COLUMNS = ["row", "level", "field", "field_label", "code", "message"]


class ErrorReport:
    """Writes report lines as they come (CSV, UTF-8 with BOM so Excel opens it)."""

    def __init__(self, out: IO[str] | None, kind: str) -> None:
        self.kind = kind
        self.writer = csv.writer(out) if out is not None else None
        self.errors = 0
        self.warnings = 0
        self.rejected_rows: set[int] = set()
        if out is not None:
            out.write("\ufeff")
        if self.writer is not None:
            self.writer.writerow(REPORT_COLUMNS)

    def add(self, row: int, error: FieldError, *, level: str = "error") -> None:
        if level == "error":
            self.errors += 1
            self.rejected_rows.add(row)
        else:
            self.warnings += 1
        if self.writer is not None:
            label = label_of(self.kind, error.field) if error.field else ""
            self.writer.writerow(  # messages may quote the file's own cells: never hand Excel a formula
                [
                    row,
                    "错误" if level == "error" else "提示",
                    error.field,
                    label,
                    error.code,
                    spreadsheet_safe(error.message),
                ]
            )


@dataclass
class IngestOutcome:
    run: ImportRun
    report: ErrorReport

    @property
    def exit_code(self) -> int:
        return self.run.exit_code


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ingest_file(
    *,
    actor: Any,
    path: Path,
    kind: str,
    errors_out: IO[str] | None = None,
    default_agency: Agency | None = None,
    filename: str | None = None,
    batch_size: int = 2000,
    money_unit: str = "万元",
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    parallel: bool | None = None,
) -> IngestOutcome:
    """Import one file of ``kind`` ('penalty' or 'licence'). Never raises for bad content: an unusable file ends
    as a FAILED run with the reason, bad rows as report lines.

    ``parallel``: read and check the file in a worker process while this one writes (None: when the file is big
    enough and there is a second core). The outcome, the records and the report are the same either way."""
    if kind not in ("penalty", "licence"):
        raise ValidationFailed(
            FieldError("kind", "invalid_choice", "数据类型应为 penalty（行政处罚）或 licence（行政许可）")
        )
    if default_agency is not None:
        require_submitter(actor, default_agency)
    today = today or timezone.localdate()
    report = ErrorReport(errors_out, kind)
    run = _start_run(actor=actor, kind=kind, path=path, filename=filename or path.name, agency=default_agency)
    totals = BatchResult()
    context = ImportContext()
    options: dict[str, Any] = {
        "filename": filename or path.name,
        "kind": kind,
        "today": today,
        "money_unit": money_unit,
        "agency_defaults": _agency_defaults(default_agency),
    }
    if parallel is None:
        parallel = use_worker(path)
    try:
        if parallel:
            with worker_events(path, **options) as events:
                _consume(events, context, actor, kind, default_agency, today, report, totals, run, batch_size, progress)
        else:
            events = validated_events(path, **options)
            _consume(events, context, actor, kind, default_agency, today, report, totals, run, batch_size, progress)
    except UnusableFile as exc:
        run.status = ImportRun.Status.FAILED
        run.message = str(exc)
        report.add(1, FieldError("", "unusable_file", str(exc)))
    _finish_run(actor, run, totals, report)
    return IngestOutcome(run, report)


def _agency_defaults(agency: Agency | None) -> dict[str, str] | None:
    if agency is None or not agency.uscc:
        return None
    return {
        "decision_agency_name": agency.name,
        "decision_agency_uscc": agency.uscc,
        "source_agency_name": agency.name,
        "source_agency_uscc": agency.uscc,
    }


def _consume(
    events: Iterator[tuple[Any, ...]],
    context: ImportContext,
    actor: Any,
    kind: str,
    default_agency: Agency | None,
    today: dt.date,
    report: ErrorReport,
    totals: BatchResult,
    run: ImportRun,
    batch_size: int,
    progress: Callable[[int], None] | None,
) -> None:
    """Write what the reader found: report lines as they come, clean rows in batches of ``batch_size``."""
    batch: list[tuple[int, CleanRow]] = []
    add = report.add
    for event in events:
        tag = event[0]
        if tag == ROW:
            _, number, errors, warnings, clean = event
            run.rows_read += 1
            for error in errors:
                add(number, error)
            if clean is None:
                continue
            for warning in warnings:
                add(number, warning, level="warning")
            batch.append((number, clean))
            if len(batch) >= batch_size:
                _flush(context, actor, kind, batch, default_agency, today, report, totals, run)
                batch = []
                if progress is not None:
                    progress(run.rows_read)
        elif tag == NOTE:
            add(event[1], event[2], level=event[3])
        elif tag == META:
            run.file_format, run.encoding = event[1], event[2]
        elif tag == EOF:
            if batch:
                _flush(context, actor, kind, batch, default_agency, today, report, totals, run)
                batch = []
        elif tag == UNUSABLE:
            raise UnusableFile(event[1])
    if progress is not None:
        progress(run.rows_read)


def _flush(
    context: ImportContext,
    actor: Any,
    kind: str,
    batch: list[tuple[int, CleanRow]],
    default_agency: Agency | None,
    today: dt.date,
    report: ErrorReport,
    totals: BatchResult,
    run: ImportRun,
) -> None:
    result = import_records(
        actor=actor,
        kind=kind,
        rows=batch,
        default_agency=default_agency,
        today=today,
        source=f"导入 {run.filename}",
        context=context,
    )
    for number, error in result.rejected:
        report.add(number, error)
    totals.merge(result)


def _start_run(*, actor: Any, kind: str, path: Path, filename: str, agency: Agency | None) -> ImportRun:
    with transaction.atomic(durable=True):
        run = ImportRun.objects.create(
            kind=kind,
            filename=filename[:255],
            sha256=file_sha256(path),
            actor=actor if getattr(actor, "pk", None) else None,
            agency=agency,
        )
        record_event(actor=actor, action="ingest.run.start", target=run, after={"kind": kind, "sha256": run.sha256})
        return run


def _finish_run(actor: Any, run: ImportRun, totals: BatchResult, report: ErrorReport) -> None:
    run.created, run.updated, run.unchanged = totals.created, totals.updated, totals.unchanged
    run.rejected = len(report.rejected_rows)
    run.warnings = report.warnings
    if run.status != ImportRun.Status.FAILED:
        run.status = ImportRun.Status.PARTIAL if run.rejected else ImportRun.Status.DONE
    run.finished_at = timezone.now()
    with transaction.atomic(durable=True):
        run.save()
        _close_interrupted(actor, run)
        record_event(
            actor=actor,
            action="ingest.run.finish",
            target=run,
            after={
                "status": run.status,
                "rows_read": run.rows_read,
                "created": run.created,
                "updated": run.updated,
                "unchanged": run.unchanged,
                "rejected": run.rejected,
            },
        )


def _close_interrupted(actor: Any, finished: ImportRun) -> None:
    """Earlier runs of the same file that never finished (their process was killed): this run has now imported the
    file, so they are marked interrupted rather than left "running" for ever. Their committed batches stay; the
    finished run counted them as unchanged."""
    stale = ImportRun.objects.select_for_update().filter(
        sha256=finished.sha256, kind=finished.kind, status=ImportRun.Status.RUNNING, pk__lt=finished.pk
    )
    for run in stale:
        run.status = ImportRun.Status.INTERRUPTED
        run.finished_at = finished.finished_at
        run.message = f"导入中途停止（进程被终止）；已提交的批次已保存，同一文件已由导入记录 #{finished.pk} 导入完成。"
        run.save(update_fields=["status", "finished_at", "message"])
        record_event(actor=actor, action="ingest.run.interrupted", target=run, after={"completed_by": finished.pk})


REPORT_NOT_STORED = (
    "错误报告未能保存（附件存储已满或为只读），导入结果不受影响；"
    "存储恢复后重新上传同一文件即可取得报告（不会重复导入）。"
)


def attach_report(*, actor: Any, run: ImportRun, path: Path) -> None:
    """Keep the error report with the run so the upload page can offer it for download. If the file store refuses
    the write (full, read-only), the run says so in its message instead: the import itself stands, nothing is left
    half-saved, and re-uploading the same file later yields the report without importing anything twice."""
    try:
        with transaction.atomic(durable=True), path.open("rb") as f:
            run.error_report.save(f"run-{run.pk}-errors.csv", File(f), save=True)
            record_event(
                actor=actor, action="ingest.run.report", target=run, after={"error_report": run.error_report.name}
            )
    except OSError as exc:
        logger.error("ingest run %s: error report not stored: %s", run.pk, exc)
        if run.error_report.name:
            with contextlib.suppress(OSError):
                run.error_report.storage.delete(run.error_report.name)
        run.error_report = ""
        with transaction.atomic(durable=True):
            ImportRun.objects.filter(pk=run.pk).update(
                error_report="", message=(run.message + "\n" if run.message else "") + REPORT_NOT_STORED
            )
            run.refresh_from_db()
            record_event(actor=actor, action="ingest.run.report_failed", target=run, after={"error": str(exc)[:200]})

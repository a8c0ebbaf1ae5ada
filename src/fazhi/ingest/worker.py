"""Reading and checking a file, as a stream of events — in this process, or in a worker process beside it.

The ingest spends about half its time reading and checking rows and half writing them. Both halves are plain
Python, so on a machine with two or more cores the file is read and checked in a worker process while this one
writes the batches: the worker never touches the database (checking is pure: ``publicity.validation``), and sends
its results in order through a bounded queue, so memory stays flat and the error report comes out exactly as it
does without the worker.

Events (tuples, so they pickle cheaply):

- ``(META, file_format, encoding)`` once the file is open;
- ``(NOTE, row, FieldError, level)`` a report line that is not about a data row (file and header notices);
- ``(ROW, number, errors, warnings, clean)`` one data row read: its errors (then ``clean`` is None) or its
  warnings and the checked row (with its natural key and content hash already computed);
- ``(EOF,)`` after the last row: the caller imports what it still holds before the notes that follow;
- ``(UNUSABLE, message)`` the file cannot be used (last event).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import queue as queue_module
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fazhi.core.errors import FieldError, ValidationFailed

META, NOTE, ROW, EOF, UNUSABLE = "meta", "note", "row", "eof", "unusable"
_CRASH, _END = "crash", "end"

CHUNK_ROWS = 250  # events sent together (fewer, larger queue transfers)
QUEUE_CHUNKS = 16  # at most this many chunks in flight: the worker waits when the writer falls behind
PARALLEL_MIN_BYTES = 2_000_000  # smaller files: starting a worker costs more than it saves


def validated_events(
    path: Path,
    *,
    filename: str,
    kind: str,
    today: dt.date,
    money_unit: str,
    agency_defaults: dict[str, str] | None = None,
) -> Iterator[tuple[Any, ...]]:
    """Read ``path`` and check every row: the events described in the module docstring, in file order.

    ``agency_defaults`` (field key -> value: the submitting agency's name and code) fill the 决定机关 / 数据来源单位
    columns a file does not have at all — older (2015–2018) files have no agency codes — with a notice saying so.
    """
    from fazhi.publicity.fields import catalogue, field_names, label_of
    from fazhi.publicity.validation import clean_row

    from .readers import UnusableFile, match_headers, open_table

    try:
        with open_table(path, filename=filename) as table:
            yield (META, table.format, table.encoding or "")
            match = match_headers(table.headers, field_names(kind))
            required = [spec.key for spec in catalogue(kind) if spec.required]
            if len(set(match.mapping.values())) < 2:
                raise UnusableFile(
                    f"无法识别表头：没有找到{'行政处罚' if kind == 'penalty' else '行政许可'}信息的字段"
                    f"（找到的表头：{'、'.join(table.headers[:12])}）。请使用国家标准的中文字段名或 CF_*/XK_* 代码。"
                )
            for message in [*table.warnings, *match.warnings]:
                yield (NOTE, 1, FieldError("", "file_notice", message), "warning")
            reported = len(table.warnings)
            for header in match.unknown:
                yield (NOTE, 1, FieldError("", "unknown_header", f"表头“{header}”不是标准字段，该列已忽略"), "warning")
            fill = {k: v for k, v in (agency_defaults or {}).items() if k in match.missing([k])}
            for key, value in fill.items():
                notice = f"文件没有“{label_of(kind, key)}”列，已按报送机构填写为“{value}”"
                yield (NOTE, 1, FieldError(key, "filled_from_agency", notice), "warning")
            for key in match.missing(required):
                if key not in fill:
                    yield (
                        NOTE,
                        1,
                        FieldError(key, "missing_column", f"文件缺少必填列“{label_of(kind, key)}”"),
                        "warning",
                    )
            mapping = match.mapping
            for row in table.rows():
                if row.problems:
                    yield (ROW, row.number, [FieldError("", "row_unreadable", p) for p in row.problems], (), None)
                    continue
                values = {mapping[h]: v for h, v in row.values.items() if h in mapping}
                if fill:
                    values.update(fill)
                try:
                    clean = clean_row(kind, values, today=today, money_unit=money_unit)
                except ValidationFailed as exc:
                    yield (ROW, row.number, exc.errors, (), None)
                    continue
                clean.natural_key  # noqa: B018 - computed here (in the worker, when there is one), kept in the row
                clean.content_hash  # noqa: B018
                yield (ROW, row.number, (), clean.warnings, clean)
            yield (EOF,)
            for message in table.warnings[reported:]:  # found while reading, e.g. a long-number column far down
                yield (NOTE, 1, FieldError("", "file_notice", message), "warning")
    except UnusableFile as exc:
        yield (UNUSABLE, str(exc))


def use_worker(path: Path) -> bool:
    """Whether a worker process pays off for this file: a big enough file and a second core to run it on."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return cores >= 2 and size >= PARALLEL_MIN_BYTES


def _start_method() -> str:
    # fork is instant and needs nothing set up again, but forking a process that runs other threads (a web server)
    # can copy a lock some other thread holds; there, start a fresh interpreter instead.
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _exit_with_parent(parent: int) -> None:
    """If the importing process dies (SIGKILL, OOM), this worker must not live on blocked on a full queue: a thread
    checks every second that the parent is still there, and ends the process otherwise (found by bench/reliability.py,
    which killed imports and found their readers still running)."""

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="fazhi-ingest-parent-watch", daemon=True).start()


def _child(out: Any, path: str, options: dict[str, Any], parent: int | None = None) -> None:
    """The worker: read and check, send the events in chunks, then an end marker (or the crash)."""
    if parent is not None:
        _exit_with_parent(parent)
    try:
        import django
        from django.apps import apps

        if not apps.ready:  # spawn: a fresh interpreter
            django.setup()
        chunk: list[tuple[Any, ...]] = []
        for event in validated_events(Path(path), **options):
            chunk.append(event)
            if len(chunk) >= CHUNK_ROWS:
                out.put(chunk)
                chunk = []
        if chunk:
            out.put(chunk)
        out.put([(_END,)])
    except BaseException:  # everything is reported to the parent, which raises it there
        out.put([(_CRASH, traceback.format_exc())])
    finally:
        out.close()
        out.join_thread()


class WorkerFailed(RuntimeError):
    """The worker process stopped without finishing (crashed, or was killed)."""


@contextmanager
def worker_events(
    path: Path,
    *,
    filename: str,
    kind: str,
    today: dt.date,
    money_unit: str,
    agency_defaults: dict[str, str] | None = None,
    start_method: str | None = None,
) -> Iterator[Iterator[tuple[Any, ...]]]:
    """``validated_events`` computed in a worker process; the process is stopped on leaving, whatever happens."""
    context: Any = multiprocessing.get_context(start_method or _start_method())
    channel = context.Queue(maxsize=QUEUE_CHUNKS)
    options = {
        "filename": filename,
        "kind": kind,
        "today": today,
        "money_unit": money_unit,
        "agency_defaults": agency_defaults,
    }
    process = context.Process(
        target=_child, args=(channel, str(path), options, os.getpid()), name="fazhi-ingest-reader"
    )
    process.daemon = True
    process.start()

    def events() -> Iterator[tuple[Any, ...]]:
        while True:
            try:
                chunk = channel.get(timeout=1.0)
            except queue_module.Empty:
                if not process.is_alive():
                    raise WorkerFailed(f"读取进程意外退出（退出码 {process.exitcode}）") from None
                continue
            for event in chunk:
                if event[0] == _END:
                    return
                if event[0] == _CRASH:
                    raise WorkerFailed(f"读取进程出错：\n{event[1]}")
                yield event

    try:
        yield events()
    finally:
        if process.is_alive():
            process.terminate()
        process.join(timeout=10)
        channel.close()
        channel.cancel_join_thread()

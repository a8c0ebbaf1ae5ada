"""Public search over HTTP under a production server: throughput and latency at rising concurrency.

    FAZHI_DATA_DIR=/tmp/loaddemo .venv/bin/python bench/http_load.py [--seconds 10] [--levels 1,2,4,8,16,32]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_load .venv/bin/python bench/http_load.py
    .venv/bin/python bench/http_load.py --url http://127.0.0.1:8000   # an already running server instead

It reads its queries from the database the environment selects (``DATABASE_URL``, else
``$FAZHI_DATA_DIR/fazhi.sqlite3``; with ``--url``, the one that server uses) and creates no data: load some first
(``make demo``, or ``fazhi demo`` then ``fazhi portal reindex --missing`` in a scratch ``FAZHI_DATA_DIR``). Steps:

1. The query mix (the same for the same ``--seed`` and data): titles sampled from the search index
   (``portal_searchentry``) by index seeks at random ids, never a scan; 2-4 character pieces of them (mostly 2 and 3),
   half with a city filter; 10% exact 统一社会信用代码 lookups. Requests alternate between the API
   (``/api/v1/search?q=...``) and the page (``/search/?q=...&type=penalty``; a redirect (302) for an exact code is a
   success and is not followed).
2. The server: gunicorn on 127.0.0.1 (a free port), ``--workers`` (default 2 per core) ``--worker-class``
   workers, with ``FAZHI_ANON_RATE=off`` (the anonymous API limit would otherwise answer 429) and ``FAZHI_DEBUG=0``.
   Sync workers are the default: measured on 2 cores, both kinds cost the same CPU per answer (7-9 ms with the demo
   data on SQLite), but a gthread worker keeps each keep-alive connection, so with few users two connections often
   land on one worker process, whose threads share one core (the GIL): those levels fell to about half (100 instead
   of 200-270 answers/s) with a core idle. A sync worker closes the connection after each answer, so every request
   goes to whichever worker is free, and reconnecting on the loopback costs little. ``--worker-class gthread
   --threads N`` measures the other.
3. The client: asyncio, one HTTP/1.1 keep-alive connection per virtual user, closed loop (each user sends its next
   request when the previous answer has arrived): about 0.2 ms of CPU per request, so the server keeps the cores
   (no need for wrk). Every level runs ``--warmup`` seconds unmeasured, then ``--seconds`` measured. Errors:
   connection failures, no answer within ``--timeout``, and any status >= 400 (the first few are printed).

Prints per level the requests (answered or failed), successful answers per second, p50/p99 latency, errors, the CPU
used (in cores) by the server's processes, this client, PostgreSQL (its backends for this database, when it runs on
this machine), other programs, the whole machine, and what the virtual machine's host took ("stolen"); and the
server's CPU per answer (gunicorn + PostgreSQL), which depends little on what else ran. Then the best level, where
throughput stops growing and why, levels where cores sat idle although requests were queued (with the likely cause),
warnings when other programs or the host took CPU, and PASS/FAIL against the target: at least 200 searches per
second with no errors at the best level (exit status 1 on FAIL).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import _django  # noqa: F401  (puts src/ on sys.path and names the settings module)

TARGET_RPS = 200
MIX_SIZE = 5000  # requests in the mix; users walk it in turn and start again at the end
SAMPLE_POINTS, ROWS_PER_POINT = 250, 20  # index seeks at random ids, and rows read after each
PIECE_LENGTHS, PIECE_WEIGHTS = (2, 3, 4), (45, 40, 15)
CODE_SHARE, CITY_SHARE = 0.10, 0.5
IDLE = 0.4  # idle cores that, with enough requests under way, mean requests wait for something else
NOISE = 0.2  # cores used by other programs that make a level's figures doubtful
SATURATED = 1.10  # a level is saturated when it serves within 10% of the best throughput
SHOWN_ERRORS, SHOWN_LOG_LINES = 5, 15
RETRY_PAUSE = 0.1  # seconds a user waits after a failed connection before the next request
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
LOAD_HINT = (
    "`make demo`, or `fazhi migrate && fazhi demo && fazhi portal reindex --missing`; at scale, the data"
    " bench/portal_search.py keeps in the PostgreSQL database bench_portal"
)


# --- the query mix --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    label: str
    postgres_name: str | None  # to find its PostgreSQL backends on this machine
    sqlite_per_request: bool  # SQLite, and every request opens and closes its own connection (CONN_MAX_AGE=0)


def sample_index(rng: random.Random) -> tuple[Database, list[tuple[str, int, str]]]:
    """The database the environment selects, and (title, area, code) of index entries read at random ids."""
    import django

    django.setup()
    from django.db import DatabaseError, connection

    from fazhi.portal.models import SearchEntry

    name = str(connection.settings_dict["NAME"])
    where = f"{connection.vendor} ({name})"
    if connection.vendor == "sqlite" and not Path(name).exists():
        sys.exit(f"no database at {name}: set FAZHI_DATA_DIR or DATABASE_URL, and load data ({LOAD_HINT})")
    table = SearchEntry._meta.db_table
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT min(id), max(id) FROM {table}")
            low, high = cursor.fetchone()
            rows: dict[int, tuple[str, int, str]] = {}
            for _ in range(SAMPLE_POINTS if low is not None else 0):
                cursor.execute(
                    f"SELECT id, title, area, code FROM {table} WHERE id >= %s ORDER BY id LIMIT %s",
                    [rng.randint(low, high), ROWS_PER_POINT],
                )
                rows.update((pk, (title, area, code)) for pk, title, area, code in cursor.fetchall())
    except DatabaseError as exc:
        sys.exit(f"cannot read the search index in {where}: {exc}\nmigrate and load data first: {LOAD_HINT}")
    finally:
        connection.close()
    if not rows:
        sys.exit(f"nothing is indexed for search in {where}: load data first: {LOAD_HINT}")
    database = Database(
        where,
        postgres_name=name if connection.vendor == "postgresql" else None,
        sqlite_per_request=connection.vendor == "sqlite" and not connection.settings_dict["CONN_MAX_AGE"],
    )
    return database, [rows[pk] for pk in sorted(rows)]


def build_mix(entries: list[tuple[str, int, str]], rng: random.Random, size: int) -> tuple[list[str], int]:
    """Request paths (with query string), even positions the API, odd ones the page; and how many are exact code
    lookups."""
    codes = [code for _, _, code in entries if code]
    words = [(word, area) for title, area, _ in entries for word in title.split() if len(word) >= 2]
    if not words:
        sys.exit("the sampled index entries have no title of two characters or more to search for")
    paths, lookups = [], 0
    for n in range(size):
        params: dict[str, str] = {}
        if codes and rng.random() < CODE_SHARE:
            params["q"] = rng.choice(codes)
            lookups += 1
        else:
            word, area = rng.choice(words)
            length = min(len(word), rng.choices(PIECE_LENGTHS, PIECE_WEIGHTS)[0])
            start = rng.randrange(len(word) - length + 1)
            params["q"] = word[start : start + length]
            if area and rng.random() < CITY_SHARE:
                params["division"] = str(area // 100 * 100)
        if n % 2 == 0:
            paths.append("/api/v1/search?" + urlencode(params))
        else:
            paths.append("/search/?" + urlencode({**params, "type": "penalty"}))
    return paths, lookups


# --- the server -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    prefix: str = ""  # path of the site under --url
    pid: int | None = None  # gunicorn's master process, when this script started it
    log: Path | None = None  # what that server wrote
    label: str = ""


@contextmanager
def gunicorn(workers: int, worker_class: str, threads: int) -> Iterator[Target]:
    """gunicorn serving fazhi on 127.0.0.1: the socket is bound here (a free port, no race) and handed over."""
    import gunicorn as gunicorn_package

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(2048)
    port = listener.getsockname()[1]
    env = {**os.environ, "FAZHI_ANON_RATE": "off", "FAZHI_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "fazhi.settings"}
    command = [
        sys.executable, "-m", "gunicorn", "fazhi.wsgi:application",
        "--bind", f"fd://{listener.fileno()}", "--workers", str(workers), "--worker-class", worker_class,
        "--threads", str(threads), "--keep-alive", "10", "--no-control-socket", "--log-level", "warning",
    ]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp, Path(tmp, "server.log").open("wb") as log_file:
        log = Path(log_file.name)  # gunicorn's and Django's messages (a 500's traceback), not mixed into the table
        server = subprocess.Popen(  # noqa: S603
            command, env=env, pass_fds=[listener.fileno()], stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file
        )
        listener.close()
        try:
            _wait_ready(server, port, log)
            threading = f" x {threads} threads" if worker_class == "gthread" else ""
            label = f"gunicorn {gunicorn_package.__version__}, {workers} {worker_class} workers{threading}"
            yield Target("127.0.0.1", port, pid=server.pid, log=log, label=f"{label} on 127.0.0.1:{port}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_ready(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped (exit status {server.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/search/types", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    server.kill()
    sys.exit(f"gunicorn did not answer within 60 s:\n{log.read_text(errors='replace')[-3000:]}")


@contextmanager
def given(url: str) -> Iterator[Target]:
    """A server already running at ``url`` (started and stopped by someone else)."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        sys.exit(f"--url must be http://host[:port][/path], not {url!r}")
    yield Target(parts.hostname, parts.port or 80, prefix=parts.path.rstrip("/"), label=f"the server at {url}")


# --- the client -----------------------------------------------------------------------------------------------


class Connection:
    """One HTTP/1.1 keep-alive connection; reconnects when the server closed it."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.host_header = f"Host: {target.host}:{target.port}\r\n".encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.target.host, self.target.port)
        reader, writer = self.reader, self.writer
        writer.write(b"GET " + path.encode() + b" HTTP/1.1\r\n" + self.host_header + b"User-Agent: http_load\r\n\r\n")
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        version, status = status_line.split(" ", 2)[:2]
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip().lower()
        if headers.get("transfer-encoding") == "chunked":
            body = b""
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                body += (await reader.readexactly(size + 2))[:-2]
            await reader.readuntil(b"\r\n")
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        else:
            body = await reader.read()
            headers["connection"] = "close"
        if headers.get("connection") == "close" or version == "HTTP/1.0":
            self.close()
        return int(status), body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def gist(body: bytes) -> str:
    """An error answer in one line: an HTML page's title, else the start of the body (JSON: code and message)."""
    text = body.decode(errors="replace")
    title = re.search(r"<title>(.*?)</title>", text, re.DOTALL)
    return " ".join((title.group(1) if title else text).split())[:300]


@dataclass
class Level:
    users: int
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"api": [], "page": []})
    errors: int = 0
    cpu: Cpu | None = None

    @property
    def answered(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    @property
    def requests(self) -> int:
        return self.answered + self.errors

    @property
    def rate(self) -> float:
        """Successful answers per second."""
        return self.answered / self.seconds

    @property
    def cpu_per_answer(self) -> float | None:
        """Milliseconds of server CPU (gunicorn and PostgreSQL) per successful answer."""
        if self.cpu is None or self.cpu.server is None or not self.answered:
            return None
        return (self.cpu.server + (self.cpu.database or 0.0)) / self.rate * 1000

    def ms(self, percent: int, kind: str | None = None) -> str:
        """The latency percentile of the successful answers (of one kind: "api" or "page"), in milliseconds."""
        values = sorted(v for k, vs in self.latencies.items() if kind in (None, k) for v in vs)
        return f"{values[min(len(values) - 1, percent * len(values) // 100)] * 1000:.1f}" if values else "-"


async def run_level(
    target: Target,
    paths: list[str],
    users: int,
    *,
    warmup: float,
    seconds: float,
    timeout: float,
    meter: CpuMeter | None = None,
    shown: list[str] | None = None,
) -> Level:
    """``users`` closed-loop users for warm-up + measured time; answers completed in the measured time count."""
    level = Level(users, seconds)
    order = itertools.count()
    start = time.perf_counter()
    measured_from, until = start + warmup, start + warmup + seconds

    async def user() -> None:
        connection = Connection(target)
        while time.perf_counter() < until:
            n = next(order)
            path = paths[n % len(paths)]
            sent = time.perf_counter()
            error = ""
            try:
                async with asyncio.timeout(timeout):
                    status, body = await connection.get(target.prefix + path)
                if status >= 400:
                    error = f"HTTP {status} for {unquote(path)}: {gist(body)}"
            except TimeoutError:
                error = f"no answer within {timeout:g} s for {unquote(path)}"
                connection.close()
            except (OSError, EOFError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                error = f"connection failed for {unquote(path)}: {exc!r}"
                connection.close()
                await asyncio.sleep(RETRY_PAUSE)
            done = time.perf_counter()
            if measured_from <= done <= until:
                if error:
                    level.errors += 1
                    if shown is not None and len(shown) < SHOWN_ERRORS:
                        shown.append(f"[{users} users] {error}")
                else:
                    level.latencies["api" if path.startswith("/api/") else "page"].append(done - sent)
        connection.close()

    async def measure_cpu(meter: CpuMeter) -> None:
        await asyncio.sleep(measured_from - time.perf_counter())
        before = meter.snapshot()
        await asyncio.sleep(until - time.perf_counter())
        level.cpu = meter.used(before, meter.snapshot())

    await asyncio.gather(*(user() for _ in range(users)), *([measure_cpu(meter)] if meter else []))
    return level


# --- CPU ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    at: float
    server: dict[int, float]  # CPU seconds so far per process
    database: dict[int, float]
    client: float
    machine: float  # seconds all cores worked
    stolen: float  # seconds the virtual machine's host gave our cores to others ("steal")


@dataclass(frozen=True)
class Cpu:
    """Cores used over an interval (1.0 = one core busy all the time); None: not measured."""

    server: float | None
    database: float | None
    client: float
    machine: float
    stolen: float

    @property
    def other(self) -> float:
        return max(0.0, self.machine - self.client - (self.server or 0.0) - (self.database or 0.0))

    @property
    def idle(self) -> float:
        return max(0.0, CORES - self.machine - self.stolen)


class CpuMeter:
    """Reads /proc: gunicorn's master and workers (when this script started them), the PostgreSQL backends of the
    benchmarked database (their process title names it), this process and the whole machine."""

    def __init__(self, server_pid: int | None, postgres_database: str | None) -> None:
        self.server_pid = server_pid
        self.backend_title = f" {postgres_database} " if postgres_database else None

    def snapshot(self) -> Snapshot:
        server: dict[int, float] = {}
        database: dict[int, float] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text()
                comm, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
                seconds = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime
                pid, parent = int(entry.name), int(fields[1])
                if self.server_pid is not None and self.server_pid in (pid, parent):
                    server[pid] = seconds
                elif comm == "postgres" and self._is_backend(Path(entry.path, "cmdline")):
                    database[pid] = seconds
            except OSError:
                continue  # the process has ended
        # user nice system idle iowait irq softirq steal
        ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        own = os.times()
        machine = (sum(ticks[:3]) + ticks[5] + ticks[6]) / CLOCK_TICKS
        return Snapshot(time.perf_counter(), server, database, own.user + own.system, machine, ticks[7] / CLOCK_TICKS)

    def _is_backend(self, cmdline: Path) -> bool:
        """A backend's title: ``postgres: 15/main: <user> <database> <client> <state>``."""
        return self.backend_title is not None and self.backend_title in cmdline.read_text(errors="replace")

    def used(self, before: Snapshot, after: Snapshot) -> Cpu:
        wall = after.at - before.at

        def cores(old: dict[int, float], new: dict[int, float]) -> float:
            return sum(seconds - old.get(pid, 0.0) for pid, seconds in new.items()) / wall

        return Cpu(
            server=cores(before.server, after.server) if self.server_pid else None,
            database=cores(before.database, after.database) if self.backend_title else None,
            client=(after.client - before.client) / wall,
            machine=(after.machine - before.machine) / wall,
            stolen=(after.stolen - before.stolen) / wall,
        )


# --- report ---------------------------------------------------------------------------------------------------

HEADER = (
    f"{'users':>6}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
    f"{'cpu: server':>13}{'client':>8}{'db':>7}{'other':>7}{'busy':>7}{'stolen':>8}{'ms/answer':>11}"
)


def row(level: Level) -> str:
    cpu = level.cpu
    assert cpu is not None

    def cores(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    return (
        f"{level.users:>6}{level.requests:>10,}{level.rate:>9.1f}{level.ms(50):>9}"
        f"{level.ms(99):>9}{level.errors:>8}{cores(cpu.server):>13}{cores(cpu.client):>8}"
        f"{cores(cpu.database):>7}{cores(cpu.other):>7}{cores(cpu.machine):>7}{cores(cpu.stolen):>8}"
        f"{'-' if level.cpu_per_answer is None else f'{level.cpu_per_answer:.1f}':>11}"
    )


def saturation(levels: list[Level]) -> Level | None:
    """The first level within 10% of the best throughput (no level after it serves much more); None when the best
    is the last level and the one before is not within 10%: throughput still grows."""
    best = max(level.rate for level in levels)
    saturated = next(level for level in levels if level.rate * SATURATED >= best)
    return None if saturated is levels[-1] else saturated


@dataclass(frozen=True)
class Setup:
    """What the explanations need to know about the server and the database."""

    database: Database
    server_slots: int | None  # requests the server works on at once (None: --url, unknown)
    gthread: bool

    def why_waiting(self) -> str:
        """What requests likely wait for when cores are idle although requests are queued."""
        if self.gthread:
            return (
                "a gthread worker keeps each keep-alive connection, so several can land on one worker process, whose"
                " threads share one core (the GIL): sync workers take each request where a worker is free"
            )
        if self.database.sqlite_per_request:
            return (
                "SQLite with a connection per request (CONN_MAX_AGE=0): when the last connection closes, SQLite"
                " removes the WAL, and the next one rebuilds its index under an exclusive lock while the other"
                " workers' connections sleep in the busy handler; persistent connections (CONN_MAX_AGE) avoid it"
            )
        slots = f" ({self.server_slots})" if self.server_slots else ""
        return f"database locks, I/O, or too few server workers{slots}"


def likely_reason(level: Level, setup: Setup) -> str:
    cpu = level.cpu
    assert cpu is not None
    shares = [("server", cpu.server), ("client", cpu.client), ("PostgreSQL", cpu.database)]
    shares.append(("others" if cpu.server is not None else "server and others", cpu.other))
    used = ", ".join(f"{name} {value:.2f}" for name, value in shares if value is not None)
    if cpu.machine + cpu.stolen < 0.9 * CORES:
        return f"not the CPU ({cpu.machine:.2f} of {CORES} cores busy: {used}): requests wait — {setup.why_waiting()}"
    if cpu.stolen >= NOISE:
        culprit = f"; the host took {cpu.stolen:.2f} cores for other machines (steal): measure again"
    elif cpu.other >= NOISE and cpu.server is not None:
        culprit = " — some of it other programs: measure on a quiet machine"
    else:
        culprit = ""
    return f"all {CORES} cores busy ({cpu.machine:.2f} cores: {used}){culprit}"


def cpu_notes(levels: list[Level], setup: Setup) -> list[str]:
    """Levels where cores sat idle although requests were waiting, and levels disturbed by other programs."""
    measured = [(level.users, level.cpu) for level in levels if level.cpu is not None]
    notes = []
    idle = ", ".join(
        f"{users} users ({cpu.idle:.2f} cores idle)" for users, cpu in measured if users >= CORES and cpu.idle >= IDLE
    )
    if idle:
        notes.append(
            f"waiting: cores sat idle though {CORES}+ requests were under way, at {idle}: {setup.why_waiting()}"
        )
    users, cpu = max(measured, key=lambda pair: pair[1].other)
    if cpu.other >= NOISE and setup.server_slots is not None:  # with --url, "other" holds the server too
        notes.append(f"warning: other programs took up to {cpu.other:.2f} cores ({users} users): measure again")
    users, cpu = max(measured, key=lambda pair: pair[1].stolen)
    if cpu.stolen >= NOISE:
        notes.append(f"warning: the virtual machine's host took up to {cpu.stolen:.2f} cores (steal, {users} users)")
    return notes


def report(levels: list[Level], shown: list[str], setup: Setup) -> bool:
    """Prints the summary; True when the target is met."""
    best = max(levels, key=lambda level: level.rate)
    print(
        f"best: {best.rate:.1f} req/s at {best.users} users (p50 {best.ms(50)} ms, p99 {best.ms(99)} ms;"
        f" API p50 {best.ms(50, 'api')} ms, page p50 {best.ms(50, 'page')} ms)"
    )
    if best.cpu_per_answer is not None:
        print(
            f"server CPU per answer at the best level: {best.cpu_per_answer:.1f} ms, so {CORES} cores serve at most"
            f" about {CORES * 1000 / best.cpu_per_answer:.0f}/s with nothing else running"
        )
    for note in cpu_notes(levels, setup):
        print(note)
    saturated = saturation(levels)
    if not best.answered:
        print("saturation: no successful answer at any level")
    elif saturated is None:
        print(f"saturation: not reached — throughput still grows at {levels[-1].users} users (try more --levels)")
    else:
        after = levels[levels.index(saturated) + 1 :]
        print(
            f"saturation: from {saturated.users} users ({saturated.rate:.1f} req/s; more users: at most"
            f" {max(level.rate for level in after) / saturated.rate - 1:+.0%} throughput, p50 up to"
            f" {after[-1].ms(50)} ms at {after[-1].users}) — likely {likely_reason(best, setup)}"
        )
    if shown:
        print("first errors:")
        for error in shown:
            print(f"  {error}")
    passed = best.rate >= TARGET_RPS and best.errors == 0
    print(
        f"{'PASS' if passed else 'FAIL'}: {best.rate:.1f} searches/s with {best.errors} errors at the best level"
        f" ({best.users} users); target at least {TARGET_RPS}/s with 0 errors"
    )
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="an already running server (http://host:port); then no server is started")
    parser.add_argument("--workers", type=int, default=2 * CORES, help="gunicorn workers (default: 2 per core)")
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker")
    parser.add_argument("--levels", default="1,2,4,8,16,32", help="concurrent users, one level after another")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per level")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured time before each level")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds an answer may take before it is an error")
    parser.add_argument("--seed", type=int, default=2026, help="the query mix: the same seed and data, the same mix")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]

    rng = random.Random(args.seed)
    database, entries = sample_index(rng)
    paths, lookups = build_mix(entries, rng, MIX_SIZE)
    print(f"database: {database.label}; {len(entries):,} index entries sampled")
    print(
        f"query mix (seed {args.seed}): {len(paths):,} requests, API and page in turn; 2-4 character pieces of"
        f" titles, half of them with a city filter; exact code lookups: {lookups / len(paths):.0%}"
    )
    server = given(args.url) if args.url else gunicorn(args.workers, args.worker_class, args.threads)
    with server as target:
        print(f"server: {target.label}; machine: {CORES} cores")
        print(
            f"each level: {args.warmup:g} s warm-up, {args.seconds:g} s measured; timeout {args.timeout:g} s;"
            " cpu in cores used"
        )
        # Every worker answers a few requests first (imports, templates, database connections).
        asyncio.run(run_level(target, paths, max(levels), warmup=2.0, seconds=0.0, timeout=args.timeout))
        meter = CpuMeter(target.pid, database.postgres_name)
        shown: list[str] = []
        results = []
        print(HEADER)
        for users in levels:
            level = asyncio.run(
                run_level(
                    target,
                    paths,
                    users,
                    warmup=args.warmup,
                    seconds=args.seconds,
                    timeout=args.timeout,
                    meter=meter,
                    shown=shown,
                )
            )
            results.append(level)
            print(row(level), flush=True)
        if target.log and any(level.errors for level in results):
            print("server log, last lines:")
            for line in target.log.read_text(errors="replace").splitlines()[-SHOWN_LOG_LINES:]:
                print(f"  {line}")
    gthread = not args.url and args.worker_class == "gthread"
    slots = None if args.url else args.workers * (args.threads if gthread else 1)
    sys.exit(0 if report(results, shown, Setup(database, slots, gthread)) else 1)


if __name__ == "__main__":
    main()

"""The authorization matrix over every page and API operation, discovered from the URL resolver and the OpenAPI schema.

Roles (demo users): province (``sheng_sifating``, supervisor of 山西省), city (``taiyuan_sifaju``, supervisor of
太原市), another city's county (``shangdang_sifaju``, supervisor of 长治市上党区), the public (anonymous), and the
superuser as a witness that each sample id is real. Each route with ids gets a sample row located in 太原市 (or,
failing that, anywhere outside 长治市), built by ``PAGE_PARAMS`` / ``API_PARAMS``; then:

- anonymous: a staff route answers a login redirect, 401, 403 or 404; a denied write changes nothing;
- the other city's county: a row outside its jurisdiction answers exactly what a missing id answers (404, or a 403
  that does not depend on the id), never 200; a write to it is denied and changes nothing;
- every role: no answer is a server error;
- the superuser: the sample answers neither 404 nor a server error (else the sample is wrong and the check vacuous).

A route the matrix cannot build parameters for must be listed in ``KNOWN_GAPS`` with a reason; a route that is neither
covered nor listed fails the test, so new apps' routes are covered (or consciously listed) when they land.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ("province", "city", "other_county", "public")
DEMO_USERS = {"province": "sheng_sifating", "city": "taiyuan_sifaju", "other_county": "shangdang_sifaju"}
MISSING_ID = 987654321

# Pages anyone may open (anything not listed is treated as staff-only: a leak then fails rather than passes).
PUBLIC_ROUTES = {
    "core:home",
    "core:healthz",
    "login",
    "logout",
    "clock:calculator",
    "portal:search",
    "publicity:home",
    "publicity:entity",
    "publicity:record",
    "publicity:repair_apply",
    "enforcement:home",
    "oversight:statistics",
    "enforcement:bodies",
    "enforcement:body",
    "enforcement:officers",
    "enforcement:officer",
    "enforcement:powers",
    "enforcement:power",
    "enforcement:inspections",
    "enforcement:verify",
    "enforcement:public_key_pem",
    "enforcement:public_key_txt",
    "enforcement:verify_number",
    "discretion:calculator",
    "discretion:item",
    "discretion:benchmarks",
    "discretion:benchmark",
    "discretion:template",
    "org:division",  # the public directory of divisions and agencies (names, codes, parents: no staff data)
    "org:agency",
    "reports:dashboard",  # the public figures (metrics), by division and year
    "reports:catalogue",
    "reports:echarts",
    "reports:reports",  # published annual reports (reports decides per report; checked by the privacy scan)
    "reports:report",
    "reports:report_download",
}


# Routes the matrix does not check yet, each with the reason (the owning app's own tests check their scope).
KNOWN_GAPS: dict[str, str] = {}

# The Django admin has its own permission system (is_staff + model permissions); checked for anonymous only.
SKIPPED_PREFIXES = ("admin/", "api/v1/", "static/", "media/")


@dataclass
class Route:
    key: str  # "app:name" for pages, "METHOD /path" for API operations
    template: str
    params: tuple[str, ...]
    public: bool
    method: str = "GET"  # API operations only
    has_body: bool = False
    query: str = ""  # required query parameters, with a plausible value each (API operations only)


@dataclass
class MatrixResult:
    routes: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    scope_checked_writes: int = 0
    validation_first_writes: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "routes": len(self.routes),
            "checked": len(self.checked),
            "gaps": len(self.gaps),
            "uncovered": self.uncovered,
            "failures": len(self.failures),
            "requests": self.requests,
            "roles": len(ROLES),
            "scope_checked_writes": self.scope_checked_writes,
            "validation_first_writes": self.validation_first_writes,
        }


# --- discovery --------------------------------------------------------------------------------------------------


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, tuple[str, ...]]]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if route.startswith(SKIPPED_PREFIXES):
                continue
            ns = p.namespace or namespace
            yield from _walk(p.url_patterns, route, ns)
        elif isinstance(p, URLPattern) and p.name:
            name = f"{namespace}:{p.name}" if namespace else p.name
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
            yield name, route, params


def page_routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for name, route, params in _walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or name in seen:
            continue
        seen[name] = Route(key=name, template=route, params=params, public=name in PUBLIC_ROUTES)
    return list(seen.values())


def api_routes() -> list[Route]:
    from fazhi.api import api

    schema = api.get_openapi_schema()
    out = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            params = tuple(re.findall(r"{(\w+)}", path))
            out.append(
                Route(
                    key=f"{method.upper()} {path}",
                    template=path,
                    params=params,
                    public=not op.get("security"),
                    method=method.upper(),
                    has_body="requestBody" in op,
                    query=_required_query(op),
                )
            )
    return out


def _required_query(op: dict[str, Any]) -> str:
    """Plausible values for an operation's required query parameters, so the call reaches the scope check."""
    import datetime as dt
    from urllib.parse import urlencode

    values = {}
    for p in op.get("parameters", []):
        if p.get("in") != "query" or not p.get("required"):
            continue
        schema = p.get("schema", {})
        kind, fmt = schema.get("type"), schema.get("format")
        if fmt == "date":
            values[p["name"]] = dt.date.today().isoformat()  # noqa: DTZ011 - any valid date will do
        elif kind == "integer":
            values[p["name"]] = "1"
        elif "enum" in schema:
            values[p["name"]] = schema["enum"][0]
        else:
            values[p["name"]] = "1"
    return urlencode(values)


# --- samples ----------------------------------------------------------------------------------------------------


def _located(model: type[models.Model], prefer: str, avoid: str, **filters: Any) -> Any:
    """A row of ``model`` located under division path ``prefer`` (else anywhere not under ``avoid``)."""
    from fazhi.org.scope import Jurisdiction, spec_of

    spec = spec_of(model)
    qs = model._default_manager.filter(**filters).order_by("pk")
    row = qs.filter(Jurisdiction(division_paths=(prefer,)).q(spec)).first()
    if row is None and spec.division:
        row = qs.exclude(**{f"{spec.division}__startswith": avoid}).first()
    return row


@dataclass
class Samples:
    taiyuan: str
    changzhi: str
    cache: dict[str, Any] = field(default_factory=dict)

    def row(self, label: str, **filters: Any) -> Any:
        key = label + repr(sorted(filters.items()))
        if key not in self.cache:
            self.cache[key] = _located(apps.get_model(label), self.taiyuan, self.changzhi, **filters)
        return self.cache[key]


def _pk(label: str, **filters: Any) -> Callable[[Samples], dict[str, Any] | None]:
    def build(s: Samples) -> dict[str, Any] | None:
        row = s.row(label, **filters)
        return {"pk": row.pk} if row is not None else None

    return build


def _repair_material(s: Samples) -> dict[str, Any] | None:
    from fazhi.publicity.models import RepairMaterial

    repair = s.row("publicity.CreditRepair")
    material = RepairMaterial.objects.filter(repair=repair).first() if repair is not None else None
    return {"pk": repair.pk, "material": material.pk} if material is not None else None


def _review_deduction(s: Samples) -> dict[str, Any] | None:
    deduction = s.row("oversight.Deduction")
    return {"pk": deduction.review_id, "deduction": deduction.pk} if deduction is not None else None


def _this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def _first_transition() -> str:
    from fazhi.supervision.lifecycle import TRANSITIONS

    return next(iter(TRANSITIONS))


def _with(label: str, extra: Callable[[Any], dict[str, Any]], **filters: Any) -> Callable[[Samples], Any]:
    def build(s: Samples) -> dict[str, Any] | None:
        row = s.row(label, **filters)
        return {"pk": row.pk, **extra(row)} if row is not None else None

    return build


# Page route -> the URL kwargs of a sample row in 太原市 (None when there is no such row).
PAGE_PARAMS: dict[str, Callable[[Samples], dict[str, Any] | None]] = {
    "org:division": lambda s: {"code": "140105"},
    "org:agency": _pk("org.Agency"),
    "org:agency_edit": _pk("org.Agency"),
    "org:staff_create": _pk("org.Agency"),
    "ingest:run": _pk("ingest.ImportRun"),
    "publicity:entity": lambda s: {"identifier": s.row("publicity.PenaltyRecord").party_uscc},
    "publicity:record": _with("publicity.PenaltyRecord", lambda r: {"kind": "penalty"}),
    "publicity:repair_apply": _pk("publicity.PenaltyRecord"),
    "publicity:staff_records_kind": lambda s: {"kind": "penalty"},
    "publicity:staff_record": _with("publicity.PenaltyRecord", lambda r: {"kind": "penalty"}),
    "publicity:repair_material": lambda s: _repair_material(s),
    "enforcement:body": _pk("enforcement.EnforcementBody"),
    "enforcement:officer": _pk("enforcement.Officer"),
    "enforcement:power": _pk("enforcement.PowerItem"),
    "enforcement:verify_number": lambda s: {"number": s.row("enforcement.Certificate").number},
    "enforcement:staff_body": _pk("enforcement.EnforcementBody"),
    "enforcement:staff_officer": _pk("enforcement.Officer"),
    "enforcement:staff_certificate": _pk("enforcement.Certificate"),
    "enforcement:certificate_card": _pk("enforcement.Certificate"),
    "enforcement:certificate_step": _with("enforcement.Certificate", lambda r: {"step": "review"}),
    "enforcement:staff_power": _pk("enforcement.PowerItem"),
    "discretion:item": _pk("discretion.BenchmarkItem"),
    "discretion:benchmark": _pk("discretion.DiscretionBenchmark"),
    "discretion:template": lambda s: {"fmt": "xlsx"},
    "discretion:staff_benchmark": _pk("discretion.DiscretionBenchmark"),
    "discretion:staff_import": _pk("discretion.DiscretionBenchmark"),
    "discretion:staff_publish": _pk("discretion.DiscretionBenchmark"),
    "discretion:staff_new_version": _pk("discretion.DiscretionBenchmark"),
    "discretion:staff_retire": _pk("discretion.DiscretionBenchmark"),
    "discretion:staff_export": _with("discretion.DiscretionBenchmark", lambda r: {"fmt": "xlsx"}),
    "discretion:staff_item": _pk("discretion.BenchmarkItem"),
    "discretion:staff_rule": _pk("discretion.BenchmarkRule"),
    "supervision:task": _pk("supervision.Task"),
    "supervision:split": _pk("supervision.Task"),
    "supervision:add_node": _pk("supervision.Task"),
    "supervision:step": _with("supervision.Task", lambda r: {"action": _first_transition()}),
    "cases:detail": _pk("cases.EnforcementCase"),
    "cases:step": _with("cases.EnforcementCase", lambda r: {"step": "investigate"}),
    "cases:attachment": _pk("cases.Attachment"),
    "oversight:campaign": _pk("oversight.Campaign"),
    "oversight:results_xlsx": _pk("oversight.Campaign"),
    "oversight:advance": _with("oversight.Campaign", lambda r: {"action": "release"}),
    "oversight:file": _pk("oversight.CaseFileReview"),
    "oversight:add_deduction": _pk("oversight.CaseFileReview"),
    "oversight:decide": lambda s: _review_deduction(s),
    "oversight:submit": _pk("oversight.CaseFileReview"),
    "oversight:correct": _pk("oversight.CaseFileReview"),
    "oversight:accept": _pk("oversight.CaseFileReview"),
    "oversight:statistics_publish": _pk("oversight.StatisticsSnapshot"),
    "reports:report": _pk("reports.AnnualReport"),
    "reports:report_edit": _pk("reports.AnnualReport"),
    "reports:report_publish": _pk("reports.AnnualReport"),
    "reports:report_download": _with("reports.AnnualReport", lambda r: {"fmt": "docx"}),
    "reports:drilldown": lambda s: {"code": "cases.filed", "division": "140100", "year": _this_year()},
}


def _api_value(name: str, path: str, s: Samples) -> Any:
    """The value of path parameter ``name`` for a sample in 太原市 (None: no sample)."""

    def pk(label: str, attr: str = "pk") -> Any:
        row = s.row(label)
        return getattr(row, attr) if row is not None else None

    fixed = {"kind": "penalty", "fmt": "csv" if "opendata" in path else "xlsx", "step": "review", "code": "140105"}
    if name in fixed:
        if name == "step" and "/supervision/" in path:
            return _first_transition()
        return fixed[name]
    by_name = {
        "agency_id": ("org.Agency", "pk"),
        "grant_id": ("org.RoleGrant", "pk"),
        "record_id": ("publicity.PenaltyRecord", "pk"),
        "repair_id": ("publicity.CreditRepair", "pk"),
        "run_id": ("ingest.ImportRun", "pk"),
        "body_id": ("enforcement.EnforcementBody", "pk"),
        "officer_id": ("enforcement.Officer", "pk"),
        "certificate_id": ("enforcement.Certificate", "pk"),
        "number": ("enforcement.Certificate", "number"),
        "benchmark_id": ("discretion.DiscretionBenchmark", "pk"),
        "rule_id": ("discretion.BenchmarkRule", "pk"),
        "task_id": ("supervision.Task", "pk"),
        "case_id": ("cases.EnforcementCase", "pk"),
        "attachment_id": ("cases.Attachment", "pk"),
        "campaign_id": ("oversight.Campaign", "pk"),
        "file_id": ("oversight.CaseFileReview", "pk"),
        "deduction_id": ("oversight.Deduction", "pk"),
        "snapshot_id": ("oversight.StatisticsSnapshot", "pk"),
        "report_id": ("reports.AnnualReport", "pk"),
        "identifier": ("publicity.PenaltyRecord", "party_uscc"),
    }
    if name == "action":
        return "release" if "/oversight/" in path else "investigate"
    if name == "item_id":
        return pk("discretion.BenchmarkItem") if "/discretion/" in path else pk("enforcement.PowerItem")
    if name in by_name:
        return pk(*by_name[name])
    return None


def _api_missing(name: str, value: Any) -> Any:
    return MISSING_ID if isinstance(value, int) else value


# --- the state a denied write must leave untouched --------------------------------------------------------------


def fingerprint() -> tuple[Any, ...]:
    """Row counts of every fazhi table plus the audit chain's head: a denied write must change none of them."""
    tables = sorted(
        m._meta.db_table
        for m in apps.get_models()
        if m.__module__.startswith("fazhi.") and not m._meta.proxy and m._meta.managed
    )
    tables += ["auth_user"]
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {connection.ops.quote_name(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = tuple(sorted(cursor.fetchall()))  # UNION ALL gives no order on PostgreSQL
        cursor.execute("SELECT MAX(seq), COUNT(*) FROM audit_auditevent")
        head = cursor.fetchone()
    return counts, head


# --- the run ----------------------------------------------------------------------------------------------------

DENIED_ANON = {302, 401, 403, 404, 405}
DENIED_OTHER = {403, 404, 405}


def _login_redirect(response: Any) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response.get("Location", "")


class Runner:
    def __init__(self, client: Client, users: dict[str, Any], result: MatrixResult) -> None:
        self.client = client
        self.users = users
        self.result = result
        self.current: str | None = "-"

    def as_role(self, role: str) -> None:
        if role == self.current:
            return
        self.client.logout()
        if role != "public":
            self.client.force_login(self.users[role])
        self.current = role

    def call(self, role: str, method: str, url: str, body: Any = None) -> Any:
        self.as_role(role)
        self.result.requests += 1
        if method == "GET":
            return self.client.get(url)
        data = json.dumps(body if body is not None else {})
        return self.client.generic(method, url, data, content_type="application/json")

    def fail(self, key: str, message: str) -> None:
        self.result.failures.append(f"{key}: {message}")

    def no_server_error(self, key: str, role: str, response: Any, url: str, method: str = "GET") -> None:
        if response.status_code >= 500:
            self.fail(key, f"{role} {method} {url} -> {response.status_code}")

    def denied_write(self, key: str, role: str, method: str, url: str, allowed: set[int], form: bool) -> Any:
        self.as_role(role)
        before = fingerprint()
        if form:  # a page: an empty form post
            self.result.requests += 1
            response = self.client.post(url, {})
        else:
            response = self.call(role, method, url, {})
        self.no_server_error(key, role, response, url, method)
        ok = response.status_code in allowed or (role == "public" and _login_redirect(response))
        if not ok:
            self.fail(key, f"{role} {method} {url}: expected denial, got {response.status_code}")
        if fingerprint() != before:
            self.fail(key, f"{role} {method} {url}: denied ({response.status_code}) but data changed")
        return response


def run_matrix(client: Client, users: dict[str, Any], *, only: Callable[[str], bool] | None = None) -> MatrixResult:
    from fazhi.org.models import Division

    result = MatrixResult()
    samples = Samples(
        taiyuan=Division.objects.get(code="140100").path, changzhi=Division.objects.get(code="140400").path
    )
    runner = Runner(client, users, result)
    for route in page_routes() + api_routes():
        if only is not None and not only(route.key):
            continue
        result.routes.append(route.key)
        if route.key in KNOWN_GAPS:
            result.gaps.append(route.key)
            continue
        is_api = route.key[0].isupper() and " " in route.key
        if route.params:
            kwargs = _params(route, samples, is_api)
            if kwargs is None:
                result.uncovered.append(route.key)
                continue
        else:
            kwargs = {}
        (_check_api if is_api else _check_page)(runner, route, kwargs)
        result.checked.append(route.key)
    runner.as_role("public")
    return result


def _params(route: Route, samples: Samples, is_api: bool) -> dict[str, Any] | None:
    if is_api:
        values = {name: _api_value(name, route.template, samples) for name in route.params}
        return None if any(v is None for v in values.values()) else values
    builder = PAGE_PARAMS.get(route.key)
    if builder is None:
        return None
    try:
        return builder(samples)
    except AttributeError:  # no sample row
        return None


def _page_url(route: Route, kwargs: dict[str, Any]) -> str:
    return reverse(route.key, kwargs=kwargs or None)


def _api_url(route: Route, kwargs: dict[str, Any]) -> str:
    url = route.template
    for name, value in kwargs.items():
        url = url.replace("{" + name + "}", str(value))
    return f"{url}?{route.query}" if route.query else url


def _missing_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: (MISSING_ID if isinstance(v, int) else v) for k, v in kwargs.items()}


def _check_page(runner: Runner, route: Route, kwargs: dict[str, Any]) -> None:
    url = _page_url(route, kwargs)
    key = route.key
    responses = {}
    for role in ("superuser", *ROLES):
        response = runner.call(role, "GET", url)
        responses[role] = response
        runner.no_server_error(key, role, response, url)
    if route.public:
        return
    anon = responses["public"]
    if not (_login_redirect(anon) or anon.status_code in {401, 403, 404, 405}):
        runner.fail(key, f"anonymous GET {url} -> {anon.status_code} (a staff page must ask to log in)")
    ids = [k for k, v in kwargs.items() if isinstance(v, int)]
    if ids:
        witness = responses["superuser"].status_code
        if witness == 404 or witness >= 500:
            runner.fail(key, f"sample broken: superuser GET {url} -> {witness}")
        missing_url = _page_url(route, _missing_kwargs(kwargs))
        other = responses["other_county"].status_code
        missing = runner.call("other_county", "GET", missing_url).status_code
        if other == 200 or other != missing or other not in DENIED_OTHER:
            runner.fail(key, f"other city's county GET {url} -> {other} (missing id -> {missing}); expected 404")
        runner.denied_write(key, "other_county", "POST", url, DENIED_OTHER, form=True)
        runner.result.scope_checked_writes += 1
    runner.denied_write(key, "public", "POST", url, DENIED_ANON, form=True)


def _check_api(runner: Runner, route: Route, kwargs: dict[str, Any]) -> None:
    url = _api_url(route, kwargs)
    key = route.key
    method = route.method
    if method == "GET":
        responses = {}
        for role in ("superuser", *ROLES):
            responses[role] = runner.call(role, "GET", url)
            runner.no_server_error(key, role, responses[role], url)
        if route.public:
            return
        if responses["public"].status_code != 401:
            runner.fail(key, f"anonymous GET {url} -> {responses['public'].status_code}, expected 401")
        if any(isinstance(v, int) for v in kwargs.values()):
            witness = responses["superuser"].status_code
            if witness == 404 or witness >= 500:
                runner.fail(key, f"sample broken: superuser GET {url} -> {witness}")
            other = responses["other_county"].status_code
            missing = runner.call("other_county", "GET", _api_url(route, _missing_kwargs(kwargs))).status_code
            if other == 200 or other != missing or other not in DENIED_OTHER:
                runner.fail(key, f"other city's county GET {url} -> {other} (missing id -> {missing}); expected 404")
        return
    # Writes: anonymous always denied (staff operations); the other county denied on a row outside its jurisdiction.
    if not route.public:
        response = runner.denied_write(key, "public", method, url, {401}, form=False)
    if any(isinstance(v, int) for v in kwargs.values()) and not route.public:
        response = runner.denied_write(key, "other_county", method, url, DENIED_OTHER | {422}, form=False)
        if response.status_code == 422:
            runner.result.validation_first_writes += 1
        else:
            runner.result.scope_checked_writes += 1
    if route.public:  # public writes (calculator, credit-repair application): an empty body is rejected cleanly
        for role in ROLES:
            runner.as_role(role)
            before = fingerprint()
            response = runner.call(role, method, url, {})
            runner.no_server_error(key, role, response, url, method)
            if response.status_code >= 400 and fingerprint() != before:
                runner.fail(key, f"{role} {method} {url}: rejected ({response.status_code}) but data changed")

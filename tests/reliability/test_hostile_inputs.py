"""The hostile-input corpus (tests/reliability/corpus.py) against every upload form and operation, every staff form
and every JSON write operation: a clear error or a safe result, never a server error, no script that runs in a page,
no formula in an export, no half-finished import, and every valid row of a file imported exactly once."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.ingest.models import ImportRun
from fazhi.org.models import Agency, Division
from fazhi.publicity.models import PenaltyRecord

from .conftest import record_figures
from .corpus import (
    FORMULAS,
    HOSTILE_TEXT,
    IMG,
    RAW_BODIES,
    SCRIPT,
    Upload,
    forms_in,
    hostile_bodies,
    uploads,
)
from .matrix import KNOWN_GAPS, PAGE_PARAMS, Samples, api_routes, page_routes

pytestmark = pytest.mark.django_db

# Routes of apps under construction whose answers to hostile input are not yet clean (see docs/RELIABILITY.md).
HOSTILE_KNOWN_GAPS: dict[str, str] = {}

FORMULA_START = ("=", "+", "-", "@")


@dataclass
class Tally:
    tried: int = 0
    handled: int = 0
    failures: list[str] = field(default_factory=list)

    def check(self, label: str, response: Any) -> None:
        self.tried += 1
        if response.status_code >= 500:
            self.failures.append(f"{label} -> {response.status_code}")
        else:
            self.handled += 1


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _samples() -> Samples:
    return Samples(taiyuan=Division.objects.get(code="140100").path, changzhi=Division.objects.get(code="140400").path)


def staff_page_urls() -> list[str]:
    """Every page the matrix can build a URL for (parameters from its samples), minus the known gaps."""
    samples = _samples()
    urls = []
    for route in page_routes():
        if route.key in KNOWN_GAPS or route.key in ("logout",):
            continue
        if route.params:
            builder = PAGE_PARAMS.get(route.key)
            kwargs = builder(samples) if builder else None
            if kwargs is None:
                continue
            urls.append(reverse(route.key, kwargs=kwargs))
        else:
            urls.append(reverse(route.key))
    return urls


def upload_targets(client: Client) -> list[tuple[str, str, dict[str, str], str]]:
    """(label, url, other fields, file field) of every upload form on a page and every multipart API operation."""
    from fazhi.api import api

    targets = []
    for url in staff_page_urls():
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in forms_in(response.content.decode()):
            if form.files:
                action = urljoin(url, form.action or url)
                fields = {k: v for k, v in form.fields.items() if k != "csrfmiddlewaretoken"}
                targets.append((f"page {action}", action, fields, form.files[0]))
    schema = api.get_openapi_schema()
    samples = _samples()
    for route in api_routes():
        op = schema["paths"][route.template][route.method.lower()]
        content = op.get("requestBody", {}).get("content", {})
        if "multipart/form-data" not in content or route.key in KNOWN_GAPS:
            continue
        from .matrix import _api_value

        values = {name: _api_value(name, route.template, samples) for name in route.params}
        if any(v is None for v in values.values()):
            continue
        url = route.template
        for name, value in values.items():
            url = url.replace("{" + name + "}", str(value))
        targets.append((f"api {route.key}", url, {}, "file"))
        if "{kind}" in route.template:
            targets.append((f"api {route.key} (licence)", url.replace("/penalty", "/licence"), {}, "file"))
    return targets


def _post_file(client: Client, url: str, fields: dict[str, str], file_field: str, upload: Upload) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data: dict[str, Any] = dict(fields)
    data[file_field] = SimpleUploadedFile(upload.filename, upload.content)
    return client.post(url, data)


def test_every_upload_survives_the_file_corpus(demo):
    client = _client(demo["superuser"])
    agency = Agency.objects.filter(division__code="140105", name__endswith="市场监督管理局").first()
    corpus = uploads(agency)
    targets = upload_targets(client)
    labels = {t[0] for t in targets}
    assert any("ingest" in t for t in labels) and any("discretion" in t for t in labels), labels
    tally = Tally()
    for label, url, fields, file_field in targets:
        for upload in corpus:
            if "page /ingest/" in label:
                fields = {**fields, "agency": str(agency.pk), "kind": upload.kind}
            response = _post_file(client, url, fields, file_field, upload)
            tally.check(f"{label} <- {upload.name}", response)
    problems = list(tally.failures)

    running = ImportRun.objects.filter(status=ImportRun.Status.RUNNING).count()
    if running:
        problems.append(f"{running} import runs were left half-finished (status running)")
    for upload in corpus:  # nothing lost, nothing doubled: each valid row once, however often the file came in
        if upload.valid is None:
            continue
        count = PenaltyRecord.objects.filter(doc_number__in=upload.docs).count()
        if count != upload.valid:
            problems.append(f"{upload.name}: {upload.valid} valid rows in the file, {count} in the database")
    problems += _stored_script_findings(client)
    problems += _csv_formula_findings(client)
    record_figures(
        "hostile_uploads",
        {"files": len(corpus), "targets": len(targets), "tried": tally.tried, "handled": tally.handled},
    )
    assert len(corpus) >= 50 and len(targets) >= 4
    assert not problems, "\n".join(problems[:60])


def _stored_script_findings(client: Client) -> list[str]:
    findings = []
    public = Client(raise_request_exception=False)
    for record in PenaltyRecord.objects.filter(party_name__contains="<script")[:20]:
        for who, c, url in (
            ("public", public, f"/credit/records/penalty/{record.pk}/"),
            ("staff", client, f"/credit/staff/penalty/{record.pk}/"),
            ("public", public, "/search/?q=" + "有限公司"),
        ):
            body = c.get(url).content.decode(errors="replace")
            if SCRIPT in body or IMG in body:
                findings.append(f"{who} {url}: a stored script is served as markup")
    return findings


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def _csv_formula_findings(client: Client) -> list[str]:
    """Exports must not hand a spreadsheet a formula: a cell starting with = + - @ and carrying our payload."""
    findings = []
    urls = ["/api/v1/opendata/penalty.csv"] + [
        f"/api/v1/ingest/runs/{pk}/errors.csv"
        for pk in ImportRun.objects.exclude(error_report="").values_list("pk", flat=True)[:100]
    ]
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for cell in _csv_cells(body.decode("utf-8", errors="replace")):
            if cell.startswith(FORMULA_START) and ("cmd|" in cell or "SUM(" in cell or "HYPERLINK" in cell):
                findings.append(f"{url}: formula cell {cell[:30]!r}")
                break
    return findings


def test_every_staff_form_survives_hostile_text(demo):
    client = _client(demo["superuser"])
    tally = Tally()
    forms_seen = 0
    for url in staff_page_urls():
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in forms_in(response.content.decode()):
            if form.files or not form.texts:
                continue
            action = urljoin(url, form.action or url)
            if action.startswith(("/accounts/logout", "/accounts/login")):
                continue
            forms_seen += 1
            for value in HOSTILE_TEXT:
                data = {k: v for k, v in form.fields.items() if k != "csrfmiddlewaretoken"}
                data.update({name: value for name in form.texts})
                tally.check(f"POST {action} {value[:16]!r}", client.post(action, data))
    problems = [f for f in tally.failures if not any(gap in f for gap in HOSTILE_KNOWN_GAPS)]
    problems += _script_in_pages(client)
    record_figures("hostile_forms", {"forms": forms_seen, "tried": tally.tried, "handled": tally.handled})
    assert forms_seen >= 15
    assert not problems, "\n".join(problems[:60])


def _script_in_pages(client: Client) -> list[str]:
    """After the hostile posts: no page serves one of our scripts as markup."""
    findings = []
    for url in staff_page_urls():
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            body = response.content.decode(errors="replace")
            if SCRIPT in body or IMG in body:
                findings.append(f"{url}: a stored script is served as markup")
    return findings


def test_every_write_operation_survives_hostile_json(demo):
    from fazhi.api import api

    client = _client(demo["superuser"])
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    samples = _samples()
    from .matrix import _api_value

    tally = Tally()
    operations = 0
    for route in api_routes():
        if route.method == "GET" or route.key in KNOWN_GAPS:
            continue
        op = schema["paths"][route.template][route.method.lower()]
        content = op.get("requestBody", {}).get("content", {})
        if "multipart/form-data" in content:
            continue  # the file corpus covers uploads
        values = {name: _api_value(name, route.template, samples) for name in route.params}
        if any(v is None for v in values.values()):
            continue
        url = route.template
        for name, value in values.items():
            url = url.replace("{" + name + "}", str(value))
        operations += 1
        body_schema = content.get("application/json", {}).get("schema", {})
        for name, body in hostile_bodies(body_schema, components):
            response = client.generic(route.method, url, json.dumps(body), content_type="application/json")
            tally.check(f"{route.key} <- {name}", response)
        for name, raw in RAW_BODIES:
            response = client.generic(route.method, url, raw, content_type="application/json")
            tally.check(f"{route.key} <- {name}", response)
    problems = [f for f in tally.failures if not any(gap in f for gap in HOSTILE_KNOWN_GAPS)]
    problems += _script_in_pages(client)
    record_figures("hostile_json", {"operations": operations, "tried": tally.tried, "handled": tally.handled})
    assert operations >= 25
    assert not problems, "\n".join(problems[:60])


def test_planted_server_error_is_caught(demo, monkeypatch):
    """Plant a crash on bad input in the ingest reader: the corpus must report it."""
    from fazhi.ingest import services

    def crash(**kwargs: Any) -> Any:
        raise RuntimeError("planted")

    monkeypatch.setattr(services, "ingest_file", crash)
    monkeypatch.setattr("fazhi.ingest.views.ingest_file", crash)
    client = _client(demo["superuser"])
    agency = Agency.objects.filter(division__code="140105", name__endswith="市场监督管理局").first()
    tally = Tally()
    upload = uploads(agency)[0]
    tally.check("api upload", _post_file(client, "/api/v1/ingest/upload/penalty", {}, "file", upload))
    assert tally.failures


def test_planted_formula_export_is_caught(demo, monkeypatch):
    """Plant: the open-data CSV writes cells as given. The export check must find the formula."""
    from fazhi.publicity import opendata

    agency = Agency.objects.filter(division__code="140105", name__endswith="市场监督管理局").first()
    client = _client(demo["superuser"])
    inj = next(u for u in uploads(agency) if u.name == "csv_formula_injection")
    _post_file(client, "/api/v1/ingest/upload/penalty", {}, "file", inj)
    monkeypatch.setattr(opendata, "cell", lambda value: "" if value is None else str(value))
    assert _csv_formula_findings(client)
    assert FORMULAS


def test_discretion_exports_neutralise_formulas():
    from openpyxl import load_workbook

    from fazhi.discretion.spreadsheet import HEADERS, write_csv, write_xlsx

    rows = [dict.fromkeys(HEADERS, FORMULAS[0])]
    sheet = load_workbook(io.BytesIO(write_xlsx(rows))).active
    assert sheet is not None
    assert all(cell.data_type != "f" for cell in sheet[2])
    assert not any(c.startswith(FORMULA_START) for c in _csv_cells(write_csv(rows).decode("utf-8")))

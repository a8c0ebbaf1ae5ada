"""The privacy scanner: crawl every public page, export and API answer as an anonymous visitor and report

- an unmasked resident ID number (18 characters, valid birth date and check character — python-stdnum ``cn.ric``
  without its birth-place check, which rejects real numbers: see TECH_NOTES);
- a mainland mobile phone number (11 digits, 1[3-9]…);
- a record that must not be public (withdrawn, or past its publicity window), found by its 文书号 or its page.

Entry points: the home page, every public page without parameters (from the URL resolver), the open-data downloads,
every public list operation of the API (OpenAPI), then every same-site link found in the HTML and every record and
entity the API and the downloads name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.test import Client
from stdnum.cn import ric

ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{16}[\dXx])(?![0-9A-Za-z])")
PHONE = re.compile(r"(?<![0-9])(1[3-9]\d{9})(?![0-9])")
HREF = re.compile(r"""(?:href|src|action)=["']([^"'#]+)""")
NOT_CRAWLED = ("/admin", "/accounts", "/static/", "/media/", "/api/v1/docs", "/reports/vendor/")


def is_resident_id(text: str) -> bool:
    """A real-looking 居民身份证号码: valid birth date (not in the future) and check character."""
    number = text.upper()
    try:
        birth = ric.get_birth_date(number)
    except Exception:
        return False
    if not (dt.date(1900, 1, 1) <= birth <= dt.date.today()):  # noqa: DTZ011 - a date, not a time
        return False
    return ric.calc_check_digit(number) == number[17]  # it reads the first 17 characters of the whole number


def find_ids(text: str) -> list[str]:
    return [m for m in ID_CANDIDATE.findall(text) if is_resident_id(m)]


def find_phones(text: str) -> list[str]:
    return PHONE.findall(text)


@dataclass
class ScanResult:
    pages: int = 0
    api: int = 0
    exports: int = 0
    bytes: int = 0
    findings: list[str] = field(default_factory=list)
    visited: set[str] = field(default_factory=set)

    def summary(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "api": self.api,
            "exports": self.exports,
            "megabytes": round(self.bytes / 1e6, 1),
            "findings": len(self.findings),
        }


def seeds() -> list[str]:
    """Every public page without parameters and every public API GET operation without path parameters."""
    from django.urls import reverse

    from .matrix import PUBLIC_ROUTES, api_routes, page_routes

    urls = ["/"]
    for route in page_routes():
        if route.key in PUBLIC_ROUTES and not route.params and route.key not in {"logout"}:
            urls.append(reverse(route.key))
    for route in api_routes():
        if route.public and route.method == "GET" and not route.params:
            urls.append(route.template + "?limit=100")
    for kind in ("penalty", "licence"):
        for fmt in ("csv", "json"):
            urls.append(f"/api/v1/opendata/{kind}.{fmt}")
    urls += ["/search/?q=公司", "/search/?q=罚款&type=penalty", "/api/v1/search?q=公司", "/api/v1/changes?after=0"]
    return urls


def scan(*, forbidden_markers: Iterable[str] = (), forbidden_urls: Iterable[str] = (), limit: int = 3000) -> ScanResult:
    client = Client(raise_request_exception=False)
    result = ScanResult()
    markers = [m for m in forbidden_markers if m]
    for url in forbidden_urls:
        response = client.get(url)
        if response.status_code != 404:
            result.findings.append(f"{url}: a record that must not be public answers {response.status_code}")
    queue: deque[str] = deque(seeds())
    seen: set[str] = set(queue)
    while queue and len(result.visited) < limit:
        url = queue.popleft()
        response = client.get(url)
        result.visited.add(url)
        if response.status_code >= 500:
            result.findings.append(f"{url}: server error {response.status_code}")
            continue
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        result.bytes += len(body)
        text = body.decode("utf-8", errors="replace")
        kind = response.get("Content-Type", "")
        if "/opendata/" in url or "csv" in kind or "spreadsheet" in kind:
            result.exports += 1
        elif url.startswith("/api/"):
            result.api += 1
        else:
            result.pages += 1
        for number in find_ids(text):
            result.findings.append(f"{url}: unmasked ID number {number[:6]}…{number[-2:]}")
        for phone in find_phones(text):
            result.findings.append(f"{url}: phone number {phone[:3]}…{phone[-2:]}")
        for marker in markers:
            if marker in text:
                result.findings.append(f"{url}: shows a record that must not be public ({marker})")
        for link in _links(url, text, kind):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return result


def _links(url: str, text: str, content_type: str) -> list[str]:
    found: list[str] = []
    if "html" in content_type:
        for href in HREF.findall(text):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith("/") and not path.startswith(NOT_CRAWLED) and "page=" not in parts.query:
                found.append(path)
    elif "json" in content_type:
        try:
            data = json.loads(text)
        except ValueError:
            return found
        for item in _records(data):
            kind, pk = item.get("type"), item.get("id")
            if kind in ("penalty", "licence") and isinstance(pk, int):
                found.append(f"/api/v1/records/{kind}/{pk}")
                found.append(f"/credit/records/{kind}/{pk}/")
            if item.get("party_uscc"):
                found.append(f"/api/v1/entities/{item['party_uscc']}")
    return found


def _records(data: Any) -> Iterable[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _records(item)
    elif isinstance(data, dict):
        if "type" in data and "id" in data:
            yield data
        for value in data.values():
            if isinstance(value, list | dict):
                yield from _records(value)

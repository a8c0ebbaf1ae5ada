"""The one registration point: how a module puts its public records into the portal's search.

A module describes each of its public record types once, in its own ``search.py`` (loaded when the portal starts)::

    register(SearchType(code="penalty", number=1, label="行政处罚", documents=..., public_objects=..., load=...,
                        url=...))

and calls ``portal.index.refresh(code, objects)`` from its services whenever such records are published, changed or
leave public view. The portal never imports the modules' models; it knows them only through these descriptions.

``number`` is stored in the index instead of the code (a small integer in tens of millions of rows): it must never
change or be reused once records of the type are indexed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse


@dataclass(frozen=True, slots=True)
class Document:
    """What the portal indexes and shows of one public record. Everything here is public: modules build it from
    their publication layer (masked), never from staff data."""

    object_id: str
    title: str
    texts: tuple[str, ...]  # the fields matched by substring (the title usually among them)
    date: dt.date | None  # the date that orders results ("newest first"), e.g. the decision date
    area: int = 0  # 6-digit GB/T 2260 code of the county (or city, or province) the record belongs to; 0 = none
    agency_id: int | None = None
    categories: tuple[str, ...] = ()  # values of the type's ``categories`` (the category filter)
    public_until: dt.date | None = None  # last day in public view (a publicity window's end); None: no end
    code: str = ""  # an identifier that a query names exactly: 统一社会信用代码
    doc_key: str = ""  # canonical document number (``core.docnumbers``), also matched exactly
    summary: dict[str, Any] = field(default_factory=dict)  # display lines for the result list (public, masked)


@dataclass(frozen=True)
class SearchType:
    code: str  # "penalty": used in URLs and the API (``type=penalty``)
    number: int  # stable small integer stored in the index (1..32767)
    label: str  # Chinese name shown on tabs and results, e.g. "行政处罚"
    documents: Callable[[Sequence[Any]], Iterable[Document]]  # objects -> documents of those currently public
    public_objects: Callable[[], QuerySet[Any]]  # every object currently public (for a rebuild), ordered by pk
    load: Callable[[Sequence[str]], Sequence[Any]]  # object ids -> objects (missing ones are simply absent)
    url: Callable[[str], str]  # object id -> public page
    object_id: Callable[[Any], str] = lambda obj: str(obj.pk)
    categories: tuple[tuple[str, str], ...] = ()  # (value, Chinese label) for the category filter
    order: int = 100  # position of the type's tab and group
    hit_template: str = "portal/_hit.html"  # how one result is shown in the list
    entity_url: Callable[[str], str] | None = None  # the public page of the entity a 统一社会信用代码 names


_MARK = 987654321  # stands for the object id while a page's URL is reversed once


def page_url(viewname: str, key: str = "pk", **fixed: Any) -> Callable[[str], str]:
    """``object id -> URL`` of the named page whose argument ``key`` is the id (``page_url("publicity:record",
    kind="penalty")``). The URL is reversed once, with a marker for the id, and then filled in: a result list shows
    up to a hundred links, and reversing each one cost more than the rest of the answer's Python. For pages whose id
    is an integer (``<int:pk>``)."""
    template: list[str] = []

    def url(object_id: str) -> str:
        if not template:
            head, _, tail = reverse(viewname, kwargs={**fixed, key: _MARK}).partition(str(_MARK))
            template.extend((head, tail))
        return f"{template[0]}{int(object_id)}{template[1]}"

    return url


_TYPES: dict[str, SearchType] = {}
_BY_NUMBER: dict[int, SearchType] = {}


def register(search_type: SearchType) -> SearchType:
    """Add a record type to the portal. Codes and numbers are unique; registering the same type again (module
    reloaded) replaces it."""
    clash = _BY_NUMBER.get(search_type.number)
    if clash is not None and clash.code != search_type.code:
        raise ValueError(f"search type number {search_type.number} is already used by {clash.code!r}")
    if not 0 < search_type.number < 32768:
        raise ValueError("search type numbers are 1..32767")
    _TYPES[search_type.code] = search_type
    _BY_NUMBER[search_type.number] = search_type
    return search_type


def get(code: str) -> SearchType:
    return _TYPES[code]


def by_number(number: int) -> SearchType:
    return _BY_NUMBER[number]


def all_types() -> list[SearchType]:
    return sorted(_TYPES.values(), key=lambda t: (t.order, t.number))


def choices() -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in all_types()]

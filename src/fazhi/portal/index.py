"""Keeping the search index equal to what is public: the only code that writes ``portal`` tables.

Modules call :func:`refresh` inside the transaction of the service that publishes, corrects, withdraws, repairs or
expires records, so the index changes with the records or not at all. The index is derived data (like a rollup):
it is not audited itself — the service's own audit event records the act — and ``fazhi portal reindex`` rebuilds
it from the modules' public records at any time.

Writes are bulk: new entries get their ids up front (``core.bulk.reserve_pks``), entries and pairs go in by COPY on
PostgreSQL, counts are upserted in key order (so concurrent writers lock count rows in the same order and cannot
deadlock on them).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from fazhi.core.bulk import insert_values, reserve_pks

from . import registry
from .grams import MATCH_SEPARATOR, pairs, text_pairs
from .grams import match_text as make_match_text
from .models import RANK_ID_BITS, SearchCount, SearchEntry, SearchPair
from .registry import Document, SearchType

EPOCH = dt.date(1900, 1, 1)
ALL = 0  # SearchCount key of "every entry of the type"

_ENTRY_COLUMNS = [
    "id",
    "type",
    "object_id",
    "rank",
    "title",
    "match_text",
    "code",
    "doc_key",
    "date",
    "public_until",
    "area",
    "agency_id",
    "category",
    "summary",
]


def rank_of(date: dt.date | None, entry_id: int) -> int:
    days = (date - EPOCH).days if date is not None and date > EPOCH else 0
    return (days << RANK_ID_BITS) | entry_id


def area_keys(area: int) -> set[int]:
    """The SearchCount keys of an area: minus the codes of its province, city and county (those that differ)."""
    if area <= 0:
        return set()
    return {-(area // 10000 * 10000), -(area // 100 * 100), -area}


def refresh(code: str, objects: Sequence[Any]) -> None:
    """Make the index hold exactly the public ones of ``objects`` (of the registered type ``code``): entries of
    objects no longer public go, public ones are (re)written. Call it inside the service's transaction."""
    if not objects:
        return
    search_type = registry.get(code)
    with transaction.atomic():
        _remove(search_type, [search_type.object_id(obj) for obj in objects])
        _insert(search_type, list(search_type.documents(objects)))


def refresh_ids(code: str, object_ids: Iterable[Any]) -> None:
    """:func:`refresh` for objects known by id only (they are loaded; ids of objects that no longer exist are
    removed from the index)."""
    search_type = registry.get(code)
    ids = [str(i) for i in object_ids]
    if not ids:
        return
    with transaction.atomic():
        _remove(search_type, ids)
        _insert(search_type, list(search_type.documents(search_type.load(ids))))


def remove(code: str, object_ids: Iterable[Any]) -> None:
    """Take these objects out of the index (they left public view)."""
    with transaction.atomic():
        _remove(registry.get(code), [str(i) for i in object_ids])


def add(code: str, documents: Sequence[Document]) -> int:
    """Index documents of objects that are not in the index yet (bulk loads: a rebuild, the benchmark)."""
    with transaction.atomic():
        return _insert(registry.get(code), list(documents))


def clear(code: str) -> None:
    """Empty the index of one type (before a rebuild)."""
    number = registry.get(code).number
    with transaction.atomic():
        SearchPair.objects.filter(type=number).delete()
        SearchCount.objects.filter(type=number).delete()
        SearchEntry.objects.filter(type=number).delete()


def _insert(search_type: SearchType, documents: list[Document]) -> int:
    if not documents:
        return 0
    number = search_type.number
    ids = reserve_pks(SearchEntry, len(documents))
    entries: list[list[Any]] = []
    postings: list[tuple[int, int, int, int]] = []
    counts: Counter[int] = Counter()
    for doc, entry_id in zip(documents, ids, strict=True):
        rank = rank_of(doc.date, entry_id)
        grams = text_pairs(doc.texts)
        area = doc.area
        entries.append(
            [
                entry_id,
                number,
                doc.object_id,
                rank,
                doc.title[:300],
                make_match_text(doc.texts),
                doc.code,
                doc.doc_key[:200],
                doc.date,
                doc.public_until,
                area,
                doc.agency_id,
                _categories(doc.categories),
                doc.summary,
            ]
        )
        postings.extend((gram, number, rank, area) for gram in grams)
        counts.update(grams)
        counts[ALL] += 1
        counts.update(area_keys(area))
    insert_values(SearchEntry, _ENTRY_COLUMNS, entries)
    insert_values(SearchPair, ["gram", "type", "rank", "area"], postings)
    _add_counts(number, counts)
    return len(entries)


def _categories(values: tuple[str, ...]) -> str:
    """Stored as ``|a|b|`` so that one filter (``LIKE '%|a|%'``) serves records with several categories."""
    return f"|{'|'.join(values)}|" if values else ""


def _remove(search_type: SearchType, object_ids: list[str]) -> None:
    if not object_ids:
        return
    number = search_type.number
    rows = list(
        SearchEntry.objects.filter(type=number, object_id__in=object_ids).values_list(
            "id", "rank", "area", "match_text"
        )
    )
    if not rows:
        return
    counts: Counter[int] = Counter()
    doomed: list[tuple[int, int]] = []
    for _id, rank, area, text in rows:
        grams: set[int] = set()
        for part in text.split(MATCH_SEPARATOR):
            grams |= pairs(part)
        doomed.extend((gram, rank) for gram in grams)
        counts.update(grams)
        counts[ALL] += 1
        counts.update(area_keys(area))
    _delete_pairs(number, doomed)
    SearchEntry.objects.filter(pk__in=[r[0] for r in rows]).delete()
    _add_counts(number, Counter({key: -n for key, n in counts.items()}))


def _delete_pairs(number: int, doomed: list[tuple[int, int]]) -> None:
    table = connection.ops.quote_name(SearchPair._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"DELETE FROM {table} p USING unnest(%s::bigint[], %s::bigint[]) AS d(gram, rank) "  # noqa: S608
                "WHERE p.gram = d.gram AND p.type = %s AND p.rank = d.rank",
                [[g for g, _ in doomed], [r for _, r in doomed], number],
            )
        else:
            cursor.executemany(
                f"DELETE FROM {table} WHERE gram = %s AND type = %s AND rank = %s",  # noqa: S608
                [(g, number, r) for g, r in doomed],
            )


def _add_counts(number: int, counts: Counter[int]) -> None:
    keys = sorted(k for k, n in counts.items() if n)
    if not keys:
        return
    table = connection.ops.quote_name(SearchCount._meta.db_table)
    key = connection.ops.quote_name("key")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({key}, type, n) "  # noqa: S608
                "SELECT k, %s, d FROM unnest(%s::bigint[], %s::bigint[]) AS u(k, d) ORDER BY k "
                f"ON CONFLICT ({key}, type) DO UPDATE SET n = {table}.n + EXCLUDED.n",
                [number, keys, [counts[k] for k in keys]],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({key}, type, n) VALUES (%s, %s, %s) "  # noqa: S608
                f"ON CONFLICT ({key}, type) DO UPDATE SET n = n + excluded.n",
                [(k, number, counts[k]) for k in keys],
            )


def counts_for(number: int, keys: Iterable[int]) -> dict[int, int]:
    """Stored counts of these keys for one type (missing keys: 0)."""
    found = dict(SearchCount.objects.filter(type=number, key__in=list(keys)).values_list("key", "n"))
    return found

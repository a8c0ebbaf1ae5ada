"""The query layer: one search over every registered public record type, newest first, with a count.

How a query is answered (per record type, results then merged by rank):

1. An exact 统一社会信用代码 or a document number in canonical form goes straight to the records holding it.
2. Otherwise the query is split into terms at spaces; each is folded (``grams.fold_text``). A record matches when
   every term is a substring of one of its searchable fields.
3. A **driver** supplies candidates newest first: the postings of the rarest character pair of the terms (pair
   counts are kept exact in ``SearchCount``), or the type's entries (no pair: empty or one-character queries), or
   one agency's entries when that is the shorter list. Candidates are checked in growing chunks (64, 256, 1024 ...)
   until a page is full: the substring itself, the filters, and the publicity window.
4. The count is exact from ``SearchCount`` when it can be (a single two-character term, or no term, with at most
   an area filter), exact by checking every candidate when the driver holds at most ``SAMPLE`` rows, and otherwise
   an estimate from the newest ``SAMPLE`` candidates, labelled as such.

Paging is by cursor (the rank of the last result shown), so every page costs the same and there is no cap.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from fazhi.core import docnumbers
from fazhi.core.errors import FieldError, ValidationFailed
from fazhi.core.identifiers import check_uscc, fold

from . import registry
from .grams import MAX_QUERY_CHARS, fold_text, like_pattern, pairs
from .index import ALL, EPOCH, rank_of
from .models import RANK_ID_BITS, RANK_ID_MASK, SearchCount, SearchEntry, SearchPair
from .registry import SearchType

SAMPLE = 1000  # candidates checked to count (exactly when the driver has no more, else to estimate)
MAX_PAIR_FILTERS = 3  # other pairs checked in the pair index itself (the rest only by the substring check)
FIRST_CHUNK, MAX_CHUNK = 64, 16384
MAX_RANK = (1 << 62) - 1
MAX_LIMIT = 100
DIRECT_MAX = 1000  # records fetched for an exact code before counting them separately

_ENTRY = SearchEntry._meta.db_table
_PAIR = SearchPair._meta.db_table
_COUNT = SearchCount._meta.db_table


@dataclass(frozen=True)
class Query:
    q: str = ""
    types: tuple[str, ...] = ()  # registered type codes; empty = all
    area: str = ""  # GB/T 2260 code: province, city or county
    agency: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    category: str = ""
    cursor: int | None = None  # results older than this rank (the ``next_cursor`` of the previous page)
    limit: int = 20


@dataclass
class Hit:
    type: SearchType
    object_id: str
    title: str
    date: dt.date | None
    summary: dict[str, Any]
    rank: int

    @property
    def url(self) -> str:
        return self.type.url(self.object_id)


@dataclass
class TypeCount:
    type: SearchType
    count: int
    exact: bool
    hits: list[Hit] = field(default_factory=list)  # this type's own first page (for results grouped by type)


@dataclass
class Result:
    query: Query
    items: list[Hit]
    count: int
    exact: bool
    groups: list[TypeCount]
    next_cursor: int | None
    terms: list[str] = field(default_factory=list)
    direct: str = ""  # "uscc" or "doc_number" when the query named a code or a document number exactly


def area_range(code: str) -> tuple[int, int] | None:
    """The ``area`` values (6-digit codes) inside a GB/T 2260 code: a province (14 / 140000), a city (1401 /
    140100) or a county (140105). Raises ValidationFailed for anything else."""
    text = fold(code or "")
    if not text:
        return None
    if not text.isdigit() or len(text) not in (2, 4, 6, 9, 12):
        raise ValidationFailed(FieldError("division", "invalid_division", f"区划代码“{code}”应为 2、4 或 6 位数字"))
    six = int(text[:6].ljust(6, "0"))
    if six % 10000 == 0:
        return six, six + 9999
    if six % 100 == 0:
        return six, six + 99
    return six, six


def validate(query: Query) -> list[SearchType]:
    """The record types a query covers (checked), or ValidationFailed with Chinese messages."""
    errors: list[FieldError] = []
    if len(query.q) > MAX_QUERY_CHARS * 4:
        errors.append(FieldError("q", "too_long", f"查询内容太长：请不超过 {MAX_QUERY_CHARS} 个字"))
    known = {t.code: t for t in registry.all_types()}
    unknown = [code for code in query.types if code not in known]
    if unknown:
        allowed = "、".join(f"{t.code}（{t.label}）" for t in known.values())
        errors.append(FieldError("type", "invalid_type", f"类型“{'、'.join(unknown)}”不存在，可选：{allowed}"))
    if query.date_from and query.date_to and query.date_from > query.date_to:
        errors.append(FieldError("date_from", "date_range", "起始日期不能晚于截止日期"))
    if not 1 <= query.limit <= MAX_LIMIT:
        errors.append(FieldError("limit", "invalid_limit", f"每页条数应在 1 到 {MAX_LIMIT} 之间"))
    if errors:
        raise ValidationFailed(errors)
    area_range(query.area)
    types = [known[c] for c in query.types] if query.types else list(known.values())
    if query.category:
        types = [t for t in types if query.category in {v for v, _ in t.categories}]
    return types


def search(query: Query, *, today: dt.date | None = None) -> Result:
    types = validate(query)
    today = today or timezone.localdate()
    text = query.q.strip()
    if text and query.cursor is None and len(text.split()) == 1:
        direct = _direct(query, types, text, today)
        if direct is not None:
            return direct
    terms = [t for t in (fold_text(part) for part in text.split()) if t][:8]
    terms = [t[:MAX_QUERY_CHARS] for t in terms]
    grams: set[int] = set()
    for term in terms:
        grams |= pairs(term)
    keys = grams or {-area[0] if (area := area_range(query.area)) else ALL}
    counts = _counts([t.number for t in types], keys)
    plans = [_Plan(query, t, terms, today, counts.get(t.number, {})) for t in types]
    pages = [p.page(query.limit + 1) for p in plans]
    hits = heapq.nlargest(query.limit + 1, (h for page in pages for h in page), key=lambda h: h.rank)
    groups = [TypeCount(p.type, *p.count(), hits=page[: query.limit]) for p, page in zip(plans, pages, strict=True)]
    more = len(hits) > query.limit
    items = hits[: query.limit]
    return Result(
        query=query,
        items=items,
        count=sum(g.count for g in groups),
        exact=all(g.exact for g in groups),
        groups=groups,
        next_cursor=items[-1].rank if more and items else None,
        terms=terms,
    )


def _direct(query: Query, types: list[SearchType], text: str, today: dt.date) -> Result | None:
    """A query that is a valid 统一社会信用代码, or a document number, answered by the exact records."""
    code = fold(text).upper()
    column, kind = "", ""
    if len(code) == 18:
        try:
            check_uscc(code)
            column, kind = "code", "uscc"
        except ValidationFailed:
            pass
    if not column:
        number = docnumbers.normalise_doc_number(text)
        if number.parsed and number.year is not None:
            code, column, kind = number.normalised, "doc_key", "doc_number"
    if not column:
        return None
    where, params = _conditions(query, [], today, area_range(query.area))
    numbers, number_params = _in_list([t.number for t in types])
    rows = _fetch(
        f"SELECT {_HIT_COLUMNS} FROM {_ENTRY} e WHERE e.{column} = %s AND e.type {numbers} AND {where} "  # noqa: S608
        "ORDER BY e.rank DESC LIMIT %s",
        [code, *number_params, *params, DIRECT_MAX],
    )
    hits = [_hit(row) for row in rows]
    groups = [TypeCount(t, 0, True) for t in types]
    for group in groups:
        group.hits = [h for h in hits if h.type is group.type]
        group.count = len(group.hits)
        group.hits = group.hits[: query.limit]
    if len(hits) >= DIRECT_MAX:  # a code with very many records: count them all
        for group in groups:
            counted = _fetch(
                f"SELECT COUNT(*) FROM {_ENTRY} e WHERE e.{column} = %s AND e.type = %s AND {where}",  # noqa: S608
                [code, group.type.number, *params],
            )
            group.count = int(counted[0][0])
    if not hits:
        return None
    return Result(
        query=query,
        items=hits[: query.limit],
        count=sum(g.count for g in groups),
        exact=True,
        groups=groups,
        next_cursor=None,
        terms=[code],
        direct=kind,
    )


_HIT_COLUMNS = "e.id, e.type, e.object_id, e.title, e.date, e.summary, e.rank"


def _counts(numbers: list[int], keys: set[int]) -> dict[int, dict[int, int]]:
    """The kept counts of these keys, per type number, in one query."""
    found: dict[int, dict[int, int]] = {}
    in_types, type_params = _in_list(numbers)
    in_keys, key_params = _in_list(sorted(keys))
    rows = _fetch(
        f"SELECT type, key, n FROM {_COUNT} WHERE type {in_types} AND key {in_keys}",  # noqa: S608
        [*type_params, *key_params],
    )
    for number, key, n in rows:
        found.setdefault(number, {})[key] = n
    return found


def _hit(row: tuple[Any, ...]) -> Hit:
    _id, number, object_id, title, date, summary, rank = row
    if isinstance(summary, str):  # SQLite returns JSON as text
        summary = json.loads(summary)
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return Hit(registry.by_number(number), object_id, title, date, summary, rank)


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _in_list(values: list[int]) -> tuple[str, list[Any]]:
    """``IN (...)`` for a list of integers: an array parameter on PostgreSQL, one mark per value on SQLite."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [values]
    return f"IN ({', '.join(['%s'] * len(values))})", list(values)


def _conditions(
    query: Query, terms: list[str], today: dt.date, area: tuple[int, int] | None, *, agency: bool = True
) -> tuple[str, list[Any]]:
    """SQL conditions on entry ``e`` for everything a result must satisfy apart from the rank range: in public view
    today, every term a substring, the area, the agency (unless the driver already is the agency), the category."""
    parts = ["(e.public_until IS NULL OR e.public_until >= %s)"]
    params: list[Any] = [today]
    for term in terms:
        parts.append("e.match_text LIKE %s ESCAPE '\\'")
        params.append(like_pattern(term))
    if area:
        parts.append("e.area BETWEEN %s AND %s")
        params.extend(area)
    if query.agency is not None and agency:
        parts.append("e.agency_id = %s")
        params.append(query.agency)
    if query.category:
        parts.append("e.category LIKE %s ESCAPE '\\'")
        params.append(like_pattern(f"|{query.category}|"))
    if query.date_from is not None:
        parts.append("e.date >= %s")
        params.append(query.date_from)
    if query.date_to is not None:
        parts.append("e.date <= %s")
        params.append(query.date_to)
    return " AND ".join(parts), params


class _Plan:
    """How one record type answers one query: its driver, its checks, its page and its count.

    Candidates come from the driver newest first. For a pair driver, the other pairs of the terms (the rarest
    ``MAX_PAIR_FILTERS``) are checked in the same SQL against the pair index itself: one index-only probe per
    candidate and pair, so the cost is bounded by the candidates read, whatever the other lists' sizes (a join the
    planner chose itself could hash a list of millions: it has no statistics per pair). What is left is checked on
    the entries: the substrings themselves, the filters, the publicity window.
    """

    def __init__(
        self, query: Query, search_type: SearchType, terms: list[str], today: dt.date, counts: dict[int, int]
    ) -> None:
        self.query, self.type, self.terms, self.today = query, search_type, terms, today
        self.number = search_type.number
        self.area = area_range(query.area)
        lo = rank_of(query.date_from, 0) if query.date_from else 0
        hi = rank_of(query.date_to + dt.timedelta(days=1), 0) if query.date_to else MAX_RANK
        self.rank_lo, self.rank_hi = lo, hi
        self.empty = False
        grams = set()
        for term in terms:
            grams |= pairs(term)
        self.driver = "type"
        self.gram: int | None = None
        self.filters: list[int] = []  # other pairs that candidates must hold, rarest first
        self.total = 0  # rows the driver holds (all dates; with the area when the driver filters by area)
        if grams:
            if any(counts.get(g, 0) == 0 for g in grams):
                self.empty = True  # a pair no entry of this type has: nothing can match
                return
            ordered = sorted(grams, key=lambda g: (counts[g], g))
            self.gram = ordered[0]
            self.driver, self.total = "gram", counts[self.gram]
            self.filters = ordered[1 : 1 + MAX_PAIR_FILTERS]
        else:
            self.total = counts.get(-self.area[0] if self.area else ALL, 0)
            if self.total == 0:
                self.empty = True
                return
        if query.agency is not None:
            agency_total = self._agency_total(self.total)
            if agency_total < self.total:
                self.driver, self.total, self.filters = "agency", agency_total, []
            if agency_total == 0:
                self.empty = True

    def _agency_total(self, cap: int) -> int:
        rows = _fetch(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {_ENTRY} WHERE agency_id = %s AND type = %s LIMIT %s) s",  # noqa: S608
            [self.query.agency, self.number, cap + 1],
        )
        return int(rows[0][0])

    # -- candidates -------------------------------------------------------------------------------------------------
    def _pair_filters(self, alias: str) -> tuple[str, list[Any]]:
        sql, params = "", []
        for gram in self.filters:
            # OFFSET 0 keeps the subquery a probe per candidate (PostgreSQL does not turn it into a join).
            sql += (
                f" AND EXISTS (SELECT 1 FROM {_PAIR} x WHERE x.gram = %s AND x.type = %s"  # noqa: S608
                f" AND x.rank = {alias}.rank LIMIT 1 OFFSET 0)"
            )
            params += [gram, self.number]
        return sql, params

    def _driver_sql(self, hi: int, limit: int, *, with_area: bool) -> tuple[str, list[Any]]:
        """The driver's rows in ``[rank_lo, hi)``, newest first, at most ``limit``: (rank, area)."""
        if self.driver == "gram":
            sql = f"SELECT d.rank, d.area FROM {_PAIR} d WHERE d.gram = %s AND d.type = %s"  # noqa: S608
            params: list[Any] = [self.gram, self.number]
        elif self.driver == "agency":
            sql = f"SELECT d.rank, d.area FROM {_ENTRY} d WHERE d.agency_id = %s AND d.type = %s"  # noqa: S608
            params = [self.query.agency, self.number]
        else:
            sql = f"SELECT d.rank, d.area FROM {_ENTRY} d WHERE d.type = %s"  # noqa: S608
            params = [self.number]
        sql += " AND d.rank < %s AND d.rank >= %s"
        params += [hi, self.rank_lo]
        if with_area and self.area:
            sql += " AND d.area BETWEEN %s AND %s"
            params.extend(self.area)
        return sql, params

    def _candidates(self, hi: int, limit: int) -> list[int]:
        """Ranks of the newest ``limit`` driver rows below ``hi`` in the area that hold every filtering pair."""
        sql, params = self._driver_sql(hi, limit, with_area=True)
        filters, filter_params = self._pair_filters("d")
        rows = _fetch(f"{sql}{filters} ORDER BY d.rank DESC LIMIT %s", [*params, *filter_params, limit])
        return [row[0] for row in rows]

    def _check(self, ranks: list[int], *, columns: str) -> list[tuple[Any, ...]]:
        """The entries of these candidates that pass every check, newest first."""
        where, params = _conditions(self.query, self.terms, self.today, None, agency=self.driver != "agency")
        ids, id_params = _in_list([r & RANK_ID_MASK for r in ranks])
        return _fetch(
            f"SELECT {columns} FROM {_ENTRY} e WHERE e.id {ids} AND {where} ORDER BY e.rank DESC",  # noqa: S608
            [*id_params, *params],
        )

    # -- page and count --------------------------------------------------------------------------------------------
    def page(self, wanted: int) -> list[Hit]:
        """The newest ``wanted`` results of this type below the cursor."""
        if self.empty:
            return []
        hi = min(self.rank_hi, self.query.cursor if self.query.cursor is not None else MAX_RANK)
        found: list[Hit] = []
        ask = wanted
        while len(found) < wanted:
            ranks = self._candidates(hi, ask)
            if not ranks:
                break
            found.extend(_hit(row) for row in self._check(ranks, columns=_HIT_COLUMNS))
            if len(ranks) < ask:
                break
            hi = ranks[-1]
            ask = min(ask * 4, MAX_CHUNK)
        return found[:wanted]

    def count(self) -> tuple[int, bool]:
        """(count, exact) of this type's results for the whole query (all pages)."""
        if self.empty:
            return 0, True
        q = self.query
        plain = q.agency is None and not q.category and q.date_from is None and q.date_to is None
        if plain and not self.terms:
            return self.total, True  # the area's (or the type's) own count
        if plain and not self.area and len(self.terms) == 1 and len(self.terms[0]) == 2:
            return self.total, True  # the pair's own count: every entry holding it matches
        if self.total <= SAMPLE:  # few enough to check every candidate: exact
            ranks = self._candidates(self.rank_hi, self.total + 1)
            return (len(self._check(ranks, columns="e.id")) if ranks else 0), True
        return self._estimate(), False

    def _estimate(self) -> int:
        """From the newest ``SAMPLE`` driver rows in the date range (without the area when the driver's total does
        not have it): the share that holds every pair and lies in the area, scaled to the driver's rows in the range
        (assumed spread evenly in time). Substrings, agency and category are checked on the entries only when the
        query has them; a three-character term is counted by its pairs (an estimate either way)."""
        with_area = self.driver != "gram"
        sql, params = self._driver_sql(self.rank_hi, SAMPLE, with_area=with_area)
        filters, filter_params = self._pair_filters("s")
        area = ""
        if self.area and not with_area:
            area = " AND s.area BETWEEN %s AND %s"
            filter_params = [*filter_params, *self.area]
        sample = f"{sql} ORDER BY d.rank DESC LIMIT %s"
        rows = _fetch(
            f"SELECT s.rank FROM ({sample}) s WHERE 1 = 1{filters}{area}",  # noqa: S608
            [*params, SAMPLE, *filter_params],
        )
        matched = len(rows)
        if rows and ((self.query.agency is not None and self.driver != "agency") or self.query.category):
            matched = len(self._check([r[0] for r in rows], columns="e.id"))
        in_range = self.total
        if self.query.date_from is not None or self.query.date_to is not None:
            last = _fetch(f"{sql} ORDER BY d.rank DESC LIMIT 1 OFFSET %s", [*params, SAMPLE - 1])
            newest = (self.today - EPOCH).days + 1 if self.query.date_to is None else self.rank_hi >> RANK_ID_BITS
            oldest = self.rank_lo >> RANK_ID_BITS
            sampled_span = max(1, newest - (last[0][0] >> RANK_ID_BITS)) if last else 1
            in_range = min(self.total, int(SAMPLE * max(1, newest - oldest) / sampled_span))
        return round_estimate(matched * in_range / SAMPLE)


def round_estimate(value: float) -> int:
    """Two significant figures: an estimate should not look more precise than it is."""
    n = round(value)
    if n < 100:
        return n
    digits = len(str(n)) - 2
    return int(round(n, -digits))


def parse_params(params: Any) -> Query:
    """A :class:`Query` from request parameters (the page's, the API's and the command's), with every problem
    explained in Chinese: ``q``, ``type`` (one or several codes, comma-separated or repeated), ``division``,
    ``agency``, ``date_from``, ``date_to``, ``category``, ``cursor``, ``limit``."""
    errors: list[FieldError] = []

    def one(name: str) -> str:
        value = params.get(name, "")
        return str(value if value is not None else "").strip()

    types: list[str] = []
    raw_types = params.getlist("type") if hasattr(params, "getlist") else [params.get("type") or ""]
    for value in raw_types:
        types.extend(t.strip() for t in str(value or "").split(",") if t.strip())

    def date(name: str, label: str) -> dt.date | None:
        text = one(name)
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            errors.append(FieldError(name, "invalid_date", f"{label}“{text}”不是有效日期，应为 YYYY-MM-DD"))
            return None

    def number(name: str, label: str) -> int | None:
        text = one(name)
        if not text:
            return None
        if not text.isdigit() or len(text) > 19:
            errors.append(FieldError(name, f"invalid_{name}", f"{label}“{text[:40]}”无效"))
            return None
        return int(text)

    agency = number("agency", "机构")
    cursor = number("cursor", "翻页位置")
    limit = number("limit", "每页条数")
    query = Query(
        q=one("q"),
        types=tuple(dict.fromkeys(types)),
        area=one("division"),
        agency=agency,
        date_from=date("date_from", "起始日期"),
        date_to=date("date_to", "截止日期"),
        category=one("category")[:40],
        cursor=cursor if cursor is None or cursor <= MAX_RANK else None,
        limit=limit if limit is not None else 20,
    )
    if errors:
        raise ValidationFailed(errors)
    validate(query)
    return query

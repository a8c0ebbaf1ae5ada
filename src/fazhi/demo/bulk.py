"""双公示 records in bulk, for the scenario and the full scale (millions of rows).

Every row is a raw row as an agency would upload it, checked by the real validator (``publicity.validation.clean_row``:
统一社会信用代码 and 身份证 checksums, dates, codes), and becomes a record with the same derived fields the import
service gives it (record key, content digest, 7-working-day due date, publicity window and status). What is skipped is
the per-row work of the import service that a new, never-seen record does not need (looking up existing keys, the
per-batch search refresh): rows go to the database with ``core.bulk.insert_values`` (COPY on PostgreSQL), with
their change-feed entries, the portal's search entries (``portal.index.add``) and one audit event per batch that
names its counts and the digest of its record keys — as an import batch does. ID numbers are stored whole and
masked when read (``publicity.public.public_view``), exactly like imported ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import record_event
from fazhi.clock.calendar import CalendarDataMissing
from fazhi.clock.deadlines import compute_deadline
from fazhi.clock.models import resolve_time_limit
from fazhi.core.bulk import insert_values, reserve_pks
from fazhi.core.errors import NotFound, ValidationFailed
from fazhi.core.identifiers import make_uscc
from fazhi.org.models import Agency
from fazhi.portal import index as search_index
from fazhi.portal import registry as search_registry
from fazhi.publicity.choices import ChangeAction, RecordStatus
from fazhi.publicity.models import Change, LicenceRecord, PenaltyRecord, SgsRecord
from fazhi.publicity.public import public_view
from fazhi.publicity.services import ImportContext
from fazhi.publicity.validation import CleanRow, clean_row

from .publicity import _GIVEN, _LICENCES, _SURNAMES, _TRADES, _VIOLATIONS, _id_number

BATCH = 5000
SOURCE = "演示数据（批量）"
_BRANDS = "鑫华泰安盛隆恒丰晋源达宇通兴辉昌德瑞祥润嘉和信诚永福金龙凤天新星光明正大宝富荣康乐美佳"
_FORMS = ["有限公司"] * 6 + ["有限责任公司"] * 2 + ["股份有限公司", "经营部", "门市部", "加工厂", "专业合作社"]

Progress = Callable[[int], None]  # called with the number of rows just written


def _place(agency: Agency) -> str:
    return agency.division.name.removesuffix("区").removesuffix("县").removesuffix("市")


def _company(rng: random.Random, place: str) -> str:
    return f"{place}{rng.choice(_BRANDS)}{rng.choice(_BRANDS)}{rng.choice(_TRADES)}{rng.choice(_FORMS)}"


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _day_in(rng: random.Random, year: int) -> dt.date:
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=rng.randrange((dt.date(year + 1, 1, 1) - start).days))


def penalty_row(rng: random.Random, agency: Agency, n: int, year: int) -> tuple[dict[str, Any], dt.date]:
    """Raw penalty row ``n`` of ``agency`` decided in ``year``, and the day it was published."""
    decided = _day_in(rng, year)
    place = _place(agency)
    person = rng.random() < 0.15
    violation, basis, kinds = rng.choice(_VIOLATIONS)
    amount = rng.choice([0.2, 0.5, 1, 2, 3.5, 5, 10, 16])
    abbr = "市监" if "市场" in agency.name else "环"
    row = {
        "party_name": _person(rng) if person else _company(rng, place),
        "party_category": "自然人" if person else "法人及非法人组织",
        "party_uscc": "" if person else make_uscc("91", agency.division.code[:6], f"{rng.randrange(10**8):08d}"),
        "party_id_type": "身份证" if person else "",
        "party_id_number": _id_number(rng, agency.division.code) if person else "",
        "legal_rep": "" if person else _person(rng),
        "doc_number": f"{place}{abbr}罚〔{year}〕{n + 1}号",
        "violation_type": violation,
        "facts": f"{decided:%Y年%-m月%-d日}检查发现，当事人{violation}。",
        "basis": basis,
        "kinds": kinds,
        "content": "警告" if kinds == "警告" else f"罚款{amount:g}万元",
        "fine_wan": "" if kinds == "警告" else f"{amount:g}",
        "decided_on": decided.isoformat(),
        "decision_agency_name": agency.name,
        "decision_agency_uscc": agency.uscc,
        "source_agency_name": agency.name,
        "source_agency_uscc": agency.uscc,
    }
    return row, decided + dt.timedelta(days=rng.choice([1, 2, 3, 5, 6, 8, 12]))


def licence_row(rng: random.Random, agency: Agency, n: int, year: int) -> tuple[dict[str, Any], dt.date]:
    """Raw licence row ``n`` of ``agency`` decided in ``year``, and the day it was published."""
    decided = _day_in(rng, year)
    place = _place(agency)
    company = _company(rng, place)
    item, certificate, category = rng.choice(_LICENCES)
    row = {
        "party_name": company,
        "party_category": "法人及非法人组织",
        "party_uscc": make_uscc("91", agency.division.code[:6], f"{rng.randrange(10**8):08d}"),
        "legal_rep": _person(rng),
        "doc_title": f"关于{company}{item}的决定",
        "doc_number": f"{place}许〔{year}〕{n + 1}号",
        "category": category,
        "certificate_name": certificate,
        "licence_number": f"SX{agency.division.code[:6]}{year}{n:08d}",
        "content": f"准予{item}",
        "decided_on": decided.isoformat(),
        "valid_from": decided.isoformat(),
        "valid_until": "2099-12-31" if rng.random() < 0.2 else (decided + dt.timedelta(days=1825)).isoformat(),
        "decision_agency_name": agency.name,
        "decision_agency_uscc": agency.uscc,
        "source_agency_name": agency.name,
        "source_agency_uscc": agency.uscc,
    }
    return row, decided + dt.timedelta(days=rng.choice([1, 2, 4, 6, 9]))


class _Records:
    """Turns checked rows into unsaved records with the fields ``publicity.services`` derives on import."""

    def __init__(self, model: type[SgsRecord]) -> None:
        self.model = model
        self.context = ImportContext()
        self.due_cache: dict[dt.date, dt.date | None] = {}
        self.settable = {f.attname for f in model._meta.concrete_fields} - {"id", "agency_id", "status"}
        self.today = timezone.localdate()

    def due(self, decided_on: dt.date) -> dt.date | None:
        if decided_on not in self.due_cache:
            try:
                limit = resolve_time_limit("sgs.publish", decided_on)
                self.due_cache[decided_on] = compute_deadline(decided_on, limit.days, limit.unit)
            except (CalendarDataMissing, NotFound, ValidationFailed):
                self.due_cache[decided_on] = None  # the calendar does not cover that year: no due date
        return self.due_cache[decided_on]

    def make(self, agency: Agency, row: CleanRow, published_on: dt.date) -> Any:
        record = self.context.new_record(
            self.model, agency=agency, natural_key=row.natural_key, published_on=published_on
        )
        for name, value in row.values.items():
            if name in self.settable:
                record.__dict__[name] = value
        record.content_hash = row.content_hash
        record.publish_due = self.due(record.decided_on)
        record.published_late = record.publish_due is not None and published_on > record.publish_due
        if isinstance(record, PenaltyRecord):
            window = self.context.window(
                record.decided_on, record.severity, record.special_field, row.values.get("early_repair", True)
            )
            record.publicity_min_end, record.publicity_max_end = window.min_end, window.max_end
            record.early_repair = window.early_repair
            if not window.published:
                record.status = RecordStatus.NOT_PUBLISHED
            elif window.max_end is not None and window.max_end < self.today:
                record.status = RecordStatus.EXPIRED
            else:
                record.status = RecordStatus.PUBLISHED
        return record


def _write(kind: str, model: type[SgsRecord], records: list[Any], *, index: bool = True) -> None:
    """One batch in one transaction: the rows, their change-feed entries, their search entries (unless ``index`` is
    false: ``fazhi portal reindex`` rebuilds the index later), one audit event."""
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [str(f.attname) for f in fields]
    with transaction.atomic():
        for r, pk in zip(records, reserve_pks(model, len(records)), strict=True):
            r.pk = pk
            r.__dict__["created_at"] = r.__dict__["updated_at"] = now
        insert_values(model, ["id", *columns], ([r.pk, *(r.__dict__[c] for c in columns)] for r in records))
        visible = [r for r in records if r.status == RecordStatus.PUBLISHED]
        insert_values(
            Change,
            ("record_type", "record_id", "action", "occurred_at", "public"),
            [(kind, r.pk, ChangeAction.PUBLISH, now, public_view(r)) for r in visible],
        )
        if index:
            search_index.add(kind, list(search_registry.get(kind).documents(visible)))
        digest = hashlib.sha256("".join(sorted(r.natural_key for r in records)).encode()).hexdigest()
        record_event(
            actor=None,
            action=f"publicity.{kind}.import",
            target=("publicity.batch", digest[:16], SOURCE),
            after={"created": len(records), "updated": 0, "unchanged": 0, "rejected": 0, "keys_sha256": digest},
            reason=SOURCE,
        )


def bulk_records(
    *,
    rng: random.Random,
    penalties: int,
    licences: int,
    year: int,
    progress: Progress | None = None,
    index: bool = True,
) -> tuple[int, int]:
    """Write ``penalties`` penalty and ``licences`` licence records decided in ``year`` over the market regulators
    and environment bureaus of the cities and counties (``index=False`` leaves the portal's search entries to
    ``fazhi portal reindex``: at full scale they are half the disk). Returns what was written (always the counts
    asked: a row the validator rejects is a bug of this generator and raises)."""
    from .publicity import agencies_for_records

    agencies = sorted(agencies_for_records(), key=lambda a: a.pk)
    written = {"penalty": 0, "licence": 0}
    for kind, model, count, make_row in (
        ("penalty", PenaltyRecord, penalties, penalty_row),
        ("licence", LicenceRecord, licences, licence_row),
    ):
        builder = _Records(model)
        today = builder.today
        for start in range(0, count, BATCH):
            batch = []
            for n in range(start, min(count, start + BATCH)):
                agency = agencies[n % len(agencies)]
                raw, published = make_row(rng, agency, n, year)
                batch.append(builder.make(agency, clean_row(kind, raw, today=today), min(published, today)))
            _write(kind, model, batch, index=index)
            written[kind] += len(batch)
            if progress is not None:
                progress(len(batch))
    return written["penalty"], written["licence"]

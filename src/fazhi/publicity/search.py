"""双公示 records in the portal's search (``portal.registry``): what is found, shown and filtered.

Documents are built from :func:`public.public_view`, so the result list shows exactly what the record page and the
API show — masked ID numbers, no addresses — and only records in public view today are indexed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from fazhi.portal.registry import Document, SearchType, page_url, register

from .choices import LicenceCategory, PenaltyKind, RecordStatus
from .models import LicenceRecord, PenaltyRecord, SgsRecord
from .public import public_licences, public_penalties, public_view


def _area(record: SgsRecord) -> int:
    code = record.agency.division.code[:6]
    return int(code) if code.isdigit() else 0


def _is_public(record: SgsRecord) -> bool:
    if record.status != RecordStatus.PUBLISHED:
        return False
    end = getattr(record, "publicity_max_end", None)
    return end is None or end >= timezone.localdate()


def _has(model: type[SgsRecord], field: str) -> bool:
    return any(f.name == field for f in model._meta.concrete_fields)


def _common(record: SgsRecord, view: dict[str, Any]) -> dict[str, Any]:
    return {
        "party": view["party_name"],
        "party_category": view["party_category_label"],
        "party_uscc": view["party_uscc"],
        "party_id_number": view["party_id_number"],  # masked by public_view
        "doc_number": view["doc_number"],
        "agency": view["decision_agency_name"],
        "decided_on": view["decided_on"],
    }


def _penalty_documents(records: Sequence[PenaltyRecord]) -> Iterator[Document]:
    for record in records:
        if not _is_public(record):
            continue
        view = public_view(record)
        kinds = "、".join(str(PenaltyKind(k).label) for k in record.kinds if k in PenaltyKind.values)
        summary = _common(record, view) | {
            "kinds": kinds,
            "fine_wan": view["fine_wan"],
            "content": (record.content or "")[:140],
            "publicity_max_end": view["publicity_max_end"],
        }
        yield Document(
            object_id=str(record.pk),
            title=record.party_name,
            texts=(record.party_name, record.doc_number_key or record.doc_number),
            date=record.decided_on,
            area=_area(record),
            agency_id=record.agency_id,
            categories=tuple(record.kinds),
            public_until=record.publicity_max_end,
            code=record.party_uscc,
            doc_key=record.doc_number_key,
            summary=summary,
        )


def _licence_documents(records: Sequence[LicenceRecord]) -> Iterator[Document]:
    for record in records:
        if not _is_public(record):
            continue
        view = public_view(record)
        summary = _common(record, view) | {
            "doc_title": record.doc_title,
            "category": str(LicenceCategory(record.category).label) if record.category else "",
            "licence_number": record.licence_number,
            "content": (record.content or "")[:140],
            "valid_until": view["valid_until"],
        }
        yield Document(
            object_id=str(record.pk),
            title=record.party_name,
            texts=(record.party_name, record.doc_number_key or record.doc_number),
            date=record.decided_on,
            area=_area(record),
            agency_id=record.agency_id,
            categories=(record.category,) if record.category else (),
            code=record.party_uscc,
            doc_key=record.doc_number_key,
            summary=summary,
        )


def _entity_documents(codes: Sequence[str]) -> Iterator[Document]:
    """Legal persons and 个体工商户 with at least one record in public view (never natural persons), one per
    统一社会信用代码: the name of their latest record, how many penalties and licences are public, the latest date."""
    codes = sorted({c for c in codes if c})
    stats: dict[str, dict[str, Any]] = {}
    for label, model in (("penalties", PenaltyRecord), ("licences", LicenceRecord)):
        # By code alone, then the public ones kept here (``_is_public``, as for the records' own documents): given the
        # public condition too, SQLite (which keeps no statistics) walks the status index over every published
        # record for each batch, and a large import slows to a crawl.
        fields = [
            f for f in ("party_uscc", "decided_on", "party_name", "status", "publicity_max_end") if _has(model, f)
        ]
        for record in model.objects.filter(party_uscc__in=codes).only(*fields):
            if not _is_public(record):
                continue
            entry = stats.setdefault(record.party_uscc, {"penalties": 0, "licences": 0, "latest": None, "name": ""})
            entry[label] += 1
            key = (record.decided_on, label == "penalties", record.pk)  # on one day a penalty's name wins
            if entry.get("key") is None or key > entry["key"]:
                entry.update(key=key, latest=record.decided_on, name=record.party_name)
    for code, entry in stats.items():
        area = code[2:8]
        yield Document(
            object_id=code,
            title=entry["name"],
            texts=(entry["name"],),
            date=entry["latest"],
            area=int(area) if area.isdigit() else 0,
            code=code,
            summary={
                "name": entry["name"],
                "uscc": code,
                "penalties": entry["penalties"],
                "licences": entry["licences"],
                "latest": entry["latest"].isoformat() if entry["latest"] else None,
            },
        )


def _all_entities() -> Any:
    def codes(records: QuerySet[Any]) -> QuerySet[Any]:
        return records.exclude(party_uscc="").order_by().values_list("party_uscc", flat=True)

    return codes(public_penalties()).union(codes(public_licences())).order_by("party_uscc")


def _entity_url(code: str) -> str:
    return reverse("publicity:entity", kwargs={"identifier": code})


def _record_type(
    kind: str, number: int, label: str, model: type[SgsRecord], documents: Any, public: Any, categories: Any
) -> SearchType:
    """The search type of one kind of 双公示 record: penalties and licences differ only in these arguments."""

    def load(ids: Sequence[str]) -> list[Any]:
        pks = [int(i) for i in ids if str(i).isdigit()]
        return list(model._default_manager.filter(pk__in=pks).select_related("agency__division"))

    return SearchType(
        code=kind,
        number=number,
        label=label,
        documents=documents,
        public_objects=lambda: public().select_related("agency__division").order_by("pk"),
        load=load,
        url=page_url("publicity:record", kind=kind),
        categories=tuple((str(v), str(name)) for v, name in categories),
        order=number * 10,
        hit_template="publicity/_search_hit.html",
        entity_url=_entity_url,
    )


register(
    SearchType(
        code="entity",
        number=3,
        label="信用主体",
        documents=_entity_documents,
        public_objects=_all_entities,
        load=lambda codes: list(codes),
        url=_entity_url,
        object_id=str,
        order=5,
        hit_template="publicity/_search_entity.html",
        entity_url=_entity_url,
    )
)
register(
    _record_type("penalty", 1, "行政处罚", PenaltyRecord, _penalty_documents, public_penalties, PenaltyKind.choices)
)
register(
    _record_type("licence", 2, "行政许可", LicenceRecord, _licence_documents, public_licences, LicenceCategory.choices)
)

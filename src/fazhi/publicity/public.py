"""The publication layer: what the public may see of a record, in one place.

Pages, the API, exports and the change feed all call :func:`public_view`, so masking cannot differ between them:
natural persons' ID numbers keep at most the first 6 and last 4 characters, legal representatives' ID numbers
are never published, and nothing like an address or a phone number is stored or shown — an ID or mobile number
typed into free text (违法事实, 备注, …) is masked too (``core.identifiers.mask_identifiers_in_text``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from fazhi.core.identifiers import mask_id_number, mask_identifiers_in_text

from .choices import PartyCategory, RecordStatus
from .models import LicenceRecord, PenaltyRecord, SgsRecord

_COMMON = (
    "party_name",
    "party_category",
    "party_uscc",
    "party_reg_no",
    "party_org_code",
    "party_tax_no",
    "party_institution_no",
    "party_social_org_no",
    "legal_rep",
    "doc_number",
    "decided_on",
    "decision_agency_name",
    "decision_agency_uscc",
    "source_agency_name",
    "source_agency_uscc",
    "remarks",
    "status",
    "published_on",
)
_PENALTY = (
    "violation_type",
    "facts",
    "basis",
    "kinds",
    "content",
    "fine_wan",
    "confiscation_wan",
    "licence_affected",
    "valid_until",
    "severity",
    "publicity_min_end",
    "publicity_max_end",
)
_LICENCE = (
    "doc_title",
    "category",
    "category_other",
    "certificate_name",
    "licence_number",
    "content",
    "valid_from",
    "valid_until",
)


# Free-text fields, where a clerk may type an ID or phone number (found by tests/reliability: they were published).
_FREE_TEXT = frozenset(
    {
        "party_name",
        "legal_rep",
        "remarks",
        "violation_type",
        "facts",
        "basis",
        "content",
        "doc_title",
        "certificate_name",
        "category_other",
    }
)


def record_type(record: SgsRecord) -> str:
    return "penalty" if isinstance(record, PenaltyRecord) else "licence"


def public_view(record: SgsRecord) -> dict[str, Any]:
    """The record as the public sees it: JSON-ready, masked."""
    names = _COMMON + (_PENALTY if isinstance(record, PenaltyRecord) else _LICENCE)
    data: dict[str, Any] = {"id": record.pk, "type": record_type(record)}
    for name in names:
        value = getattr(record, name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif value is not None and name.endswith("_wan"):
            value = str(value)
        elif name in _FREE_TEXT:
            value = mask_identifiers_in_text(value)
        data[name] = value
    data["party_category_label"] = PartyCategory(record.party_category).label
    data["party_id_type"] = record.party_id_type
    data["party_id_number"] = mask_id_number(record.party_id_number)
    if record.party_category == PartyCategory.NATURAL:
        data["legal_rep"] = ""
    return data


def mask_public_text(record: Any) -> Any:
    """For pages that render a record instance itself: its free text masked like :func:`public_view` does, on this
    in-memory instance only (it is never saved; services always load their own copy)."""
    if record is not None:
        for name in _FREE_TEXT:
            if hasattr(record, name):
                setattr(record, name, mask_identifiers_in_text(getattr(record, name)))
    return record


def staff_view(record: SgsRecord, *, full_ids: bool) -> dict[str, Any]:
    """The owning agency's staff view: everything, with full ID numbers only for those allowed to see them."""
    data = public_view(record)
    data["agency_id"] = record.agency_id
    data["withdrawn_on"] = record.withdrawn_on.isoformat() if record.withdrawn_on else None
    data["withdraw_reason"] = record.withdraw_reason
    data["revoked_on"] = record.revoked_on.isoformat() if record.revoked_on else None
    data["withdrawn_late"] = record.withdrawn_late
    data["publish_due"] = record.publish_due.isoformat() if record.publish_due else None
    data["published_late"] = record.published_late
    id_number = record.party_id_number if full_ids else mask_id_number(record.party_id_number)
    rep_number = record.legal_rep_id_number if full_ids else mask_id_number(record.legal_rep_id_number)
    data["party_id_number"] = id_number
    if full_ids:  # the owning agency's staff see the text as filed
        for name in _FREE_TEXT.intersection(data):
            data[name] = getattr(record, name)
    data["legal_rep_id_type"] = record.legal_rep_id_type
    data["legal_rep_id_number"] = rep_number
    return data


def public_penalties(today: dt.date | None = None) -> QuerySet[PenaltyRecord]:
    """Penalties in their publicity window today (whether or not the expiry job has run yet)."""
    today = today or timezone.localdate()
    return PenaltyRecord.objects.filter(status=RecordStatus.PUBLISHED).filter(
        Q(publicity_max_end__isnull=True) | Q(publicity_max_end__gte=today)
    )


def public_licences() -> QuerySet[LicenceRecord]:
    return LicenceRecord.objects.filter(status=RecordStatus.PUBLISHED)

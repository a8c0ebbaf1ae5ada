"""Reads of 双公示 records: public (through the publication layer) and staff (scoped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from fazhi.core.identifiers import fold
from fazhi.core.permissions import PUBLICITY_VIEW
from fazhi.org import scope
from fazhi.org.models import Agency

from .choices import RecordStatus, RepairStatus
from .models import Change, CreditRepair, LicenceRecord, PenaltyRecord
from .public import mask_public_text, public_licences, public_penalties
from .services import MODELS


@dataclass
class EntityProfile:
    uscc: str
    name: str
    penalties: list[PenaltyRecord]
    licences: list[LicenceRecord]
    history: list[Any] | None = None  # staff only: every record in scope, whatever its state


def _entity_filter(identifier: str) -> Q:
    key = fold(identifier).upper()
    if len(key) == 18 and key[:2].isalnum():
        return Q(party_uscc=key)
    return Q(party_name=identifier.strip())


def entity_profile(identifier: str, *, user: Any = None, today: dt.date | None = None) -> EntityProfile | None:
    """One entity by 统一社会信用代码 (or exact name for those without one): what is public now, and for staff
    of the owning agencies, the full history including withdrawn, expired and repaired records."""
    condition = _entity_filter(identifier)
    penalties = [
        mask_public_text(r) for r in public_penalties(today).filter(condition).order_by("-decided_on", "-id")[:500]
    ]
    licences = [mask_public_text(r) for r in public_licences().filter(condition).order_by("-decided_on", "-id")[:500]]
    history = None
    if user is not None and getattr(user, "is_authenticated", False):
        scoped_p = scope.restrict(PenaltyRecord.objects.filter(condition), user, PUBLICITY_VIEW)
        scoped_l = scope.restrict(LicenceRecord.objects.filter(condition), user, PUBLICITY_VIEW)
        history = [*scoped_p.order_by("-decided_on")[:500], *scoped_l.order_by("-decided_on")[:500]]
    if not penalties and not licences and not history:
        return None
    sample = (penalties or licences or history or [None])[0]
    key = fold(identifier).upper()
    return EntityProfile(
        uscc=sample.party_uscc if sample is not None else key,
        name=sample.party_name if sample is not None else identifier,
        penalties=penalties,
        licences=licences,
        history=history,
    )


def public_record(kind: str, pk: int, today: dt.date | None = None) -> Any:
    qs = public_penalties(today) if kind == "penalty" else public_licences()
    return mask_public_text(qs.filter(pk=pk).select_related("agency__division").first())


def records_for(user: Any, kind: str, *, q: str = "", status: str = "") -> QuerySet[Any]:
    qs = scope.restrict(MODELS[kind].objects.select_related("agency__division"), user, PUBLICITY_VIEW)
    if q:
        key = fold(q).upper()
        qs = qs.filter(
            Q(party_name__contains=q.strip()) | Q(party_uscc=key) | Q(doc_number_key=key) | Q(doc_number=q.strip())
        )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-decided_on", "-id")


def record_for(user: Any, kind: str, pk: int) -> Any:
    return scope.get_scoped_or_404(MODELS[kind].objects.select_related("agency__division"), user, PUBLICITY_VIEW, pk=pk)


def changes_after(after: int, limit: int) -> list[Change]:
    return list(Change.objects.filter(seq__gt=after).order_by("seq")[:limit])


def repairs_for(user: Any, *, status: str = "") -> QuerySet[CreditRepair]:
    qs = scope.restrict(CreditRepair.objects.select_related("record__agency"), user, PUBLICITY_VIEW)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("review_due", "id")


@dataclass
class QualityRow:
    agency_id: int
    agency_name: str
    submitted: int
    on_time: int
    late: int
    withdrawn: int
    overdue_unknown: int
    rows_read: int = 0
    rows_rejected: int = 0

    @property
    def on_time_rate(self) -> float | None:
        known = self.on_time + self.late
        return round(self.on_time / known, 4) if known else None

    @property
    def error_rate(self) -> float | None:
        """Share of rows in this agency's imported files that were rejected."""
        return round(self.rows_rejected / self.rows_read, 4) if self.rows_read else None


def quality_for(user: Any, *, year: int | None = None, everything: bool = False) -> list[QualityRow]:
    """Per agency: records submitted, published on time (within 7 working days) or late, withdrawn."""
    rows: dict[int, QualityRow] = {}
    for model in (PenaltyRecord, LicenceRecord):
        qs = model.objects.all() if everything else scope.restrict(model.objects.all(), user, PUBLICITY_VIEW)
        if year:
            qs = qs.filter(decided_on__year=year)
        for item in qs.values("agency_id").annotate(
            n=Count("id"),
            late=Count("id", filter=Q(published_late=True)),
            unknown=Count("id", filter=Q(publish_due__isnull=True)),
            withdrawn=Count("id", filter=Q(status=RecordStatus.WITHDRAWN)),
        ):
            row = rows.setdefault(item["agency_id"], QualityRow(item["agency_id"], "", 0, 0, 0, 0, 0))
            row.submitted += item["n"]
            row.late += item["late"]
            row.overdue_unknown += item["unknown"]
            row.on_time += item["n"] - item["late"] - item["unknown"]
            row.withdrawn += item["withdrawn"]
    from fazhi.ingest.models import ImportRun

    runs = ImportRun.objects.filter(agency__isnull=False)
    if not everything:
        runs = scope.restrict(runs, user, PUBLICITY_VIEW)
    if year:
        runs = runs.filter(started_at__year=year)
    totals = runs.values("agency_id").annotate(read=Sum("rows_read"), rejected_rows=Sum("rejected"))
    for agency_id, read, rejected in totals.values_list("agency_id", "read", "rejected_rows"):
        row = rows.setdefault(agency_id, QualityRow(agency_id, "", 0, 0, 0, 0, 0))
        row.rows_read += read or 0
        row.rows_rejected += rejected or 0
    names = dict(Agency.objects.filter(pk__in=rows).values_list("pk", "name"))
    for row in rows.values():
        row.agency_name = names.get(row.agency_id, "")
    return sorted(rows.values(), key=lambda r: (-r.submitted, r.agency_name))


def pending_repairs_count(user: Any) -> int:
    return repairs_for(user, status=RepairStatus.SUBMITTED).count()


def totals() -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "penalties": public_penalties(today).count(),
        "licences": public_licences().count(),
        "fines_wan": public_penalties(today).aggregate(s=Sum("fine_wan"))["s"],
    }


def sees_full_ids(user: Any, record: Any) -> bool:
    """Full ID numbers of natural persons are for the owning agency's staff only: people of that agency (or of an
    agency above it), or holders of an agency-level grant covering it. A division-wide supervisor sees them masked."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    agency_path = record.agency.path
    staff = getattr(user, "staff", None)
    if (
        staff is not None
        and agency_path.startswith(staff.agency.path)
        and scope.has_permission_anywhere(user, PUBLICITY_VIEW)
    ):
        return True
    return any(agency_path.startswith(p) for p in scope.jurisdiction(user, PUBLICITY_VIEW).agency_paths)

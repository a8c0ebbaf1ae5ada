"""Reads of the enforcement module: staff reads (scoped with ``org.scope.restrict``), public reads (only public facts,
only what is in force), and the certificate-validity questions other modules ask.

``certificate_valid_on(officer, day)`` is the function the enforcement-case module uses to check that the two
officers of every investigative act held valid certificates on its date (行政处罚法第四十二条).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from fazhi.core.permissions import CERTIFICATE_MANAGE, ENFORCEMENT_MANAGE, ENFORCEMENT_VIEW
from fazhi.org import scope

from . import lifecycle
from .choices import CertificateStatus, PowerCategory, PowerStatus
from .models import Certificate, CertificateEvent, Domain, EnforcementBody, Officer, PowerAdjustment, PowerItem
from .numbers import normalise_number
from .services import power_state

EVENTS = Prefetch("events", queryset=CertificateEvent.objects.order_by("on", "id"))


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# --- validity: the questions other modules ask ----------------------------------------------------------------------


def valid_certificate_on(officer: Officer | int, day: dt.date) -> Certificate | None:
    """The certificate ``officer`` could enforce with on ``day``, or None. Exact for any past day: it replays the
    certificates' dated events (see ``lifecycle.validity_on``)."""
    officer_id = officer if isinstance(officer, int) else officer.pk
    candidates = (
        Certificate.objects.filter(officer_id=officer_id, issued_on__lte=day, expires_on__gte=day)
        .select_related("rule")
        .prefetch_related(EVENTS)
        .order_by("-issued_on", "-id")
    )
    for certificate in candidates:
        if lifecycle.validity_on(certificate, day).valid:
            return certificate
    return None


def certificate_valid_on(officer: Officer | int, day: dt.date) -> bool:
    """Whether ``officer`` held a valid enforcement certificate on ``day``."""
    return valid_certificate_on(officer, day) is not None


def officer_validity_on(officer: Officer, day: dt.date) -> lifecycle.Validity:
    """Like :func:`certificate_valid_on`, with the reason when not: the state on ``day`` of the officer's latest
    certificate issued by then (暂扣, 已过期, 未按期年审 …), or 无执法证件."""
    valid = valid_certificate_on(officer, day)
    if valid is not None:
        return lifecycle.validity_on(valid, day)
    latest = (
        Certificate.objects.filter(officer=officer, issued_on__lte=day)
        .select_related("rule")
        .prefetch_related(EVENTS)
        .order_by("-issued_on", "-id")
        .first()
    )
    if latest is None:
        return lifecycle.Validity(False, "no_certificate", "无执法证件")
    return lifecycle.validity_on(latest, day)


def valid_certificates(today: dt.date | None = None) -> QuerySet[Certificate]:
    """Certificates valid on ``today`` (one query; agrees with ``validity_on`` because ``status`` and
    ``review_due`` are what the latest event left, and events are never dated after today)."""
    day = _today(today)
    return Certificate.objects.filter(status=CertificateStatus.ACTIVE, issued_on__lte=day, expires_on__gte=day).filter(
        Q(review_due__isnull=True) | Q(review_due__gte=day)
    )


# --- public reads -------------------------------------------------------------------------------------------------


def _division_prefix(code: str) -> str:
    """The code prefix of a division and everything in it: 14 for 140000, 1401 for 140100, 140105 itself."""
    code = code.strip()
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def public_bodies(*, q: str = "", domain: str = "", division: str = "") -> QuerySet[EnforcementBody]:
    qs = EnforcementBody.objects.filter(is_active=True).select_related("division", "agency")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(uscc=q.upper()))
    if domain:
        qs = qs.filter(domains__code=domain)
    if division:
        qs = qs.filter(division__code__startswith=_division_prefix(division))
    return qs.prefetch_related("domains").distinct().order_by("division__code", "name")


def public_body(pk: int) -> EnforcementBody | None:
    return public_bodies().filter(pk=pk).first()


def public_officers(
    *, q: str = "", body: int | None = None, domain: str = "", today: dt.date | None = None
) -> QuerySet[Certificate]:
    """Officers holding a certificate valid today, as their certificates (number, name, body, domains)."""
    qs = valid_certificates(today).select_related("officer__body__division")
    if q:
        number = normalise_number(q)
        qs = qs.filter(Q(officer__name__contains=q.strip()) | Q(number=number))
    if body:
        qs = qs.filter(officer__body_id=body)
    if domain:
        qs = qs.filter(domains__code=domain)
    return (
        qs.filter(officer__body__is_active=True)
        .prefetch_related("domains")
        .distinct()
        .order_by("officer__body__division__code", "officer__body__name", "officer__name", "id")
    )


def public_officer(pk: int, today: dt.date | None = None) -> Certificate | None:
    """An officer's public page: their certificate valid today (None: not public)."""
    return public_officers(today=today).filter(officer_id=pk).first()


def certificate_by_number(number: str) -> Certificate | None:
    """An issued certificate by its number, whatever its state (the verification page shows every state)."""
    return (
        Certificate.objects.filter(number=normalise_number(number))
        .select_related("officer__body__agency", "rule")
        .prefetch_related("domains", EVENTS)
        .first()
    )


def public_power_items(
    *, body: int | None = None, category: str = "", domain: str = "", q: str = "", random_only: bool = False
) -> QuerySet[PowerItem]:
    """The current power list (items in force), filtered."""
    qs = PowerItem.objects.filter(status=PowerStatus.IN_FORCE, body__is_active=True).select_related(
        "body__division", "domain"
    )
    if body:
        qs = qs.filter(body_id=body)
    if category:
        qs = qs.filter(category=category)
    if domain:
        qs = qs.filter(domain__code=domain)
    if q:
        qs = qs.filter(Q(name__contains=q.strip()) | Q(code=q.strip()))
    if random_only:
        qs = qs.filter(random_inspection=True, category=PowerCategory.INSPECTION)
    return qs.order_by("body__division__code", "body__name", "category", "code")


def public_power_item(pk: int) -> PowerItem | None:
    return PowerItem.objects.filter(pk=pk).select_related("body__division", "domain").first()


@dataclass(frozen=True)
class PowerRow:
    """One item of a power list as of some day (from the adjustment in force for it on that day)."""

    item_id: int
    code: str
    name: str
    category: str
    legal_basis: str
    domain_name: str
    random_inspection: bool
    inspection_scope: str
    body_id: int
    body_name: str
    since: dt.date  # effective date of the adjustment that gave this state

    @property
    def category_label(self) -> str:
        return str(PowerCategory(self.category).label)

    @classmethod
    def of(cls, item: PowerItem) -> PowerRow:
        """The same row for an item of the current list."""
        return cls.from_state(item.pk, power_state(item), item.effective_on)

    @classmethod
    def of_adjustment(cls, adjustment: PowerAdjustment) -> PowerRow:
        """The row an adjustment's ``after`` state gives (the item as it stood from its effective date)."""
        return cls.from_state(adjustment.item_id, adjustment.after or {}, adjustment.effective_on)

    @classmethod
    def from_state(cls, item_id: int, state: dict[str, Any], since: dt.date) -> PowerRow:
        return cls(
            item_id=item_id,
            code=state["code"],
            name=state["name"],
            category=state["category"],
            legal_basis=state["legal_basis"],
            domain_name=state["domain_name"],
            random_inspection=state["random_inspection"],
            inspection_scope=state["inspection_scope"],
            body_id=state["body_id"],
            body_name=state["body_name"],
            since=since,
        )


def power_states_on(
    day: dt.date, *, body: int | None = None, category: str = "", q: str = "", random_only: bool = False
) -> QuerySet[PowerAdjustment]:
    """The power list as it stood on ``day``, derived only from the adjustments, in one query: for every item, its
    latest adjustment effective on or before ``day``, when that left it with a state (not cancelled) at ``body``
    (``PowerAdjustment.body`` is the responsible body from then on). Page it, then turn each into a
    :class:`PowerRow` with ``PowerRow.of_adjustment``."""
    latest = (
        PowerAdjustment.objects.filter(item=OuterRef("item"), effective_on__lte=day)
        .order_by("-effective_on", "-id")
        .values("pk")[:1]
    )
    # Key lookups on ``after`` (not KT annotations, which SQLite compares as JSON): the same on both databases.
    qs = PowerAdjustment.objects.filter(effective_on__lte=day, pk=Subquery(latest), after__isnull=False)
    if body:
        qs = qs.filter(body_id=body)
    if category:
        qs = qs.filter(after__category=category)
    if q:
        qs = qs.filter(Q(after__name__icontains=q.strip()) | Q(after__code=q.strip()))
    if random_only:
        qs = qs.filter(after__category=PowerCategory.INSPECTION, after__random_inspection=True)
    return qs.select_related("body__division").order_by(
        "body__division__code", "body__name", "after__category", "after__code", "item_id"
    )


def power_list_on(
    day: dt.date, *, body: int | None = None, category: str = "", q: str = "", random_only: bool = False
) -> list[PowerRow]:
    """:func:`power_states_on` as rows (``power_list_on(today)`` equals the current list)."""
    states = power_states_on(day, body=body, category=category, q=q, random_only=random_only)
    return [PowerRow.of_adjustment(a) for a in states]


_STATE_LABELS = {
    "code": "事项编码",
    "name": "事项名称",
    "category": "权力类别",
    "legal_basis": "设定依据",
    "domain_name": "执法领域",
    "random_inspection": "随机抽查",
    "inspection_scope": "抽查对象、比例与频次",
    "body_name": "实施主体",
}


def _shown(key: str, value: Any) -> str:
    if key == "category" and value in PowerCategory.values:
        return str(PowerCategory(value).label)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value or "—")


def state_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """(Chinese label, before, after) for each public field an adjustment changed."""
    if not before or not after:
        return []
    return [
        (label, _shown(key, before.get(key)), _shown(key, after.get(key)))
        for key, label in _STATE_LABELS.items()
        if before.get(key) != after.get(key)
    ]


def adjustments_of(item: PowerItem) -> list[tuple[PowerAdjustment, list[tuple[str, str, str]]]]:
    """An item's adjustments in date order, each with what it changed."""
    return [
        (a, state_changes(a.before, a.after))
        for a in item.adjustments.select_related("body").order_by("effective_on", "id")
    ]


def domains(*, in_use: bool = False) -> QuerySet[Domain]:
    """The 执法领域 code list; ``in_use``: only those of some body in force (what a public filter offers)."""
    if in_use:
        return Domain.objects.filter(bodies__is_active=True).distinct().order_by("sort", "number")
    return Domain.objects.all()


# --- staff reads (scoped) ------------------------------------------------------------------------------------------


def bodies_for(user: Any, *, q: str = "", permission: str = ENFORCEMENT_VIEW) -> QuerySet[EnforcementBody]:
    qs = scope.restrict(EnforcementBody.objects.select_related("division", "agency"), user, permission)
    if q:
        qs = qs.filter(name__contains=q.strip())
    return qs.prefetch_related("domains").order_by("division__code", "name")


def body_for(user: Any, pk: int) -> EnforcementBody:
    return scope.get_scoped_or_404(
        EnforcementBody.objects.select_related("division", "agency"), user, ENFORCEMENT_VIEW, pk=pk
    )


def manageable_bodies(user: Any) -> QuerySet[EnforcementBody]:
    """Bodies the user may add officers and power items to (and move items to)."""
    return bodies_for(user, permission=ENFORCEMENT_MANAGE).filter(is_active=True)


def officers_for(user: Any, *, q: str = "", body: int | None = None, status: str = "") -> QuerySet[Officer]:
    qs = scope.restrict(Officer.objects.select_related("body__division"), user, ENFORCEMENT_VIEW)
    if q:
        number = normalise_number(q)
        qs = qs.filter(Q(name__contains=q.strip()) | Q(certificates__number=number)).distinct()
    if body:
        qs = qs.filter(body_id=body)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("body__division__code", "body__name", "name", "id")


def officer_for(user: Any, pk: int) -> Officer:
    return scope.get_scoped_or_404(Officer.objects.select_related("body__division"), user, ENFORCEMENT_VIEW, pk=pk)


def certificates_of(officer: Officer) -> list[Certificate]:
    return list(officer.certificates.select_related("rule").prefetch_related("domains", EVENTS).order_by("-id"))


def certificate_for(user: Any, pk: int) -> Certificate:
    return scope.get_scoped_or_404(
        Certificate.objects.select_related("officer__body__division", "officer__body__agency", "rule").prefetch_related(
            "domains", EVENTS
        ),
        user,
        ENFORCEMENT_VIEW,
        pk=pk,
    )


def certificates_due(user: Any, *, within_days: int = 60, today: dt.date | None = None) -> QuerySet[Certificate]:
    """Certificates in the user's jurisdiction whose 年审 or expiry falls within ``within_days`` (or has passed
    while still 有效): what the certificate office works through."""
    day = _today(today)
    horizon = day + dt.timedelta(days=within_days)
    qs = scope.restrict(Certificate.objects.select_related("officer__body"), user, CERTIFICATE_MANAGE).filter(
        status=CertificateStatus.ACTIVE
    )
    return qs.filter(Q(review_due__lte=horizon) | Q(expires_on__lte=horizon)).order_by("review_due", "expires_on")


def power_items_for(
    user: Any, *, q: str = "", body: int | None = None, category: str = "", status: str = ""
) -> QuerySet[PowerItem]:
    qs = scope.restrict(PowerItem.objects.select_related("body__division", "domain"), user, ENFORCEMENT_VIEW)
    if q:
        qs = qs.filter(Q(name__contains=q.strip()) | Q(code=q.strip()))
    if body:
        qs = qs.filter(body_id=body)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("body__division__code", "body__name", "category", "code")


def power_item_for(user: Any, pk: int) -> PowerItem:
    return scope.get_scoped_or_404(
        PowerItem.objects.select_related("body__division", "domain"), user, ENFORCEMENT_VIEW, pk=pk
    )


def can(user: Any, permission: str, obj: Any) -> bool:
    """Whether ``user`` holds ``permission`` over ``obj`` (pages show a form only to those who may use it)."""
    division_path, agency_path = scope.location_of(obj)
    return scope.jurisdiction(user, permission).covers(division_path=division_path, agency_path=agency_path)


def counts_for(user: Any) -> dict[str, int]:
    """Figures for the staff home page."""
    officers = officers_for(user)
    by_status: dict[str, int] = defaultdict(int)
    certificates = scope.restrict(Certificate.objects.all(), user, ENFORCEMENT_VIEW)
    for row in certificates.order_by().values("status").annotate(n=Count("id")):
        by_status[row["status"]] = row["n"]
    return {
        "bodies": bodies_for(user).count(),
        "officers": officers.count(),
        "valid": scope.restrict(valid_certificates(), user, ENFORCEMENT_VIEW).count(),
        "pending": by_status[CertificateStatus.APPLIED] + by_status[CertificateStatus.EXAM_PASSED],
        "suspended": by_status[CertificateStatus.SUSPENDED],
        "powers": power_items_for(user, status=PowerStatus.IN_FORCE).count(),
    }

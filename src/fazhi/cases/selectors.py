"""Reads of the cases module, scoped with ``org.scope.restrict``: a case outside the user's jurisdiction answers
404 exactly like a missing one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from fazhi.clock.choices import DeadlineStatus
from fazhi.clock.models import ClockRun
from fazhi.clock.selectors import runs_for
from fazhi.core.errors import FazhiError
from fazhi.core.permissions import CASE_HANDLE, CASE_VIEW
from fazhi.enforcement import selectors as enforcement_selectors
from fazhi.enforcement.choices import OfficerStatus
from fazhi.enforcement.models import EnforcementBody, Officer
from fazhi.org import scope
from fazhi.org.models import Agency, Staff

from . import lifecycle
from .models import (
    Attachment,
    CaseRecord,
    CaseRecordOfficer,
    EnforcementCase,
    LegalQualification,
    LegalReview,
    MajorItem,
)


def cases_for(user: Any, *, q: str = "", status: str = "") -> QuerySet[EnforcementCase]:
    qs = scope.restrict(EnforcementCase.objects.select_related("agency", "body"), user, CASE_VIEW)
    if q:
        qs = qs.filter(Q(number__contains=q) | Q(title__contains=q) | Q(party_name__contains=q))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-filed_on", "-id")


def case_for(user: Any, pk: int) -> EnforcementCase:
    return scope.get_scoped_or_404(
        EnforcementCase.objects.select_related("agency__division", "body", "penalty_record"), user, CASE_VIEW, pk=pk
    )


def attachment_for(user: Any, pk: int) -> Attachment:
    return scope.get_scoped_or_404(Attachment.objects.select_related("record__case"), user, CASE_VIEW, pk=pk)


def can(user: Any, permission: str, obj: Any) -> bool:
    try:
        scope.require(user, permission, obj)
    except FazhiError:  # NotFound / Forbidden: either way, not allowed
        return False
    return True


def bodies_for_filing(user: Any) -> QuerySet[EnforcementBody]:
    """Active bodies whose agency is inside the user's 办案 jurisdiction."""
    juris = scope.jurisdiction(user, CASE_HANDLE)
    if juris.empty:
        return EnforcementBody.objects.none()
    q = juris.q(scope.ScopeSpec(division="agency__division__path", agency="agency__path"))
    return EnforcementBody.objects.filter(is_active=True, agency__isnull=False).filter(q).select_related("agency")


def officers_of(case: EnforcementCase) -> QuerySet[Officer]:
    return Officer.objects.filter(body_id=case.body_id, status=OfficerStatus.ON_DUTY).order_by("name", "id")


def major_items_of(case: EnforcementCase) -> QuerySet[MajorItem]:
    """The agency's list as it stood on the filing date."""
    return MajorItem.objects.filter(agency_id=case.agency_id, valid_from__lte=case.filed_on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=case.filed_on)
    )


def timeline(case: EnforcementCase) -> list[CaseRecord]:
    return list(
        case.records.order_by("on", "id").prefetch_related(
            Prefetch("officers", queryset=CaseRecordOfficer.objects.select_related("officer")),
            "attachments",
        )
    )


def reviews_of(case: EnforcementCase) -> list[LegalReview]:
    return list(case.reviews.select_related("qualification").order_by("submitted_on", "id"))


@dataclass(frozen=True)
class Clock:
    run: ClockRun
    status: DeadlineStatus

    @property
    def name(self) -> str:
        return self.run.time_limit.name


def clocks_of(case: EnforcementCase, today: dt.date | None = None) -> list[Clock]:
    """Every statutory clock of the case and its status (the clock module's own)."""
    today = today or timezone.localdate()
    return [Clock(run, run.deadline_status(today)) for run in runs_for(case)]


def decide_limit_note(case: EnforcementCase) -> str:
    """Why a penalty case has no 90-day clock (filed before the 2021 law took effect)."""
    from fazhi.clock.models import resolve_time_limit
    from fazhi.core.errors import NotFound

    if case.kind != "penalty":
        return ""
    try:
        resolve_time_limit(lifecycle.DECIDE_LIMIT, case.filed_on)
    except NotFound:
        return "立案时施行的行政处罚法（2017年修正）未规定统一的办案期限；2021年修订后的九十日期限不适用于本案。"
    return ""


def officer_certificate(officer: Officer, on: dt.date) -> str:
    certificate = enforcement_selectors.valid_certificate_on(officer, on)
    return certificate.number or "" if certificate else ""


def major_items_for(user: Any) -> QuerySet[MajorItem]:
    return scope.restrict(MajorItem.objects.select_related("agency"), user, CASE_VIEW).order_by(
        "agency__name", "valid_from", "id"
    )


def qualifications_for(user: Any) -> QuerySet[LegalQualification]:
    return scope.restrict(LegalQualification.objects.select_related("agency", "user__staff"), user, CASE_VIEW).order_by(
        "agency__name", "-obtained_on"
    )


def agencies_with(user: Any, permission: str) -> QuerySet[Agency]:
    return scope.restrict(Agency.objects.filter(is_active=True), user, permission).order_by("name")


def staff_with(user: Any, permission: str) -> QuerySet[Staff]:
    return scope.restrict(Staff.objects.select_related("agency", "user"), user, permission).order_by(
        "agency__name", "name"
    )

"""Reads of the oversight module, scoped with ``org.scope``.

- A reviewer (``CASEFILE_REVIEW``) sees the campaigns organised in their jurisdiction, and the files of agencies in
  their jurisdiction in any campaign (so a county reviewer scores their county's files of a provincial campaign).
- An agency (``CASE_HANDLE`` over it) sees its own files' results once the campaign is in 反馈整改 or 完成.
- Statistics: staff with ``ENFORCEMENT_STATS`` over the agency; the public sees published snapshots only.
Anything else answers 404, like a missing record.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from fazhi.core.errors import FazhiError, NotFound
from fazhi.core.permissions import CASE_HANDLE, CASE_VIEW, CASEFILE_REVIEW, ENFORCEMENT_STATS
from fazhi.org import scope
from fazhi.org.models import Agency, Division

from . import lifecycle
from .choices import DeductionState, FileState, Rating
from .models import Campaign, CaseFileReview, Deduction, ReviewTemplate, StatisticsSnapshot

RELEASED = Q(campaign__state__in=list(lifecycle.RESULTS_VISIBLE_TO_AGENCY)) & ~Q(state=FileState.PENDING)


def files_for(user: Any) -> QuerySet[CaseFileReview]:
    """Every file the user may see: as a reviewer, or (released results) as the agency."""
    reviewer = scope.jurisdiction(user, CASEFILE_REVIEW)
    agency = scope.jurisdiction(user, CASE_HANDLE)
    if reviewer.empty and agency.empty:
        return CaseFileReview.objects.none()
    qs = CaseFileReview.objects.select_related("campaign", "case", "agency__division")
    if reviewer.everything:
        return qs
    spec = scope.spec_of(CaseFileReview)
    condition = Q(pk__in=[])
    if not reviewer.empty:
        condition |= reviewer.q(spec)
    if not agency.empty:
        condition |= agency.q(spec) & RELEASED
    return qs.filter(condition)


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    own = scope.restrict(Campaign.objects.all(), user, CASEFILE_REVIEW).values("pk")
    with_files = files_for(user).values("campaign_id")
    return (
        Campaign.objects.filter(Q(pk__in=own) | Q(pk__in=with_files))
        .select_related("organiser", "division", "template")
        .order_by("-year", "-id")
    )


def campaign_for(user: Any, pk: int) -> Campaign:
    found = campaigns_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def file_for(user: Any, pk: int) -> CaseFileReview:
    found = files_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def campaign_files(user: Any, campaign: Campaign) -> QuerySet[CaseFileReview]:
    return files_for(user).filter(campaign=campaign).order_by("agency__name", "case__number")


def _can(user: Any, permission: str, obj: Any) -> bool:
    try:
        scope.require(user, permission, obj)
    except FazhiError:
        return False
    return True


def can_manage(user: Any, campaign: Campaign) -> bool:
    return _can(user, CASEFILE_REVIEW, campaign)


def can_score(user: Any, review: CaseFileReview) -> bool:
    return (
        review.campaign.state in lifecycle.SCORING_STATES
        and review.state == FileState.PENDING
        and _can(user, CASEFILE_REVIEW, review)
    )


def can_correct(user: Any, review: CaseFileReview) -> bool:
    return (
        review.campaign.state in lifecycle.CORRECTION_STATES
        and review.state in (FileState.SUBMITTED, FileState.CORRECTED)
        and _can(user, CASE_HANDLE, review)
    )


def can_accept(user: Any, review: CaseFileReview) -> bool:
    return (
        review.campaign.state in lifecycle.CORRECTION_STATES
        and review.state == FileState.CORRECTED
        and _can(user, CASEFILE_REVIEW, review)
    )


def deductions_of(review: CaseFileReview) -> list[Deduction]:
    return list(review.deductions.select_related("item__section").order_by("source", "id"))


def templates() -> QuerySet[ReviewTemplate]:
    return ReviewTemplate.objects.filter(is_active=True).order_by("name", "-version")


def organisers_for(user: Any) -> QuerySet[Agency]:
    return scope.restrict(Agency.objects.filter(is_active=True), user, CASEFILE_REVIEW).order_by(
        "division__path", "name"
    )


def divisions_for(user: Any) -> QuerySet[Division]:
    juris = scope.jurisdiction(user, CASEFILE_REVIEW)
    if juris.empty:
        return Division.objects.none()
    if juris.everything:
        return Division.objects.order_by("path")
    condition = Q(pk__in=[])
    for path in juris.division_paths:
        condition |= Q(path__startswith=path)
    return Division.objects.filter(condition).order_by("path")


# --- results -------------------------------------------------------------------------------------------------------


@dataclass
class Tally:
    label: str
    files: int = 0
    scored: int = 0
    total: Decimal = Decimal("0")
    ratings: Counter[str] = field(default_factory=Counter)
    vetoed: int = 0
    corrected: int = 0

    @property
    def average(self) -> Decimal | None:
        return (self.total / self.scored).quantize(Decimal("0.1")) if self.scored else None

    def count(self, rating: str) -> int:
        return self.ratings.get(rating, 0)

    @property
    def per_rating(self) -> list[tuple[str, int]]:
        return [(str(label), self.ratings.get(value, 0)) for value, label in Rating.choices]


@dataclass
class Results:
    overall: Tally
    agencies: list[Tally]
    defects: list[tuple[str, int]]


def results(files: QuerySet[CaseFileReview]) -> Results:
    """Per agency and overall: files, average score, counts per rating, vetoed; most common defects."""
    overall = Tally("合计")
    by_agency: dict[int, Tally] = defaultdict(lambda: Tally(""))
    for f in files.select_related("agency").order_by("agency__name", "id"):
        t = by_agency[f.agency_id]
        t.label = f.agency.name
        for tally in (t, overall):
            tally.files += 1
            if f.state != FileState.PENDING and f.score is not None:
                tally.scored += 1
                tally.total += f.score
                tally.ratings[f.rating] += 1
                tally.vetoed += int(f.vetoed)
                tally.corrected += int(f.state in (FileState.CORRECTED, FileState.ACCEPTED))
    counter: Counter[str] = Counter()
    confirmed = Deduction.objects.filter(
        review__in=files.exclude(state=FileState.PENDING), state=DeductionState.CONFIRMED
    ).values_list("item__text", flat=True)
    for text in confirmed:
        counter[text] += 1
    return Results(overall=overall, agencies=list(by_agency.values()), defects=counter.most_common(10))


# --- statistics ----------------------------------------------------------------------------------------------------


def statistics_for(user: Any, *, year: int | None = None) -> QuerySet[StatisticsSnapshot]:
    qs = scope.restrict(StatisticsSnapshot.objects.select_related("agency__division"), user, ENFORCEMENT_STATS)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "agency__division__path", "agency__name")


def snapshot_for(user: Any, pk: int) -> StatisticsSnapshot:
    return scope.get_scoped_or_404(
        StatisticsSnapshot.objects.select_related("agency__division"), user, ENFORCEMENT_STATS, pk=pk
    )


def stats_agencies_for(user: Any) -> QuerySet[Agency]:
    return scope.restrict(Agency.objects.filter(is_active=True), user, ENFORCEMENT_STATS).order_by(
        "division__path", "name"
    )


def public_statistics(*, year: int | None = None) -> QuerySet[StatisticsSnapshot]:
    qs = StatisticsSnapshot.objects.filter(published_at__isnull=False).select_related("agency__division")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "agency__division__path", "agency__name")


def can_view_cases(user: Any, review: CaseFileReview) -> bool:
    return _can(user, CASE_VIEW, review.case)

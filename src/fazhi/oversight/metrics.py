"""案卷评查 figures for dashboards and the annual report (``reports.registry``), in the ``cases`` group: the files of
campaigns of the year, by the division of the agency whose case was reviewed; only scored files count."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from fazhi.core.permissions import CASEFILE_REVIEW
from fazhi.reports.registry import Metric, register

from .choices import FileState, Rating
from .models import CaseFileReview


def _scored(division: Any, year: int) -> QuerySet[CaseFileReview]:
    return (
        CaseFileReview.objects.filter(agency__division__path__startswith=division.path, campaign__year=year)
        .exclude(state=FileState.PENDING)
        .select_related("agency", "case", "campaign")
        .order_by("-submitted_at", "-id")
    )


def _good_or_better(files: QuerySet[CaseFileReview]) -> QuerySet[CaseFileReview]:
    return files.filter(rating__in=[Rating.EXCELLENT, Rating.GOOD])


def _failed(division: Any, year: int) -> QuerySet[CaseFileReview]:
    return _scored(division, year).filter(rating=Rating.FAIL)


_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("评查活动", lambda f: f.campaign.name),
    ("案号", lambda f: f.case.number),
    ("办案机关", lambda f: f.agency.name),
    ("得分", lambda f: f.score),
    ("等次", lambda f: f.get_rating_display()),
    ("一票否决", lambda f: "是" if f.vetoed else "否"),
)


def _metric(code: str, title: str, unit: str, definition: str, order: int, **kwargs: Any) -> None:
    register(
        Metric(
            code=f"oversight.{code}",
            title=title,
            unit=unit,
            definition=definition,
            group="cases",
            permission=CASEFILE_REVIEW,
            columns=_COLUMNS,
            record_url=lambda f: reverse("oversight:file", args=[f.pk]),
            order=order,
            **kwargs,
        )
    )


_metric(
    "files_scored",
    "评查案卷数",
    "件",
    "年度评查活动中已评分的案卷数（按被评查案件的办案机关所在区划）。",
    60,
    records=_scored,
    public=True,
)
_metric(
    "good_rate",
    "案卷优良率",
    "%",
    "年度评查活动中已评分案卷里评为优秀、良好的比例。",
    70,
    records=_scored,
    numerator=_good_or_better,
    public=True,
    chart=True,
)
_metric(
    "files_failed",
    "不合格案卷数",
    "件",
    "年度评查活动中评为不合格（含一票否决）的案卷数。",
    80,
    records=_failed,
    public=True,
)

"""The figures of enforcement cases for dashboards and the annual report (``reports.registry``).

A case belongs to the division of its 办案机关; the year is the year of the date each figure names (filing,
decision).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from fazhi.core.permissions import CASE_VIEW
from fazhi.reports.registry import Metric, MetricGroup, register, register_group

from .choices import Outcome, ReviewResult
from .models import EnforcementCase, LegalReview

register_group(
    MetricGroup(
        code="cases",
        title="行政执法案件与案卷评查",
        order=30,
        description="执法全过程记录、重大执法决定法制审核、执法决定按期公示，以及案卷评查结果。",
    )
)


def _cases(division: Any) -> QuerySet[EnforcementCase]:
    return EnforcementCase.objects.filter(agency__division__path__startswith=division.path).select_related("agency")


def _filed(division: Any, year: int) -> QuerySet[EnforcementCase]:
    return _cases(division).filter(filed_on__year=year).order_by("-filed_on", "-id")


def _decided(division: Any, year: int) -> QuerySet[EnforcementCase]:
    return _cases(division).filter(decided_on__year=year).order_by("-decided_on", "-id")


def _penalties(division: Any, year: int) -> QuerySet[EnforcementCase]:
    return _decided(division, year).filter(outcome=Outcome.PENALTY)


def _reviewed(division: Any, year: int) -> QuerySet[EnforcementCase]:
    approved = LegalReview.objects.filter(case=OuterRef("pk"), result=ReviewResult.APPROVED)
    return _decided(division, year).filter(Exists(approved))


def _to_publish(division: Any, year: int) -> QuerySet[EnforcementCase]:
    """Decisions whose publication deadline has been met or missed: published, or past due and not published."""
    due = Q(published_on__isnull=False) | Q(publish_due__lt=timezone.localdate())
    return _decided(division, year).filter(publish_due__isnull=False).filter(due)


def _published_on_time(cases: QuerySet[EnforcementCase]) -> QuerySet[EnforcementCase]:
    return cases.filter(publish_met=True)


_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("案号", lambda c: c.number),
    ("案由", lambda c: c.title),
    ("办案机关", lambda c: c.agency.name),
    ("立案日期", lambda c: c.filed_on),
    ("决定日期", lambda c: c.decided_on or "—"),
    ("状态", lambda c: c.get_status_display()),
    ("按期公示", lambda c: {True: "按期", False: "超期", None: "—"}[c.publish_met]),
)


def _metric(code: str, title: str, definition: str, order: int, unit: str = "件", **kwargs: Any) -> None:
    register(
        Metric(
            code=f"cases.{code}",
            title=title,
            unit=unit,
            definition=definition,
            group="cases",
            permission=CASE_VIEW,
            columns=_COLUMNS,
            record_url=lambda c: reverse("cases:detail", args=[c.pk]),
            order=order,
            **kwargs,
        )
    )


_metric(
    "filed",
    "立案数",
    "年度内立案的行政执法案件数（按立案日期，含行政处罚与其他执法案件）。",
    10,
    records=_filed,
    public=True,
    chart=True,
)
_metric(
    "penalty_decisions",
    "行政处罚决定数",
    "年度内作出给予行政处罚决定的案件数（按决定日期）。",
    20,
    records=_penalties,
    public=True,
)
_metric(
    "legal_reviews",
    "经法制审核的执法决定数",
    "年度内作出决定、且决定前经具有法律职业资格的审核人员法制审核通过的案件数（重大执法决定法制审核制度）。",
    30,
    records=_reviewed,
    public=True,
)
_metric(
    "published_on_time_rate",
    "执法决定按期公示率",
    "年度内作出的执法决定中，已公示或已过公示期限的决定里按期公示的比例（逾期未公示的计为未按期）：行政处罚自"
    "决定之日起 7 个工作日内、其他执法决定 20 个工作日内（时限取自“计算法定期限”模块）。",
    40,
    unit="%",
    records=_to_publish,
    numerator=_published_on_time,
    public=True,
    chart=True,
)

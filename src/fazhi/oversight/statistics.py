"""Annual enforcement statistics (年度行政执法数据): the figures, defined once, computed from the records.

Each metric has a key, a Chinese title, a unit and a note saying where it comes from. ``compute(agency, year)`` reads
the 双公示 records (``publicity``) and the cases (``cases``) of one agency for one calendar year; nothing is typed in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from fazhi.cases.choices import CaseAction, CaseKind, CaseStatus, Outcome, ReviewResult
from fazhi.cases.models import CaseRecord, EnforcementCase, LegalReview
from fazhi.org.models import Agency
from fazhi.publicity.choices import RecordStatus
from fazhi.publicity.models import LicenceRecord, PenaltyRecord

NO_RECORDS = "本系统尚无此类记录"


@dataclass(frozen=True)
class Metric:
    key: str
    title: str
    unit: str
    note: str


METRICS: list[Metric] = [
    Metric("licences", "行政许可", "件", "双公示行政许可记录，按决定日期（不含已撤回的）"),
    Metric("penalties", "行政处罚", "件", "双公示行政处罚记录，按决定日期（不含已撤回的）"),
    Metric("fines_total", "罚没款金额", "元", "双公示行政处罚记录的罚款金额合计"),
    Metric("penalty_cases", "行政处罚案件（作出处罚决定）", "件", "本系统办理的行政处罚案件，按决定日期"),
    Metric("no_penalty_cases", "不予行政处罚决定", "件", "本系统办理的行政处罚案件，按决定日期"),
    Metric("coercion", "行政强制", "件", NO_RECORDS + "（案件类别未单列行政强制，合计见“其他执法决定”）"),
    Metric("inspection", "行政检查", "件", NO_RECORDS + "（案件类别未单列行政检查，合计见“其他执法决定”）"),
    Metric("other_cases", "其他执法决定（行政强制、行政检查等）", "件", "本系统办理的其他执法案件，按决定日期"),
    Metric("cases_filed", "立案", "件", "本系统办理的案件，按立案日期"),
    Metric("legal_reviews", "法制审核", "件", "按审核日期（含审核通过与退回）"),
    Metric("hearings", "听证", "件", "举行听证的记录，按听证日期"),
]
TITLES = {m.key: m.title for m in METRICS}


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def deadline(year: int) -> dt.date:
    """Publish the previous year's data by 31 January (国办发〔2018〕118号, DOMAIN §2.1)."""
    return dt.date(year + 1, 1, 31)


def compute(agency: Agency, year: int) -> dict[str, Any]:
    start, end = year_range(year)
    licences = LicenceRecord.objects.filter(agency=agency, decided_on__range=(start, end)).exclude(
        status=RecordStatus.WITHDRAWN
    )
    penalties = PenaltyRecord.objects.filter(agency=agency, decided_on__range=(start, end)).exclude(
        status=RecordStatus.WITHDRAWN
    )
    fine_wan = penalties.aggregate(total=Sum("fine_wan"))["total"] or Decimal("0")
    decided = EnforcementCase.objects.filter(agency=agency, decided_on__range=(start, end))
    filed = EnforcementCase.objects.filter(agency=agency, filed_on__range=(start, end))
    by_state = {
        row["status"]: row["n"] for row in filed.order_by().values("status").annotate(n=Count("id")).order_by("status")
    }
    values: dict[str, Any] = {
        "licences": licences.count(),
        "penalties": penalties.count(),
        "fines_total": str((fine_wan * 10000).quantize(Decimal("0.01"))),
        "penalty_cases": decided.filter(kind=CaseKind.PENALTY, outcome=Outcome.PENALTY).count(),
        "no_penalty_cases": decided.filter(kind=CaseKind.PENALTY, outcome=Outcome.NO_PENALTY).count(),
        "coercion": 0,
        "inspection": 0,
        "other_cases": decided.filter(kind=CaseKind.OTHER).count(),
        "cases_filed": filed.count(),
        "legal_reviews": LegalReview.objects.filter(
            case__agency=agency,
            decided_on__range=(start, end),
            result__in=[ReviewResult.APPROVED, ReviewResult.REJECTED],
        ).count(),
        "hearings": CaseRecord.objects.filter(
            case__agency=agency, action=CaseAction.HOLD_HEARING, on__range=(start, end)
        ).count(),
    }
    return {
        "values": values,
        "cases_by_state": {str(CaseStatus(k).label): v for k, v in by_state.items()},
    }


def rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures as display rows, in the metrics' order."""
    values = figures.get("values", {})
    return [
        {"key": m.key, "title": m.title, "unit": m.unit, "note": m.note, "value": values.get(m.key, 0)} for m in METRICS
    ]

"""双公示 figures (``reports.registry``): records published, on time and late, withdrawn, and credit repairs, per kind;
and ``publicity.records_published``, the figure annual reports quote (“双公示信息 1214 万条”): licences and penalties
together, by the same definition as the two per-kind counts, so it is always their sum.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from fazhi.core.permissions import PUBLICITY_VIEW
from fazhi.reports import registry
from fazhi.reports.registry import Metric, MetricGroup, register, register_group

from .choices import RecordStatus, RepairStatus
from .models import CreditRepair, LicenceRecord, PenaltyRecord

register_group(
    MetricGroup(
        code="publicity",
        title="双公示",
        order=10,
        description="行政许可、行政处罚信息自作出决定之日起 7 个工作日内公示（国办发〔2015〕51号）。",
    )
)

_MODELS: dict[str, Any] = {"PenaltyRecord": PenaltyRecord, "LicenceRecord": LicenceRecord}


def _decided(model_name: str) -> Any:
    def records(division: Any, year: int) -> QuerySet[Any]:
        return (
            _MODELS[model_name]
            .objects.filter(agency__division__path__startswith=division.path, decided_on__year=year)
            .exclude(status=RecordStatus.NOT_PUBLISHED)
            .select_related("agency")
            .order_by("-decided_on", "-id")
        )

    return records


def _with_deadline(model_name: str) -> Any:
    decided = _decided(model_name)

    def records(division: Any, year: int) -> QuerySet[Any]:
        return decided(division, year).filter(publish_due__isnull=False)

    return records


def _late(model_name: str) -> Any:
    with_deadline = _with_deadline(model_name)

    def records(division: Any, year: int) -> QuerySet[Any]:
        return with_deadline(division, year).filter(published_late=True)

    return records


def _withdrawn(model_name: str) -> Any:
    def records(division: Any, year: int) -> QuerySet[Any]:
        return (
            _MODELS[model_name]
            .objects.filter(agency__division__path__startswith=division.path, withdrawn_on__year=year)
            .select_related("agency")
            .order_by("-withdrawn_on", "-id")
        )

    return records


def _repairs(division: Any, year: int) -> QuerySet[Any]:
    return (
        CreditRepair.objects.filter(
            record__agency__division__path__startswith=division.path,
            status=RepairStatus.APPROVED,
            decided_on__year=year,
        )
        .select_related("record__agency")
        .order_by("-decided_on", "-id")
    )


def _record_url(kind: str) -> Any:
    return lambda r: reverse("publicity:staff_record", args=[kind, r.pk])


SGS_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("决定文书号", lambda r: r.doc_number),
    ("行政相对人", lambda r: r.party_name),
    ("报送机构", lambda r: r.agency.name),
    ("决定日期", lambda r: r.decided_on),
    ("公示日期", lambda r: r.published_on),
    ("应公示日期", lambda r: r.publish_due or "—"),
    ("按时公示", lambda r: "超期" if r.published_late else ("按时" if r.publish_due else "—")),
)
WITHDRAW_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("决定文书号", lambda r: r.doc_number),
    ("行政相对人", lambda r: r.party_name),
    ("报送机构", lambda r: r.agency.name),
    ("撤回日期", lambda r: r.withdrawn_on),
    ("撤回原因", lambda r: r.withdraw_reason),
    ("超期撤回", lambda r: "是" if r.withdrawn_late else "否"),
)

for kind, plural, model_name, label, order in (
    ("penalty", "penalties", "PenaltyRecord", "行政处罚", 10),
    ("licence", "licences", "LicenceRecord", "行政许可", 20),
):
    register(
        Metric(
            code=f"publicity.{plural}_published",
            title=f"{label}信息公示数",
            unit="件",
            group="publicity",
            definition=f"年度内作出决定（按决定日期）并在本平台公示的{label}信息条数，含其后撤回、期满或修复的，"
            "不含依规不予公示的；按报送机构所在区划归属。",
            records=_decided(model_name),
            permission=PUBLICITY_VIEW,
            public=True,
            columns=SGS_COLUMNS,
            record_url=_record_url(kind),
            order=order,
            chart=True,
        )
    )
    register(
        Metric(
            code=f"publicity.{plural}_on_time_rate",
            title=f"{label}信息按时公示率",
            unit="%",
            group="publicity",
            definition=f"年度内作出决定的{label}信息中，在决定之日起 7 个工作日内"
            "（按工作日历计算的应公示日期当日或之前）公示的比例；应公示日期无法计算（工作日历未覆盖）的记录不计入。",
            records=_with_deadline(model_name),
            numerator=lambda qs: qs.filter(published_late=False),
            permission=PUBLICITY_VIEW,
            public=True,
            columns=SGS_COLUMNS,
            record_url=_record_url(kind),
            order=order + 1,
            chart=True,
        )
    )
    register(
        Metric(
            code=f"publicity.{plural}_late",
            title=f"{label}信息超期公示数",
            unit="件",
            group="publicity",
            definition=f"年度内作出决定的{label}信息中，晚于决定之日起 7 个工作日才公示的条数。",
            records=_late(model_name),
            permission=PUBLICITY_VIEW,
            public=False,
            columns=SGS_COLUMNS,
            record_url=_record_url(kind),
            order=order + 2,
        )
    )
    register(
        Metric(
            code=f"publicity.{plural}_withdrawn",
            title=f"{label}信息撤回数",
            unit="件",
            group="publicity",
            definition=f"年度内（按撤回日期）因决定被变更、撤销或确认违法等撤回公示的{label}信息条数。",
            records=_withdrawn(model_name),
            permission=PUBLICITY_VIEW,
            public=False,
            columns=WITHDRAW_COLUMNS,
            record_url=_record_url(kind),
            order=order + 3,
        )
    )

register(
    Metric(
        code="publicity.credit_repairs",
        title="信用修复数",
        unit="件",
        group="publicity",
        definition="年度内（按审核日期）审核通过、提前停止公示的行政处罚信息信用修复申请数。",
        records=_repairs,
        permission=PUBLICITY_VIEW,
        public=True,
        columns=(
            ("决定文书号", lambda r: r.record.doc_number),
            ("申请人", lambda r: r.applicant_name),
            ("报送机构", lambda r: r.record.agency.name),
            ("申请日期", lambda r: r.submitted_on),
            ("审核日期", lambda r: r.decided_on),
        ),
        record_url=lambda r: reverse("publicity:staff_record", args=["penalty", r.record_id]),
        order=40,
    )
)


def _records_published(division: Any, year: int) -> int:
    total = 0
    for code in ("publicity.penalties_published", "publicity.licences_published"):
        metric = registry.get(code)
        value = metric.value(division, year) if metric is not None else None
        total += int(value or 0)
    return total


register(
    Metric(
        code="publicity.records_published",
        title="双公示信息公示数",
        unit="件",
        group="publicity",
        definition="年度内作出决定（按决定日期）并在本平台公示的行政许可与行政处罚信息条数之和，口径同"
        "“行政许可信息公示数”与“行政处罚信息公示数”（含其后撤回、期满或修复的，不含依规不予公示的）。",
        compute=_records_published,
        public=True,
        order=5,
    )
)

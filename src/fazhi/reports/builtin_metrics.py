"""Metrics of the modules that exist today (双公示, the enforcement workforce and power list).

They live here until ``publicity`` and ``enforcement`` take them over in their own ``metrics.py``; the registry
does not care where a metric is declared. Later modules (``cases``, ``oversight``, ``supervision``) declare theirs in
their own ``metrics.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from fazhi.core.permissions import ENFORCEMENT_VIEW, PUBLICITY_VIEW

from .registry import Metric, MetricGroup, register, register_group

register_group(
    MetricGroup(
        code="publicity",
        title="双公示",
        order=10,
        description="行政许可、行政处罚信息自作出决定之日起 7 个工作日内公示（国办发〔2015〕51号）。",
    )
)
register_group(
    MetricGroup(code="enforcement", title="执法队伍与权责清单", order=20, description="执法人员、执法证件与权责事项。")
)


def _year_end(year: int) -> dt.date:
    """The day a point-in-time figure of ``year`` is taken: 31 December, or today within the current year."""
    return min(dt.date(year, 12, 31), timezone.localdate())


# --- 双公示 -------------------------------------------------------------------------------------------------------


def _sgs(model_name: str) -> Any:
    from fazhi.publicity import models

    return getattr(models, model_name)


def _decided(model_name: str) -> Any:
    def records(division: Any, year: int) -> QuerySet[Any]:
        from fazhi.publicity.choices import RecordStatus

        return (
            _sgs(model_name)
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
            _sgs(model_name)
            .objects.filter(agency__division__path__startswith=division.path, withdrawn_on__year=year)
            .select_related("agency")
            .order_by("-withdrawn_on", "-id")
        )

    return records


def _repairs(division: Any, year: int) -> QuerySet[Any]:
    from fazhi.publicity.choices import RepairStatus
    from fazhi.publicity.models import CreditRepair

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


# --- 执法队伍与权责清单 -----------------------------------------------------------------------------------------------


def _officers(division: Any, year: int) -> QuerySet[Any]:
    from fazhi.enforcement.choices import OfficerStatus
    from fazhi.enforcement.models import Officer

    return (
        Officer.objects.filter(body__division__path__startswith=division.path, status=OfficerStatus.ON_DUTY)
        .select_related("body")
        .order_by("body__name", "name")
    )


def _valid_certificates(division: Any, year: int) -> QuerySet[Any]:
    from fazhi.enforcement.selectors import valid_certificates

    return (
        valid_certificates(_year_end(year))
        .filter(officer__body__division__path__startswith=division.path)
        .select_related("officer__body")
        .order_by("officer__body__name", "number")
    )


def _power_items(division: Any, year: int) -> QuerySet[Any]:
    from fazhi.enforcement.choices import PowerStatus
    from fazhi.enforcement.models import PowerItem

    return (
        PowerItem.objects.filter(body__division__path__startswith=division.path, status=PowerStatus.IN_FORCE)
        .select_related("body")
        .order_by("body__name", "code")
    )


register(
    Metric(
        code="enforcement.officers",
        title="在职执法人员数",
        unit="人",
        group="enforcement",
        definition="登记在辖区执法主体、状态为在职的执法人员人数（现状数，统计时点为数据时间）。",
        records=_officers,
        permission=ENFORCEMENT_VIEW,
        public=True,
        columns=(
            ("姓名", lambda o: o.name),
            ("执法主体", lambda o: o.body.name),
            ("职务", lambda o: o.position or "—"),
            ("编制与用工类型", lambda o: o.get_employment_display()),
        ),
        record_url=lambda o: reverse("enforcement:staff_officer", args=[o.pk]),
        order=10,
        chart=True,
    )
)
register(
    Metric(
        code="enforcement.valid_certificates",
        title="有效执法证件数",
        unit="件",
        group="enforcement",
        definition="年末（当年为数据时间当日）有效的行政执法证件数：已核发、未过期、未暂扣吊销注销，且按期年审。",
        records=_valid_certificates,
        permission=ENFORCEMENT_VIEW,
        public=True,
        columns=(
            ("执法证号", lambda c: c.number),
            ("姓名", lambda c: c.officer.name),
            ("执法主体", lambda c: c.officer.body.name),
            ("发证日期", lambda c: c.issued_on),
            ("有效期至", lambda c: c.expires_on),
        ),
        record_url=lambda c: reverse("enforcement:staff_certificate", args=[c.pk]),
        order=20,
        chart=True,
    )
)
register(
    Metric(
        code="enforcement.power_items",
        title="现行权责事项数",
        unit="项",
        group="enforcement",
        definition="辖区执法主体权责清单中现行（未取消）的事项数（现状数，统计时点为数据时间）。",
        records=_power_items,
        permission=ENFORCEMENT_VIEW,
        public=True,
        columns=(
            ("事项编码", lambda p: p.code),
            ("事项名称", lambda p: p.name),
            ("权力类别", lambda p: p.get_category_display()),
            ("实施主体", lambda p: p.body.name),
        ),
        record_url=lambda p: reverse("enforcement:staff_power", args=[p.pk]),
        order=30,
    )
)

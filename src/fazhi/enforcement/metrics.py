"""Enforcement figures (``reports.registry``): the workforce (officers on duty, valid certificates, certificates
issued in the year — “完成全省 50519 名行政执法人员证件颁发工作”) and the power list (items in force, items cancelled or
delegated in the year — “全年取消下放 57 项省级行政审批等事项”).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from fazhi.core.permissions import ENFORCEMENT_VIEW
from fazhi.reports.registry import Metric, MetricGroup, register, register_group, year_end

from .choices import AdjustmentKind, OfficerStatus, PowerStatus
from .models import Certificate, Officer, PowerAdjustment, PowerItem
from .selectors import valid_certificates

register_group(
    MetricGroup(code="enforcement", title="执法队伍与权责清单", order=20, description="执法人员、执法证件与权责事项。")
)

CERTIFICATE_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("执法证号", lambda c: c.number),
    ("姓名", lambda c: c.officer.name),
    ("执法主体", lambda c: c.officer.body.name),
    ("发证日期", lambda c: c.issued_on),
    ("有效期至", lambda c: c.expires_on),
)


def _officers(division: Any, year: int) -> QuerySet[Any]:
    return (
        Officer.objects.filter(body__division__path__startswith=division.path, status=OfficerStatus.ON_DUTY)
        .select_related("body")
        .order_by("body__name", "name")
    )


def _valid_certificates(division: Any, year: int) -> QuerySet[Any]:
    return (
        valid_certificates(year_end(year))
        .filter(officer__body__division__path__startswith=division.path)
        .select_related("officer__body")
        .order_by("officer__body__name", "number")
    )


def _power_items(division: Any, year: int) -> QuerySet[Any]:
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
        columns=CERTIFICATE_COLUMNS,
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


def _issued(division: Any, year: int) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(officer__body__division__path__startswith=division.path, issued_on__year=year)
        .select_related("officer__body")
        .order_by("-issued_on", "number")
    )


def _devolved(division: Any, year: int) -> QuerySet[PowerAdjustment]:
    return (
        PowerAdjustment.objects.filter(
            body__division__path__startswith=division.path,
            kind__in=[AdjustmentKind.CANCELLED, AdjustmentKind.DELEGATED],
            effective_on__year=year,
        )
        .select_related("item", "body")
        .order_by("-effective_on", "-id")
    )


register(
    Metric(
        code="enforcement.certificates_issued",
        title="执法证件颁发数",
        unit="件",
        group="enforcement",
        definition="年度内（按发证日期）核发的行政执法证件数，含换发、补发的新证；按持证人所在执法主体的区划归属。",
        records=_issued,
        permission=ENFORCEMENT_VIEW,
        public=True,
        columns=CERTIFICATE_COLUMNS,
        record_url=lambda c: reverse("enforcement:staff_certificate", args=[c.pk]),
        order=25,
    )
)
register(
    Metric(
        code="enforcement.power_items_devolved",
        title="取消和下放权责事项数",
        unit="项",
        group="enforcement",
        definition="年度内（按调整生效日期）取消或下放的权责事项数；按调整后的实施主体（取消的为原实施主体）"
        "所在区划归属，省级事项下放到市县的计入接收的市县及全省。",
        records=_devolved,
        permission=ENFORCEMENT_VIEW,
        public=True,
        columns=(
            ("事项编码", lambda a: a.item.code),
            ("事项名称", lambda a: a.item.name),
            ("调整类型", lambda a: a.get_kind_display()),
            ("生效日期", lambda a: a.effective_on),
            ("文号", lambda a: a.doc_number),
            ("调整后实施主体", lambda a: a.body.name),
        ),
        record_url=lambda a: reverse("enforcement:staff_power", args=[a.item_id]),
        order=35,
    )
)

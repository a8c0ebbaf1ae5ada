"""Enforcement figures declared by the enforcement app (``reports.registry``); the workforce and power-list counts
of issue 7 are still in ``reports/builtin_metrics.py`` (same group).

- ``enforcement.certificates_issued``: 执法证件颁发 in the year (“完成全省 50519 名行政执法人员证件颁发工作”);
- ``enforcement.power_items_devolved``: 权责事项取消、下放 in the year (“全年取消下放 57 项省级行政审批等事项”).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from fazhi.core.permissions import ENFORCEMENT_VIEW
from fazhi.reports.registry import Metric, register

from .choices import AdjustmentKind
from .models import Certificate, PowerAdjustment


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
        columns=(
            ("执法证号", lambda c: c.number),
            ("姓名", lambda c: c.officer.name),
            ("执法主体", lambda c: c.officer.body.name),
            ("发证日期", lambda c: c.issued_on),
        ),
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

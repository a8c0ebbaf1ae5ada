"""Discretion figures (``reports.registry``): how many agencies have a 行政裁量权基准 in force — the figure annual
reports give as “N 家省直部门建立完善了本领域执法裁量权基准制度”."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from fazhi.org.models import Agency
from fazhi.reports.registry import Metric, MetricGroup, register, register_group, year_end

from .models import DiscretionBenchmark, in_force_q

register_group(
    MetricGroup(
        code="discretion",
        title="行政裁量权基准",
        order=25,
        description="各级行政机关制定、公布并施行的行政裁量权基准。",
    )
)


def _agencies(division: Any, year: int) -> QuerySet[Agency]:
    in_force = DiscretionBenchmark.objects.filter(in_force_q(year_end(year)), agency=OuterRef("pk"))
    return (
        Agency.objects.filter(division__path__startswith=division.path)
        .filter(Exists(in_force))
        .select_related("division")
        .order_by("division__code", "name")
    )


register(
    Metric(
        code="discretion.benchmark_agencies",
        title="施行裁量基准的行政机关数",
        unit="家",
        group="discretion",
        definition="年末（当年为数据时间当日）有现行有效的行政裁量权基准的制定机关数；按制定机关所在区划归属。",
        records=_agencies,
        public=True,
        columns=(("制定机关", lambda a: a.name), ("所在区划", lambda a: a.division.name)),
        order=10,
    )
)

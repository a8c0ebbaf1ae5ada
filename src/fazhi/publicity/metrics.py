"""双公示 figures declared by the publicity app (``reports.registry``; the per-kind ones are still in
``reports/builtin_metrics.py``).

``publicity.records_published`` is the figure annual reports quote (“双公示信息 1214 万条”): licences and penalties
together, by the same definition as the two per-kind counts, so it is always their sum.
"""

from __future__ import annotations

from typing import Any

from fazhi.reports import registry
from fazhi.reports.registry import Metric, register


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

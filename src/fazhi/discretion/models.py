"""Discretion benchmarks (裁量基准): versioned documents, their items per violation and the rule rows of each item.

A ``DiscretionBenchmark`` is one version of a benchmark document (a 裁量基准 issued with a document number and an
effective date). Versions of the same document share a ``series``; publishing a new version ends the previous one
the day before the new one takes effect (``valid_to``), so the version in force on any date is one query and old
versions stay readable. Each ``BenchmarkItem`` is one violation (违法行为, 违反条款, 处罚依据) with the circumstances it
distinguishes (``factors``); each ``BenchmarkRule`` maps one combination of circumstances to a grade, the penalty
kinds and the fine (docs/decisions/0010-discretion-benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q

from fazhi.org.models import Agency
from fazhi.org.scope import ScopeSpec

from .choices import BenchmarkStatus, FineKind, Grade


def in_force_q(on: dt.date, prefix: str = "") -> Q:
    """Versions in force on ``on``: published or since retired, effective by then, not yet ended or expired."""
    p = prefix
    return (
        Q(**{f"{p}status__in": [BenchmarkStatus.PUBLISHED, BenchmarkStatus.RETIRED]})
        & Q(**{f"{p}effective_from__lte": on})
        & (Q(**{f"{p}valid_to__isnull": True}) | Q(**{f"{p}valid_to__gte": on}))
        & (Q(**{f"{p}expires_on__isnull": True}) | Q(**{f"{p}expires_on__gte": on}))
    )


class DiscretionBenchmark(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="制定机关", on_delete=models.PROTECT, related_name="+")
    series = models.UUIDField("版本系列", default=uuid.uuid4, db_index=True, editable=False)
    version = models.PositiveSmallIntegerField("版本", default=1)
    previous = models.ForeignKey(
        "self", verbose_name="上一版本", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    superseded_by = models.ForeignKey(
        "self", verbose_name="被以下版本替代", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("文件名称", max_length=300)
    doc_number = models.CharField("文号（原文）", max_length=200)
    doc_key = models.CharField("文号（规范）", max_length=200, unique=True)
    domain = models.CharField("领域", max_length=40)
    effective_from = models.DateField("施行日期")
    expires_on = models.DateField("有效期至", null=True, blank=True)
    valid_to = models.DateField("停止施行日期（最后一日）", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=BenchmarkStatus.choices, default=BenchmarkStatus.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    retired_reason = models.TextField("废止原因", blank=True)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="agency__division__path", agency="agency__path")

    class Meta:
        verbose_name = "裁量基准"
        verbose_name_plural = "裁量基准"
        ordering = ["-effective_from", "-id"]
        constraints = [models.UniqueConstraint(fields=["series", "version"], name="discretion_series_version")]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_number}）"

    @property
    def last_day(self) -> dt.date | None:
        """The last day this version is in force (replaced, retired or expired), None while open-ended."""
        days = [d for d in (self.valid_to, self.expires_on) if d is not None]
        return min(days) if days else None

    def in_force_on(self, on: dt.date) -> bool:
        last = self.last_day
        return self.status != BenchmarkStatus.DRAFT and self.effective_from <= on and (last is None or on <= last)

    def state_on(self, on: dt.date) -> str:
        """What a reader needs to know about this version on ``on``, in Chinese."""
        if self.status == BenchmarkStatus.DRAFT:
            return "草稿（未发布）"
        if on < self.effective_from:
            return f"尚未施行（{self.effective_from:%Y年%-m月%-d日}起施行）"
        if self.in_force_on(on):
            return "现行有效"
        if self.superseded_by_id and self.valid_to is not None and on > self.valid_to:
            return "已被新版本替代"
        if self.status == BenchmarkStatus.RETIRED:
            return "已废止"
        return "已失效（有效期届满）"


class BenchmarkItem(models.Model):
    """One violation of a benchmark and the circumstances its rules distinguish.

    ``factors`` is derived from the rules when they are written: ``[{"name": "违法程度", "options": ["…", …]}, …]``
    in the order they first appear, so the calculator asks them in the order of the table.
    """

    benchmark = models.ForeignKey(
        DiscretionBenchmark, verbose_name="裁量基准", on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField("事项编码", max_length=40)
    position = models.PositiveIntegerField("顺序", default=0)
    violation = models.TextField("违法行为")
    provision = models.TextField("违反条款", blank=True)
    legal_basis = models.TextField("处罚依据")
    note = models.TextField("备注", blank=True)
    factors = models.JSONField("裁量因素", default=list)
    content_hash = models.CharField("内容摘要", max_length=64)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(
        division="benchmark__agency__division__path", agency="benchmark__agency__path"
    )

    class Meta:
        verbose_name = "裁量事项"
        verbose_name_plural = "裁量事项"
        ordering = ["benchmark_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["benchmark", "code"], name="discretion_item_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.violation[:60]}"

    @property
    def factor_names(self) -> list[str]:
        return [f["name"] for f in self.factors]

    def factor(self, name: str) -> dict[str, Any] | None:
        return next((f for f in self.factors if f["name"] == name), None)


class BenchmarkRule(models.Model):
    """One row of an item: given these circumstances (``conditions``: ``[[factor, option], …]``; a factor the row
    does not name applies to every answer), this grade, these penalty kinds and this fine.

    Fines are in yuan (元) as ``Decimal``: a range (``fine_min``–``fine_max``; ``fine_min`` 0 for “N元以下”), a fixed
    amount (both equal), or multiples of a base named in the row (``multiple_base`` × ``multiple_min``–``multiple_max``,
    e.g. 违法所得的1倍以上3倍以下). ``penalty_text`` keeps the table's own words.
    """

    item = models.ForeignKey(BenchmarkItem, verbose_name="裁量事项", on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveIntegerField("顺序", default=0)
    grade = models.CharField("裁量阶次", max_length=12, choices=Grade.choices)
    conditions = models.JSONField("情形（结构化）", default=list)
    description = models.TextField("情形说明", blank=True)
    penalty_kinds = models.JSONField("处罚种类", default=list)
    penalty_text = models.CharField("罚款（原文）", max_length=500, blank=True)
    fine_kind = models.CharField("罚款方式", max_length=10, choices=FineKind.choices, default=FineKind.NONE)
    fine_min = models.DecimalField("罚款下限（元）", max_digits=18, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=18, decimal_places=2, null=True, blank=True)
    multiple_base = models.CharField("倍数基数", max_length=60, blank=True)
    multiple_min = models.DecimalField("倍数下限", max_digits=12, decimal_places=4, null=True, blank=True)
    multiple_max = models.DecimalField("倍数上限", max_digits=12, decimal_places=4, null=True, blank=True)
    source = models.CharField("来源", max_length=200, blank=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(
        division="item__benchmark__agency__division__path", agency="item__benchmark__agency__path"
    )

    class Meta:
        verbose_name = "裁量规则"
        verbose_name_plural = "裁量规则"
        ordering = ["item_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.item.code} 第{self.position}条 {self.get_grade_display()}"

    @property
    def circumstances(self) -> str:
        """The conditions as the table would word them: “违法程度：…；近一年同类违法行为情况：…”."""
        return "；".join(f"{factor}：{option}" for factor, option in self.conditions)

    @property
    def fine_text(self) -> str:
        from .fines import describe_fine

        return describe_fine(
            self.fine_kind, self.fine_min, self.fine_max, self.multiple_base, self.multiple_min, self.multiple_max
        )

    @property
    def kinds_label(self) -> str:
        from .fines import kind_labels

        return kind_labels(self.penalty_kinds)

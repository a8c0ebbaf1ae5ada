"""案卷评查 (case-file review) and annual enforcement statistics.

A ``ReviewTemplate`` is the scoring standard as data (sections such as 案卷形式 20 / 案卷内容 80, items with a deduction
per defect, veto items, the auto-check an item corresponds to, and the rating bands). A ``Campaign`` samples closed
cases per agency (seeded, idempotent) into ``CaseFileReview`` rows; the defects the record itself proves are written as
proposed ``Deduction`` rows when a case is sampled, before any reviewer looks. ``StatisticsSnapshot`` holds an agency's
figures for a year, computed from the records, and when they were published. Nothing here is saved by views, the API
or the admin: every write goes through ``services.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models

from fazhi.cases.models import EnforcementCase
from fazhi.org.models import Agency, Division
from fazhi.org.scope import ScopeSpec

from .choices import AutoCheck, CampaignState, DeductionSource, DeductionState, FileState, Rating


class ReviewTemplate(models.Model):
    """A scoring standard (评查标准), versioned: a campaign keeps the version it was created with."""

    name = models.CharField("名称", max_length=200)
    version = models.PositiveSmallIntegerField("版本", default=1)
    total = models.PositiveSmallIntegerField("满分", default=100)
    note = models.TextField("说明", blank=True)
    is_active = models.BooleanField("可用于新评查活动", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "案卷评查标准"
        verbose_name_plural = "案卷评查标准"
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="oversight_template_version")]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class TemplateSection(models.Model):
    template = models.ForeignKey(ReviewTemplate, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    title = models.CharField("部分", max_length=100)
    points = models.PositiveSmallIntegerField("分值")

    class Meta:
        verbose_name = "评查标准部分"
        verbose_name_plural = "评查标准部分"
        ordering = ["template_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.points}分）"


class TemplateItem(models.Model):
    """One item: each defect deducts ``deduction`` points, at most ``points`` for the item (0 for a veto item,
    which makes the file 不合格 whatever its score). ``auto_check`` names the defect the record proves, if any."""

    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    text = models.CharField("评查内容", max_length=300)
    points = models.DecimalField("本项最多扣分", max_digits=5, decimal_places=1, default=Decimal("0"))
    deduction = models.DecimalField("每处扣分", max_digits=5, decimal_places=1, default=Decimal("0"))
    veto = models.BooleanField("否决项", default=False)
    auto_check = models.CharField("对应自动检查", max_length=32, choices=AutoCheck.choices, blank=True)

    class Meta:
        verbose_name = "评查项目"
        verbose_name_plural = "评查项目"
        ordering = ["section_id", "order", "id"]

    def __str__(self) -> str:
        return self.text


class RatingBand(models.Model):
    """A rating threshold of a template (score >= min_score); below every band: 不合格."""

    template = models.ForeignKey(ReviewTemplate, on_delete=models.CASCADE, related_name="bands")
    rating = models.CharField("等次", max_length=12, choices=Rating.choices)
    min_score = models.DecimalField("最低分", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "评查等次"
        verbose_name_plural = "评查等次"
        ordering = ["template_id", "-min_score"]
        constraints = [models.UniqueConstraint(fields=["template", "rating"], name="oversight_band_unique")]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} ≥ {self.min_score}"


class Campaign(models.Model):
    """An 案卷评查 campaign organised by a justice bureau over a division subtree."""

    name = models.CharField("活动名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    organiser = models.ForeignKey(Agency, verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    division = models.ForeignKey(Division, verbose_name="评查范围", on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(ReviewTemplate, verbose_name="评查标准", on_delete=models.PROTECT, related_name="+")
    per_agency = models.PositiveSmallIntegerField("每个机关抽取件数", null=True, blank=True)
    percent = models.PositiveSmallIntegerField("抽取比例（%）", null=True, blank=True)
    closed_from = models.DateField("结案（归档）日期自")
    closed_to = models.DateField("结案（归档）日期至")
    seed = models.CharField("随机种子", max_length=64)
    state = models.CharField("状态", max_length=12, choices=CampaignState.choices, default=CampaignState.DRAFT)
    sampled_at = models.DateTimeField("抽取时间", null=True, blank=True)
    created_by_name = models.CharField("创建人", max_length=150, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="organiser__division__path", agency="organiser__path")

    class Meta:
        verbose_name = "案卷评查活动"
        verbose_name_plural = "案卷评查活动"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def rule_label(self) -> str:
        if self.per_agency:
            return f"每个机关抽取 {self.per_agency} 件"
        return f"每个机关抽取 {self.percent}%（至少 1 件）"


class CaseFileReview(models.Model):
    """One sampled case file in a campaign: its facts as proved by the record, its score, rating and correction."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="files")
    case = models.ForeignKey(EnforcementCase, verbose_name="案件", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name="办案机关", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=12, choices=FileState.choices, default=FileState.PENDING)
    facts = models.JSONField("案卷事实（抽取时）", default=dict, blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)
    rating = models.CharField("等次", max_length=12, choices=Rating.choices, blank=True)
    vetoed = models.BooleanField("一票否决", default=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评查人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer_name = models.CharField("评查人员姓名", max_length=150, blank=True)
    comment = models.TextField("评查意见", blank=True)
    submitted_at = models.DateTimeField("评分时间", null=True, blank=True)
    correction = models.TextField("整改情况", blank=True)
    corrected_at = models.DateTimeField("报送整改时间", null=True, blank=True)
    corrected_by_name = models.CharField("整改报送人", max_length=150, blank=True)
    acceptance = models.TextField("整改确认意见", blank=True)
    accepted_at = models.DateTimeField("整改确认时间", null=True, blank=True)
    accepted_by_name = models.CharField("整改确认人", max_length=150, blank=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="agency__division__path", agency="agency__path")

    class Meta:
        verbose_name = "案卷评查"
        verbose_name_plural = "案卷评查"
        ordering = ["campaign_id", "agency_id", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "case"], name="oversight_file_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.case_id}"


class Deduction(models.Model):
    """A deduction on one file: proposed by the system (from the facts) or added by the reviewer."""

    review = models.ForeignKey(CaseFileReview, on_delete=models.CASCADE, related_name="deductions")
    item = models.ForeignKey(TemplateItem, verbose_name="评查项目", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=12, choices=DeductionSource.choices)
    state = models.CharField("状态", max_length=12, choices=DeductionState.choices)
    count = models.PositiveSmallIntegerField("处数", default=1)
    evidence = models.TextField("依据（案卷记录）", blank=True)
    note = models.TextField("说明", blank=True)
    dismiss_reason = models.TextField("排除理由", blank=True)
    decided_by_name = models.CharField("确认人", max_length=150, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="review__agency__division__path", agency="review__agency__path")

    class Meta:
        verbose_name = "扣分"
        verbose_name_plural = "扣分"
        ordering = ["review_id", "id"]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.item_id} × {self.count}"

    @property
    def points(self) -> Decimal:
        return self.item.deduction * self.count


class StatisticsSnapshot(models.Model):
    """An agency's enforcement figures for one year, computed from the records at ``computed_at``."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    figures = models.JSONField("数据", default=dict)
    computed_at = models.DateTimeField("数据时间")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by_name = models.CharField("发布人", max_length=150, blank=True)
    on_time = models.BooleanField("按期发布（次年1月31日前）", null=True, blank=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="agency__division__path", agency="agency__path")

    class Meta:
        verbose_name = "年度行政执法统计"
        verbose_name_plural = "年度行政执法统计"
        ordering = ["-year", "agency_id"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="oversight_stats_once")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}"

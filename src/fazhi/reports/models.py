"""Rollups of the registered metrics, the resumable job that fills them, and the annual 法治政府建设年度报告."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models

from fazhi.org.models import Division
from fazhi.org.scope import ScopeSpec


class MetricValue(models.Model):
    """One figure: a metric for a division's subtree and a calendar year, as computed at ``computed_at``."""

    metric = models.CharField("指标代码", max_length=80)
    division = models.ForeignKey(Division, verbose_name="行政区划", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    # null: nothing to compute from (a rate whose denominator is 0), shown as “—”
    value = models.DecimalField("数值", max_digits=20, decimal_places=4, null=True, blank=True)
    computed_at = models.DateTimeField("数据时间")

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="division__path")

    class Meta:
        verbose_name = "指标数值"
        verbose_name_plural = "指标数值"
        ordering = ["metric", "division__code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "division", "year"], name="reports_metric_value_unique")
        ]
        indexes = [models.Index(fields=["division", "year"], name="reports_value_div_year_idx")]

    def __str__(self) -> str:
        return f"{self.metric} {self.division_id} {self.year} = {self.value}"


class RollupStatus(models.TextChoices):
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"


class RollupRun(models.Model):
    """One run of ``fazhi report rollup``: divisions are done in code order; ``last_division`` is the resume point."""

    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=10, choices=RollupStatus.choices, default=RollupStatus.RUNNING)
    last_division = models.CharField("已完成至区划代码", max_length=12, blank=True)
    divisions_done = models.PositiveIntegerField("已完成区划数", default=0)
    values_written = models.PositiveIntegerField("写入数值数", default=0)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "指标汇总任务"
        verbose_name_plural = "指标汇总任务"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.get_status_display()} → {self.last_division or '—'}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class AnnualReport(models.Model):
    """法治政府建设年度报告 of one division (province, city or county) for one year."""

    division = models.ForeignKey(Division, verbose_name="行政区划", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    intro = models.TextField("导语", blank=True)
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_on_time = models.BooleanField("按时发布", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="division__path")

    class Meta:
        verbose_name = "法治政府建设年度报告"
        verbose_name_plural = "法治政府建设年度报告"
        ordering = ["-year", "division__code"]
        constraints = [models.UniqueConstraint(fields=["division", "year"], name="reports_annual_unique")]

    def __str__(self) -> str:
        return self.title

    @property
    def deadline(self) -> dt.date:
        """Reports are published before 4月1日 of the following year (督察工作规定第24条; DOMAIN.md §4)."""
        return dt.date(self.year + 1, 4, 1)

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class ReportSection(models.Model):
    """One of the four required parts; ``body`` is narrative text with ``{{ metric:code }}`` placeholders."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField("序号")
    key = models.CharField("部分", max_length=20)
    heading = models.CharField("标题", max_length=200)
    body = models.TextField("正文", blank=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="report__division__path")

    class Meta:
        verbose_name = "报告部分"
        verbose_name_plural = "报告部分"
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="reports_section_unique")]

    def __str__(self) -> str:
        return self.heading

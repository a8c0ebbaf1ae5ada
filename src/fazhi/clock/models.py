"""Calendar adjustments, statutory time limits as versioned data, and the deadlines running on records.

Nothing here is saved directly by views, the API or the admin: every write goes through ``services.py``.
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from fazhi.core.errors import NotFound

from .choices import WEEKDAY_NAMES, Confidence, DeadlineStatus, RunStatus, TimeUnit
from .deadlines import compute_deadline, deadline_status


class CalendarOverride(models.Model):
    """One date whose working-day status is set by hand; wins over the holiday library."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", help_text="勾选表示当天上班（如调休上班）；不勾选表示放假。")
    reason = models.CharField("原因", max_length=200, help_text="例如：春节、国庆节调休上班、台风停工。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "日历调整"
        verbose_name_plural = "日历调整"
        ordering = ["-date"]

    def __str__(self) -> str:
        status = "上班" if self.is_workday else "放假"
        return f"{self.date.isoformat()} {status}（{self.reason}）"

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.date.weekday()]


class CalendarYear(models.Model):
    """A year whose whole holiday schedule was entered by hand as ``CalendarOverride`` rows.

    For such a year, dates without an override follow the Monday–Friday rule. Years the library covers need no
    row here; a year with neither raises ``CalendarDataMissing``.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField(
        "依据", max_length=300, help_text="例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）"
    )
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "已补录年度"
        verbose_name_plural = "已补录年度"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排（人工补录）"


class TimeLimitQuerySet(models.QuerySet["TimeLimit"]):
    def in_force(self, on: date) -> TimeLimitQuerySet:
        """The versions in force on ``on`` (at most one per code)."""
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class TimeLimit(models.Model):
    """One version of a statutory time limit, in force from ``valid_from`` to ``valid_to`` (both inclusive)."""

    code = models.CharField("代码", max_length=64, help_text="稳定的代码，例如 sgs.publish")
    name = models.CharField("名称", max_length=200)
    days = models.PositiveIntegerField("期限数值")
    unit = models.CharField("单位", max_length=16, choices=TimeUnit.choices)
    legal_source = models.TextField("法律依据")
    valid_from = models.DateField("施行日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="最后一个有效日；留空表示现行有效。")
    note = models.TextField("说明", blank=True)
    confidence = models.CharField("可信度", max_length=8, choices=Confidence.choices, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = TimeLimitQuerySet.as_manager()

    class Meta:
        verbose_name = "法定期限"
        verbose_name_plural = "法定期限"
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="clock_timelimit_code_valid_from_uniq"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="clock_timelimit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}：{self.duration_label}（{self.valid_from.isoformat()}起）"

    @property
    def duration_label(self) -> str:
        """``7个工作日``, ``60日``, ``3个月``, ``1年``."""
        return duration_label(self.days, self.unit)

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def resolve_time_limit(code: str, on_date: date) -> TimeLimit:
    """The version of time limit ``code`` in force on ``on_date``; ``NotFound`` (in Chinese) when there is none."""
    version = TimeLimit.objects.in_force(on_date).filter(code=code).first()
    if version is not None:
        return version
    versions = list(TimeLimit.objects.filter(code=code).order_by("valid_from"))
    if not versions:
        raise NotFound(f"未找到代码为“{code}”的法定期限", field="limit")
    spans = "；".join(f"{v.valid_from.isoformat()}至{v.valid_to.isoformat() if v.valid_to else '今'}" for v in versions)
    raise NotFound(
        f"法定期限“{versions[-1].name}”在{on_date.isoformat()}没有施行中的版本（有效期间：{spans}）",
        field="limit",
    )


def duration_label(days: int, unit: str) -> str:
    if unit == TimeUnit.WORKING:
        return f"{days}个工作日"
    if unit == TimeUnit.MONTH:
        return f"{days}个月"
    if unit == TimeUnit.YEAR:
        return f"{days}年"
    return f"{days}日"


class ClockRun(models.Model):
    """A deadline running on any record (a case, a petition, a supervision task ...).

    ``days`` and ``unit`` are copied from the ``TimeLimit`` version in force on ``start`` so the deadline never
    changes when a later version is entered. ``due_date`` is recomputed by the services after every pause,
    resumption and extension; it is empty while the clock is paused (中止期间期限不计).
    """

    content_type = models.ForeignKey(ContentType, verbose_name="对象类型", on_delete=models.PROTECT)
    object_id = models.CharField("对象ID", max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    time_limit = models.ForeignKey(
        TimeLimit, verbose_name="法定期限（版本）", on_delete=models.PROTECT, related_name="runs"
    )
    limit_code = models.CharField("期限代码", max_length=64)
    days = models.PositiveIntegerField("期限数值")
    unit = models.CharField("单位", max_length=16, choices=TimeUnit.choices)
    start = models.DateField("起算日")
    due_date = models.DateField("届满日", null=True, blank=True)
    stopped_on = models.DateField("办结日", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "计时"
        verbose_name_plural = "计时"
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="clock_run_subject_idx"),
            models.Index(fields=["status", "due_date"], name="clock_run_status_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "limit_code"],
                condition=~Q(status="stopped"),
                name="clock_run_one_open_per_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.limit_code} · {self.content_type.model}#{self.object_id} · 起算{self.start.isoformat()}"

    @property
    def duration_label(self) -> str:
        return duration_label(self.days, self.unit)

    def deadline_status(self, today: date | None = None) -> DeadlineStatus:
        """中止中 while paused; 按期办结 / 逾期办结 once stopped; else 未到期 / 临期 / 已逾期 on ``today``."""
        if self.status == RunStatus.PAUSED or self.due_date is None:
            return DeadlineStatus.PAUSED
        if self.status == RunStatus.STOPPED:
            return deadline_status(self.due_date, done_on=self.stopped_on or self.due_date)
        return deadline_status(self.due_date, today=today)

    def projected_due_date(self, resume_on: date) -> date:
        """The due date if a suspended clock resumed on ``resume_on`` (the due date itself when running)."""
        return compute_deadline(
            self.start,
            self.days,
            self.unit,
            pauses=list(self.pauses.all()),
            extensions=list(self.extensions.all()),
            open_pause_until=resume_on,
        )


class ClockPause(models.Model):
    """A suspension (中止): days from ``start`` to ``end``, both inclusive, are not counted."""

    run = models.ForeignKey(ClockRun, verbose_name="计时", on_delete=models.CASCADE, related_name="pauses")
    start = models.DateField("中止日")
    end = models.DateField("恢复日", null=True, blank=True, help_text="留空表示仍在中止中。")
    reason = models.CharField("中止原因", max_length=300)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "中止"
        verbose_name_plural = "中止"
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="clock_pause_range"
            ),
        ]

    def __str__(self) -> str:
        end = self.end.isoformat() if self.end else "至今"
        return f"中止 {self.start.isoformat()}—{end}"


class ClockExtension(models.Model):
    """An approved extension (延期), added after the base limit in its own unit."""

    run = models.ForeignKey(ClockRun, verbose_name="计时", on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField("延长数值")
    unit = models.CharField("单位", max_length=16, choices=TimeUnit.choices)
    reason = models.CharField("延期理由", max_length=300)
    approved_by = models.CharField("批准人", max_length=100, help_text="批准延期的负责人姓名或职务。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "延期"
        verbose_name_plural = "延期"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"延期 {duration_label(self.days, self.unit)}"

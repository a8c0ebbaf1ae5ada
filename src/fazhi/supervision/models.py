"""“13710” supervision: tasks (督办事项) assigned down the levels, their reports, nodes and reminders.

Nothing here is saved directly by views, the API or commands: every write goes through ``services.py``.

A task row is one assignment: ``assigned_by`` (交办单位) gives it to ``lead_unit`` (承办/牵头单位); a unit that
splits its task creates child rows it assigns itself (``parent``). The row lives where its lead unit lives
(``scope``), and the assigning office sees it through ``ASSIGNER_SCOPE`` (``selectors.visible_q``): a unit sees
the tasks it assigned and those assigned to it or anywhere in its subtree — docs/decisions/0012.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.clock.choices import Confidence, TimeUnit
from fazhi.org.models import Agency
from fazhi.org.scope import ScopeSpec

from .choices import NoticeKind, Rating, TaskAction, TaskSource, TaskState

ASSIGNER_SCOPE = ScopeSpec(division="assigned_by__division__path", agency="assigned_by__path")


class SupervisionRule(models.Model):
    """A setting of the 13710 system kept as data (GUESS-level values, DOMAIN §0), e.g. the escalation delay.

    The 1/3/7-day and one-month limits themselves are ``clock.TimeLimit`` rows (``13710.*``), versioned there.
    """

    code = models.CharField("代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=200)
    days = models.PositiveIntegerField("数值")
    unit = models.CharField("单位", max_length=16, choices=TimeUnit.choices, default=TimeUnit.CALENDAR)
    note = models.TextField("说明", blank=True)
    confidence = models.CharField("可信度", max_length=8, choices=Confidence.choices, default=Confidence.LOW)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "督办规则"
        verbose_name_plural = "督办规则"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}：{self.days}{TimeUnit(self.unit).label}"


class Task(models.Model):
    """One assignment of a 督办事项 to a lead unit; ``parent`` is the task it was split from."""

    parent = models.ForeignKey(
        "self", verbose_name="上级事项", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    title = models.CharField("事项名称", max_length=200)
    content = models.TextField("督办内容")
    source = models.CharField("事项来源", max_length=16, choices=TaskSource.choices)
    source_detail = models.CharField("来源说明", max_length=200, blank=True, help_text="会议名称、批示文号等")
    is_major = models.BooleanField("重大（复杂）事项", default=False, help_text="重大事项1个月内办结，一般事项7日内")
    assigned_by = models.ForeignKey(Agency, verbose_name="交办单位", on_delete=models.PROTECT, related_name="+")
    lead_unit = models.ForeignKey(
        Agency, verbose_name="承办单位", on_delete=models.PROTECT, related_name="supervision_tasks"
    )
    co_units = models.ManyToManyField(Agency, verbose_name="协办单位", blank=True, related_name="+")
    assigned_on = models.DateField("交办日期")
    state = models.CharField("状态", max_length=20, choices=TaskState.choices, default=TaskState.ASSIGNED)
    signed_on = models.DateField("签收日期", null=True, blank=True)
    deployed_on = models.DateField("部署日期", null=True, blank=True)
    feedback_on = models.DateField("首次反馈日期", null=True, blank=True)
    closure_requested_on = models.DateField("申请销号日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    rating = models.CharField("评价", max_length=12, choices=Rating.choices, blank=True)
    return_count = models.PositiveIntegerField("退回次数", default=0)
    overdue_marked_on = models.DateField("标记逾期日期", null=True, blank=True)
    escalated_on = models.DateField("升级督办日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="lead_unit__division__path", agency="lead_unit__path")

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["-assigned_on", "-pk"]
        indexes = [models.Index(fields=["state", "assigned_on"], name="supervision_task_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating="") | Q(state="closed"), name="supervision_task_rating_only_closed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """督办编号: the year of assignment and the id."""
        return f"DB{self.assigned_on.year}-{self.pk:06d}" if self.pk else "DB（未保存）"

    @property
    def is_open(self) -> bool:
        return self.state != TaskState.CLOSED


class TaskReport(models.Model):
    """One step on a task, dated: 签收, 部署, 反馈, 申请销号, 退回 (with reasons), 销号 (with the rating)."""

    task = models.ForeignKey(Task, verbose_name="督办事项", on_delete=models.CASCADE, related_name="reports")
    action = models.CharField("事项", max_length=20, choices=TaskAction.choices)
    on = models.DateField("日期")
    text = models.TextField("内容", blank=True)
    state_before = models.CharField("原状态", max_length=20, choices=TaskState.choices)
    state_after = models.CharField("新状态", max_length=20, choices=TaskState.choices)
    node = models.ForeignKey(
        "TaskNode", verbose_name="对应节点", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.CharField("经办人", max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="task__lead_unit__division__path", agency="task__lead_unit__path")

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.task.number} {self.get_action_display()} {self.on.isoformat()}"


class TaskNode(models.Model):
    """A reporting node (时间节点) the assigning office sets on a long-running task; reported by a progress report."""

    task = models.ForeignKey(Task, verbose_name="督办事项", on_delete=models.CASCADE, related_name="nodes")
    title = models.CharField("节点内容", max_length=200)
    due_on = models.DateField("报告截止日")
    done_on = models.DateField("报告日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="task__lead_unit__division__path", agency="task__lead_unit__path")

    class Meta:
        verbose_name = "时间节点"
        verbose_name_plural = "时间节点"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title}（{self.due_on.isoformat()}）"


class Notice(models.Model):
    """An in-app reminder to a unit (shown to its staff; overdue ones also e-mailed). One per task, kind, key and
    recipient, so the sweep can run any number of times."""

    task = models.ForeignKey(Task, verbose_name="督办事项", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("类型", max_length=16, choices=NoticeKind.choices)
    key = models.CharField("节点", max_length=64, blank=True, help_text="逾期的节点（期限代码或时间节点）")
    recipient = models.ForeignKey(Agency, verbose_name="接收单位", on_delete=models.PROTECT, related_name="+")
    message = models.CharField("内容", max_length=500)
    emailed = models.PositiveIntegerField("已发邮件数", default=0)
    created_on = models.DateField("日期")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="recipient__division__path", agency="recipient__path")

    class Meta:
        verbose_name = "督办提醒"
        verbose_name_plural = "督办提醒"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "key", "recipient"], name="supervision_notice_once"),
        ]

    def __str__(self) -> str:
        return self.message

"""One import of one file: who, what, how it went, and where its error report is."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from fazhi.org.models import Agency
from fazhi.org.scope import ScopeSpec


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        PARTIAL = "partial", "部分行被拒绝"
        FAILED = "failed", "文件无法使用"
        # the process stopped mid-way (killed, machine down); set when a later run of the same file finishes
        INTERRUPTED = "interrupted", "已中断"

    kind = models.CharField("数据类型", max_length=10)  # penalty | licence
    filename = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("文件摘要", max_length=64, db_index=True)
    file_format = models.CharField("格式", max_length=10, blank=True)
    encoding = models.CharField("编码", max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.RUNNING)
    message = models.TextField("说明", blank=True)
    rows_read = models.PositiveIntegerField("读取行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更正", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    rejected = models.PositiveIntegerField("被拒绝的行", default=0)
    warnings = models.PositiveIntegerField("提示", default=0)
    error_report = models.FileField("错误报告", upload_to="ingest/reports/", blank=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="agency__division__path", agency="agency__path")

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def exit_code(self) -> int:
        return {self.Status.DONE: 0, self.Status.PARTIAL: 1, self.Status.FAILED: 2}.get(self.Status(self.status), 1)

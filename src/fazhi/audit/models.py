"""The audit log (全过程留痕): append-only events chained by SHA-256.

Each event's ``hash`` covers its canonical content and the previous event's hash, so editing, deleting,
reordering or inserting an event breaks the chain at that point. ``ChainHead`` is the single row that writers
lock to append, which keeps concurrent writers from forking the chain (docs/decisions/0002-audit-chain.md).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from fazhi.org.scope import ScopeSpec

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    seq = models.BigIntegerField("序号", unique=True)
    occurred_at = models.DateTimeField("时间")
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    agency_id = models.BigIntegerField("所属机构ID", null=True, blank=True)
    agency_name = models.CharField("所属机构", max_length=200, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    action = models.CharField("操作", max_length=80, db_index=True)
    target_type = models.CharField("对象类型", max_length=80)
    target_id = models.CharField("对象ID", max_length=64)
    target_label = models.CharField("对象", max_length=300, blank=True)
    # Where the target lives in the org trees, so a supervisor sees the history of everything in their jurisdiction.
    target_division_path = models.CharField("对象所在区划", max_length=120, blank=True)
    target_agency_path = models.CharField("对象所属机构", max_length=255, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    reason = models.TextField("理由", blank=True)
    prev_hash = models.CharField("前一事件哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="target_division_path", agency="target_agency_path")

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["agency_id", "seq"], name="audit_agency_idx"),
            models.Index(
                fields=["target_division_path"], name="audit_division_path_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["target_agency_path"], name="audit_agency_path_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_label or self.target_id}"


class ChainHead(models.Model):
    """The tip of the chain: one row (pk=1), locked by every append."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"

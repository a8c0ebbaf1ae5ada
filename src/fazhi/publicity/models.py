"""双公示 records: administrative licences (行政许可) and penalties (行政处罚) in the national standard's fields.

Field names follow the 2019/2021-generation standard (DOMAIN.md §1.2–1.3); the CF_*/XK_* codes and the
2015–2018 names map onto them in ``fields.py``. A record is never deleted: withdrawal, expiry and repair are
states and entries in the change feed.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q

from fazhi.org.models import Agency
from fazhi.org.scope import ScopeSpec

from .choices import (
    ChangeAction,
    IdType,
    LicenceCategory,
    PartyCategory,
    RecordStatus,
    RepairStatus,
    Severity,
    SpecialField,
)


class PublicityRule(models.Model):
    """How long a penalty stays public, by the regime in force on the decision date (versioned data)."""

    regime = models.CharField("规则", max_length=80)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    special_field = models.CharField("特殊领域", max_length=20, choices=SpecialField.choices, blank=True)
    published = models.BooleanField("是否公示", default=True)
    min_months = models.PositiveSmallIntegerField("最短公示期（月）")
    max_months = models.PositiveSmallIntegerField("最长公示期（月）")
    early_repair = models.BooleanField("可提前修复", default=True)
    legal_source = models.TextField("依据")
    valid_from = models.DateField("施行日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)

    class Meta:
        verbose_name = "公示期限规则"
        verbose_name_plural = "公示期限规则"
        ordering = ["valid_from", "severity", "special_field"]
        constraints = [
            models.UniqueConstraint(fields=["valid_from", "severity", "special_field"], name="publicity_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.regime}：{self.get_severity_display()} {self.min_months}–{self.max_months} 个月"


class SgsRecord(models.Model):
    """What licence and penalty records share: the party, the deciding and the submitting agency, publicity."""

    # Who owns the record in fazhi (the submitting agency); staff scope follows it.
    agency = models.ForeignKey(Agency, verbose_name="报送机构", on_delete=models.PROTECT, related_name="+")

    party_name = models.CharField("行政相对人名称", max_length=200)
    party_category = models.CharField("行政相对人类别", max_length=24, choices=PartyCategory.choices)
    party_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    party_reg_no = models.CharField("工商注册号", max_length=50, blank=True)
    party_org_code = models.CharField("组织机构代码", max_length=20, blank=True)
    party_tax_no = models.CharField("税务登记号", max_length=30, blank=True)
    party_institution_no = models.CharField("事业单位证书号", max_length=30, blank=True)
    party_social_org_no = models.CharField("社会组织登记证号", max_length=30, blank=True)
    legal_rep = models.CharField("法定代表人", max_length=100, blank=True)
    legal_rep_id_type = models.CharField("法定代表人证件类型", max_length=20, choices=IdType.choices, blank=True)
    legal_rep_id_number = models.CharField("法定代表人证件号码", max_length=40, blank=True)
    party_id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, blank=True)
    party_id_number = models.CharField("证件号码", max_length=40, blank=True)

    doc_number = models.CharField("决定文书号（原文）", max_length=200)
    doc_number_key = models.CharField("决定文书号（规范）", max_length=200, db_index=True)
    decided_on = models.DateField("决定日期", db_index=True)
    decision_agency_name = models.CharField("决定机关", max_length=200)
    decision_agency_uscc = models.CharField("决定机关统一社会信用代码", max_length=18)
    source_agency_name = models.CharField("数据来源单位", max_length=200)
    source_agency_uscc = models.CharField("数据来源单位统一社会信用代码", max_length=18)
    remarks = models.TextField("备注", blank=True)

    status = models.CharField("状态", max_length=16, choices=RecordStatus.choices, default=RecordStatus.PUBLISHED)
    published_on = models.DateField("公示日期")
    # Null when the working-day calendar does not cover the period yet (see clock.CalendarDataMissing).
    publish_due = models.DateField("应公示日期（决定后 7 个工作日）", null=True, blank=True)
    published_late = models.BooleanField("超期公示", default=False)
    revoked_on = models.DateField("决定被变更或撤销的日期", null=True, blank=True)
    withdraw_due = models.DateField("应撤回日期（3 个工作日）", null=True, blank=True)
    withdrawn_late = models.BooleanField("超期撤回", default=False)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdraw_reason = models.TextField("撤回原因", blank=True)

    # Idempotency: the same decision for the same party is one record; a changed row is a correction.
    natural_key = models.CharField("记录键", max_length=64, unique=True)
    content_hash = models.CharField("内容摘要", max_length=64)
    created_at = models.DateTimeField("入库时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="agency__division__path", agency="agency__path")

    class Meta:
        abstract = True


class PenaltyRecord(SgsRecord):
    violation_type = models.CharField("违法行为类型", max_length=500)
    facts = models.TextField("违法事实")
    basis = models.TextField("处罚依据")
    kinds = models.JSONField("处罚类别", default=list)
    content = models.TextField("处罚内容")
    fine_wan = models.DecimalField("罚款金额（万元）", max_digits=18, decimal_places=6, null=True, blank=True)
    confiscation_wan = models.DecimalField(
        "没收违法所得、没收非法财物的金额（万元）", max_digits=18, decimal_places=6, null=True, blank=True
    )
    licence_affected = models.CharField("暂扣或吊销证照名称及编号", max_length=500, blank=True)
    valid_until = models.DateField("处罚有效期", null=True, blank=True)
    publicity_until_given = models.DateField("公示截止期（报送值）", null=True, blank=True)

    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    special_field = models.CharField("特殊领域", max_length=20, choices=SpecialField.choices, blank=True)
    publicity_min_end = models.DateField("最短公示期届满", null=True, blank=True)
    publicity_max_end = models.DateField("最长公示期届满", null=True, blank=True, db_index=True)
    early_repair = models.BooleanField("可提前修复", default=True)
    repaired_on = models.DateField("信用修复日期", null=True, blank=True)

    class Meta:
        verbose_name = "行政处罚信息"
        verbose_name_plural = "行政处罚信息"
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "decided_on"], name="penalty_agency_date_idx"),
            models.Index(fields=["status", "publicity_max_end"], name="penalty_status_end_idx"),
            # the withdrawals of a year (a figure): a handful among millions, so only they are indexed
            models.Index(
                fields=["withdrawn_on"], name="penalty_withdrawn_idx", condition=Q(withdrawn_on__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.party_name}"


class LicenceRecord(SgsRecord):
    doc_title = models.CharField("行政许可决定文书名称", max_length=300)
    category = models.CharField("许可类别", max_length=16, choices=LicenceCategory.choices)
    category_other = models.CharField("许可类别（其他）", max_length=100, blank=True)
    certificate_name = models.CharField("许可证书名称", max_length=200, blank=True)
    licence_number = models.CharField("许可编号", max_length=200, blank=True)
    content = models.TextField("许可内容")
    valid_from = models.DateField("有效期自")
    valid_until = models.DateField("有效期至")

    class Meta:
        verbose_name = "行政许可信息"
        verbose_name_plural = "行政许可信息"
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "decided_on"], name="licence_agency_date_idx"),
            models.Index(
                fields=["withdrawn_on"], name="licence_withdrawn_idx", condition=Q(withdrawn_on__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.party_name}"

    @property
    def long_term(self) -> bool:
        return self.valid_until.year == 2099 and self.valid_until.month == 12 and self.valid_until.day == 31


class Change(models.Model):
    """The ordered change feed a downstream copy follows to stay exact (publish, correct, withdraw, repair, expire).

    ``public`` is the record as the public sees it after the change (masked), or null when it left public view.
    """

    seq = models.BigAutoField("序号", primary_key=True)
    record_type = models.CharField("记录类型", max_length=10)  # penalty | licence
    record_id = models.BigIntegerField("记录ID")
    action = models.CharField("变更", max_length=10, choices=ChangeAction.choices)
    occurred_at = models.DateTimeField("时间", auto_now_add=True)
    public = models.JSONField("公开内容", null=True, blank=True)

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["seq"]
        indexes = [models.Index(fields=["record_type", "record_id"], name="change_record_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.record_type}:{self.record_id}"


class CreditRepair(models.Model):
    """An application for credit repair (信用修复) of a penalty record."""

    record = models.ForeignKey(PenaltyRecord, on_delete=models.PROTECT, related_name="repairs")
    applicant_name = models.CharField("申请人", max_length=200)
    applicant_contact = models.CharField("联系方式", max_length=100)
    commitment = models.TextField("信用修复承诺")
    performed_statement = models.TextField("履行处罚义务情况")
    status = models.CharField("状态", max_length=12, choices=RepairStatus.choices, default=RepairStatus.SUBMITTED)
    submitted_on = models.DateField("申请日期")
    review_due = models.DateField("审核期限")
    decided_on = models.DateField("审核日期", null=True, blank=True)
    decision_reason = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="record__agency__division__path", agency="record__agency__path")

    class Meta:
        verbose_name = "信用修复申请"
        verbose_name_plural = "信用修复申请"
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.applicant_name}：{self.record.doc_number}"


class RepairMaterial(models.Model):
    repair = models.ForeignKey(CreditRepair, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField("材料名称", max_length=100)
    file = models.FileField("文件", upload_to="credit-repair/%Y/%m/")
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "修复材料"
        verbose_name_plural = "修复材料"

    def __str__(self) -> str:
        return self.title

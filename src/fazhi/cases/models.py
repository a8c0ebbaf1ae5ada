"""Enforcement cases (执法案件) and their whole-process record (全过程记录).

A case's history is its ``CaseRecord`` rows: one per act (立案, 调查取证, 告知, 听证, 法制审核, 决定, 送达, 执行, 结案,
撤案, 归档, 公示), each dated, with the officers who took part (and the certificate each held on that day), its
attachments (stored with their SHA-256) and the sequence number and hash of the audit event that recorded it, so every
act is a link of the audit chain. Nothing here is saved by views, the API or the admin: every write goes through
``services.py``.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.enforcement.models import Certificate, EnforcementBody, Officer
from fazhi.org.models import Agency
from fazhi.org.scope import ScopeSpec

from .choices import CaseAction, CaseKind, CaseStatus, HearingParty, MediaKind, Outcome, PartyCategory, ReviewResult


class HearingThreshold(models.Model):
    """较大数额 above which a proposed fine or confiscation lets the party ask for a hearing (行政处罚法第六十三条).
    Each province sets it, so it is data, versioned: the row in force on a case's filing date applies (like the
    time limits), and a new standard is a new row from its effective date (the one it replaces ends the day before).
    """

    party = models.CharField("适用对象", max_length=12, choices=HearingParty.choices)
    amount = models.DecimalField("较大数额（元）", max_digits=14, decimal_places=2)
    legal_source = models.TextField("依据")
    valid_from = models.DateField("施行日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="最后一个有效日；留空表示现行有效")

    class Meta:
        verbose_name = "听证较大数额标准"
        verbose_name_plural = "听证较大数额标准"
        ordering = ["party", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["party", "valid_from"], name="cases_hearing_threshold_unique")]

    def __str__(self) -> str:
        return f"{self.get_party_display()}：{self.amount} 元起（{self.valid_from} 起施行）"


class MajorItem(models.Model):
    """One item of an agency's own 重大执法决定法制审核目录清单 (versioned: in force from ``valid_from`` to
    ``valid_to`` inclusive). A case that matches one needs 法制审核 before it is decided, like the four cases of
    第五十八条."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("事项", max_length=300)
    legal_source = models.TextField("依据", blank=True)
    valid_from = models.DateField("施行日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="最后一个有效日；留空表示现行有效")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="agency__division__path", agency="agency__path")

    class Meta:
        verbose_name = "重大执法决定目录事项"
        verbose_name_plural = "重大执法决定目录"
        ordering = ["agency_id", "valid_from", "id"]

    def __str__(self) -> str:
        return self.title


class LegalQualification(models.Model):
    """法律职业资格 of a staff member who does 法制审核 (行政处罚法第五十八条第二款). Approving a major decision needs
    the legal-review permission over the case *and* a qualification row in force on the review day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人员", on_delete=models.PROTECT, related_name="legal_qualifications"
    )
    agency = models.ForeignKey(Agency, verbose_name="所在机关", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("法律职业资格证书编号", max_length=40)
    obtained_on = models.DateField("取得日期")
    revoked_on = models.DateField("失效日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="agency__division__path", agency="agency__path")

    class Meta:
        verbose_name = "法律职业资格"
        verbose_name_plural = "法律职业资格"
        ordering = ["-obtained_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["number"], name="cases_qualification_unique_number")]

    def __str__(self) -> str:
        return self.number


class CaseSerial(models.Model):
    """The last case number used per agency and year, taken under a row lock."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "案号序列"
        verbose_name_plural = "案号序列"
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="cases_serial_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class EnforcementCase(models.Model):
    body = models.ForeignKey(EnforcementBody, verbose_name="执法主体", on_delete=models.PROTECT, related_name="cases")
    agency = models.ForeignKey(Agency, verbose_name="办案机关", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("案号", max_length=60, unique=True)
    kind = models.CharField("案件类别", max_length=16, choices=CaseKind.choices)
    title = models.CharField("案由", max_length=300)
    status = models.CharField("状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.FILED)
    filed_on = models.DateField("立案日期")
    source = models.TextField("案件来源与基本情况", blank=True)
    party_name = models.CharField("当事人", max_length=200)
    party_category = models.CharField("当事人类别", max_length=16, choices=PartyCategory.choices)
    party_code = models.CharField("统一社会信用代码或身份证号码", max_length=18, blank=True)
    legal_rep = models.CharField("法定代表人（负责人）", max_length=100, blank=True)
    # 第五十八条 checklist (and the agency's own list)
    major_public_interest = models.BooleanField("涉及重大公共利益", default=False)
    major_hearing = models.BooleanField("经过听证程序的重大权益案件", default=False)
    major_complex = models.BooleanField("疑难复杂、涉及多个法律关系", default=False)
    major_other_law = models.BooleanField("法律法规规定的其他情形", default=False)
    major_items = models.ManyToManyField(MajorItem, verbose_name="本机关重大执法决定目录事项", blank=True)
    # 告知: the proposed penalty
    proposed_kinds = models.JSONField("拟处罚种类", default=list, blank=True)
    proposed_fine = models.DecimalField("拟罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    hearing_requested = models.BooleanField("当事人申请听证", default=False)
    # 决定
    outcome = models.CharField("决定结果", max_length=16, choices=Outcome.choices, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_number = models.CharField("决定书文号", max_length=200, blank=True)
    violation_type = models.CharField("违法行为类型", max_length=500, blank=True)
    facts = models.TextField("违法事实", blank=True)
    basis = models.TextField("处罚依据", blank=True)
    decision_kinds = models.JSONField("处罚种类", default=list, blank=True)
    fine = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    decision_content = models.TextField("决定内容", blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    executed_on = models.DateField("执行日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    # 公示
    publish_limit = models.CharField("公示期限代码", max_length=64, blank=True)
    publish_due = models.DateField("公示截止", null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)
    publish_met = models.BooleanField("按期公示", null=True, blank=True)
    published_where = models.CharField("公示位置", max_length=500, blank=True)
    penalty_record = models.ForeignKey(
        "publicity.PenaltyRecord",
        verbose_name="双公示记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="agency__division__path", agency="agency__path")

    class Meta:
        verbose_name = "行政执法案件"
        verbose_name_plural = "行政执法案件"
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["agency", "status"], name="cases_agency_status_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def article_58(self) -> list[str]:
        from .choices import ARTICLE_58

        return [label for name, label in ARTICLE_58 if getattr(self, name)]


class CaseRecord(models.Model):
    """One act of the whole-process record. ``audit_seq`` / ``audit_hash`` name the audit event that recorded it."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="records")
    action = models.CharField("环节", max_length=20, choices=CaseAction.choices)
    on = models.DateField("日期")
    status_before = models.CharField("原状态", max_length=16, choices=CaseStatus.choices, blank=True)
    status_after = models.CharField("新状态", max_length=16, choices=CaseStatus.choices)
    summary = models.TextField("记录内容", blank=True)
    details = models.JSONField("明细", default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by_name = models.CharField("记录人姓名", max_length=150, blank=True)
    audit_seq = models.PositiveBigIntegerField("留痕序号", null=True, blank=True)
    audit_hash = models.CharField("留痕哈希", max_length=64, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="case__agency__division__path", agency="case__agency__path")

    class Meta:
        verbose_name = "全过程记录"
        verbose_name_plural = "全过程记录"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on.isoformat()} {self.get_action_display()}"


class CaseRecordOfficer(models.Model):
    """An officer who took part in an act, with the certificate that was valid on the act's date."""

    record = models.ForeignKey(CaseRecord, on_delete=models.PROTECT, related_name="officers")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey(Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    certificate_number = models.CharField("执法证号", max_length=20, blank=True)

    class Meta:
        verbose_name = "参与执法人员"
        verbose_name_plural = "参与执法人员"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["record", "officer"], name="cases_record_officer_unique")]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.certificate_number}"


def _upload_to(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    """A file of an act (文书, 照片, 录音, 录像), stored under its SHA-256; checked again on every download."""

    record = models.ForeignKey(CaseRecord, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("文件", upload_to=_upload_to, max_length=200)
    name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("类型", max_length=100, blank=True)
    media = models.CharField("材料类别", max_length=16, choices=MediaKind.choices)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(
        division="record__case__agency__division__path", agency="record__case__agency__path"
    )

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class LegalReview(models.Model):
    """法制审核 of one case: submitted by the handler, decided by a qualified reviewer (同意 or 退回 with reasons)."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="reviews")
    submitted_on = models.DateField("提请日期")
    submitted_by_name = models.CharField("提请人", max_length=150, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer_name = models.CharField("审核人员姓名", max_length=150, blank=True)
    qualification = models.ForeignKey(
        LegalQualification,
        verbose_name="法律职业资格",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.CharField("审核结果", max_length=16, choices=ReviewResult.choices, blank=True)
    opinion = models.TextField("审核意见", blank=True)
    decided_on = models.DateField("审核日期", null=True, blank=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="case__agency__division__path", agency="case__agency__path")

    class Meta:
        verbose_name = "法制审核"
        verbose_name_plural = "法制审核"
        ordering = ["submitted_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(result=""), name="cases_one_open_review"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.submitted_on.isoformat()} {self.get_result_display()}"

"""Enforcement bodies (执法主体), officers (执法人员) and their certificates (执法证), the power list (权责清单).

Nothing here is saved directly by views, the API or the admin: every write goes through ``services.py``. A
certificate's history is its ``CertificateEvent`` rows (each with its effective date), from which
``lifecycle.validity_on`` answers "was this certificate valid on that day". A power item's history is its
``PowerAdjustment`` rows, from which the list as of any date is derived.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q

from fazhi.clock.choices import Confidence
from fazhi.org.models import Agency, Division
from fazhi.org.scope import ScopeSpec

from .choices import (
    AdjustmentKind,
    BodyKind,
    CertificateAction,
    CertificateStatus,
    Employment,
    OfficerStatus,
    PowerCategory,
    PowerStatus,
)


class Domain(models.Model):
    """One 执法领域 of the code list (data: seeded by a migration, extended in the back office)."""

    code = models.SlugField("代码", max_length=32, unique=True)
    number = models.CharField("证号领域码", max_length=2, unique=True, help_text="两位数字，用于执法证号")
    name = models.CharField("名称", max_length=40)
    sort = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "执法领域"
        verbose_name_plural = "执法领域"
        ordering = ["sort", "number"]

    def __str__(self) -> str:
        return self.name


class EnforcementBody(models.Model):
    """执法主体: an agency, an organisation authorised by law, or a comprehensive enforcement team."""

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("主体类别", max_length=16, choices=BodyKind.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name="所属机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_bodies",
        help_text="行政机关即其本身；授权组织、执法队伍为其主管或所属机关",
    )
    division = models.ForeignKey(Division, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_basis = models.TextField("执法依据")
    domains = models.ManyToManyField(Domain, verbose_name="执法领域", related_name="bodies")
    remedy_channels = models.TextField("救济渠道", blank=True)
    procedure = models.TextField("执法程序", blank=True)
    contact = models.CharField("办公地址与联系电话", max_length=300, blank=True)
    is_active = models.BooleanField("现行有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="division__path", agency="agency__path")

    class Meta:
        verbose_name = "执法主体"
        verbose_name_plural = "执法主体"
        ordering = ["division__code", "name"]
        constraints = [models.UniqueConstraint(fields=["division", "name"], name="enforcement_body_unique_name")]

    def __str__(self) -> str:
        return self.name


class Officer(models.Model):
    """执法人员 of one body. ID number, birth date and phone are staff-only; public pages never show them."""

    body = models.ForeignKey(
        EnforcementBody, verbose_name="执法主体", on_delete=models.PROTECT, related_name="officers"
    )
    name = models.CharField("姓名", max_length=60)
    id_number = models.CharField("居民身份证号码", max_length=18)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    position = models.CharField("职务", max_length=60, blank=True)
    employment = models.CharField("编制与用工类型", max_length=20, choices=Employment.choices)
    status = models.CharField("在职状态", max_length=16, choices=OfficerStatus.choices, default=OfficerStatus.ON_DUTY)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="body__division__path", agency="body__agency__path")

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["body_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "id_number"], name="enforcement_officer_unique_id")]

    def __str__(self) -> str:
        return f"{self.name}（{self.body.name}）"


class CertificateRule(models.Model):
    """The certificate rules in force from ``valid_from`` (versioned data; a certificate keeps the version it was
    issued under)."""

    name = models.CharField("规则名称", max_length=200)
    validity_years = models.PositiveSmallIntegerField("有效期（年）")
    annual_review = models.BooleanField("每年审验", default=True)
    review_interval_months = models.PositiveSmallIntegerField("年审间隔（月）", default=12)
    review_grace_days = models.PositiveSmallIntegerField(
        "年审宽限（日）", default=0, help_text="年审到期后仍可使用的天数；超过即不得执法，直至年审合格"
    )
    renewal_window_days = models.PositiveSmallIntegerField("换证期（到期前日数）")
    exam_valid_months = models.PositiveSmallIntegerField("考试合格有效期（月）")
    pass_score = models.PositiveSmallIntegerField("考试合格分数")
    legal_source = models.TextField("依据")
    confidence = models.CharField("可信度", max_length=8, choices=Confidence.choices)
    note = models.TextField("说明（推定项）", blank=True)
    valid_from = models.DateField("施行日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="最后一个有效日；留空表示现行有效")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法证件规则"
        verbose_name_plural = "执法证件规则"
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["valid_from"], name="enforcement_rule_unique_from"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="enforcement_rule_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from.isoformat()}起）"


class Certificate(models.Model):
    """One certificate, from the application to its end. A renewal or a reissue is a new certificate that
    ``replaces`` the old one (a new number); the old one's history stays as it was."""

    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField("执法证号", max_length=20, unique=True, null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=CertificateStatus.choices)
    domains = models.ManyToManyField(Domain, verbose_name="执法领域", related_name="certificates")
    rule = models.ForeignKey(
        CertificateRule, verbose_name="适用规则", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_on = models.DateField("申领日期")
    training_hours = models.PositiveSmallIntegerField("培训学时", null=True, blank=True)
    exam_on = models.DateField("考试日期", null=True, blank=True)
    exam_score = models.PositiveSmallIntegerField("考试成绩", null=True, blank=True)
    issued_on = models.DateField("发证日期", null=True, blank=True)
    expires_on = models.DateField("有效期至", null=True, blank=True)
    review_due = models.DateField(
        "年审截止", null=True, blank=True, help_text="不再年审时仍有效的最后一日（含宽限）；由年审与发证更新"
    )
    replaces = models.ForeignKey(
        "self", verbose_name="取代的证件", null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )
    ended_on = models.DateField("终止日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(
        division="officer__body__division__path", agency="officer__body__agency__path"
    )

    class Meta:
        verbose_name = "执法证件"
        verbose_name_plural = "执法证件"
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["status", "expires_on"], name="enforcement_cert_status_idx")]

    def __str__(self) -> str:
        return self.number or f"申领#{self.pk}"


class CertificateEvent(models.Model):
    """One step of a certificate's life, effective on ``on``. Events of a certificate are in date order (a
    service refuses a step dated before the last one), so the status on any day is the last event up to it."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("事项", max_length=16, choices=CertificateAction.choices)
    on = models.DateField("生效日期")
    status_before = models.CharField("原状态", max_length=16, choices=CertificateStatus.choices, blank=True)
    status_after = models.CharField("新状态", max_length=16, choices=CertificateStatus.choices)
    reason = models.TextField("理由", blank=True)
    doc_number = models.CharField("文号", max_length=200, blank=True)
    details = models.JSONField("明细", default=dict, blank=True)
    recorded_by = models.CharField("经办人", max_length=150, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(
        division="certificate__officer__body__division__path", agency="certificate__officer__body__agency__path"
    )

    class Meta:
        verbose_name = "证件事项"
        verbose_name_plural = "证件事项"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on.isoformat()} {self.get_action_display()}"


class CertificateSerial(models.Model):
    """The last serial used per certificate-number prefix (province + domain), taken under a row lock."""

    prefix = models.CharField(max_length=8, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "证号序列"
        verbose_name_plural = "证号序列"

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


class PowerItem(models.Model):
    """权责清单事项 as it stands now; its ``adjustments`` are the dated history the list as of any day comes from."""

    body = models.ForeignKey(
        EnforcementBody, verbose_name="实施主体", on_delete=models.PROTECT, related_name="power_items"
    )
    code = models.CharField("事项编码", max_length=60)
    name = models.CharField("事项名称", max_length=300)
    category = models.CharField("权力类别", max_length=16, choices=PowerCategory.choices)
    legal_basis = models.TextField("设定依据")
    domain = models.ForeignKey(
        Domain, verbose_name="执法领域", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    random_inspection = models.BooleanField("列入随机抽查事项清单", default=False)
    inspection_scope = models.TextField("抽查对象、比例与频次", blank=True)
    status = models.CharField("状态", max_length=16, choices=PowerStatus.choices, default=PowerStatus.IN_FORCE)
    effective_on = models.DateField("最近调整生效日期")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="body__division__path", agency="body__agency__path")

    class Meta:
        verbose_name = "权责清单事项"
        verbose_name_plural = "权责清单事项"
        ordering = ["body_id", "category", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "code"], condition=Q(status="in_force"), name="enforcement_power_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PowerAdjustment(models.Model):
    """One adjustment of the power list (新增、变更、取消、下放、划转): when, by which document, what before and after.

    ``after`` is the item's public state from ``effective_on`` on (``None`` once cancelled); ``body`` is the
    responsible body from then on (for a cancellation: the last one), so a body's list on any day is the items whose
    latest adjustment up to that day names it and has a state."""

    item = models.ForeignKey(PowerItem, on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField("调整类型", max_length=16, choices=AdjustmentKind.choices)
    effective_on = models.DateField("生效日期")
    doc_number = models.CharField("调整文号", max_length=200)
    doc_number_key = models.CharField("文号（规范）", max_length=200, db_index=True)
    reason = models.TextField("调整说明", blank=True)
    body = models.ForeignKey(EnforcementBody, verbose_name="调整后实施主体", on_delete=models.PROTECT, related_name="+")
    before = models.JSONField("调整前", null=True, blank=True)
    after = models.JSONField("调整后", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="item__body__division__path", agency="item__body__agency__path")

    class Meta:
        verbose_name = "权责清单调整"
        verbose_name_plural = "权责清单调整"
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["body", "effective_on"], name="enforcement_adj_body_idx")]

    def __str__(self) -> str:
        return f"{self.effective_on.isoformat()} {self.get_kind_display()} {self.doc_number}"

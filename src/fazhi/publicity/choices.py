"""Code lists of the 双公示 standard (DOMAIN.md §1.4) and fazhi's own states."""

from __future__ import annotations

from django.db import models


class PartyCategory(models.TextChoices):
    LEGAL = "legal", "法人及非法人组织"
    NATURAL = "natural", "自然人"
    INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "身份证"
    PASSPORT = "passport", "护照号"
    HK_MACAO_PERMIT = "hk_macao_permit", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan_permit", "台湾居民来往大陆通行证"
    FOREIGN_PR = "foreign_pr", "外国人永久居留身份证"
    OTHER = "other", "其他"


class PenaltyKind(models.TextChoices):
    """行政处罚法(2021)第九条, plus the legacy combined class of the pre-2021 code list."""

    WARNING = "warning", "警告"
    CRITICISM = "criticism", "通报批评"
    FINE = "fine", "罚款"
    CONFISCATE_INCOME = "confiscate_income", "没收违法所得"
    CONFISCATE_PROPERTY = "confiscate_property", "没收非法财物"
    SUSPEND_LICENCE = "suspend_licence", "暂扣许可证件"
    LOWER_QUALIFICATION = "lower_qualification", "降低资质等级"
    REVOKE_LICENCE = "revoke_licence", "吊销许可证件"
    SUSPEND_OR_REVOKE = "suspend_or_revoke", "暂扣或者吊销许可证、执照"
    RESTRICT_OPERATION = "restrict_operation", "限制开展生产经营活动"
    ORDER_SUSPENSION = "order_suspension", "责令停产停业"
    ORDER_CLOSURE = "order_closure", "责令关闭"
    RESTRICT_EMPLOYMENT = "restrict_employment", "限制从业"
    DETENTION = "detention", "行政拘留"
    OTHER = "other", "其他"


# The numeric codes of the legacy list (1 警告 … 7/9 其他) that old files carry.
LEGACY_PENALTY_CODES = {
    "1": PenaltyKind.WARNING,
    "2": PenaltyKind.FINE,
    "3": PenaltyKind.CONFISCATE_INCOME,
    "4": PenaltyKind.ORDER_SUSPENSION,
    "5": PenaltyKind.SUSPEND_OR_REVOKE,
    "6": PenaltyKind.DETENTION,
    "7": PenaltyKind.OTHER,
    "9": PenaltyKind.OTHER,
}

# Kinds that need the licence name and number (暂扣或吊销证照名称及编号).
KINDS_NEEDING_LICENCE = {
    PenaltyKind.SUSPEND_LICENCE,
    PenaltyKind.REVOKE_LICENCE,
    PenaltyKind.SUSPEND_OR_REVOKE,
    PenaltyKind.LOWER_QUALIFICATION,
}
KINDS_CONFISCATING = {PenaltyKind.CONFISCATE_INCOME, PenaltyKind.CONFISCATE_PROPERTY}


class LicenceCategory(models.TextChoices):
    ORDINARY = "ordinary", "普通"
    FRANCHISE = "franchise", "特许"
    RECOGNITION = "recognition", "认可"
    APPROVAL = "approval", "核准"
    REGISTRATION = "registration", "登记"
    OTHER = "other", "其他"


class Severity(models.TextChoices):
    """失信行为的严重程度 that decides the publicity window (DOMAIN.md §1.6)."""

    MINOR = "minor", "轻微"
    GENERAL = "general", "一般"
    SERIOUS = "serious", "严重"


class SpecialField(models.TextChoices):
    """Fields with longer minimum publicity under the 2023 rules (特种设备、安全生产、消防)."""

    NONE = "", "无"
    SPECIAL_EQUIPMENT = "special_equipment", "特种设备"
    WORK_SAFETY = "work_safety", "安全生产"
    FIRE = "fire", "消防"


class RecordStatus(models.TextChoices):
    PUBLISHED = "published", "公示中"
    WITHDRAWN = "withdrawn", "已撤回"
    EXPIRED = "expired", "公示期满"
    REPAIRED = "repaired", "已信用修复"
    NOT_PUBLISHED = "not_published", "依规不予公示"


class ChangeAction(models.TextChoices):
    PUBLISH = "publish", "公示"
    CORRECT = "correct", "更正"
    WITHDRAW = "withdraw", "撤回"
    REPAIR = "repair", "信用修复"
    EXPIRE = "expire", "公示期满"


class RepairStatus(models.TextChoices):
    SUBMITTED = "submitted", "已申请"
    APPROVED = "approved", "已修复"
    REJECTED = "rejected", "不予修复"

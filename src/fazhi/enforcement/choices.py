"""Code lists of the enforcement module. The 执法领域 list is data (``models.Domain``, seeded by a migration); the
lists here are fixed by law or by fazhi's own design."""

from __future__ import annotations

from django.db import models


class BodyKind(models.TextChoices):
    """Who may enforce in their own name (行政处罚法第十七、十九条; 综合行政执法改革)."""

    AGENCY = "agency", "行政机关"
    AUTHORISED = "authorised", "法律法规授权的组织"
    TEAM = "team", "综合行政执法队伍"


class Employment(models.TextChoices):
    """编制 and employment type. Only 在编在职 staff may hold an enforcement certificate (DOMAIN.md §5.1)."""

    CIVIL_SERVANT = "civil_servant", "行政编制（公务员）"
    REFERENCE_MANAGED = "reference_managed", "参照公务员法管理的事业编制"
    INSTITUTION = "institution", "事业编制"
    WORKER = "worker", "工勤人员"
    CONTRACT = "contract", "劳动合同工"
    DISPATCHED = "dispatched", "劳务派遣人员"
    TEMPORARY = "temporary", "临时工"


ELIGIBLE_EMPLOYMENT = frozenset({Employment.CIVIL_SERVANT, Employment.REFERENCE_MANAGED, Employment.INSTITUTION})


class OfficerStatus(models.TextChoices):
    ON_DUTY = "on_duty", "在职"
    TRANSFERRED = "transferred", "已调离"
    RETIRED = "retired", "已退休"
    LEFT = "left", "已离岗"


class CertificateStatus(models.TextChoices):
    """States of one certificate; the allowed moves between them are the table in ``lifecycle.py``."""

    APPLIED = "applied", "已申领（待考试）"
    EXAM_FAILED = "exam_failed", "考试未通过"
    EXAM_PASSED = "exam_passed", "考试合格（待发证）"
    ACTIVE = "active", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "已吊销"
    CANCELLED = "cancelled", "已注销"
    LOST = "lost", "遗失作废"
    REPLACED = "replaced", "已换发新证"


class CertificateAction(models.TextChoices):
    APPLY = "apply", "申领"
    PASS_EXAM = "pass_exam", "登记培训考试（合格）"
    FAIL_EXAM = "fail_exam", "登记培训考试（不合格）"
    ISSUE = "issue", "核发"
    REVIEW_PASS = "review_pass", "年审合格"
    REVIEW_FAIL = "review_fail", "年审不合格（暂扣）"
    SUSPEND = "suspend", "暂扣"
    RESTORE = "restore", "解除暂扣"
    REVOKE = "revoke", "吊销"
    CANCEL = "cancel", "注销"
    REPORT_LOSS = "report_loss", "遗失声明作废"
    REISSUE = "reissue", "补发新证"
    RENEW = "renew", "换发新证"


class CancelReason(models.TextChoices):
    """Why a certificate is cancelled (注销); the first three also end the officer's service with the body."""

    TRANSFER = "transfer", "调离执法岗位或单位"
    RETIREMENT = "retirement", "退休"
    LEFT = "left", "辞职、辞退或离岗"
    WITHDRAWN = "withdrawn", "撤回申领"
    OTHER = "other", "其他"


# What a cancellation says about the officer (None: the officer stays on duty).
CANCEL_OFFICER_STATUS: dict[str, str | None] = {
    CancelReason.TRANSFER: OfficerStatus.TRANSFERRED,
    CancelReason.RETIREMENT: OfficerStatus.RETIRED,
    CancelReason.LEFT: OfficerStatus.LEFT,
    CancelReason.WITHDRAWN: None,
    CancelReason.OTHER: None,
}


class PowerCategory(models.TextChoices):
    """权责清单 categories (DOMAIN.md §8, common practice)."""

    LICENCE = "licence", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    BENEFIT = "benefit", "行政给付"
    INSPECTION = "inspection", "行政检查"
    CONFIRMATION = "confirmation", "行政确认"
    REWARD = "reward", "行政奖励"
    ADJUDICATION = "adjudication", "行政裁决"
    OTHER = "other", "其他行政权力"


class AdjustmentKind(models.TextChoices):
    """权责清单 dynamic adjustment (动态调整): each one is a dated record with its 文号."""

    ADDED = "added", "新增"
    CHANGED = "changed", "变更"
    CANCELLED = "cancelled", "取消"
    DELEGATED = "delegated", "下放"
    TRANSFERRED = "transferred", "划转"


class PowerStatus(models.TextChoices):
    IN_FORCE = "in_force", "现行"
    CANCELLED = "cancelled", "已取消"

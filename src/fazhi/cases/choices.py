"""Code lists of the cases module: case kinds, states, acts, decision outcomes, attachment kinds, the four cases of
行政处罚法第五十八条. The allowed moves between states are the table in ``lifecycle.py``."""

from __future__ import annotations

from django.db import models


class CaseKind(models.TextChoices):
    PENALTY = "penalty", "行政处罚案件"
    OTHER = "other", "行政强制、行政检查等其他执法案件"


class CaseStatus(models.TextChoices):
    FILED = "filed", "已立案"
    INVESTIGATING = "investigating", "调查取证中"
    NOTIFIED = "notified", "已告知"
    HEARING = "hearing", "待听证"
    HEARD = "heard", "已听证"
    UNDER_REVIEW = "under_review", "法制审核中"
    REVIEWED = "reviewed", "法制审核通过"
    DECIDED = "decided", "已决定"
    SERVED = "served", "已送达"
    EXECUTED = "executed", "已执行"
    CLOSED = "closed", "已结案"
    WITHDRAWN = "withdrawn", "已撤销立案"
    ARCHIVED = "archived", "已归档"


class CaseAction(models.TextChoices):
    FILE = "file", "立案"
    INVESTIGATE = "investigate", "调查取证"
    NOTIFY = "notify", "告知"
    REQUEST_HEARING = "request_hearing", "当事人申请听证"
    HOLD_HEARING = "hold_hearing", "举行听证"
    SUBMIT_REVIEW = "submit_review", "提请法制审核"
    APPROVE_REVIEW = "approve_review", "法制审核通过"
    REJECT_REVIEW = "reject_review", "法制审核不通过（退回）"
    DECIDE = "decide", "作出决定"
    SERVE = "serve", "送达"
    EXECUTE = "execute", "执行"
    CLOSE = "close", "结案"
    WITHDRAW = "withdraw", "撤销立案"
    ARCHIVE = "archive", "归档"
    PUBLISH = "publish", "公示执法决定"


class Outcome(models.TextChoices):
    """What the decision step decided (作出决定)."""

    PENALTY = "penalty", "给予行政处罚"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    OTHER = "other", "其他执法决定（行政强制、检查处理等）"


class PartyCategory(models.TextChoices):
    """The 双公示 categories (publicity field CF_XDR_LB)."""

    ORGANISATION = "法人及非法人组织", "法人及非法人组织"
    PERSON = "自然人", "自然人"
    INDIVIDUAL_BUSINESS = "个体工商户", "个体工商户"


class HearingParty(models.TextChoices):
    """Whom a 较大数额 standard is for (行政处罚法第六十三条: standards differ for citizens and organisations)."""

    PERSON = "person", "公民（自然人）"
    ORGANISATION = "organisation", "法人或者其他组织"


class MediaKind(models.TextChoices):
    DOCUMENT = "document", "文书"
    IMAGE = "image", "照片"
    AUDIO = "audio", "录音"
    VIDEO = "video", "录像"
    OTHER = "other", "其他"


class ReviewResult(models.TextChoices):
    APPROVED = "approved", "同意（审核通过）"
    REJECTED = "rejected", "不同意（退回）"


# 行政处罚法（2021）第五十八条第一款: the four cases in which a decision needs 法制审核 first (field name, label).
ARTICLE_58 = (
    ("major_public_interest", "（一）涉及重大公共利益的"),
    ("major_hearing", "（二）直接关系当事人或者第三人重大权益，经过听证程序的"),
    ("major_complex", "（三）案件情况疑难复杂、涉及多个法律关系的"),
    ("major_other_law", "（四）法律、法规规定应当进行法制审核的其他情形"),
)

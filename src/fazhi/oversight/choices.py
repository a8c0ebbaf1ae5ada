"""Code lists of the oversight module: campaign states, file review states, ratings, deduction sources and states,
and the auto-check codes (what the record itself can prove, see ``facts.py``)."""

from __future__ import annotations

from django.db import models


class CampaignState(models.TextChoices):
    DRAFT = "draft", "准备"
    SAMPLED = "sampled", "抽取"
    REVIEWING = "reviewing", "评查"
    FEEDBACK = "feedback", "反馈整改"
    DONE = "done", "完成"


class CampaignAction(models.TextChoices):
    SAMPLE = "sample", "抽取案卷"
    START = "start", "开始评查"
    RELEASE = "release", "发布结果（进入反馈整改）"
    FINISH = "finish", "完成评查"


class FileState(models.TextChoices):
    PENDING = "pending", "待评查"
    SUBMITTED = "submitted", "已评分"
    CORRECTED = "corrected", "已报送整改情况"
    ACCEPTED = "accepted", "整改已确认"


class Rating(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class DeductionSource(models.TextChoices):
    AUTO = "auto", "系统自动发现"
    REVIEWER = "reviewer", "评查人员"


class DeductionState(models.TextChoices):
    PROPOSED = "proposed", "待确认"
    CONFIRMED = "confirmed", "已确认"
    DISMISSED = "dismissed", "已排除"


class AutoCheck(models.TextChoices):
    """Defects the case record itself proves (``facts.py`` computes each one)."""

    OFFICERS_LT_TWO = "officers_lt_two", "调查取证等执法活动的执法人员少于两人"
    OFFICER_NO_CERTIFICATE = "officer_no_certificate", "参与执法的人员当日无有效执法证"
    NO_LEGAL_REVIEW_MAJOR = "no_legal_review_major", "重大执法决定未经法制审核（或审核未通过）即作出决定"
    NO_LEGAL_BASIS = "no_legal_basis", "执法决定无法律依据"
    LATE_SERVICE = "late_service", "执法决定书未在法定期限内送达"
    LATE_DECISION = "late_decision", "未在法定办案期限内作出决定"
    LATE_PUBLICITY = "late_publicity", "执法决定未按期公示"

"""Demo data for 案卷评查 and the annual statistics, written through the services after the cases demo has built
closed cases: a provincial campaign (山西省司法厅) that samples closed cases in every agency, every file scored (the
flags the records prove confirmed, one dismissed with a reason, a few deductions the reviewer found), results released
and one agency's correction reported; a city campaign (太原市司法局) left in 评查 with files to score; last year's
statistics for every agency with records (half published, most by 31 January) and this year's so far (computed, not
published: the year is not over).

Deterministic for the ``rng``; does nothing when a campaign exists already.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Max, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from fazhi.cases.models import EnforcementCase
from fazhi.org.models import Agency
from fazhi.publicity.models import LicenceRecord, PenaltyRecord

from . import services
from .choices import CampaignAction, DeductionState
from .models import Campaign, CaseFileReview, Deduction, ReviewTemplate, StatisticsSnapshot, TemplateItem

LABELS = {
    "oversight_campaigns": "案卷评查活动",
    "oversight_files": "抽取评查案卷",
    "oversight_flags": "系统自动发现的案卷问题",
    "oversight_scored": "已评分案卷",
    "oversight_corrections": "报送整改情况",
    "oversight_statistics": "年度执法统计",
    "oversight_statistics_published": "已发布年度执法统计",
}

_PER_AGENCY = {"small": 3, "medium": 4, "large": 6}
_MANUAL = [
    ("文书填写规范、完整，无涂改", "立案审批表缺少承办人签名"),
    ("卷内目录、备考表齐全", "卷内备考表未填写"),
    ("定性准确，法律条款引用具体", "处罚决定书引用条款未写明项"),
    ("裁量适当，符合裁量基准", "未说明适用裁量基准的理由"),
]


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).select_related("staff__agency__division").first()


def _agency_of(user: Any, fallback: str) -> Agency | None:
    staff = getattr(user, "staff", None) if user is not None else None
    if staff is not None:
        return staff.agency
    return Agency.objects.filter(name__contains=fallback).select_related("division").order_by("division__path").first()


def _counts() -> dict[str, int]:
    return {
        "oversight_campaigns": Campaign.objects.count(),
        "oversight_files": CaseFileReview.objects.count(),
        "oversight_flags": Deduction.objects.filter(source="auto").count(),
        "oversight_scored": CaseFileReview.objects.exclude(state="pending").count(),
        "oversight_corrections": CaseFileReview.objects.exclude(correction="").count(),
        "oversight_statistics": StatisticsSnapshot.objects.count(),
        "oversight_statistics_published": StatisticsSnapshot.objects.filter(published_at__isnull=False).count(),
    }


def _score_all(rng: random.Random, actor: Any, campaign: Campaign) -> None:
    items = {i.text: i for i in TemplateItem.objects.filter(section__template=campaign.template)}
    dismissed = False
    for review in campaign.files.order_by("id"):
        for deduction in review.deductions.filter(state=DeductionState.PROPOSED).order_by("id"):
            if not dismissed:
                services.decide_deduction(
                    actor=actor,
                    deduction=deduction,
                    confirm=False,
                    reason="卷内有情况说明：系统记录补录不及时，实际按期办理，有签收回执佐证",
                )
                dismissed = True
            else:
                services.decide_deduction(actor=actor, deduction=deduction, confirm=True)
        if rng.random() < 0.5:
            text, note = rng.choice(_MANUAL)
            if text in items:
                services.add_deduction(actor=actor, review=review, item=items[text], count=rng.randint(1, 2), note=note)
        services.submit_score(actor=actor, review=review, comment="案卷基本规范。" if rng.random() < 0.5 else "")


def _agencies_with_records(year: int) -> list[Agency]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ids = set(LicenceRecord.objects.filter(decided_on__range=(start, end)).values_list("agency_id", flat=True))
    ids |= set(PenaltyRecord.objects.filter(decided_on__range=(start, end)).values_list("agency_id", flat=True))
    ids |= set(
        EnforcementCase.objects.filter(Q(filed_on__range=(start, end)) | Q(decided_on__range=(start, end))).values_list(
            "agency_id", flat=True
        )
    )
    return list(Agency.objects.filter(pk__in=ids).order_by("division__path", "name"))


def generate_oversight(*, rng: random.Random, scale: str) -> dict[str, int]:
    """Build the demo's campaigns and statistics through the services; the counts of what exists afterwards."""
    if Campaign.objects.exists():
        return _counts()
    template = ReviewTemplate.objects.filter(is_active=True).order_by("name", "-version").first()
    closed = EnforcementCase.objects.filter(status__in=services.CLOSED_STATES).annotate(
        done_on=Coalesce("closed_on", "archived_on")
    )
    span = closed.aggregate(first=Min("done_on"), last=Max("done_on"))
    today = timezone.localdate()
    province_user = _user("sheng_sifating")
    province = _agency_of(province_user, "司法厅")
    if template is None or province is None or span["first"] is None:
        return _counts()
    per_agency = _PER_AGENCY[scale]
    campaign = services.create_campaign(
        actor=province_user,
        name=f"{today.year}年度全省行政执法案卷评查",
        year=today.year,
        organiser=province,
        division=province.division,
        template=template,
        closed_from=span["first"],
        closed_to=span["last"],
        per_agency=per_agency,
        seed=f"demo-{rng.randint(1000, 9999)}",
    )
    services.sample_campaign(actor=province_user, campaign=campaign)
    services.advance_campaign(actor=province_user, campaign=campaign, action=CampaignAction.START)
    _score_all(rng, province_user, campaign)
    services.advance_campaign(actor=province_user, campaign=campaign, action=CampaignAction.RELEASE)
    agency_user = _user("xiaodian_zhifa")
    agency_id = getattr(getattr(agency_user, "staff", None), "agency_id", None)
    review = (
        campaign.files.filter(agency_id=agency_id).order_by("score", "id").first()
        if agency_id
        else campaign.files.order_by("score", "id").first()
    )
    if review is not None:
        services.submit_correction(
            actor=agency_user if agency_id else None,
            review=review,
            text="已组织办案人员学习案卷评查标准，补齐卷内备考表和送达回证，并对全局执法人员开展文书制作培训。",
        )
    city_user = _user("taiyuan_sifaju")
    city = _agency_of(city_user, "太原市司法局")
    if city is not None and closed.filter(agency__division__path__startswith=city.division.path).exists():
        second = services.create_campaign(
            actor=city_user,
            name=f"{today.year}年度太原市行政处罚案卷专项评查",
            year=today.year,
            organiser=city,
            division=city.division,
            template=template,
            closed_from=span["first"],
            closed_to=span["last"],
            percent=50,
            seed=f"demo-ty-{rng.randint(1000, 9999)}",
        )
        services.sample_campaign(actor=city_user, campaign=second)
        services.advance_campaign(actor=city_user, campaign=second, action=CampaignAction.START)
    # last year's statistics for every agency with records, half published by 31 January (one in three of those
    # late); this year's so far, computed but not published (the year is not over)
    shanghai = ZoneInfo("Asia/Shanghai")
    for year in (today.year - 1, today.year):
        for n, agency in enumerate(_agencies_with_records(year)[:40]):
            snap = services.compute_statistics(actor=None, agency=agency, year=year)
            if year < today.year and n % 2 == 0:
                day = 33 if n % 6 == 4 else 20 + rng.randint(0, 11)  # 33: 2 February
                at = dt.datetime(year + 1, 1, 1, 10, 0, tzinfo=shanghai) + dt.timedelta(days=day - 1)
                services.publish_statistics(actor=None, snapshot=snap, at=at)
    return _counts()

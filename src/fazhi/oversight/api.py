"""案卷评查 and annual statistics endpoints (``/api/v1/oversight``). Staff endpoints take ``staff_auth`` (API token or
login session); each write is one service call; errors are ``core.errors`` types answered in Chinese by the API root
(404 out of scope, 403 visible but not permitted, 409 conflict, 422 bad input). ``GET /statistics/public`` is open."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from fazhi.core.errors import FieldError, NotFound, ValidationFailed
from fazhi.core.permissions import CASEFILE_REVIEW, ENFORCEMENT_STATS
from fazhi.org import scope
from fazhi.org.auth import staff_auth
from fazhi.org.models import Agency, Division

from . import selectors, services
from . import statistics as stats
from .models import Campaign, CaseFileReview, Deduction, ReviewTemplate, StatisticsSnapshot, TemplateItem

router = Router(tags=["案卷评查与年度执法统计"])


class TallyOut(Schema):
    label: str
    files: int
    scored: int
    average: Decimal | None
    ratings: dict[str, int] = Field(..., description="等次 → 件数（优秀、良好、合格、不合格）")
    vetoed: int
    corrected: int


class ResultsOut(Schema):
    overall: TallyOut
    agencies: list[TallyOut]
    defects: list[tuple[str, int]] = Field(..., description="最常见的扣分项目（项目, 件数）")


class CampaignOut(Schema):
    id: int
    name: str
    year: int
    organiser_id: int
    organiser: str
    division_code: str
    division: str
    template_id: int
    template: str
    per_agency: int | None
    percent: int | None
    closed_from: dt.date
    closed_to: dt.date
    seed: str
    state: str = Field(..., description="draft 准备 / sampled 抽取 / reviewing 评查 / feedback 反馈整改 / done 完成")
    state_label: str


class CampaignDetailOut(CampaignOut):
    results: ResultsOut


class CampaignIn(Schema):
    name: str = Field(..., max_length=200)
    year: int
    organiser_id: int
    division_code: str = Field(..., max_length=12)
    template_id: int
    closed_from: dt.date
    closed_to: dt.date
    per_agency: int | None = None
    percent: int | None = None
    seed: str = Field("", max_length=64)


class AdvanceIn(Schema):
    action: Literal["sample", "start", "release", "finish"]


class DeductionOut(Schema):
    id: int
    item_id: int
    item: str
    section: str
    veto: bool
    source: str = Field(..., description="auto 系统自动发现 / reviewer 评查人员")
    state: str = Field(..., description="proposed 待确认 / confirmed 已确认 / dismissed 已排除")
    count: int
    points: Decimal
    evidence: str
    note: str
    dismiss_reason: str


class FileOut(Schema):
    id: int
    campaign_id: int
    case_id: int
    case_number: str
    case_title: str
    agency_id: int
    agency: str
    state: str = Field(
        ..., description="pending 待评查 / submitted 已评分 / corrected 已报送整改 / accepted 整改已确认"
    )
    state_label: str
    score: Decimal | None
    rating: str
    rating_label: str
    vetoed: bool
    flags: list[str] = Field(..., description="抽取时系统根据案卷记录发现的问题代码")


class FileDetailOut(FileOut):
    facts: dict[str, Any]
    deductions: list[DeductionOut]
    comment: str
    reviewer: str
    correction: str
    acceptance: str


class DeductionIn(Schema):
    item_id: int
    count: int = 1
    note: str = Field(..., max_length=1000)


class DecisionIn(Schema):
    confirm: bool
    reason: str = Field("", max_length=500)


class SubmitIn(Schema):
    comment: str = Field("", max_length=5000)


class CorrectionIn(Schema):
    text: str = Field(..., max_length=5000)


class AcceptIn(Schema):
    opinion: str = Field("", max_length=1000)


class FigureOut(Schema):
    key: str
    title: str
    unit: str
    note: str
    value: Any


class SnapshotOut(Schema):
    id: int
    agency_id: int
    agency: str
    division_code: str
    year: int
    figures: list[FigureOut]
    computed_at: dt.datetime
    deadline: dt.date
    published_at: dt.datetime | None
    on_time: bool | None


class PublicSnapshotOut(Schema):
    agency: str
    division_code: str
    year: int
    figures: list[FigureOut]
    published_on: dt.date
    on_time: bool | None


class ComputeIn(Schema):
    agency_id: int
    year: int


def _tally(t: selectors.Tally) -> TallyOut:
    return TallyOut(
        label=t.label,
        files=t.files,
        scored=t.scored,
        average=t.average,
        ratings=dict(t.per_rating),
        vetoed=t.vetoed,
        corrected=t.corrected,
    )


def _campaign(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "year": c.year,
        "organiser_id": c.organiser_id,
        "organiser": c.organiser.name,
        "division_code": c.division.code,
        "division": c.division.name,
        "template_id": c.template_id,
        "template": str(c.template),
        "per_agency": c.per_agency,
        "percent": c.percent,
        "closed_from": c.closed_from,
        "closed_to": c.closed_to,
        "seed": c.seed,
        "state": c.state,
        "state_label": c.get_state_display(),
    }


def _detail(request: HttpRequest, c: Campaign) -> CampaignDetailOut:
    r = selectors.results(selectors.campaign_files(request.user, c))
    return CampaignDetailOut(
        **_campaign(c),
        results=ResultsOut(overall=_tally(r.overall), agencies=[_tally(t) for t in r.agencies], defects=r.defects),
    )


def _file(f: CaseFileReview) -> dict[str, Any]:
    return {
        "id": f.pk,
        "campaign_id": f.campaign_id,
        "case_id": f.case_id,
        "case_number": f.case.number,
        "case_title": f.case.title,
        "agency_id": f.agency_id,
        "agency": f.agency.name,
        "state": f.state,
        "state_label": f.get_state_display(),
        "score": f.score,
        "rating": f.rating,
        "rating_label": f.get_rating_display() if f.rating else "",
        "vetoed": f.vetoed,
        "flags": [d.get("code", "") for d in (f.facts or {}).get("defects", [])],
    }


def _deduction(d: Deduction) -> DeductionOut:
    return DeductionOut(
        id=d.pk,
        item_id=d.item_id,
        item=d.item.text,
        section=d.item.section.title,
        veto=d.item.veto,
        source=d.source,
        state=d.state,
        count=d.count,
        points=d.points,
        evidence=d.evidence,
        note=d.note,
        dismiss_reason=d.dismiss_reason,
    )


def _file_detail(request: HttpRequest, pk: int) -> FileDetailOut:
    f = selectors.file_for(request.user, pk)
    return FileDetailOut(
        **_file(f),
        facts=f.facts,
        deductions=[_deduction(d) for d in selectors.deductions_of(f)],
        comment=f.comment,
        reviewer=f.reviewer_name,
        correction=f.correction,
        acceptance=f.acceptance,
    )


@router.get("/campaigns", response=list[CampaignOut], auth=staff_auth, summary="可见的案卷评查活动")
def list_campaigns(request: HttpRequest) -> list[CampaignOut]:
    return [CampaignOut(**_campaign(c)) for c in selectors.campaigns_for(request.user)]


@router.post("/campaigns", response={201: CampaignDetailOut}, auth=staff_auth, summary="新建评查活动（准备）")
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Status[CampaignDetailOut]:
    organiser = scope.get_scoped_or_404(
        Agency.objects.select_related("division"), request.user, CASEFILE_REVIEW, pk=payload.organiser_id
    )
    division = Division.objects.filter(code=payload.division_code).first()
    if division is None:
        raise ValidationFailed(FieldError("division_code", "unknown", f"没有行政区划代码“{payload.division_code}”"))
    template = ReviewTemplate.objects.filter(pk=payload.template_id, is_active=True).first()
    if template is None:
        raise ValidationFailed(FieldError("template_id", "unknown", "没有该评查标准"))
    campaign = services.create_campaign(
        actor=request.user,
        name=payload.name,
        year=payload.year,
        organiser=organiser,
        division=division,
        template=template,
        closed_from=payload.closed_from,
        closed_to=payload.closed_to,
        per_agency=payload.per_agency,
        percent=payload.percent,
        seed=payload.seed,
    )
    return Status(201, _detail(request, selectors.campaign_for(request.user, campaign.pk)))


@router.get("/campaigns/{campaign_id}", response=CampaignDetailOut, auth=staff_auth, summary="评查活动与结果")
def get_campaign(request: HttpRequest, campaign_id: int) -> CampaignDetailOut:
    return _detail(request, selectors.campaign_for(request.user, campaign_id))


@router.post(
    "/campaigns/{campaign_id}/sample",
    response=list[FileOut],
    auth=staff_auth,
    summary="抽取案卷（按机关随机、可复现；重复调用不重新抽取）",
)
def sample(request: HttpRequest, campaign_id: int) -> list[FileOut]:
    campaign = selectors.campaign_for(request.user, campaign_id)
    files = services.sample_campaign(actor=request.user, campaign=campaign)
    return [FileOut(**_file(f)) for f in files]


@router.post(
    "/campaigns/{campaign_id}/advance",
    response=CampaignOut,
    auth=staff_auth,
    summary="推进活动：sample 抽取 / start 开始评查 / release 发布结果 / finish 完成",
)
def advance(request: HttpRequest, campaign_id: int, payload: AdvanceIn) -> CampaignOut:
    campaign = selectors.campaign_for(request.user, campaign_id)
    services.advance_campaign(actor=request.user, campaign=campaign, action=payload.action)
    return CampaignOut(**_campaign(selectors.campaign_for(request.user, campaign_id)))


class ResultsQuery(Schema):
    year: int | None = Field(None, description="只统计该年度的评查活动")


@router.get("/results", response=ResultsOut, auth=staff_auth, summary="评查结果按机关汇总（可见的全部活动）")
def results_by_agency(request: HttpRequest, query: Query[ResultsQuery]) -> ResultsOut:
    files = selectors.files_for(request.user)
    if query.year:
        files = files.filter(campaign__year=query.year)
    r = selectors.results(files)
    return ResultsOut(overall=_tally(r.overall), agencies=[_tally(t) for t in r.agencies], defects=r.defects)


@router.get("/campaigns/{campaign_id}/files", response=list[FileOut], auth=staff_auth, summary="可见的抽取案卷")
def list_files(request: HttpRequest, campaign_id: int) -> list[FileOut]:
    campaign = selectors.campaign_for(request.user, campaign_id)
    return [FileOut(**_file(f)) for f in selectors.campaign_files(request.user, campaign)]


@router.get("/files/{file_id}", response=FileDetailOut, auth=staff_auth, summary="案卷：事实、扣分、得分、整改")
def get_file(request: HttpRequest, file_id: int) -> FileDetailOut:
    return _file_detail(request, file_id)


@router.post("/files/{file_id}/deductions", response={201: FileDetailOut}, auth=staff_auth, summary="添加扣分")
def add_deduction(request: HttpRequest, file_id: int, payload: DeductionIn) -> Status[FileDetailOut]:
    f = selectors.file_for(request.user, file_id)
    item = TemplateItem.objects.filter(pk=payload.item_id).first()
    if item is None:
        raise ValidationFailed(FieldError("item_id", "unknown", "没有该评查项目"))
    services.add_deduction(actor=request.user, review=f, item=item, count=payload.count, note=payload.note)
    return Status(201, _file_detail(request, file_id))


@router.post(
    "/files/{file_id}/deductions/{deduction_id}",
    response=FileDetailOut,
    auth=staff_auth,
    summary="确认或排除（须说明理由）系统发现的问题",
)
def decide(request: HttpRequest, file_id: int, deduction_id: int, payload: DecisionIn) -> FileDetailOut:
    f = selectors.file_for(request.user, file_id)
    deduction = Deduction.objects.filter(pk=deduction_id, review=f).first()
    if deduction is None:
        raise NotFound()
    services.decide_deduction(actor=request.user, deduction=deduction, confirm=payload.confirm, reason=payload.reason)
    return _file_detail(request, file_id)


@router.post("/files/{file_id}/submit", response=FileDetailOut, auth=staff_auth, summary="提交评分")
def submit(request: HttpRequest, file_id: int, payload: SubmitIn) -> FileDetailOut:
    f = selectors.file_for(request.user, file_id)
    services.submit_score(actor=request.user, review=f, comment=payload.comment)
    return _file_detail(request, file_id)


@router.post("/files/{file_id}/correction", response=FileDetailOut, auth=staff_auth, summary="报送整改情况（办案机关）")
def correction(request: HttpRequest, file_id: int, payload: CorrectionIn) -> FileDetailOut:
    f = selectors.file_for(request.user, file_id)
    services.submit_correction(actor=request.user, review=f, text=payload.text)
    return _file_detail(request, file_id)


@router.post("/files/{file_id}/accept", response=FileDetailOut, auth=staff_auth, summary="确认整改（评查人员）")
def accept(request: HttpRequest, file_id: int, payload: AcceptIn) -> FileDetailOut:
    f = selectors.file_for(request.user, file_id)
    services.accept_correction(actor=request.user, review=f, opinion=payload.opinion)
    return _file_detail(request, file_id)


def _figures(s: StatisticsSnapshot) -> list[FigureOut]:
    return [FigureOut(**row) for row in stats.rows(s.figures)]


def _snapshot(s: StatisticsSnapshot) -> SnapshotOut:
    return SnapshotOut(
        id=s.pk,
        agency_id=s.agency_id,
        agency=s.agency.name,
        division_code=s.agency.division.code,
        year=s.year,
        figures=_figures(s),
        computed_at=s.computed_at,
        deadline=stats.deadline(s.year),
        published_at=s.published_at,
        on_time=s.on_time,
    )


class YearQuery(Schema):
    year: int | None = None


@router.get("/statistics", response=list[SnapshotOut], auth=staff_auth, summary="辖区内的年度执法统计")
def list_statistics(request: HttpRequest, query: Query[YearQuery]) -> list[SnapshotOut]:
    return [_snapshot(s) for s in selectors.statistics_for(request.user, year=query.year)]


@router.post("/statistics", response={201: SnapshotOut}, auth=staff_auth, summary="计算（重新计算）年度执法统计")
def compute(request: HttpRequest, payload: ComputeIn) -> Status[SnapshotOut]:
    agency = scope.get_scoped_or_404(
        Agency.objects.select_related("division"), request.user, ENFORCEMENT_STATS, pk=payload.agency_id
    )
    snap = services.compute_statistics(actor=request.user, agency=agency, year=payload.year)
    return Status(201, _snapshot(selectors.snapshot_for(request.user, snap.pk)))


@router.post("/statistics/{snapshot_id}/publish", response=SnapshotOut, auth=staff_auth, summary="发布年度执法统计")
def publish(request: HttpRequest, snapshot_id: int) -> SnapshotOut:
    snap = selectors.snapshot_for(request.user, snapshot_id)
    snap = services.publish_statistics(actor=request.user, snapshot=snap)
    return _snapshot(selectors.snapshot_for(request.user, snap.pk))


@router.get("/statistics/public", response=list[PublicSnapshotOut], summary="已公开的年度行政执法数据")
def public_statistics(request: HttpRequest, query: Query[YearQuery]) -> list[PublicSnapshotOut]:
    from django.utils import timezone

    return [
        PublicSnapshotOut(
            agency=s.agency.name,
            division_code=s.agency.division.code,
            year=s.year,
            figures=_figures(s),
            published_on=timezone.localtime(s.published_at).date() if s.published_at else s.computed_at.date(),
            on_time=s.on_time,
        )
        for s in selectors.public_statistics(year=query.year)[:500]
    ]

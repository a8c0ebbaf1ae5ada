"""Case endpoints (``/api/v1/cases``), staff only (``staff_auth``): the list, filing, one case with its whole-process
record, running time limits and legal reviews, every act of the table (JSON, or multipart with attachments), and the
attachment download that checks the SHA-256. Each write calls one service; errors are ``core.errors`` types,
answered in Chinese by the API root (404 out of scope, 403 visible but not permitted, 422 a rule refused it)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import ValidationError as PydanticValidationError

from fazhi.core.api_errors import PageParams
from fazhi.core.errors import Conflict, FieldError, ValidationFailed
from fazhi.enforcement.models import EnforcementBody, Officer
from fazhi.org.auth import staff_auth
from fazhi.org.models import Agency, Staff

from . import lifecycle, selectors, services
from .choices import ARTICLE_58, CaseAction, CaseKind, PartyCategory
from .models import EnforcementCase, LegalQualification, MajorItem

router = Router(tags=["行政执法案件"])


class PageQuery(PageParams):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=20)


class CaseRow(Schema):
    id: int
    number: str
    kind: str
    title: str
    status: str
    status_label: str
    party_name: str
    agency_name: str
    filed_on: dt.date


class CasePage(Schema):
    count: int
    items: list[CaseRow]


class OfficerOut(Schema):
    officer_id: int
    name: str
    certificate_number: str


class AttachmentOut(Schema):
    id: int
    name: str
    media: str
    size: int
    sha256: str
    download: str


class RecordOut(Schema):
    id: int
    action: str
    action_label: str
    on: dt.date
    status_before: str
    status_after: str
    summary: str
    recorded_by: str
    officers: list[OfficerOut]
    attachments: list[AttachmentOut]
    audit_seq: int | None
    audit_hash: str
    details: dict[str, Any]


class ClockOut(Schema):
    code: str
    name: str
    start: dt.date
    days: int
    unit: str
    due_date: dt.date | None
    status: str
    status_label: str


class ReviewOut(Schema):
    submitted_on: dt.date
    reviewer: str
    qualification_number: str
    result: str
    opinion: str
    decided_on: dt.date | None


class CaseOut(CaseRow):
    body_id: int
    party_category: str
    article_58: list[str] = Field(..., description="第五十八条第一款中本案符合的情形")
    major_items: list[str] = Field(..., description="本机关重大执法决定目录中本案符合的事项")
    is_major: bool
    outcome: str
    decided_on: dt.date | None
    decision_number: str
    fine: Decimal | None
    served_on: dt.date | None
    publish_limit: str
    publish_due: dt.date | None
    published_on: dt.date | None
    publish_met: bool | None
    penalty_record_id: int | None
    decide_limit_note: str
    allowed_actions: list[str]
    records: list[RecordOut]
    clocks: list[ClockOut]
    reviews: list[ReviewOut]


def _row(case: EnforcementCase) -> CaseRow:
    return CaseRow(
        id=case.pk,
        number=case.number,
        kind=case.kind,
        title=case.title,
        status=case.status,
        status_label=case.get_status_display(),
        party_name=case.party_name,
        agency_name=case.agency.name,
        filed_on=case.filed_on,
    )


def _out(request: HttpRequest, case: EnforcementCase) -> CaseOut:
    case = selectors.case_for(request.user, case.pk)
    records = [
        RecordOut(
            id=r.pk,
            action=r.action,
            action_label=r.get_action_display(),
            on=r.on,
            status_before=r.status_before,
            status_after=r.status_after,
            summary=r.summary,
            recorded_by=r.recorded_by_name,
            officers=[
                OfficerOut(officer_id=o.officer_id, name=o.officer.name, certificate_number=o.certificate_number)
                for o in r.officers.all()
            ],
            attachments=[
                AttachmentOut(
                    id=a.pk,
                    name=a.name,
                    media=a.media,
                    size=a.size,
                    sha256=a.sha256,
                    download=f"/api/v1/cases/attachments/{a.pk}",
                )
                for a in r.attachments.all()
            ],
            audit_seq=r.audit_seq,
            audit_hash=r.audit_hash,
            details=r.details,
        )
        for r in selectors.timeline(case)
    ]
    clocks = [
        ClockOut(
            code=c.run.limit_code,
            name=c.name,
            start=c.run.start,
            days=c.run.days,
            unit=c.run.unit,
            due_date=c.run.due_date,
            status=c.status.value,
            status_label=str(c.status.label),
        )
        for c in selectors.clocks_of(case)
    ]
    reviews = [
        ReviewOut(
            submitted_on=r.submitted_on,
            reviewer=r.reviewer_name,
            qualification_number=r.qualification.number if r.qualification else "",
            result=r.result,
            opinion=r.opinion,
            decided_on=r.decided_on,
        )
        for r in selectors.reviews_of(case)
    ]
    allowed = [
        t.action
        for t in lifecycle.actions_from(case.status, case.kind)
        if selectors.can(request.user, t.permission, case)
    ]
    return CaseOut(
        **_row(case).dict(),
        body_id=case.body_id,
        party_category=case.party_category,
        article_58=case.article_58,
        major_items=[i.title for i in case.major_items.all()],
        is_major=services.is_major(case),
        outcome=case.outcome,
        decided_on=case.decided_on,
        decision_number=case.decision_number,
        fine=case.fine,
        served_on=case.served_on,
        publish_limit=case.publish_limit,
        publish_due=case.publish_due,
        published_on=case.published_on,
        publish_met=case.publish_met,
        penalty_record_id=case.penalty_record_id,
        decide_limit_note=selectors.decide_limit_note(case),
        allowed_actions=allowed,
        records=records,
        clocks=clocks,
        reviews=reviews,
    )


@router.get("", response=CasePage, auth=staff_auth, summary="辖区内的执法案件")
def list_cases(request: HttpRequest, query: Query[PageQuery]) -> CasePage:
    qs = selectors.cases_for(request.user, q=query.q.strip(), status=query.status)
    return CasePage(count=qs.count(), items=[_row(c) for c in qs[query.offset : query.offset + query.limit]])


class FileIn(Schema):
    body_id: int = Field(..., description="执法主体")
    kind: CaseKind = CaseKind.PENALTY
    title: str = Field(..., max_length=300, description="案由")
    party_name: str = Field(..., max_length=200)
    party_category: PartyCategory
    party_code: str = Field("", max_length=30, description="统一社会信用代码或身份证号码")
    legal_rep: str = Field("", max_length=100)
    source: str = Field("", max_length=5000)
    filed_on: dt.date | None = Field(None, description="立案日期（默认今天）")
    officer_ids: list[int] = Field(default_factory=list, max_length=20)
    major: dict[str, bool] = Field(
        default_factory=dict, description="第五十八条：" + "、".join(n for n, _ in ARTICLE_58)
    )
    major_item_ids: list[int] = Field(default_factory=list, max_length=50)


def _officers(case_body_id: int, ids: list[int]) -> list[Officer]:
    found = {o.pk: o for o in Officer.objects.filter(pk__in=ids, body_id=case_body_id)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(
            FieldError("officer_ids", "unknown_officer", f"执法人员 {'、'.join(map(str, missing))} 不属于本案执法主体")
        )
    return [found[i] for i in ids]


def _items(agency_id: int, ids: list[int]) -> list[MajorItem]:
    found = {i.pk: i for i in MajorItem.objects.filter(pk__in=ids, agency_id=agency_id)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(FieldError("major_item_ids", "unknown_item", "所选事项不在本机关重大执法决定目录中"))
    return [found[i] for i in ids]


@router.post("", response={201: CaseOut}, auth=staff_auth, summary="立案")
def file_case(request: HttpRequest, payload: FileIn) -> Status[CaseOut]:
    body = selectors.bodies_for_filing(request.user).filter(pk=payload.body_id).first()
    if body is None:
        body = EnforcementBody.objects.filter(pk=payload.body_id).first()
        if body is None:
            raise ValidationFailed(FieldError("body_id", "unknown_body", "没有该执法主体"))
    case = services.file_case(
        actor=request.user,
        body=body,
        kind=payload.kind.value,
        title=payload.title,
        party_name=payload.party_name,
        party_category=payload.party_category.value,
        party_code=payload.party_code,
        legal_rep=payload.legal_rep,
        source=payload.source,
        filed_on=payload.filed_on,
        officers=_officers(body.pk, payload.officer_ids),
        major=payload.major,
        major_items=_items(body.agency_id or 0, payload.major_item_ids),
    )
    return Status(201, _out(request, case))


class MajorItemOut(Schema):
    id: int
    agency_id: int
    agency_name: str
    title: str
    legal_source: str
    valid_from: dt.date
    valid_to: dt.date | None


class MajorItemIn(Schema):
    agency_id: int
    title: str = Field(..., max_length=300)
    legal_source: str = Field("", max_length=5000)
    valid_from: dt.date
    valid_to: dt.date | None = None


def _item_out(i: MajorItem) -> MajorItemOut:
    return MajorItemOut(
        id=i.pk,
        agency_id=i.agency_id,
        agency_name=i.agency.name,
        title=i.title,
        legal_source=i.legal_source,
        valid_from=i.valid_from,
        valid_to=i.valid_to,
    )


@router.get("/major-items", response=list[MajorItemOut], auth=staff_auth, summary="辖区内机关的重大执法决定目录")
def major_items(request: HttpRequest) -> list[MajorItemOut]:
    return [_item_out(i) for i in selectors.major_items_for(request.user)[:2000]]


@router.post("/major-items", response={201: MajorItemOut}, auth=staff_auth, summary="加入本机关重大执法决定目录")
def add_major_item(request: HttpRequest, payload: MajorItemIn) -> Status[MajorItemOut]:
    agency = Agency.objects.filter(pk=payload.agency_id).select_related("division").first()
    if agency is None:
        raise ValidationFailed(FieldError("agency_id", "unknown_agency", "没有该机关"))
    item = services.create_major_item(
        actor=request.user,
        agency=agency,
        title=payload.title,
        legal_source=payload.legal_source,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
    )
    return Status(201, _item_out(item))


class QualificationOut(Schema):
    id: int
    user_id: int
    name: str
    agency_name: str
    number: str
    obtained_on: dt.date


class QualificationIn(Schema):
    user_id: int
    number: str = Field(..., max_length=40, description="法律职业资格证书编号")
    obtained_on: dt.date


def _qualification_out(q: LegalQualification) -> QualificationOut:
    staff = getattr(q.user, "staff", None)
    return QualificationOut(
        id=q.pk,
        user_id=q.user_id,
        name=getattr(staff, "name", "") or q.user.get_username(),
        agency_name=q.agency.name,
        number=q.number,
        obtained_on=q.obtained_on,
    )


@router.get("/qualifications", response=list[QualificationOut], auth=staff_auth, summary="法制审核人员的法律职业资格")
def qualifications(request: HttpRequest) -> list[QualificationOut]:
    return [_qualification_out(q) for q in selectors.qualifications_for(request.user)[:2000]]


@router.post(
    "/qualifications", response={201: QualificationOut}, auth=staff_auth, summary="登记法律职业资格（机构管理员）"
)
def add_qualification(request: HttpRequest, payload: QualificationIn) -> Status[QualificationOut]:
    staff = Staff.objects.filter(user_id=payload.user_id).select_related("user", "agency").first()
    if staff is None:
        raise ValidationFailed(FieldError("user_id", "no_staff", "该账号不是工作人员"))
    found = services.record_legal_qualification(
        actor=request.user, user=staff.user, number=payload.number, obtained_on=payload.obtained_on
    )
    return Status(201, _qualification_out(found))


@router.get("/{case_id}", response=CaseOut, auth=staff_auth, summary="一个案件：全过程记录、办案期限、法制审核")
def get_case(request: HttpRequest, case_id: int) -> CaseOut:
    return _out(request, selectors.case_for(request.user, case_id))


class ActIn(Schema):
    on: dt.date | None = Field(None, description="日期（默认今天；不能早于本案上一记录）")
    summary: str = Field("", max_length=20000, description="记录内容 / 审核意见")
    reason: str = Field("", max_length=5000, description="理由（撤销立案、审核退回必填）")
    officer_ids: list[int] = Field(default_factory=list, max_length=20, description="参与执法人员（调查取证至少两人）")
    major: dict[str, bool] | None = None
    major_item_ids: list[int] | None = None
    proposed_kinds: list[str] = Field(default_factory=list, max_length=20, description="告知：拟处罚种类代码")
    proposed_fine: Decimal | None = Field(None, ge=0, description="告知：拟罚款金额（元）")
    outcome: str = Field("", description="决定：penalty / no_penalty / other")
    decision_number: str = Field("", max_length=200)
    violation_type: str = Field("", max_length=500)
    facts: str = Field("", max_length=20000)
    basis: str = Field("", max_length=5000)
    decision_kinds: list[str] = Field(default_factory=list, max_length=20)
    fine: Decimal | None = Field(None, ge=0, description="罚款金额（元）")
    decision_content: str = Field("", max_length=20000)
    published_where: str = Field("", max_length=500, description="公示：非处罚决定的公示位置")


def _act(request: HttpRequest, case_id: int, action: str, payload: ActIn, files: list[UploadedFile]) -> CaseOut:
    case = selectors.case_for(request.user, case_id)
    if action not in lifecycle.TRANSITIONS or action == CaseAction.FILE:
        raise ValidationFailed(FieldError("action", "unknown_action", f"没有“{action}”这一办案环节"))
    data = services.ActInput(
        on=payload.on,
        summary=payload.summary,
        reason=payload.reason,
        officers=_officers(case.body_id, payload.officer_ids),
        files=[services.Upload(f.name or "附件", f, f.content_type or "") for f in files],
        major=payload.major,
        major_items=_items(case.agency_id, payload.major_item_ids) if payload.major_item_ids is not None else None,
        proposed_kinds=payload.proposed_kinds,
        proposed_fine=payload.proposed_fine,
        outcome=payload.outcome,
        decision_number=payload.decision_number,
        violation_type=payload.violation_type,
        facts=payload.facts,
        basis=payload.basis,
        decision_kinds=payload.decision_kinds,
        fine=payload.fine,
        decision_content=payload.decision_content,
        published_where=payload.published_where,
    )
    return _out(request, services.take_action(actor=request.user, case=case, action=action, data=data))


ACTIONS_DOC = "；".join(f"{a}：{CaseAction(a).label}" for a in lifecycle.STEPS)


@router.post(
    "/{case_id}/actions/{action}",
    response=CaseOut,
    auth=staff_auth,
    summary="办理一个环节",
    description=f"环节代码：{ACTIONS_DOC}。当前可办理的环节见 allowed_actions；不允许时返回 422 与原因。",
)
def take_action(request: HttpRequest, case_id: int, action: str, payload: ActIn) -> CaseOut:
    return _act(request, case_id, action, payload, [])


class ActForm(Schema):
    data: str = Field("{}", max_length=100000, description="与 JSON 接口相同的请求体（JSON 文本）")


@router.post(
    "/{case_id}/actions/{action}/files",
    response=CaseOut,
    auth=staff_auth,
    summary="办理一个环节并上传附件（multipart：data 为 JSON 文本，files 为文件）",
)
def take_action_with_files(
    request: HttpRequest, case_id: int, action: str, form: Form[ActForm], files: File[list[UploadedFile]]
) -> CaseOut:
    try:
        payload = ActIn.model_validate(json.loads(form.data or "{}"))
    except (ValueError, PydanticValidationError) as exc:
        raise ValidationFailed(FieldError("data", "invalid_json", "data 应为有效的 JSON 对象")) from exc
    return _act(request, case_id, action, payload, list(files))


@router.get("/attachments/{attachment_id}", auth=staff_auth, summary="下载附件（下载前校验 SHA-256）")
def download(request: HttpRequest, attachment_id: int) -> FileResponse:
    found = selectors.attachment_for(request.user, attachment_id)
    if services.file_sha256(found) != found.sha256:
        raise Conflict("附件的 SHA-256 与记录不一致，文件可能已被篡改", code="attachment_tampered")
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
    response["X-Content-SHA256"] = found.sha256
    return response

"""Enforcement endpoints (``/api/v1/enforcement``): public reads of bodies, officers, certificates (verification,
signed QR links, the public key) and the power list (current or as of a date); staff reads and every write, each
through one service. Errors are ``core.errors`` types, answered in Chinese by the API root."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from fazhi.core.api_errors import PageParams
from fazhi.core.errors import FieldError, NotFound, ValidationFailed
from fazhi.org.auth import staff_auth
from fazhi.org.models import Agency
from fazhi.org.selectors import resolve_division

from . import lifecycle, selectors, services, signing
from .choices import (
    AdjustmentKind,
    BodyKind,
    CancelReason,
    Employment,
    OfficerStatus,
    PowerCategory,
    PowerStatus,
)
from .models import Certificate, Domain, EnforcementBody, Officer, PowerItem
from .numbers import check_number

router = Router(tags=["行政执法"])

StepCode = Literal[
    "exam", "issue", "review", "suspend", "restore", "revoke", "cancel", "report_loss", "reissue", "renew"
]


class PageQuery(PageParams):
    pass


def _page(qs: Any, query: PageQuery) -> tuple[int, list[Any]]:
    return qs.count(), list(qs[query.offset : query.offset + query.limit])


def _domains(codes: list[str]) -> list[Domain]:
    found = {d.code: d for d in Domain.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        known = "、".join(f"{d.code}（{d.name}）" for d in Domain.objects.all())
        raise ValidationFailed(
            FieldError("domains", "unknown_domain", f"没有执法领域“{'、'.join(unknown)}”；可选：{known}")
        )
    return [found[c] for c in codes]


# --- schemas ------------------------------------------------------------------------------------------------------


class DomainOut(Schema):
    code: str
    name: str


class BodyOut(Schema):
    id: int
    name: str
    kind: str = Field(..., description="agency 行政机关 / authorised 法律法规授权的组织 / team 综合行政执法队伍")
    kind_label: str
    division_code: str
    division_name: str
    agency_id: int | None
    agency_name: str
    uscc: str
    domains: list[DomainOut]
    legal_basis: str = Field(..., description="执法依据")
    remedy_channels: str = Field(..., description="救济渠道")
    procedure: str = Field(..., description="执法程序")
    contact: str
    is_active: bool


def _body_out(body: EnforcementBody) -> BodyOut:
    return BodyOut(
        id=body.pk,
        name=body.name,
        kind=body.kind,
        kind_label=body.get_kind_display(),
        division_code=body.division.code,
        division_name=body.division.name,
        agency_id=body.agency_id,
        agency_name=body.agency.name if body.agency else "",
        uscc=body.uscc,
        domains=[DomainOut(code=d.code, name=d.name) for d in body.domains.all()],
        legal_basis=body.legal_basis,
        remedy_channels=body.remedy_channels,
        procedure=body.procedure,
        contact=body.contact,
        is_active=body.is_active,
    )


class BodyPage(Schema):
    count: int
    items: list[BodyOut]


class OfficerOut(Schema):
    """Only public facts: never an ID number, birth date or phone."""

    officer_id: int
    name: str
    body_id: int
    body_name: str
    number: str = Field(..., description="执法证号")
    domains: list[DomainOut]
    issued_on: dt.date
    expires_on: dt.date


def _officer_out(certificate: Certificate) -> OfficerOut:
    officer = certificate.officer
    return OfficerOut(
        officer_id=officer.pk,
        name=officer.name,
        body_id=officer.body_id,
        body_name=officer.body.name,
        number=certificate.number or "",
        domains=[DomainOut(code=d.code, name=d.name) for d in certificate.domains.all()],
        issued_on=certificate.issued_on or dt.date.min,
        expires_on=certificate.expires_on or dt.date.min,
    )


class OfficerPage(Schema):
    count: int
    items: list[OfficerOut]


class CertificateOut(Schema):
    number: str
    name: str
    body_id: int
    body_name: str
    domains: list[DomainOut]
    status: str
    status_label: str
    valid: bool = Field(..., description="今天是否有效（在有效期内、未暂扣/吊销/注销/作废、按期年审）")
    validity_label: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    successor: str | None = Field(None, description="换发或补发的新证号")


def _certificate_out(certificate: Certificate) -> CertificateOut:
    validity = lifecycle.validity_on(certificate, timezone.localdate())
    successor = certificate.successors.exclude(number=None).first()
    return CertificateOut(
        number=certificate.number or "",
        name=certificate.officer.name,
        body_id=certificate.officer.body_id,
        body_name=certificate.officer.body.name,
        domains=[DomainOut(code=d.code, name=d.name) for d in certificate.domains.all()],
        status=certificate.status,
        status_label=certificate.get_status_display(),
        valid=validity.valid,
        validity_label=validity.label,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        successor=successor.number if successor else None,
    )


class SignedFactsOut(Schema):
    number: str
    name: str
    body: str
    domains: str
    issued: str
    expires: str
    key: str


class DifferenceOut(Schema):
    field: str
    signed: str
    record: str


class VerifyOut(Schema):
    signature_valid: bool
    problem: str = Field("", description="签名无效时的原因")
    signed: SignedFactsOut | None
    matches_record: bool | None = Field(None, description="签名内容与现有记录是否一致（查无此证时为空）")
    differences: list[DifferenceOut]
    certificate: CertificateOut | None = Field(None, description="现有记录（含今天的状态）")


class KeyOut(Schema):
    algorithm: str
    key_id: str
    public_key_pem: str
    public_key_base64: str = Field(..., description="32 字节原始公钥，标准 Base64")
    message_format: str


class PowerOut(Schema):
    id: int
    code: str
    name: str
    category: str
    category_label: str
    legal_basis: str
    domain_name: str
    random_inspection: bool
    inspection_scope: str
    body_id: int
    body_name: str
    since: dt.date = Field(..., description="当前内容自哪天起施行（最近一次调整的生效日期）")


def _power_out(row: selectors.PowerRow) -> PowerOut:
    return PowerOut(
        id=row.item_id,
        code=row.code,
        name=row.name,
        category=row.category,
        category_label=row.category_label,
        legal_basis=row.legal_basis,
        domain_name=row.domain_name,
        random_inspection=row.random_inspection,
        inspection_scope=row.inspection_scope,
        body_id=row.body_id,
        body_name=row.body_name,
        since=row.since,
    )


class PowerPage(Schema):
    count: int
    as_of: dt.date
    items: list[PowerOut]


class ChangeOut(Schema):
    field: str
    before: str
    after: str


class AdjustmentOut(Schema):
    kind: str
    kind_label: str
    effective_on: dt.date
    doc_number: str
    body_id: int
    body_name: str
    reason: str
    changes: list[ChangeOut]


class PowerDetail(PowerOut):
    status: str
    adjustments: list[AdjustmentOut]


def _power_detail(item: PowerItem) -> PowerDetail:
    base = _power_out(selectors.PowerRow.of(item)).dict()
    return PowerDetail(
        **base,
        status=item.status,
        adjustments=[
            AdjustmentOut(
                kind=a.kind,
                kind_label=a.get_kind_display(),
                effective_on=a.effective_on,
                doc_number=a.doc_number_key or a.doc_number,
                body_id=a.body_id,
                body_name=a.body.name,
                reason=a.reason,
                changes=[ChangeOut(field=f, before=b, after=c) for f, b, c in changes],
            )
            for a, changes in selectors.adjustments_of(item)
        ],
    )


# --- public endpoints ---------------------------------------------------------------------------------------------


class BodyQuery(PageQuery):
    q: str = Field("", max_length=100, description="名称关键词或统一社会信用代码")
    domain: str = Field("", max_length=32, description="执法领域代码，如 market")
    division: str = Field("", max_length=12, description="区划代码（省、市、县）")


@router.get("/bodies", response=BodyPage, summary="执法主体（公开）")
def public_bodies(request: HttpRequest, query: Query[BodyQuery]) -> BodyPage:
    count, items = _page(selectors.public_bodies(q=query.q, domain=query.domain, division=query.division), query)
    return BodyPage(count=count, items=[_body_out(b) for b in items])


@router.get("/bodies/{body_id}", response=BodyOut, summary="一个执法主体（公开）")
def public_body(request: HttpRequest, body_id: int) -> BodyOut:
    body = selectors.public_body(body_id)
    if body is None:
        raise NotFound()
    return _body_out(body)


class OfficerQuery(PageQuery):
    q: str = Field("", max_length=100, description="姓名或执法证号")
    body: int | None = Field(None, description="执法主体 id")
    domain: str = Field("", max_length=32)


@router.get("/officers", response=OfficerPage, summary="持有效执法证的执法人员（公开）")
def public_officers(request: HttpRequest, query: Query[OfficerQuery]) -> OfficerPage:
    count, items = _page(selectors.public_officers(q=query.q, body=query.body, domain=query.domain), query)
    return OfficerPage(count=count, items=[_officer_out(c) for c in items])


@router.get("/certificates/{number}", response=CertificateOut, summary="按执法证号核验（公开：任何状态都如实显示）")
def certificate(request: HttpRequest, number: str) -> CertificateOut:
    found = selectors.certificate_by_number(check_number(number))
    if found is None:
        raise NotFound(f"没有证号为 {number} 的执法证件")
    return _certificate_out(found)


class VerifyQuery(Schema):
    p: str = Field(..., max_length=signing.MAX_PARAM, description="二维码链接中的 p（签名内容，base64url）")
    s: str = Field(..., max_length=200, description="二维码链接中的 s（Ed25519 签名，base64url）")


@router.get("/verify", response=VerifyOut, summary="核验二维码签名，并与现有记录比对")
def verify(request: HttpRequest, query: Query[VerifyQuery]) -> VerifyOut:
    result = signing.check(query.p, query.s)
    signed = SignedFactsOut(**result.facts.__dict__) if result.facts else None
    found = selectors.certificate_by_number(result.facts.number) if result.valid and result.facts else None
    differences: list[DifferenceOut] = []
    if found is not None and found.issued_on is not None and result.facts is not None:
        live = signing.facts_of(found)
        for name in ("name", "body", "domains", "issued", "expires"):
            if getattr(result.facts, name) != getattr(live, name):
                differences.append(
                    DifferenceOut(field=name, signed=getattr(result.facts, name), record=getattr(live, name))
                )
    return VerifyOut(
        signature_valid=result.valid,
        problem=result.problem,
        signed=signed,
        matches_record=(not differences) if found is not None else None,
        differences=differences,
        certificate=_certificate_out(found) if found is not None else None,
    )


@router.get("/signing-key", response=KeyOut, summary="执法证二维码签名公钥（Ed25519）")
def signing_key(request: HttpRequest) -> KeyOut:
    if not signing.available():
        raise NotFound("本站未配置签名密钥")
    return KeyOut(
        algorithm="Ed25519",
        key_id=signing.key_id(),
        public_key_pem=signing.public_key_pem(),
        public_key_base64=signing.public_key_base64(),
        message_format="FZCERT1\\nnumber=…\\nname=…\\nbody=…\\ndomains=…\\nissued=YYYY-MM-DD\\nexpires=YYYY-MM-DD\\nkey=…"
        "（UTF-8；链接参数 p 为其 base64url，s 为对其的签名）",
    )


class PowerQuery(PageQuery):
    body: int | None = Field(None, description="执法主体 id")
    category: PowerCategory | None = Field(None, description="权力类别")
    q: str = Field("", max_length=100)
    random_inspection: bool = Field(False, description="只看随机抽查事项")
    as_of: dt.date | None = Field(None, description="查看这一天施行的清单（默认今天）")


@router.get("/powers", response=PowerPage, summary="权责清单：现行，或某一天施行的")
def powers(request: HttpRequest, query: Query[PowerQuery]) -> PowerPage:
    today = timezone.localdate()
    as_of = query.as_of or today
    if as_of > today:
        raise ValidationFailed(FieldError("as_of", "date_in_future", "只能查询今天及以前的清单"))
    category = query.category.value if query.category else ""
    rows: list[selectors.PowerRow]
    if as_of == today:
        qs = selectors.public_power_items(
            body=query.body, category=category, q=query.q, random_only=query.random_inspection
        )
        count, items = _page(qs, query)
        rows = [selectors.PowerRow.of(i) for i in items]
    else:
        states = selectors.power_states_on(
            as_of, body=query.body, category=category, q=query.q, random_only=query.random_inspection
        )
        count, adjustments = _page(states, query)
        rows = [selectors.PowerRow.of_adjustment(a) for a in adjustments]
    return PowerPage(count=count, as_of=as_of, items=[_power_out(r) for r in rows])


@router.get("/powers/{item_id}", response=PowerDetail, summary="一个权责事项及其调整记录（公开）")
def power(request: HttpRequest, item_id: int) -> PowerDetail:
    item = selectors.public_power_item(item_id)
    if item is None:
        raise NotFound()
    return _power_detail(item)


# --- staff: bodies ------------------------------------------------------------------------------------------------


class StaffBodyQuery(PageQuery):
    q: str = Field("", max_length=100)


@router.get("/staff/bodies", response=BodyPage, auth=staff_auth, summary="辖区内的执法主体")
def staff_bodies(request: HttpRequest, query: Query[StaffBodyQuery]) -> BodyPage:
    count, items = _page(selectors.bodies_for(request.user, q=query.q), query)
    return BodyPage(count=count, items=[_body_out(b) for b in items])


class BodyIn(Schema):
    name: str = Field(..., max_length=200)
    kind: BodyKind
    division: str = Field("", max_length=12, description="区划代码；给出 agency_id 时可省略")
    agency_id: int | None = Field(None, description="所属机关 id（行政机关必填）")
    uscc: str = Field("", max_length=30)
    domains: list[str] = Field(..., description="执法领域代码", max_length=30)
    legal_basis: str = Field(..., max_length=5000)
    remedy_channels: str = Field("", max_length=5000)
    procedure: str = Field("", max_length=10000)
    contact: str = Field("", max_length=300)


@router.post("/staff/bodies", response={201: BodyOut}, auth=staff_auth, summary="登记执法主体")
def create_body(request: HttpRequest, payload: BodyIn) -> Status[BodyOut]:
    agency = (
        Agency.objects.select_related("division").filter(pk=payload.agency_id).first() if payload.agency_id else None
    )
    if payload.agency_id and agency is None:
        raise ValidationFailed(FieldError("agency_id", "unknown_agency", f"没有 id 为 {payload.agency_id} 的机关"))
    division = agency.division if agency is not None else None
    if division is None:
        resolved = resolve_division(payload.division) if payload.division else None
        if resolved is None:
            raise ValidationFailed(
                FieldError("division", "unknown_division", "请给出所属机关（agency_id）或有效的区划代码")
            )
        division = resolved.division
    body = services.create_body(
        actor=request.user,
        name=payload.name,
        kind=payload.kind.value,
        division=division,
        agency=agency,
        uscc=payload.uscc,
        domains=_domains(payload.domains),
        legal_basis=payload.legal_basis,
        remedy_channels=payload.remedy_channels,
        procedure=payload.procedure,
        contact=payload.contact,
    )
    return Status(201, _body_out(body))


class BodyPatch(Schema):
    name: str | None = Field(None, max_length=200)
    kind: BodyKind | None = None
    uscc: str | None = Field(None, max_length=30)
    domains: list[str] | None = Field(None, max_length=30)
    legal_basis: str | None = Field(None, max_length=5000)
    remedy_channels: str | None = Field(None, max_length=5000)
    procedure: str | None = Field(None, max_length=10000)
    contact: str | None = Field(None, max_length=300)
    is_active: bool | None = None
    reason: str = Field("", max_length=2000)


@router.patch("/staff/bodies/{body_id}", response=BodyOut, auth=staff_auth, summary="修改执法主体的公开信息")
def update_body(request: HttpRequest, body_id: int, payload: BodyPatch) -> BodyOut:
    body = selectors.body_for(request.user, body_id)
    data = payload.dict(exclude_unset=True)
    codes, reason = data.pop("domains", None), data.pop("reason", "")
    if "kind" in data and data["kind"] is not None:
        data["kind"] = BodyKind(data["kind"]).value
    changes = {k: v for k, v in data.items() if v is not None}
    domains = _domains(codes) if codes is not None else None
    return _body_out(
        services.update_body(actor=request.user, body=body, changes=changes, domains=domains, reason=reason)
    )


# --- staff: officers and certificates -----------------------------------------------------------------------------


class StaffOfficerOut(Schema):
    id: int
    body_id: int
    body_name: str
    name: str
    id_number: str = Field(..., description="居民身份证号码（仅工作人员）")
    birth_date: dt.date | None
    phone: str
    position: str
    employment: str
    employment_label: str
    status: str
    status_label: str


def _staff_officer_out(officer: Officer) -> StaffOfficerOut:
    return StaffOfficerOut(
        id=officer.pk,
        body_id=officer.body_id,
        body_name=officer.body.name,
        name=officer.name,
        id_number=officer.id_number,
        birth_date=officer.birth_date,
        phone=officer.phone,
        position=officer.position,
        employment=officer.employment,
        employment_label=officer.get_employment_display(),
        status=officer.status,
        status_label=officer.get_status_display(),
    )


class StaffOfficerPage(Schema):
    count: int
    items: list[StaffOfficerOut]


class StaffOfficerQuery(PageQuery):
    q: str = Field("", max_length=100, description="姓名或执法证号")
    body: int | None = None
    status: OfficerStatus | None = None


@router.get("/staff/officers", response=StaffOfficerPage, auth=staff_auth, summary="辖区内的执法人员")
def staff_officers(request: HttpRequest, query: Query[StaffOfficerQuery]) -> StaffOfficerPage:
    qs = selectors.officers_for(
        request.user, q=query.q, body=query.body, status=query.status.value if query.status else ""
    )
    count, items = _page(qs, query)
    return StaffOfficerPage(count=count, items=[_staff_officer_out(o) for o in items])


class OfficerIn(Schema):
    body_id: int
    name: str = Field(..., max_length=60)
    id_number: str = Field(..., max_length=30)
    employment: Employment
    position: str = Field("", max_length=60)
    phone: str = Field("", max_length=30)


@router.post("/staff/officers", response={201: StaffOfficerOut}, auth=staff_auth, summary="登记执法人员")
def create_officer(request: HttpRequest, payload: OfficerIn) -> Status[StaffOfficerOut]:
    body = selectors.body_for(request.user, payload.body_id)
    officer = services.create_officer(
        actor=request.user,
        body=body,
        name=payload.name,
        id_number=payload.id_number,
        employment=payload.employment.value,
        position=payload.position,
        phone=payload.phone,
    )
    return Status(201, _staff_officer_out(officer))


class OfficerPatch(Schema):
    name: str | None = Field(None, max_length=60)
    position: str | None = Field(None, max_length=60)
    phone: str | None = Field(None, max_length=30)
    employment: Employment | None = None
    status: OfficerStatus | None = None
    reason: str = Field("", max_length=2000)


@router.patch("/staff/officers/{officer_id}", response=StaffOfficerOut, auth=staff_auth, summary="修改执法人员信息")
def update_officer(request: HttpRequest, officer_id: int, payload: OfficerPatch) -> StaffOfficerOut:
    officer = selectors.officer_for(request.user, officer_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    changes = {k: (v.value if hasattr(v, "value") else v) for k, v in data.items() if v is not None}
    return _staff_officer_out(
        services.update_officer(actor=request.user, officer=officer, changes=changes, reason=reason)
    )


class ValidityOut(Schema):
    officer_id: int
    on: dt.date
    valid: bool
    code: str = Field(..., description="valid / expired / suspended / review_overdue / no_certificate …")
    label: str
    certificate_number: str | None


@router.get(
    "/staff/officers/{officer_id}/validity",
    response=ValidityOut,
    auth=staff_auth,
    summary="某一天是否持有有效执法证（办案核对执法人员资格）",
)
def officer_validity(request: HttpRequest, officer_id: int, on: dt.date) -> ValidityOut:
    officer = selectors.officer_for(request.user, officer_id)
    certificate = selectors.valid_certificate_on(officer, on)
    validity = selectors.officer_validity_on(officer, on)
    return ValidityOut(
        officer_id=officer.pk,
        on=on,
        valid=validity.valid,
        code=validity.code,
        label=validity.label,
        certificate_number=certificate.number if certificate else None,
    )


class EventOut(Schema):
    action: str
    action_label: str
    on: dt.date
    status_before: str
    status_after: str
    reason: str
    doc_number: str
    details: dict[str, Any]


class StaffCertificateOut(Schema):
    id: int
    officer_id: int
    officer_name: str
    number: str | None
    status: str
    status_label: str
    domains: list[DomainOut]
    applied_on: dt.date
    exam_on: dt.date | None
    exam_score: int | None
    issued_on: dt.date | None
    expires_on: dt.date | None
    review_due: dt.date | None = Field(None, description="年审截止（含宽限）")
    valid_today: bool
    validity_label: str
    replaces: str | None
    allowed_steps: list[str] = Field(..., description="当前状态下可以办理的事项")
    events: list[EventOut]
    verify_url: str | None = Field(None, description="二维码中的签名核验链接")


def _staff_certificate_out(request: HttpRequest, certificate: Certificate) -> StaffCertificateOut:
    certificate = selectors.certificate_for(request.user, certificate.pk)
    validity = lifecycle.validity_on(certificate, timezone.localdate())
    url = None
    if certificate.number and certificate.issued_on and signing.available():
        page = request.build_absolute_uri(reverse("enforcement:verify_number", kwargs={"number": certificate.number}))
        url = signing.verification_url(certificate, page)
    return StaffCertificateOut(
        id=certificate.pk,
        officer_id=certificate.officer_id,
        officer_name=certificate.officer.name,
        number=certificate.number,
        status=certificate.status,
        status_label=certificate.get_status_display(),
        domains=[DomainOut(code=d.code, name=d.name) for d in certificate.domains.all()],
        applied_on=certificate.applied_on,
        exam_on=certificate.exam_on,
        exam_score=certificate.exam_score,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        review_due=certificate.review_due,
        valid_today=validity.valid,
        validity_label=validity.label,
        replaces=certificate.replaces.number if certificate.replaces else None,
        allowed_steps=services.steps_from(certificate.status),
        events=[
            EventOut(
                action=e.action,
                action_label=e.get_action_display(),
                on=e.on,
                status_before=e.status_before,
                status_after=e.status_after,
                reason=e.reason,
                doc_number=e.doc_number,
                details=e.details,
            )
            for e in certificate.events.all()
        ],
        verify_url=url,
    )


@router.get(
    "/staff/officers/{officer_id}/certificates",
    response=list[StaffCertificateOut],
    auth=staff_auth,
    summary="一名执法人员的全部证件",
)
def officer_certificates(request: HttpRequest, officer_id: int) -> list[StaffCertificateOut]:
    officer = selectors.officer_for(request.user, officer_id)
    return [_staff_certificate_out(request, c) for c in selectors.certificates_of(officer)]


class ApplyIn(Schema):
    domains: list[str] = Field(..., max_length=30, description="申领的执法领域代码")
    on: dt.date | None = Field(None, description="申领日期（默认今天）")


@router.post(
    "/staff/officers/{officer_id}/certificates",
    response={201: StaffCertificateOut},
    auth=staff_auth,
    summary="申领执法证（只有在编在职人员可以申领）",
)
def apply(request: HttpRequest, officer_id: int, payload: ApplyIn) -> Status[StaffCertificateOut]:
    officer = selectors.officer_for(request.user, officer_id)
    created = services.apply_for_certificate(
        actor=request.user, officer=officer, domains=_domains(payload.domains), on=payload.on
    )
    return Status(201, _staff_certificate_out(request, created))


@router.get(
    "/staff/certificates/{certificate_id}", response=StaffCertificateOut, auth=staff_auth, summary="一个执法证件"
)
def staff_certificate(request: HttpRequest, certificate_id: int) -> StaffCertificateOut:
    return _staff_certificate_out(request, selectors.certificate_for(request.user, certificate_id))


class StepIn(Schema):
    on: dt.date | None = Field(None, description="生效日期（默认今天；不能早于该证上一事项）")
    reason: str = Field("", max_length=2000)
    doc_number: str = Field("", max_length=200, description="决定文号")
    score: int | None = Field(None, description="exam：考试成绩 0–100")
    training_hours: int | None = Field(None, description="exam：培训学时")
    passed: bool | None = Field(None, description="review：年审是否合格")
    cancel_reason: CancelReason | None = Field(None, description="cancel：注销原因")


@router.post(
    "/staff/certificates/{certificate_id}/steps/{step}",
    response=StaffCertificateOut,
    auth=staff_auth,
    summary="办理证件事项：考试、核发、年审、暂扣、解除暂扣、吊销、注销、遗失、补证、换证",
    description="换证、补证返回新证。允许的事项见 allowed_steps；不允许时返回 422 与原因。",
)
def take_step(request: HttpRequest, certificate_id: int, step: StepCode, payload: StepIn) -> StaffCertificateOut:
    certificate = selectors.certificate_for(request.user, certificate_id)
    data = payload.dict()
    data["cancel_reason"] = payload.cancel_reason.value if payload.cancel_reason else ""
    result = services.take_certificate_step(
        actor=request.user, certificate=certificate, step=step, data=services.StepInput(**data)
    )
    return _staff_certificate_out(request, result)


# --- staff: the power list ----------------------------------------------------------------------------------------


class StaffPowerQuery(PageQuery):
    q: str = Field("", max_length=100)
    body: int | None = None
    category: PowerCategory | None = None
    status: PowerStatus | None = None


class StaffPowerPage(Schema):
    count: int
    items: list[PowerDetail]


@router.get("/staff/powers", response=StaffPowerPage, auth=staff_auth, summary="辖区内的权责事项（含已取消）")
def staff_powers(request: HttpRequest, query: Query[StaffPowerQuery]) -> StaffPowerPage:
    qs = selectors.power_items_for(
        request.user,
        q=query.q,
        body=query.body,
        category=query.category.value if query.category else "",
        status=query.status.value if query.status else "",
    )
    count, items = _page(qs, query)
    return StaffPowerPage(count=count, items=[_power_detail(i) for i in items])


class PowerIn(Schema):
    body_id: int
    code: str = Field(..., max_length=60)
    name: str = Field(..., max_length=300)
    category: PowerCategory
    legal_basis: str = Field(..., max_length=5000)
    domain: str = Field("", max_length=32, description="执法领域代码（可空）")
    random_inspection: bool = False
    inspection_scope: str = Field("", max_length=2000)
    effective_on: dt.date
    doc_number: str = Field(..., max_length=200)
    reason: str = Field("", max_length=2000)


@router.post("/staff/powers", response={201: PowerDetail}, auth=staff_auth, summary="新增权责事项")
def create_power(request: HttpRequest, payload: PowerIn) -> Status[PowerDetail]:
    body = selectors.body_for(request.user, payload.body_id)
    item = services.create_power_item(
        actor=request.user,
        body=body,
        code=payload.code,
        name=payload.name,
        category=payload.category.value,
        legal_basis=payload.legal_basis,
        domain=_domains([payload.domain])[0] if payload.domain else None,
        random_inspection=payload.random_inspection,
        inspection_scope=payload.inspection_scope,
        effective_on=payload.effective_on,
        doc_number=payload.doc_number,
        reason=payload.reason,
    )
    return Status(201, _power_detail(item))


class PowerChanges(Schema):
    code: str | None = Field(None, max_length=60)
    name: str | None = Field(None, max_length=300)
    category: PowerCategory | None = None
    legal_basis: str | None = Field(None, max_length=5000)
    random_inspection: bool | None = None
    inspection_scope: str | None = Field(None, max_length=2000)


class AdjustIn(Schema):
    kind: Literal["changed", "cancelled", "delegated", "transferred"] = Field(
        ..., description="变更 changed、取消 cancelled、下放 delegated、划转 transferred"
    )
    effective_on: dt.date
    doc_number: str = Field(..., max_length=200)
    reason: str = Field("", max_length=2000)
    changes: PowerChanges | None = Field(None, description="变更时：要改的项目")
    to_body_id: int | None = Field(None, description="下放、划转时：承接的执法主体 id")


@router.post(
    "/staff/powers/{item_id}/adjustments", response=PowerDetail, auth=staff_auth, summary="调整权责事项（动态调整）"
)
def adjust_power(request: HttpRequest, item_id: int, payload: AdjustIn) -> PowerDetail:
    item = selectors.power_item_for(request.user, item_id)
    to_body = None
    if payload.to_body_id is not None:
        to_body = selectors.bodies_for(request.user).filter(pk=payload.to_body_id).first()
        if to_body is None:
            raise ValidationFailed(FieldError("to_body_id", "unknown_body", "承接主体不存在或不在您的管辖范围内"))
    changes = {
        k: (v.value if hasattr(v, "value") else v)
        for k, v in (payload.changes.dict(exclude_unset=True) if payload.changes else {}).items()
        if v is not None
    }
    services.adjust_power_item(
        actor=request.user,
        item=item,
        kind=AdjustmentKind(payload.kind).value,
        effective_on=payload.effective_on,
        doc_number=payload.doc_number,
        reason=payload.reason,
        changes=changes,
        to_body=to_body,
    )
    return _power_detail(selectors.power_item_for(request.user, item_id))

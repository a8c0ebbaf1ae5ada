"""The one write path of the enforcement module: bodies, officers, certificates (the lifecycle), the power list.

Every function is ``<verb>_<noun>`` with keyword-only arguments and ``actor`` first (``None`` = the system), opens
one durable transaction, checks the actor's jurisdiction (``org.scope.require``), writes its audit event, and keeps
the portal's search in step (``portal.index.refresh``) in the same transaction.

Certificates move only through the table in ``lifecycle.py``: each step checks the table, the actor's permission
for that step, the step's date (not in the future, not before the certificate's previous step), writes a
``CertificateEvent`` with its effective date, and updates the certificate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fazhi.audit.services import diff, record_event, snapshot
from fazhi.clock.calendar import shift_months
from fazhi.core.docnumbers import normalise_doc_number
from fazhi.core.errors import ErrorList, FieldError, ValidationFailed
from fazhi.core.identifiers import check_resident_id, check_uscc
from fazhi.core.permissions import CERTIFICATE_MANAGE, ENFORCEMENT_MANAGE, ENFORCEMENT_VIEW
from fazhi.org import scope
from fazhi.org.models import Agency, Division
from fazhi.portal import index as search_index

from . import lifecycle
from .choices import (
    CANCEL_OFFICER_STATUS,
    ELIGIBLE_EMPLOYMENT,
    AdjustmentKind,
    BodyKind,
    CancelReason,
    CertificateAction,
    CertificateStatus,
    Employment,
    OfficerStatus,
    PowerCategory,
    PowerStatus,
)
from .models import (
    Certificate,
    CertificateEvent,
    CertificateRule,
    CertificateSerial,
    Domain,
    EnforcementBody,
    Officer,
    PowerAdjustment,
    PowerItem,
)
from .numbers import MULTI_DOMAIN, make_number

A = CertificateAction
S = CertificateStatus


def _text(value: Any) -> str:
    return str(value or "").strip()


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _json(values: dict[str, Any]) -> dict[str, Any]:
    """Dates as ISO text, so details fit a JSON column."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "系统"
    staff = getattr(actor, "staff", None)
    return getattr(staff, "name", "") or actor.get_username()


# --- bodies ------------------------------------------------------------------------------------------------------

BODY_EDITABLE = ("name", "kind", "uscc", "legal_basis", "remedy_channels", "procedure", "contact", "is_active")


def _clean_body(values: dict[str, Any], domains: list[Domain], errors: ErrorList) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key in ("name", "legal_basis", "remedy_channels", "procedure", "contact"):
        if key in values:
            cleaned[key] = _text(values[key])
    if "name" in cleaned and not cleaned["name"]:
        errors.add("name", "required", "请填写执法主体名称")
    elif len(cleaned.get("name", "")) > 200:
        errors.add("name", "too_long", "名称不能超过 200 个字")
    if "legal_basis" in cleaned and not cleaned["legal_basis"]:
        errors.add("legal_basis", "required", "请填写执法依据（设定或授权其执法的法律、法规、规章）")
    if "kind" in values:
        if values["kind"] not in BodyKind.values:
            errors.add("kind", "invalid_choice", "主体类别应为行政机关、法律法规授权的组织或综合行政执法队伍")
        cleaned["kind"] = values["kind"]
    if "uscc" in values:
        cleaned["uscc"] = ""
        if _text(values["uscc"]):
            try:
                cleaned["uscc"] = check_uscc(values["uscc"]).value
            except ValidationFailed as exc:
                errors.items.extend(exc.errors)
    if "is_active" in values:
        cleaned["is_active"] = bool(values["is_active"])
    if not domains:
        errors.add("domains", "required", "请至少选择一个执法领域")
    elif cleaned.get("kind") == BodyKind.TEAM and len(domains) < 2:
        errors.add("domains", "team_domains", "综合行政执法队伍应跨两个以上执法领域（“一支队伍管执法”）")
    return cleaned


def _body_event(body: EnforcementBody) -> dict[str, Any]:
    return {**snapshot(body), "domains": sorted(d.code for d in body.domains.all())}


def _refresh_body(body: EnforcementBody) -> None:
    """The body's own entry, and those that show its name: its officers and its power items."""
    search_index.refresh("body", [body])
    search_index.refresh("officer", list(body.officers.all()))
    search_index.refresh("power", list(body.power_items.all()))


def create_body(
    *,
    actor: Any,
    name: str,
    kind: str,
    division: Division,
    legal_basis: str,
    domains: Iterable[Domain],
    agency: Agency | None = None,
    uscc: str = "",
    remedy_channels: str = "",
    procedure: str = "",
    contact: str = "",
) -> EnforcementBody:
    """Register an enforcement body in ``division`` (an agency's body lives where the agency is)."""
    domains = list(domains)
    with transaction.atomic(durable=True):
        body = EnforcementBody(division=division, agency=agency)
        scope.require(actor, ENFORCEMENT_MANAGE, body, visible_with=ENFORCEMENT_VIEW)
        errors = ErrorList()
        cleaned = _clean_body(
            {
                "name": name,
                "kind": kind,
                "uscc": uscc,
                "legal_basis": legal_basis,
                "remedy_channels": remedy_channels,
                "procedure": procedure,
                "contact": contact,
            },
            domains,
            errors,
        )
        if kind == BodyKind.AGENCY and agency is None:
            errors.add("agency", "required", "行政机关作为执法主体时，请选择该机关")
        if agency is not None and agency.division_id != division.pk:
            errors.add("agency", "agency_division", f"“{agency.name}”不在{division.name}，执法主体应与所属机关同在一地")
        if EnforcementBody.objects.filter(division=division, name=cleaned.get("name", "")).exists():
            errors.add("name", "duplicate", f"{division.name}已有名为“{cleaned['name']}”的执法主体")
        errors.raise_if_any()
        for key, value in cleaned.items():
            setattr(body, key, value)
        body.save()
        body.domains.set(domains)
        record_event(actor=actor, action="enforcement.body.create", target=body, after=_body_event(body))
        search_index.refresh("body", [body])
        return body


def update_body(
    *,
    actor: Any,
    body: EnforcementBody,
    changes: dict[str, Any],
    domains: Iterable[Domain] | None = None,
    reason: str = "",
) -> EnforcementBody:
    """Change a body's public facts (name, kind, code, legal basis, domains, remedy channels, procedure, contact) or
    close it (``is_active``). Where it is (division, agency) does not change: register a new body instead."""
    unknown = set(changes) - set(BODY_EDITABLE)
    if unknown:
        raise ValidationFailed([FieldError(f, "not_editable", "该项不能修改") for f in sorted(unknown)])
    with transaction.atomic(durable=True):
        body = (
            EnforcementBody.objects.select_for_update(of=("self",)).select_related("division", "agency").get(pk=body.pk)
        )
        scope.require(actor, ENFORCEMENT_MANAGE, body, visible_with=ENFORCEMENT_VIEW)
        new_domains = list(body.domains.all()) if domains is None else list(domains)
        errors = ErrorList()
        cleaned = _clean_body({"kind": body.kind, **changes}, new_domains, errors)
        if "name" in changes and (
            EnforcementBody.objects.filter(division=body.division, name=cleaned.get("name", ""))
            .exclude(pk=body.pk)
            .exists()
        ):
            errors.add("name", "duplicate", f"{body.division.name}已有名为“{cleaned['name']}”的执法主体")
        if cleaned.get("is_active") is False and body.is_active:
            holders = Certificate.objects.filter(officer__body=body, status__in=lifecycle.OPEN_STATES).count()
            if holders:
                errors.add(
                    "is_active", "has_certificates", f"本主体仍有 {holders} 个执法证件未终止，请先注销后再撤销主体"
                )
        in_use = _domains_in_use(body) - {d.pk for d in new_domains}
        if in_use:
            names = "、".join(Domain.objects.filter(pk__in=in_use).values_list("name", flat=True))
            errors.add("domains", "domain_in_use", f"本主体仍有执法证件或权责事项属于“{names}”领域，不能去掉")
        errors.raise_if_any()
        before = _body_event(body)
        for key, value in cleaned.items():
            setattr(body, key, value)
        body.save()
        body.domains.set(new_domains)
        old, new = diff(before, _body_event(body))
        old.pop("updated_at", None)
        new.pop("updated_at", None)
        if new:
            record_event(
                actor=actor, action="enforcement.body.update", target=body, before=old, after=new, reason=reason
            )
        _refresh_body(body)
        return body


def _domains_in_use(body: EnforcementBody) -> set[int]:
    open_certs = Certificate.objects.filter(officer__body=body, status__in=lifecycle.OPEN_STATES)
    used = set(Domain.objects.filter(certificates__in=open_certs).values_list("pk", flat=True))
    used |= set(
        body.power_items.filter(status=PowerStatus.IN_FORCE, domain__isnull=False).values_list("domain_id", flat=True)
    )
    return used


# --- officers ----------------------------------------------------------------------------------------------------

OFFICER_EDITABLE = ("name", "phone", "position", "employment", "status")


def _clean_officer(values: dict[str, Any], errors: ErrorList) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key in ("name", "phone", "position"):
        if key in values:
            cleaned[key] = _text(values[key])
    if "name" in cleaned and not cleaned["name"]:
        errors.add("name", "required", "请填写姓名")
    if "employment" in values:
        if values["employment"] not in Employment.values:
            errors.add("employment", "invalid_choice", "请选择编制与用工类型")
        cleaned["employment"] = values["employment"]
    if "status" in values:
        if values["status"] not in OfficerStatus.values:
            errors.add("status", "invalid_choice", "请选择在职状态")
        cleaned["status"] = values["status"]
    return cleaned


def create_officer(
    *,
    actor: Any,
    body: EnforcementBody,
    name: str,
    id_number: str,
    employment: str,
    position: str = "",
    phone: str = "",
) -> Officer:
    """Register a person working for ``body``. Anyone may be registered (for example 辅助人员); only 在编在职
    staff may later apply for a certificate."""
    with transaction.atomic(durable=True):
        scope.require(actor, ENFORCEMENT_MANAGE, Officer(body=body), visible_with=ENFORCEMENT_VIEW)
        values = {"name": name, "id_number": id_number, "employment": employment, "position": position, "phone": phone}
        return _create_officer(actor, body, values)


def _create_officer(actor: Any, body: EnforcementBody, values: dict[str, Any]) -> Officer:
    """Check and create one officer inside the caller's transaction (nothing is written when a check fails)."""
    errors = ErrorList()
    cleaned = _clean_officer({k: v for k, v in values.items() if k != "id_number"}, errors)
    try:
        checked = check_resident_id(values.get("id_number"), field_name="id_number")
        cleaned["id_number"] = checked.value
        cleaned["birth_date"] = dt.date(int(checked.value[6:10]), int(checked.value[10:12]), int(checked.value[12:14]))
        if Officer.objects.filter(body=body, id_number=checked.value).exists():
            errors.add("id_number", "duplicate", "本执法主体已登记过该身份证号码的人员")
    except ValidationFailed as exc:
        errors.items.extend(exc.errors)
    errors.raise_if_any()
    officer = Officer(body=body, **cleaned)
    officer.save()
    record_event(
        actor=actor,
        action="enforcement.officer.create",
        target=officer,
        after=snapshot(officer, ["name", "position", "employment", "status", "body"]),
    )
    return officer


# Column names an officer list may use (a file's headers are matched with ``ingest.readers.match_headers``).
OFFICER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "执法人员姓名"),
    "id_number": ("居民身份证号码", "身份证号码", "身份证号", "证件号码"),
    "employment": ("编制与用工类型", "编制类型", "编制", "用工类型", "人员类别"),
    "position": ("职务", "职务职级"),
    "phone": ("联系电话", "电话", "手机", "手机号码"),
}
_EMPLOYMENT_WORDS = {
    **{str(label): str(value) for value, label in Employment.choices},
    **{str(value): str(value) for value in Employment.values},
    "行政编制": Employment.CIVIL_SERVANT,
    "公务员": Employment.CIVIL_SERVANT,
    "参公": Employment.REFERENCE_MANAGED,
    "参照公务员法管理": Employment.REFERENCE_MANAGED,
    "事业编制": Employment.INSTITUTION,
    "工勤": Employment.WORKER,
    "合同工": Employment.CONTRACT,
    "劳务派遣": Employment.DISPATCHED,
}


@dataclass
class OfficerImport:
    created: int = 0
    unchanged: int = 0  # already registered in the body (same 居民身份证号码): importing again changes nothing
    rejected: list[tuple[int, FieldError]] = field(default_factory=list)  # (row number, what is wrong)


def import_officers(*, actor: Any, body: EnforcementBody, rows: Iterable[tuple[int, dict[str, Any]]]) -> OfficerImport:
    """Register the officers of a list (row number, values by ``OFFICER_COLUMNS`` key) in ``body``, in one
    transaction: each good row through the same checks as a single registration, each bad one reported with its row
    number and reason; people already registered (same ID number) are left as they are."""
    result = OfficerImport()
    with transaction.atomic(durable=True):
        scope.require(actor, ENFORCEMENT_MANAGE, Officer(body=body), visible_with=ENFORCEMENT_VIEW)
        known = set(Officer.objects.filter(body=body).values_list("id_number", flat=True))
        for number, values in rows:
            try:
                word = _text(values.get("employment"))
                employment = _EMPLOYMENT_WORDS.get(word)
                if employment is None:
                    allowed = "、".join(str(label) for label in Employment.labels)
                    raise ValidationFailed(
                        FieldError(
                            "employment", "unknown_employment", f"编制与用工类型“{word}”无法识别，可填：{allowed}"
                        )
                    )
                id_number = check_resident_id(values.get("id_number"), field_name="id_number").value
                if id_number in known:
                    result.unchanged += 1
                    continue
                row = {key: _text(values.get(key)) for key in OFFICER_COLUMNS}
                _create_officer(actor, body, {**row, "id_number": id_number, "employment": employment})
                known.add(id_number)
                result.created += 1
            except ValidationFailed as exc:
                result.rejected.extend((number, error) for error in exc.errors)
        if result.created:
            record_event(
                actor=actor,
                action="enforcement.officer.import",
                target=body,
                after={"created": result.created, "unchanged": result.unchanged, "rejected": len(result.rejected)},
            )
    return result


def update_officer(*, actor: Any, officer: Officer, changes: dict[str, Any], reason: str = "") -> Officer:
    """Change an officer's name, phone, position, 编制 or duty status. Someone holding an open certificate cannot
    become ineligible or leave without the certificate being cancelled first (``cancel_certificate``)."""
    unknown = set(changes) - set(OFFICER_EDITABLE)
    if unknown:
        raise ValidationFailed([FieldError(f, "not_editable", "该项不能修改") for f in sorted(unknown)])
    with transaction.atomic(durable=True):
        officer = (
            Officer.objects.select_for_update(of=("self",))
            .select_related("body__division", "body__agency")
            .get(pk=officer.pk)
        )
        scope.require(actor, ENFORCEMENT_MANAGE, officer, visible_with=ENFORCEMENT_VIEW)
        errors = ErrorList()
        cleaned = _clean_officer(changes, errors)
        holds = officer.certificates.filter(status__in=lifecycle.OPEN_STATES).first()
        if holds is not None:
            if cleaned.get("employment", officer.employment) not in ELIGIBLE_EMPLOYMENT:
                errors.add(
                    "employment", "holds_certificate", "该人员持有或正在申领执法证，请先注销证件再变更为非在编人员"
                )
            if cleaned.get("status", officer.status) != OfficerStatus.ON_DUTY:
                errors.add(
                    "status", "holds_certificate", "该人员持有或正在申领执法证，请通过“注销”办理调离、退休或离岗"
                )
        errors.raise_if_any()
        before = snapshot(officer)
        for key, value in cleaned.items():
            setattr(officer, key, value)
        officer.save()
        old, new = diff(before, snapshot(officer))
        old.pop("updated_at", None)
        new.pop("updated_at", None)
        if new:
            # Only the names of changed private fields are audited, never their values.
            for key in ("phone",):
                if key in new:
                    old[key], new[key] = "（已修改）", "（已修改）"
            record_event(
                actor=actor, action="enforcement.officer.update", target=officer, before=old, after=new, reason=reason
            )
        search_index.refresh("officer", [officer])
        return officer


# --- certificate rules ---------------------------------------------------------------------------------------------


def resolve_rule(on: dt.date) -> CertificateRule:
    """The certificate rule version in force on ``on``; a Chinese error when there is none."""
    rule = (
        CertificateRule.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )
    if rule is None:
        raise ValidationFailed(
            FieldError("on", "no_rule", f"{on.isoformat()} 没有施行中的执法证件规则，请先在后台录入规则版本")
        )
    return rule


def create_certificate_rule(
    *,
    actor: Any,
    name: str,
    validity_years: int,
    annual_review: bool,
    review_interval_months: int,
    review_grace_days: int,
    renewal_window_days: int,
    exam_valid_months: int,
    pass_score: int,
    legal_source: str,
    confidence: str,
    valid_from: dt.date,
    note: str = "",
) -> CertificateRule:
    """A new rule version from ``valid_from`` (province-wide permission); the version it follows ends the day
    before. Certificates already issued keep the version they were issued under."""
    errors = ErrorList()
    if not _text(name):
        errors.add("name", "required", "请填写规则名称")
    if not _text(legal_source):
        errors.add("legal_source", "required", "请填写依据（文件名称与条款，或“推定”）")
    if not 1 <= validity_years <= 20:
        errors.add("validity_years", "range", "有效期应为 1–20 年")
    if not 1 <= review_interval_months <= 60:
        errors.add("review_interval_months", "range", "年审间隔应为 1–60 个月")
    if not 0 <= pass_score <= 100:
        errors.add("pass_score", "range", "合格分数应为 0–100")
    errors.raise_if_any()
    scope.require_root(actor, CERTIFICATE_MANAGE, "修改执法证件规则需要全省范围的“办理执法证件”权限")
    with transaction.atomic(durable=True):
        if CertificateRule.objects.filter(valid_from=valid_from).exists():
            raise ValidationFailed(FieldError("valid_from", "duplicate_version", "这一天已有规则版本"))
        for old in (
            CertificateRule.objects.select_for_update()
            .filter(valid_from__lt=valid_from)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        ):
            old.valid_to = valid_from - dt.timedelta(days=1)
            old.save(update_fields=["valid_to"])
            record_event(actor=actor, action="enforcement.rule.close", target=old, after={"valid_to": old.valid_to})
        rule = CertificateRule.objects.create(
            name=_text(name),
            validity_years=validity_years,
            annual_review=annual_review,
            review_interval_months=review_interval_months,
            review_grace_days=review_grace_days,
            renewal_window_days=renewal_window_days,
            exam_valid_months=exam_valid_months,
            pass_score=pass_score,
            legal_source=_text(legal_source),
            confidence=confidence,
            note=_text(note),
            valid_from=valid_from,
        )
        record_event(actor=actor, action="enforcement.rule.create", target=rule, after=snapshot(rule))
        return rule


# --- certificates: eligibility and the steps of the table ----------------------------------------------------------


def eligibility_errors(officer: Officer, on: dt.date) -> list[FieldError]:
    """Why ``officer`` may not hold a certificate on ``on`` (empty: eligible). DOMAIN.md §5.1: 在编在职, ≥ 18;
    工勤人员、劳动合同工、临时工 (and 劳务派遣) may not apply."""
    errors = []
    if officer.employment not in ELIGIBLE_EMPLOYMENT:
        label = Employment(officer.employment).label
        errors.append(
            FieldError(
                "employment",
                "not_eligible",
                f"{officer.name}为{label}，不能申领执法证：只有在编在职人员（行政编制、参照公务员法管理或事业编制）"
                "可以申领，临时工、劳务派遣人员、合同工和工勤人员不得申领",
            )
        )
    if officer.status != OfficerStatus.ON_DUTY:
        errors.append(
            FieldError(
                "status", "not_on_duty", f"{officer.name}{OfficerStatus(officer.status).label}，不能申领或持有执法证"
            )
        )
    if officer.birth_date is not None and lifecycle.add_years(officer.birth_date, 18) > on:
        errors.append(FieldError("birth_date", "under_age", f"{officer.name}未满 18 周岁，不能申领执法证"))
    return errors


def _locked(certificate: Certificate) -> Certificate:
    return (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("officer__body__division", "officer__body__agency", "rule")
        .get(pk=certificate.pk)
    )


def _events(certificate: Certificate) -> list[CertificateEvent]:
    return list(CertificateEvent.objects.filter(certificate=certificate).order_by("on", "id"))


_AFTER_ISSUE = {A.REVIEW_PASS, A.REVIEW_FAIL, A.SUSPEND, A.RESTORE, A.REVOKE, A.REPORT_LOSS, A.RENEW}


def _begin(
    actor: Any, certificate: Certificate, action: str, on: dt.date, reason: str, today: dt.date
) -> lifecycle.Transition:
    """Everything a step checks before it changes anything: jurisdiction and permission, the table, the date."""
    step = lifecycle.TRANSITIONS[action]
    scope.require(actor, step.permission, certificate, visible_with=ENFORCEMENT_VIEW)
    step = lifecycle.transition(action, certificate.status)
    errors = ErrorList()
    if on > today:
        errors.add("on", "date_in_future", "生效日期不能晚于今天")
    last = CertificateEvent.objects.filter(certificate=certificate).order_by("-on", "-id").first()
    if last is not None and on < last.on:
        errors.add(
            "on",
            "date_before_last_step",
            f"生效日期不能早于该证上一事项（{last.get_action_display()}，{last.on.isoformat()}）",
        )
    if action in _AFTER_ISSUE and certificate.expires_on is not None and on > certificate.expires_on:
        errors.add("on", "expired", f"该证已于 {certificate.expires_on.isoformat()} 到期，不能再办理此事项")
    if step.reason_required and not _text(reason):
        errors.add("reason", "required", f"办理“{A(action).label}”须说明理由")
    errors.raise_if_any()
    return step


def _finish(
    actor: Any,
    certificate: Certificate,
    step: lifecycle.Transition,
    on: dt.date,
    *,
    reason: str = "",
    doc_number: str = "",
    details: dict[str, Any] | None = None,
) -> Certificate:
    """Write the step: its event, the certificate's new state, the audit event, the officer's search entry."""
    before = certificate.status
    CertificateEvent.objects.create(
        certificate=certificate,
        action=step.action,
        on=on,
        status_before=before,
        status_after=step.target,
        reason=_text(reason),
        doc_number=normalise_doc_number(_text(doc_number)).normalised if _text(doc_number) else "",
        details=_json(details or {}),
        recorded_by=_actor_name(actor)[:150],
    )
    certificate.status = step.target
    if step.target in lifecycle.TERMINAL_STATES and certificate.ended_on is None:
        certificate.ended_on = on
    certificate.review_due = lifecycle.current_review_due(certificate, _events(certificate))
    certificate.save()
    record_event(
        actor=actor,
        action=f"enforcement.certificate.{step.action}",
        target=certificate,
        before={"status": before},
        after={"status": certificate.status, "on": on, **(details or {})},
        reason=_text(reason),
    )
    search_index.refresh("officer", [certificate.officer])
    return certificate


def _simple_step(
    actor: Any,
    certificate: Certificate,
    action: str,
    on: dt.date | None,
    reason: str,
    doc_number: str,
    today: dt.date | None,
    details: dict[str, Any] | None = None,
) -> Certificate:
    today = _today(today)
    on = on or today
    with transaction.atomic(durable=True):
        certificate = _locked(certificate)
        step = _begin(actor, certificate, action, on, reason, today)
        return _finish(actor, certificate, step, on, reason=reason, doc_number=doc_number, details=details)


def apply_for_certificate(
    *,
    actor: Any,
    officer: Officer,
    domains: Iterable[Domain],
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> Certificate:
    """申领: an application for ``officer``, in some of the body's domains. Refused for anyone not 在编在职, for
    someone who already holds or is applying for a certificate, and for domains the body does not enforce in."""
    today = _today(today)
    on = on or today
    domains = list(domains)
    with transaction.atomic(durable=True):
        officer = (
            Officer.objects.select_for_update(of=("self",))
            .select_related("body__division", "body__agency")
            .get(pk=officer.pk)
        )
        scope.require(actor, lifecycle.TRANSITIONS[A.APPLY].permission, officer, visible_with=ENFORCEMENT_VIEW)
        errors = ErrorList(eligibility_errors(officer, on))
        if on > today:
            errors.add("on", "date_in_future", "申领日期不能晚于今天")
        current = (
            officer.certificates.filter(status__in=lifecycle.OPEN_STATES)
            .exclude(status=S.ACTIVE, expires_on__lt=on)
            .first()
        )
        if current is not None:
            errors.add(
                "officer",
                "already_holds",
                f"{officer.name}已有执法证件（{current.number or '申领中'}，{current.get_status_display()}），"
                "不能重复申领；到期换证请办理“换发新证”",
            )
        body_domains = set(officer.body.domains.values_list("pk", flat=True))
        if not domains:
            errors.add("domains", "required", "请选择申领的执法领域")
        elif any(d.pk not in body_domains for d in domains):
            outside = "、".join(d.name for d in domains if d.pk not in body_domains)
            errors.add("domains", "domain_not_of_body", f"“{officer.body.name}”没有“{outside}”执法领域")
        errors.raise_if_any()
        certificate = Certificate.objects.create(officer=officer, status=S.APPLIED, applied_on=on)
        certificate.domains.set(domains)
        CertificateEvent.objects.create(
            certificate=certificate,
            action=A.APPLY,
            on=on,
            status_after=S.APPLIED,
            details={"domains": sorted(d.code for d in domains)},
            recorded_by=_actor_name(actor)[:150],
        )
        record_event(
            actor=actor,
            action="enforcement.certificate.apply",
            target=certificate,
            after={"status": S.APPLIED, "on": on, "domains": sorted(d.code for d in domains)},
        )
        return certificate


def record_exam(
    *,
    actor: Any,
    certificate: Certificate,
    score: int,
    training_hours: int | None = None,
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> Certificate:
    """Training and exam result (公共法律知识 + 专业法律知识): passed when ``score`` reaches the pass score of the rule
    in force on the exam date. A failed applicant may sit the exam again."""
    today = _today(today)
    on = on or today
    errors = ErrorList()
    if not isinstance(score, int) or not 0 <= score <= 100:
        errors.add("score", "range", "考试成绩应为 0–100 的整数")
    if training_hours is not None and not 0 <= training_hours <= 1000:
        errors.add("training_hours", "range", "培训学时应为 0–1000")
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        certificate = _locked(certificate)
        scope.require(actor, CERTIFICATE_MANAGE, certificate, visible_with=ENFORCEMENT_VIEW)
        rule = resolve_rule(on)
        action = A.PASS_EXAM if score >= rule.pass_score else A.FAIL_EXAM
        step = _begin(actor, certificate, action, on, "", today)
        certificate.exam_on, certificate.exam_score, certificate.training_hours = on, score, training_hours
        details = {"score": score, "pass_score": rule.pass_score, "training_hours": training_hours}
        return _finish(actor, certificate, step, on, details=details)


def _number(certificate: Certificate, domains: list[Domain]) -> str:
    province = certificate.officer.body.division.code[:2]
    domain = domains[0].number if len(domains) == 1 else MULTI_DOMAIN
    serial, _ = CertificateSerial.objects.select_for_update().get_or_create(prefix=province + domain)
    serial.last += 1
    serial.save(update_fields=["last"])
    return make_number(province, domain, serial.last)


def _issue(certificate: Certificate, on: dt.date, rule: CertificateRule) -> None:
    certificate.number = _number(certificate, list(certificate.domains.all()))
    certificate.rule = rule
    certificate.issued_on = on
    certificate.expires_on = lifecycle.expiry_for(rule, on)


def issue_certificate(
    *, actor: Any, certificate: Certificate, on: dt.date | None = None, today: dt.date | None = None
) -> Certificate:
    """核发: number, validity from the rule in force on ``on``. The officer must still be eligible and the exam pass
    still within its validity."""
    today = _today(today)
    on = on or today
    with transaction.atomic(durable=True):
        certificate = _locked(certificate)
        step = _begin(actor, certificate, A.ISSUE, on, "", today)
        rule = resolve_rule(on)
        errors = ErrorList(eligibility_errors(certificate.officer, on))
        if certificate.exam_on is not None and on > shift_months(certificate.exam_on, rule.exam_valid_months):
            errors.add(
                "on",
                "exam_too_old",
                f"考试合格（{certificate.exam_on.isoformat()}）已超过 {rule.exam_valid_months} 个月的有效期，"
                "请注销本次申领后重新申领并参加考试",
            )
        errors.raise_if_any()
        _issue(certificate, on, rule)
        details = {"number": certificate.number, "expires_on": certificate.expires_on, "rule": rule.pk}
        return _finish(actor, certificate, step, on, details=details)


def review_certificate(
    *,
    actor: Any,
    certificate: Certificate,
    passed: bool,
    reason: str = "",
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> Certificate:
    """年审: passed → the review schedule counts from ``on``; failed → the certificate is suspended (暂扣)."""
    action = A.REVIEW_PASS if passed else A.REVIEW_FAIL
    return _simple_step(actor, certificate, action, on, reason, "", today)


def _decision(action: str, doc: str) -> Callable[..., Certificate]:
    """A step that is only a decision with its reason (and 文号): the table row does the rest."""

    def step(
        *,
        actor: Any,
        certificate: Certificate,
        reason: str,
        doc_number: str = "",
        on: dt.date | None = None,
        today: dt.date | None = None,
    ) -> Certificate:
        return _simple_step(actor, certificate, action, on, reason, doc_number, today)

    step.__doc__ = doc
    return step


suspend_certificate = _decision(A.SUSPEND, "暂扣 (e.g. 被处分, 涉嫌违法违纪): not valid from ``on`` until restored.")
restore_certificate = _decision(A.RESTORE, "解除暂扣: valid again from ``on`` (if within its validity and 年审).")
revoke_certificate = _decision(A.REVOKE, "吊销: never valid again from ``on``.")
report_certificate_loss = _decision(
    A.REPORT_LOSS,
    "遗失声明作废: the lost card is void from ``on`` (its QR code then shows 遗失作废); reissue with "
    "``reissue_certificate``.",
)


def cancel_certificate(
    *,
    actor: Any,
    certificate: Certificate,
    cancel_reason: str,
    reason: str = "",
    doc_number: str = "",
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> Certificate:
    """注销 (调离、退休、离岗, or an application withdrawn): ends the certificate; a transfer, retirement or departure
    also ends the officer's service with the body."""
    if cancel_reason not in CancelReason.values:
        raise ValidationFailed(FieldError("cancel_reason", "invalid_choice", "请选择注销原因"))
    today = _today(today)
    on = on or today
    with transaction.atomic(durable=True):
        certificate = _locked(certificate)
        step = _begin(actor, certificate, A.CANCEL, on, reason, today)
        officer_status = CANCEL_OFFICER_STATUS[cancel_reason]
        text = _text(reason) or str(CancelReason(cancel_reason).label)
        done = _finish(
            actor, certificate, step, on, reason=text, doc_number=doc_number, details={"cancel_reason": cancel_reason}
        )
        officer = certificate.officer
        if officer_status is not None and officer.status != officer_status:
            record_event(
                actor=actor,
                action="enforcement.officer.update",
                target=officer,
                before={"status": officer.status},
                after={"status": officer_status},
                reason=text,
            )
            officer.status = officer_status
            officer.save(update_fields=["status", "updated_at"])
        return done


def _successor(
    actor: Any, old: Certificate, on: dt.date, rule: CertificateRule, *, keep_expiry: bool, review_from: dt.date | None
) -> Certificate:
    """The new certificate a renewal or reissue issues (new number, same officer and domains)."""
    domains = list(old.domains.all())
    new = Certificate.objects.create(
        officer=old.officer,
        status=S.ACTIVE,
        applied_on=on,
        training_hours=old.training_hours,
        exam_on=old.exam_on,
        exam_score=old.exam_score,
        replaces=old,
    )
    new.domains.set(domains)
    _issue(new, on, rule)
    if keep_expiry:
        new.expires_on = old.expires_on
    details: dict[str, Any] = {"number": new.number, "expires_on": new.expires_on, "replaces": old.number}
    if review_from is not None:
        details["review_from"] = review_from.isoformat()
    CertificateEvent.objects.create(
        certificate=new,
        action=A.ISSUE,
        on=on,
        status_before="",
        status_after=S.ACTIVE,
        details=_json(details),
        recorded_by=_actor_name(actor)[:150],
    )
    new.review_due = lifecycle.current_review_due(new, _events(new))
    new.save()
    record_event(actor=actor, action="enforcement.certificate.issue", target=new, after={"on": on, **details})
    return new


def renew_certificate(
    *, actor: Any, certificate: Certificate, on: dt.date | None = None, today: dt.date | None = None
) -> Certificate:
    """换发新证: within the renewal window before expiry, for a certificate valid on ``on``. Returns the new
    certificate (new number, validity under the rule in force on ``on``); the old one is 已换发新证 from ``on``."""
    today = _today(today)
    on = on or today
    with transaction.atomic(durable=True):
        old = _locked(certificate)
        step = _begin(actor, old, A.RENEW, on, "", today)
        assert old.rule is not None and old.expires_on is not None  # noqa: S101 - ACTIVE means issued
        errors = ErrorList(eligibility_errors(old.officer, on))
        opens = old.expires_on - dt.timedelta(days=old.rule.renewal_window_days)
        if on < opens:
            errors.add(
                "on",
                "too_early",
                f"该证有效期至 {old.expires_on.isoformat()}，{opens.isoformat()} 起（到期前 "
                f"{old.rule.renewal_window_days} 日内）方可换证",
            )
        validity = lifecycle.validity_on(old, on, _events(old))
        if not validity.valid:
            errors.add("on", "not_valid", f"该证在 {on.isoformat()} 不是有效状态（{validity.label}），不能换证")
        errors.raise_if_any()
        rule = resolve_rule(on)
        new = _successor(actor, old, on, rule, keep_expiry=False, review_from=None)
        _finish(actor, old, step, on, details={"successor": new.number})
        return new


def reissue_certificate(
    *, actor: Any, certificate: Certificate, on: dt.date | None = None, today: dt.date | None = None
) -> Certificate:
    """补证: a new card (new number) for a certificate reported lost, with the same expiry date and 年审 schedule."""
    today = _today(today)
    on = on or today
    with transaction.atomic(durable=True):
        old = _locked(certificate)
        step = _begin(actor, old, A.REISSUE, on, "", today)
        assert old.rule is not None and old.expires_on is not None  # noqa: S101 - LOST is only reached when issued
        errors = ErrorList(eligibility_errors(old.officer, on))
        successor = old.successors.first()
        if successor is not None:
            errors.add("certificate", "already_reissued", f"该证已补发新证 {successor.number}")
        if on > old.expires_on:
            errors.add("on", "expired", f"原证已于 {old.expires_on.isoformat()} 到期，请重新申领，不能补证")
        errors.raise_if_any()
        events = _events(old)
        anchor = lifecycle.review_anchor(events, on)
        new = _successor(actor, old, on, old.rule, keep_expiry=True, review_from=anchor)
        _finish(actor, old, step, on, details={"successor": new.number})
        return new


@dataclass(frozen=True)
class StepInput:
    """What the page forms and the API send for a certificate step (each step uses the fields it needs)."""

    on: dt.date | None = None
    reason: str = ""
    doc_number: str = ""
    score: int | None = None
    training_hours: int | None = None
    passed: bool | None = None
    cancel_reason: str = ""


def _decided(step: Callable[..., Certificate]) -> Callable[[Any, Certificate, StepInput], Certificate]:
    return lambda a, c, d: step(actor=a, certificate=c, reason=d.reason, doc_number=d.doc_number, on=d.on)


# Steps offered as one form or endpoint each: step code -> (table actions it may take, the service that does it).
STEPS: dict[str, tuple[tuple[str, ...], Callable[..., Certificate]]] = {
    "exam": (
        (A.PASS_EXAM, A.FAIL_EXAM),
        lambda a, c, d: record_exam(
            actor=a,
            certificate=c,
            score=d.score if d.score is not None else -1,
            training_hours=d.training_hours,
            on=d.on,
        ),
    ),
    "issue": ((A.ISSUE,), lambda a, c, d: issue_certificate(actor=a, certificate=c, on=d.on)),
    "review": (
        (A.REVIEW_PASS, A.REVIEW_FAIL),
        lambda a, c, d: review_certificate(actor=a, certificate=c, passed=bool(d.passed), reason=d.reason, on=d.on),
    ),
    "suspend": ((A.SUSPEND,), _decided(suspend_certificate)),
    "restore": ((A.RESTORE,), _decided(restore_certificate)),
    "revoke": ((A.REVOKE,), _decided(revoke_certificate)),
    "cancel": (
        (A.CANCEL,),
        lambda a, c, d: cancel_certificate(
            actor=a, certificate=c, cancel_reason=d.cancel_reason, reason=d.reason, doc_number=d.doc_number, on=d.on
        ),
    ),
    "report_loss": ((A.REPORT_LOSS,), _decided(report_certificate_loss)),
    "reissue": ((A.REISSUE,), lambda a, c, d: reissue_certificate(actor=a, certificate=c, on=d.on)),
    "renew": ((A.RENEW,), lambda a, c, d: renew_certificate(actor=a, certificate=c, on=d.on)),
}


def steps_from(status: str) -> list[str]:
    """The steps the table allows from ``status``, in table order."""
    return [
        code for code, (actions, _) in STEPS.items() if any(status in lifecycle.TRANSITIONS[a].sources for a in actions)
    ]


def take_certificate_step(*, actor: Any, certificate: Certificate, step: str, data: StepInput) -> Certificate:
    """Dispatch one step by its code (pages and the API); returns the certificate the step leaves current (for a
    renewal or reissue, the new one)."""
    if step not in STEPS:
        raise ValidationFailed(FieldError("step", "unknown_step", f"没有“{step}”这一证件事项"))
    return STEPS[step][1](actor, certificate, data)


# --- the power list ----------------------------------------------------------------------------------------------

POWER_FIELDS = ("code", "name", "category", "legal_basis", "domain", "random_inspection", "inspection_scope")


def power_state(item: PowerItem) -> dict[str, Any]:
    """The public state of an item, as kept in an adjustment's ``before`` / ``after``."""
    return {
        "code": item.code,
        "name": item.name,
        "category": item.category,
        "legal_basis": item.legal_basis,
        "domain": item.domain.code if item.domain_id and item.domain else "",
        "domain_name": item.domain.name if item.domain_id and item.domain else "",
        "random_inspection": item.random_inspection,
        "inspection_scope": item.inspection_scope,
        "body_id": item.body_id,
        "body_name": item.body.name,
    }


def _clean_power(values: dict[str, Any], body: EnforcementBody, errors: ErrorList) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key in ("code", "name", "legal_basis", "inspection_scope"):
        if key in values:
            cleaned[key] = _text(values[key])
    for key, label in (("code", "事项编码"), ("name", "事项名称"), ("legal_basis", "设定依据")):
        if key in cleaned and not cleaned[key]:
            errors.add(key, "required", f"请填写{label}")
    if len(cleaned.get("code", "")) > 60:
        errors.add("code", "too_long", "事项编码不能超过 60 个字符")
    if "category" in values:
        if values["category"] not in PowerCategory.values:
            errors.add(
                "category",
                "invalid_choice",
                "请选择权力类别（许可、处罚、强制、征收、给付、检查、确认、奖励、裁决或其他）",
            )
        cleaned["category"] = values["category"]
    if "domain" in values:
        domain = values["domain"]
        if domain is not None and not body.domains.filter(pk=domain.pk).exists():
            errors.add("domain", "domain_not_of_body", f"“{body.name}”没有“{domain.name}”执法领域")
        cleaned["domain"] = domain
    if "random_inspection" in values:
        cleaned["random_inspection"] = bool(values["random_inspection"])
    return cleaned


def _check_power_rules(item: PowerItem, errors: ErrorList) -> None:
    if item.random_inspection and item.category != PowerCategory.INSPECTION:
        errors.add("random_inspection", "not_inspection", "只有行政检查事项可以列入随机抽查事项清单")
    clash = PowerItem.objects.filter(body_id=item.body_id, code=item.code, status=PowerStatus.IN_FORCE)
    if item.pk:
        clash = clash.exclude(pk=item.pk)
    if clash.exists():
        errors.add("code", "duplicate", f"“{item.body.name}”的现行清单中已有编码为“{item.code}”的事项")


def _clean_adjustment(effective_on: dt.date, doc_number: str, today: dt.date, errors: ErrorList) -> tuple[str, str]:
    if effective_on > today:
        errors.add("effective_on", "date_in_future", "生效日期不能晚于今天（调整在生效当日登记）")
    number = normalise_doc_number(_text(doc_number), field_name="doc_number")
    if not number.normalised:
        errors.add("doc_number", "required", "请填写调整所依据的文件文号，例如：晋政发〔2020〕12号")
    return number.verbatim, number.normalised


def create_power_item(
    *,
    actor: Any,
    body: EnforcementBody,
    code: str,
    name: str,
    category: str,
    legal_basis: str,
    effective_on: dt.date,
    doc_number: str,
    domain: Domain | None = None,
    random_inspection: bool = False,
    inspection_scope: str = "",
    reason: str = "",
    today: dt.date | None = None,
) -> PowerItem:
    """新增: an item enters ``body``'s list on ``effective_on`` by the document ``doc_number``."""
    today = _today(today)
    with transaction.atomic(durable=True):
        item = PowerItem(body=body, effective_on=effective_on)
        scope.require(actor, ENFORCEMENT_MANAGE, item, visible_with=ENFORCEMENT_VIEW)
        errors = ErrorList()
        values = {
            "code": code,
            "name": name,
            "category": category,
            "legal_basis": legal_basis,
            "domain": domain,
            "random_inspection": random_inspection,
            "inspection_scope": inspection_scope,
        }
        for key, value in _clean_power(values, body, errors).items():
            setattr(item, key, value)
        doc_verbatim, doc_key = _clean_adjustment(effective_on, doc_number, today, errors)
        _check_power_rules(item, errors)
        errors.raise_if_any()
        item.save()
        PowerAdjustment.objects.create(
            item=item,
            kind=AdjustmentKind.ADDED,
            effective_on=effective_on,
            doc_number=doc_verbatim,
            doc_number_key=doc_key,
            reason=_text(reason),
            body=body,
            before=None,
            after=power_state(item),
        )
        record_event(
            actor=actor,
            action="enforcement.power.add",
            target=item,
            after={"effective_on": effective_on, "doc_number": doc_key, **power_state(item)},
            reason=_text(reason),
        )
        search_index.refresh("power", [item])
        return item


def adjust_power_item(
    *,
    actor: Any,
    item: PowerItem,
    kind: str,
    effective_on: dt.date,
    doc_number: str,
    reason: str = "",
    changes: dict[str, Any] | None = None,
    to_body: EnforcementBody | None = None,
    today: dt.date | None = None,
) -> PowerAdjustment:
    """变更 (``changes``), 取消, 下放 (to a body of a lower division) or 划转 (to another body), effective on
    ``effective_on`` by ``doc_number``. The actor needs 维护 over the item's body and, when it moves, over the new one.
    Adjustments of one item are in date order: none may take effect before the item's previous one."""
    today = _today(today)
    changes = dict(changes or {})
    if kind not in AdjustmentKind.values or kind == AdjustmentKind.ADDED:
        raise ValidationFailed(FieldError("kind", "invalid_choice", "调整类型应为变更、取消、下放或划转"))
    with transaction.atomic(durable=True):
        item = (
            PowerItem.objects.select_for_update(of=("self",))
            .select_related("body__division", "body__agency", "domain")
            .get(pk=item.pk)
        )
        scope.require(actor, ENFORCEMENT_MANAGE, item, visible_with=ENFORCEMENT_VIEW)
        if to_body is not None and kind in (AdjustmentKind.DELEGATED, AdjustmentKind.TRANSFERRED):
            scope.require(actor, ENFORCEMENT_MANAGE, to_body, visible_with=ENFORCEMENT_VIEW)
        errors = ErrorList()
        if item.status != PowerStatus.IN_FORCE:
            errors.add("item", "cancelled", "该事项已取消，不能再调整")
        if effective_on < item.effective_on:
            errors.add(
                "effective_on", "before_last", f"生效日期不能早于该事项上一次调整（{item.effective_on.isoformat()}）"
            )
        doc_verbatim, doc_key = _clean_adjustment(effective_on, doc_number, today, errors)
        before = power_state(item)
        if kind == AdjustmentKind.CHANGED:
            unknown = set(changes) - set(POWER_FIELDS)
            for key in sorted(unknown):
                errors.add(key, "not_editable", "该项不能在“变更”中修改（实施主体的改变请用下放或划转）")
            for key, value in _clean_power(
                {k: v for k, v in changes.items() if k in POWER_FIELDS}, item.body, errors
            ).items():
                setattr(item, key, value)
            if not unknown and power_state(item) == before:
                errors.add("changes", "nothing_changed", "变更后的内容与现行内容相同，请填写要变更的项目")
        elif kind in (AdjustmentKind.DELEGATED, AdjustmentKind.TRANSFERRED):
            _check_move(item, kind, to_body, errors)
            if to_body is not None and not errors:
                item.body = to_body
                if item.domain_id and not to_body.domains.filter(pk=item.domain_id).exists():
                    errors.add("to_body", "domain_not_of_body", f"“{to_body.name}”没有该事项的执法领域“{item.domain}”")
        else:  # cancelled
            if not _text(reason):
                errors.add("reason", "required", "取消事项须说明理由")
            item.status = PowerStatus.CANCELLED
        if item.status == PowerStatus.IN_FORCE:
            _check_power_rules(item, errors)
        errors.raise_if_any()
        item.effective_on = effective_on
        item.save()
        after = power_state(item) if item.status == PowerStatus.IN_FORCE else None
        adjustment = PowerAdjustment.objects.create(
            item=item,
            kind=kind,
            effective_on=effective_on,
            doc_number=doc_verbatim,
            doc_number_key=doc_key,
            reason=_text(reason),
            body=item.body,
            before=before,
            after=after,
        )
        old, new = diff(before, after or {})
        record_event(
            actor=actor,
            action=f"enforcement.power.{kind}",
            target=item,
            before=old,
            after={"effective_on": effective_on, "doc_number": doc_key, **new},
            reason=_text(reason),
        )
        search_index.refresh("power", [item])
        return adjustment


def _check_move(item: PowerItem, kind: str, to_body: EnforcementBody | None, errors: ErrorList) -> None:
    if to_body is None:
        errors.add("to_body", "required", "请选择承接该事项的执法主体")
        return
    if to_body.pk == item.body_id:
        errors.add("to_body", "same_body", "承接主体与现实施主体相同")
    elif not to_body.is_active:
        errors.add("to_body", "inactive", f"“{to_body.name}”已撤销")
    elif kind == AdjustmentKind.DELEGATED:
        here, there = item.body.division.path, to_body.division.path
        if there == here or not there.startswith(here):
            errors.add(
                "to_body", "not_lower", f"下放只能下放给{item.body.division.name}下级区划的执法主体；同级之间请用“划转”"
            )

"""The one write path of the cases module: filing a case, every act of its whole-process record, 法制审核, the
publication of its decision (through ``fazhi.publicity``), the agency's list of major decisions, and reviewers'
legal qualifications.

Every function is ``<verb>_<noun>`` with keyword-only arguments and ``actor`` first (``None`` = the system), opens
one durable transaction, checks the actor's jurisdiction (``org.scope.require``), and writes its audit event. A case
moves only through the table in ``lifecycle.py``: ``take_action`` checks the table and the act's own rules, writes a
``CaseRecord`` (with its officers and attachments), changes the case, starts or stops its statutory clocks
(``clock.steps``, same transaction) and records the audit event whose sequence number and hash the record keeps.

Rules enforced here (each test proves it blocks what it must):
- an investigative act needs at least two officers of the case's body holding a valid certificate on the act's date
  (行政处罚法第四十二条); any officer named on any act must hold one;
- a major decision (第五十八条's four cases, or an item of the agency's own list) cannot be decided until a reviewer
  with the legal-review permission and a recorded 法律职业资格 approves it; a rejection sends the case back to
  调查取证 with the reasons;
- a hearing can be requested only after 告知, within the hearing-request period of the law in force (clock), and only
  when the proposed penalty qualifies (第六十三条); while that period runs the case cannot be decided;
- the 90-day limit (clock ``penalty.decide``) runs only for cases filed under the 2021 law;
- the decision starts the publication clock (``sgs.publish``, 7 个工作日, for penalties; ``enforcement.publish_other``,
  20 个工作日, otherwise); publication stops it and records whether it was met; a case is archived only once published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fazhi.audit.chain import normalise
from fazhi.audit.services import record_event, snapshot
from fazhi.clock import steps as clock_steps
from fazhi.clock.calendar import CalendarDataMissing
from fazhi.clock.choices import RunStatus
from fazhi.clock.models import ClockRun, resolve_time_limit
from fazhi.clock.selectors import runs_for
from fazhi.core.errors import Conflict, ErrorList, FieldError, Forbidden, NotFound, ValidationFailed
from fazhi.core.files import all_or_nothing
from fazhi.core.identifiers import check_resident_id, check_uscc
from fazhi.core.permissions import CASE_HANDLE, CASE_LEGAL_REVIEW, CASE_VIEW, CLOCK_MANAGE, ORG_MANAGE
from fazhi.enforcement import selectors as enforcement_selectors
from fazhi.enforcement.models import EnforcementBody, Officer
from fazhi.org import scope
from fazhi.org.models import Agency

from . import lifecycle
from .choices import (
    ARTICLE_58,
    CaseAction,
    CaseKind,
    CaseStatus,
    HearingParty,
    MediaKind,
    Outcome,
    PartyCategory,
    ReviewResult,
)
from .models import (
    Attachment,
    CaseRecord,
    CaseRecordOfficer,
    CaseSerial,
    EnforcementCase,
    HearingThreshold,
    LegalQualification,
    LegalReview,
    MajorItem,
)

A = CaseAction
S = CaseStatus

MAX_ATTACHMENT_BYTES = 500 * 1024 * 1024
_MEDIA_BY_TYPE = {"image": MediaKind.IMAGE, "audio": MediaKind.AUDIO, "video": MediaKind.VIDEO}
_DOCUMENT_EXTENSIONS = {".pdf", ".doc", ".docx", ".ofd", ".txt", ".xls", ".xlsx", ".wps", ".rtf"}
_MEDIA_EXTENSIONS = {
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff", ".heic",
    ".mp3", ".m4a", ".wav", ".amr", ".aac", ".ogg",
    ".mp4", ".mov", ".avi", ".mkv", ".3gp", ".webm", ".m4v",
}  # fmt: skip


def _text(value: Any) -> str:
    return str(value or "").strip()


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "系统"
    staff = getattr(actor, "staff", None)
    return getattr(staff, "name", "") or actor.get_username()


def _today() -> dt.date:
    return timezone.localdate()


# --- input of an act -----------------------------------------------------------------------------------------------


@dataclass
class Upload:
    """A file given with an act: its name and a readable binary stream (a Django ``UploadedFile`` fits)."""

    name: str
    stream: IO[bytes]
    content_type: str = ""


@dataclass
class ActInput:
    on: dt.date | None = None
    summary: str = ""
    reason: str = ""
    officers: Sequence[Officer] = ()
    files: Sequence[Upload] = ()
    # 告知 (and 立案): the 第五十八条 checklist and the agency's own list; the proposed penalty
    major: dict[str, bool] | None = None
    major_items: Sequence[MajorItem] | None = None
    proposed_kinds: Sequence[str] = ()
    proposed_fine: Decimal | None = None
    # 决定
    outcome: str = ""
    decision_number: str = ""
    violation_type: str = ""
    facts: str = ""
    basis: str = ""
    decision_kinds: Sequence[str] = ()
    fine: Decimal | None = None
    decision_content: str = ""
    # 公示 of a decision that is not a penalty (where it was published)
    published_where: str = ""


# --- attachments --------------------------------------------------------------------------------------------------


def media_of(name: str, content_type: str) -> str:
    major = (content_type or mimetypes.guess_type(name)[0] or "").split("/")[0]
    if major in _MEDIA_BY_TYPE:
        return _MEDIA_BY_TYPE[major]
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext in _DOCUMENT_EXTENSIONS:
        return MediaKind.DOCUMENT
    return MediaKind.OTHER


def _check_upload(upload: Upload, errors: ErrorList) -> None:
    name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in _DOCUMENT_EXTENSIONS | _MEDIA_EXTENSIONS:
        errors.add("files", "file_type", f"附件“{name}”的类型不受支持（可上传文书、照片、录音、录像）")


def _store(upload: Upload, written: list[str]) -> tuple[str, int, str]:
    """Hash the stream, store it under its SHA-256 (once: same content, same file) and answer (path, size, hash).
    A file written here is named in ``written`` (``core.files.all_or_nothing`` removes it if the act fails to
    store a later one); a file that was already there belongs to other records and is never named."""
    digest = hashlib.sha256()
    size = 0
    chunks: list[bytes] = []
    while True:
        chunk = upload.stream.read(1024 * 1024)
        if not chunk:
            break
        digest.update(chunk)
        size += len(chunk)
        if size > MAX_ATTACHMENT_BYTES:
            raise ValidationFailed(FieldError("files", "too_large", f"附件“{upload.name}”超过 500 MB"))
        chunks.append(chunk)
    sha = digest.hexdigest()
    path = f"cases/{sha[:2]}/{sha}"
    if not default_storage.exists(path):
        from django.core.files.base import ContentFile

        written.append(path)
        path = default_storage.save(path, ContentFile(b"".join(chunks)))
        written.append(path)
    return path, size, sha


def file_sha256(attachment: Attachment) -> str:
    """The SHA-256 of the stored file as it is now (downloads compare it with the one recorded)."""
    digest = hashlib.sha256()
    with default_storage.open(str(attachment.file.name), "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- checks shared by acts ---------------------------------------------------------------------------------------


def _check_officers(
    case_body: EnforcementBody, officers: Sequence[Officer], on: dt.date, need: int, errors: ErrorList
) -> list[tuple[Officer, Any]]:
    """Each officer: of the case's body, holding a valid certificate on ``on``; at least ``need`` of them."""
    distinct = list({o.pk: o for o in officers}.values())
    checked: list[tuple[Officer, Any]] = []
    for officer in distinct:
        if officer.body_id != case_body.pk:
            errors.add("officers", "other_body", f"执法人员{officer.name}不属于{case_body.name}")
            continue
        certificate = enforcement_selectors.valid_certificate_on(officer, on)
        if certificate is None:
            why = enforcement_selectors.officer_validity_on(officer, on).label
            errors.add(
                "officers",
                "certificate_invalid",
                f"执法人员{officer.name}在 {on.isoformat()} 没有有效的执法证（{why}），不能参与执法",
            )
            continue
        checked.append((officer, certificate))
    if need and len(distinct) < need:
        errors.add(
            "officers",
            "two_officers",
            f"调查取证等执法活动的执法人员不得少于两人（行政处罚法第四十二条），本次仅 {len(distinct)} 人",
        )
    return checked


def _check_date(case: EnforcementCase | None, on: dt.date, errors: ErrorList) -> None:
    if on > _today():
        errors.add("on", "future", "日期不能晚于今天")
        return
    if case is None:
        return
    last = case.records.order_by("-on", "-id").values_list("on", flat=True).first()
    if last is not None and on < last:
        errors.add("on", "before_last", f"日期不能早于本案上一记录的日期 {last.isoformat()}")


def _party_code(category: str, code: str, errors: ErrorList) -> str:
    code = _text(code).upper()
    if not code:
        if category != PartyCategory.PERSON:
            errors.add("party_code", "required", "请填写当事人的统一社会信用代码")
        else:
            errors.add("party_code", "required", "请填写当事人的居民身份证号码")
        return ""
    try:
        if category == PartyCategory.PERSON:
            return str(check_resident_id(code).value)
        return str(check_uscc(code).value)
    except ValidationFailed as exc:
        for item in exc.errors:
            errors.add("party_code", item.code, item.message)
        return code


def _kinds(values: Iterable[str], name: str, errors: ErrorList) -> list[str]:
    from fazhi.publicity.choices import PenaltyKind

    kinds = [k for k in dict.fromkeys(values) if k]
    unknown = [k for k in kinds if k not in PenaltyKind.values]
    if unknown:
        errors.add(name, "invalid_kind", f"没有处罚种类“{'、'.join(unknown)}”")
    return kinds


def _money(value: Any, name: str, errors: ErrorList) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        errors.add(name, "invalid", "金额应为数字（元）")
        return None
    if amount < 0 or amount >= Decimal("1e12"):
        errors.add(name, "out_of_range", "金额应为 0 以上的数字（元）")
        return None
    return amount.quantize(Decimal("0.01"))


def _items_in_force(agency: Agency, items: Sequence[MajorItem], on: dt.date, errors: ErrorList) -> list[MajorItem]:
    good = []
    for item in items:
        if item.agency_id != agency.pk:
            errors.add("major_items", "other_agency", f"“{item.title}”不是本机关重大执法决定目录中的事项")
        elif item.valid_from > on or (item.valid_to is not None and item.valid_to < on):
            errors.add("major_items", "not_in_force", f"“{item.title}”在 {on.isoformat()} 不在本机关目录中")
        else:
            good.append(item)
    return good


def is_major(case: EnforcementCase) -> bool:
    """Whether the decision needs 法制审核 first: one of 第五十八条's four cases, or an item of the agency's list."""
    return any(getattr(case, name) for name, _ in ARTICLE_58) or case.major_items.exists()


def _open_run(case: EnforcementCase, code: str) -> ClockRun | None:
    return runs_for(case).filter(limit_code=code).exclude(status=RunStatus.STOPPED).first()


def _start_if_in_force(
    actor: Any, case: EnforcementCase, code: str, start: dt.date, notes: list[str] | None = None
) -> ClockRun | None:
    """Start the clock ``code`` when a version of it is in force on ``start`` (else the law set no such limit).

    When the working-day calendar lacks a year the deadline falls in, the clock cannot be computed: the act still
    goes through (like a 双公示 import) and the reason is kept in the act's record for the page to show."""
    try:
        limit = resolve_time_limit(code, start)
    except NotFound:
        return None
    try:
        return clock_steps.start_clock(actor=actor, subject=case, limit_code=code, start=start)
    except CalendarDataMissing as exc:
        if notes is not None:
            notes.append(f"“{limit.name}”未能计时：{exc.message}")
        return None


def _stop(actor: Any, case: EnforcementCase, code: str, on: dt.date, reason: str = "") -> ClockRun | None:
    run = _open_run(case, code)
    if run is None:
        return None
    return clock_steps.stop_clock(actor=actor, run=run, on=max(on, run.start), reason=reason)


def _record(
    actor: Any,
    case: EnforcementCase,
    action: str,
    on: dt.date,
    before: str,
    summary: str,
    officers: list[tuple[Officer, Any]],
    uploads: Sequence[Upload],
    details: dict[str, Any],
    reason: str = "",
) -> CaseRecord:
    record = CaseRecord.objects.create(
        case=case,
        action=action,
        on=on,
        status_before=before,
        status_after=case.status,
        summary=summary,
        details=normalise(details),
        recorded_by=actor if getattr(actor, "pk", None) else None,
        recorded_by_name=_actor_name(actor),
    )
    for officer, certificate in officers:
        CaseRecordOfficer.objects.create(
            record=record, officer=officer, certificate=certificate, certificate_number=certificate.number or ""
        )
    stored = []
    with all_or_nothing() as written:  # storage full or read-only: no file left, the act rolled back
        for upload in uploads:
            path, size, sha = _store(upload, written)
            name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
            attachment = Attachment.objects.create(
                record=record,
                file=path,
                name=name,
                content_type=(upload.content_type or mimetypes.guess_type(name)[0] or "")[:100],
                media=media_of(name, upload.content_type),
                size=size,
                sha256=sha,
            )
            stored.append({"name": attachment.name, "sha256": sha, "size": size, "media": attachment.media})
    event = record_event(
        actor=actor,
        action=f"cases.case.{action}",
        target=case,
        before={"status": before} if before else None,
        after={
            "status": case.status,
            "record": record.pk,
            "on": on,
            "summary": summary,
            "officers": [{"officer": o.pk, "name": o.name, "certificate": c.number} for o, c in officers],
            "attachments": stored,
            **details,
        },
        reason=reason,
    )
    record.audit_seq = event.seq
    record.audit_hash = event.hash
    record.save(update_fields=["audit_seq", "audit_hash"])
    return record


# --- filing ------------------------------------------------------------------------------------------------------


def _number(agency: Agency, year: int) -> str:
    serial = CaseSerial.objects.select_for_update().filter(agency=agency, year=year).first()
    if serial is None:
        serial = CaseSerial.objects.create(agency=agency, year=year, last=0)
        serial = CaseSerial.objects.select_for_update().get(pk=serial.pk)
    serial.last += 1
    serial.save(update_fields=["last"])
    return f"{agency.division.code}-{agency.pk}-{year}-{serial.last:04d}"


def file_case(
    *,
    actor: Any,
    body: EnforcementBody,
    kind: str,
    title: str,
    party_name: str,
    party_category: str,
    party_code: str = "",
    legal_rep: str = "",
    source: str = "",
    filed_on: dt.date | None = None,
    officers: Sequence[Officer] = (),
    files: Sequence[Upload] = (),
    major: dict[str, bool] | None = None,
    major_items: Sequence[MajorItem] = (),
) -> EnforcementCase:
    """立案: open a case of ``body`` (its agency must be in the actor's jurisdiction for 办案). For a penalty case
    filed under the 2021 law, the 90-day decision clock starts on the filing date."""
    filed_on = filed_on or _today()
    with transaction.atomic(durable=True):
        if body.agency_id is None:
            raise ValidationFailed(FieldError("body", "no_agency", "该执法主体未关联所属机关，不能立案"))
        agency = Agency.objects.select_related("division").get(pk=body.agency_id)
        probe = EnforcementCase(agency=agency, body=body)
        scope.require(actor, CASE_HANDLE, probe, visible_with=CASE_VIEW)
        errors = ErrorList()
        if kind not in CaseKind.values:
            errors.add("kind", "invalid_choice", "案件类别应为行政处罚案件或其他执法案件")
        title = _text(title)
        if not title:
            errors.add("title", "required", "请填写案由")
        elif len(title) > 300:
            errors.add("title", "too_long", "案由不能超过 300 个字")
        party_name = _text(party_name)
        if not party_name:
            errors.add("party_name", "required", "请填写当事人名称或姓名")
        if party_category not in PartyCategory.values:
            errors.add("party_category", "invalid_choice", "当事人类别应为法人及非法人组织、自然人或个体工商户")
            code = _text(party_code)
        else:
            code = _party_code(party_category, party_code, errors)
        _check_date(None, filed_on, errors)
        for upload in files:
            _check_upload(upload, errors)
        items = _items_in_force(agency, major_items, filed_on, errors)
        checked = _check_officers(body, officers, filed_on, 0, errors) if officers else []
        errors.raise_if_any()
        case = EnforcementCase.objects.create(
            body=body,
            agency=agency,
            number=_number(agency, filed_on.year),
            kind=kind,
            title=title,
            status=S.FILED,
            filed_on=filed_on,
            source=_text(source),
            party_name=party_name,
            party_category=party_category,
            party_code=code,
            legal_rep=_text(legal_rep),
            **{name: bool((major or {}).get(name)) for name, _ in ARTICLE_58},
        )
        if items:
            case.major_items.set(items)
        notes: list[str] = []
        if kind == CaseKind.PENALTY:
            _start_if_in_force(actor, case, lifecycle.DECIDE_LIMIT, filed_on, notes)
        details: dict[str, Any] = {"number": case.number, "kind": kind, "party": party_name}
        if notes:
            details["clock_notes"] = notes
        _record(actor, case, A.FILE, filed_on, "", _text(source) or f"立案：{title}", checked, files, details)
    return case


# --- every other act ---------------------------------------------------------------------------------------------


def take_action(*, actor: Any, case: EnforcementCase, action: str, data: ActInput) -> EnforcementCase:
    """Apply one act of the table to ``case`` (see the module docstring for the rules). 公示 goes to
    :func:`publish_decision`, which publishes through the 双公示 module first."""
    if action == A.PUBLISH:
        return publish_decision(actor=actor, case=case, data=data)
    on = data.on or _today()
    with transaction.atomic(durable=True):
        locked = (
            EnforcementCase.objects.select_for_update()
            .select_related("agency__division", "body")
            .filter(pk=case.pk)
            .first()
        )
        if locked is None:
            raise NotFound()
        case = locked
        step = lifecycle.TRANSITIONS.get(action)
        scope.require(actor, step.permission if step else CASE_HANDLE, case, visible_with=CASE_VIEW)
        step = lifecycle.transition(action, case.status, case.kind)
        errors = ErrorList()
        _check_date(case, on, errors)
        reason = _text(data.reason)
        summary = _text(data.summary)
        if step.reason_required and not reason:
            errors.add("reason", "required", f"请填写{A(action).label}的理由")
        for upload in data.files:
            _check_upload(upload, errors)
        officers = _check_officers(case.body, data.officers, on, 2 if step.investigative else 0, errors)
        errors.raise_if_any()
        before = case.status
        details = _ACT_RULES.get(action, _no_rule)(actor, case, on, data, errors)
        errors.raise_if_any()
        if step.target is not None:
            case.status = step.target
        case.save()
        notes: list[str] = []
        _AFTER.get(action, _no_after)(actor, case, on, data, notes)
        if notes:
            details["clock_notes"] = notes
        _record(actor, case, action, on, before, summary or reason, officers, data.files, details, reason)
    return case


def _no_rule(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, errors: ErrorList) -> dict[str, Any]:
    return {}


def _no_after(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, notes: list[str]) -> None:
    return None


def _set_major(case: EnforcementCase, data: ActInput, on: dt.date, errors: ErrorList) -> None:
    if data.major is not None:
        for name, _ in ARTICLE_58:
            if name in data.major:
                setattr(case, name, bool(data.major[name]))
    if data.major_items is not None:
        items = _items_in_force(case.agency, data.major_items, case.filed_on, errors)
        if not errors:
            case.major_items.set(items)


def hearing_threshold(case: EnforcementCase) -> Decimal | None:
    """The 较大数额 for this case's party in force on its filing date (None: no standard recorded)."""
    row = (
        HearingThreshold.objects.filter(
            party=lifecycle.hearing_party(case.party_category), valid_from__lte=case.filed_on
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=case.filed_on))
        .order_by("-valid_from")
        .first()
    )
    return row.amount if row is not None else None


def create_hearing_threshold(
    *, actor: Any, party: str, amount: Decimal, legal_source: str, valid_from: dt.date
) -> HearingThreshold:
    """Enter the province's new 较大数额 standard for ``party`` from ``valid_from``; the one it replaces ends the day
    before. Cases filed earlier keep the standard of their filing date."""
    validate_hearing_threshold(party=party, amount=amount, legal_source=legal_source)
    scope.require_root(actor, CLOCK_MANAGE, "修改听证较大数额标准需要全省范围的“维护工作日历与法定时限”权限")
    with transaction.atomic(durable=True):
        if HearingThreshold.objects.filter(party=party, valid_from=valid_from).exists():
            raise ValidationFailed(FieldError("valid_from", "duplicate_version", "该适用对象在这一天已有标准"))
        previous = (
            HearingThreshold.objects.select_for_update()
            .filter(party=party, valid_from__lt=valid_from)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        )
        for old in previous:
            old.valid_to = valid_from - dt.timedelta(days=1)
            old.save(update_fields=["valid_to"])
            record_event(
                actor=actor, action="cases.hearing_threshold.close", target=old, after={"valid_to": old.valid_to}
            )
        row = HearingThreshold.objects.create(
            party=party, amount=amount, legal_source=legal_source.strip(), valid_from=valid_from
        )
        record_event(actor=actor, action="cases.hearing_threshold.create", target=row, after=snapshot(row))
        return row


def validate_hearing_threshold(*, party: str, amount: Decimal | None, legal_source: str) -> None:
    errors = ErrorList()
    if party not in HearingParty.values:
        errors.add("party", "invalid_choice", "适用对象应为公民或法人或者其他组织")
    if amount is None or amount <= 0:
        errors.add("amount", "range", "较大数额应为大于零的金额（元）")
    if not (legal_source or "").strip():
        errors.add("legal_source", "required", "请填写依据（文件名与文号）")
    errors.raise_if_any()


def _rule_notify(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, errors: ErrorList) -> dict[str, Any]:
    _set_major(case, data, on, errors)
    if case.kind != CaseKind.PENALTY:
        return {}
    kinds = _kinds(data.proposed_kinds, "proposed_kinds", errors)
    fine = _money(data.proposed_fine, "proposed_fine", errors)
    if not kinds:
        errors.add("proposed_kinds", "required", "请选择拟作出的处罚种类（告知当事人拟处罚的内容及事实、理由、依据）")
    if "fine" in kinds and fine is None:
        errors.add("proposed_fine", "required", "拟处罚种类含罚款，请填写拟罚款金额（元）")
    case.proposed_kinds, case.proposed_fine = kinds, fine
    qualifies = lifecycle.hearing_qualifies(kinds, fine, hearing_threshold(case))
    return {"proposed_kinds": kinds, "proposed_fine": str(fine) if fine is not None else None, "hearing": qualifies}


def _after_notify(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, notes: list[str]) -> None:
    if case.kind == CaseKind.PENALTY and lifecycle.hearing_qualifies(
        case.proposed_kinds, case.proposed_fine, hearing_threshold(case)
    ):
        _stop(actor, case, lifecycle.HEARING_LIMIT, on, "重新告知")
        _start_if_in_force(actor, case, lifecycle.HEARING_LIMIT, on, notes)


def _rule_request_hearing(
    actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, errors: ErrorList
) -> dict[str, Any]:
    if not lifecycle.hearing_qualifies(case.proposed_kinds, case.proposed_fine, hearing_threshold(case)):
        errors.add(
            "action",
            "hearing_not_applicable",
            "告知的拟处罚不属于当事人可以要求听证的情形（行政处罚法第六十三条：较大数额罚款、没收较大数额财物、"
            "降低资质等级、吊销许可证件、责令停产停业、责令关闭、限制从业等）",
        )
        return {}
    run = _open_run(case, lifecycle.HEARING_LIMIT)
    if run is not None and run.due_date is not None and on > run.due_date:
        errors.add(
            "on",
            "hearing_late",
            f"当事人应在告知后{run.duration_label}内要求听证，期限已于 {run.due_date.isoformat()} 届满",
        )
    case.hearing_requested = True
    return {}


def _after_request_hearing(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, notes: list[str]) -> None:
    _stop(actor, case, lifecycle.HEARING_LIMIT, on, "当事人已申请听证")


def _rule_hold_hearing(
    actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, errors: ErrorList
) -> dict[str, Any]:
    case.major_hearing = True  # 第五十八条第一款第（二）项: a heard case needs 法制审核
    return {}


def _rule_submit_review(
    actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, errors: ErrorList
) -> dict[str, Any]:
    _set_major(case, data, on, errors)
    if not errors:
        LegalReview.objects.create(case=case, submitted_on=on, submitted_by_name=_actor_name(actor))
    return {}


def qualification_on(user: Any, on: dt.date) -> LegalQualification | None:
    """The reviewer's 法律职业资格 in force on ``on`` (None: not recorded as legally qualified)."""
    if user is None or getattr(user, "pk", None) is None:
        return None
    return (
        LegalQualification.objects.filter(user_id=user.pk, obtained_on__lte=on)
        .exclude(revoked_on__lte=on)
        .order_by("-obtained_on")
        .first()
    )


def _review(result: str) -> Any:
    def rule(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, errors: ErrorList) -> dict[str, Any]:
        review = LegalReview.objects.select_for_update().filter(case=case, result="").first()
        if review is None:
            errors.add("action", "no_review", "本案没有待审核的法制审核申请")
            return {}
        qualification = qualification_on(actor, on) if actor is not None else None
        if actor is not None and qualification is None:
            raise Forbidden("法制审核人员须具有法律职业资格（行政处罚法第五十八条第二款）；您的法律职业资格尚未登记")
        opinion = _text(data.reason) or _text(data.summary)
        if not opinion:
            errors.add("summary", "required", "请填写审核意见")
            return {}
        if on < review.submitted_on:
            errors.add("on", "before_submit", f"审核日期不能早于提请日期 {review.submitted_on.isoformat()}")
            return {}
        review.reviewer = actor if getattr(actor, "pk", None) else None
        review.reviewer_name = _actor_name(actor)
        review.qualification = qualification
        review.result = result
        review.opinion = opinion
        review.decided_on = on
        review.save()
        return {"review": review.pk, "result": result, "opinion": opinion}

    return rule


def _rule_decide(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, errors: ErrorList) -> dict[str, Any]:
    if is_major(case) and case.status != S.REVIEWED:
        errors.add(
            "action",
            "legal_review_required",
            "重大执法决定未经法制审核或者审核未通过的，不得作出决定（行政处罚法第五十八条）；请先提请法制审核",
        )
        return {}
    run = _open_run(case, lifecycle.HEARING_LIMIT)
    if run is not None and run.due_date is not None and on <= run.due_date:
        errors.add(
            "on",
            "hearing_period_running",
            f"当事人要求听证的期限尚未届满（至 {run.due_date.isoformat()}），期满前不能作出决定",
        )
        return {}
    allowed = (Outcome.PENALTY, Outcome.NO_PENALTY) if case.kind == CaseKind.PENALTY else (Outcome.OTHER,)
    outcome = data.outcome
    if outcome not in allowed:
        errors.add("outcome", "invalid_choice", "决定结果应为：" + "、".join(str(Outcome(o).label) for o in allowed))
        return {}
    number = _text(data.decision_number)
    if not number:
        errors.add("decision_number", "required", "请填写决定书文号")
    content = _text(data.decision_content)
    if not content:
        errors.add("decision_content", "required", "请填写决定内容（不予处罚的，写明理由）")
    case.outcome, case.decided_on, case.decision_number, case.decision_content = outcome, on, number, content
    case.violation_type, case.facts, case.basis = _text(data.violation_type), _text(data.facts), _text(data.basis)
    if outcome == Outcome.PENALTY:
        for name, label in (("violation_type", "违法行为类型"), ("facts", "违法事实"), ("basis", "处罚依据")):
            if not getattr(case, name):
                errors.add(name, "required", f"请填写{label}")
        kinds = _kinds(data.decision_kinds, "decision_kinds", errors)
        fine = _money(data.fine, "fine", errors)
        if not kinds:
            errors.add("decision_kinds", "required", "请选择处罚种类")
        if "fine" in kinds and fine is None:
            errors.add("fine", "required", "处罚种类含罚款，请填写罚款金额（元）")
        case.decision_kinds, case.fine = kinds, fine
    return {"outcome": outcome, "decision_number": number}


def _after_decide(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, notes: list[str]) -> None:
    _stop(actor, case, lifecycle.DECIDE_LIMIT, on, "已作出决定")
    _stop(actor, case, lifecycle.HEARING_LIMIT, on, "已作出决定")
    code = lifecycle.PUBLISH_LIMIT[Outcome(case.outcome)]
    run = _start_if_in_force(actor, case, code, on, notes)
    case.publish_limit = code
    case.publish_due = run.due_date if run is not None else None
    case.save(update_fields=["publish_limit", "publish_due", "updated_at"])


def _rule_serve(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, errors: ErrorList) -> dict[str, Any]:
    case.served_on = on
    return {}


def _after_serve(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, notes: list[str]) -> None:
    if case.outcome == Outcome.PENALTY and "fine" in case.decision_kinds:
        _start_if_in_force(actor, case, lifecycle.PAY_LIMIT, on, notes)


def _rule_execute(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, errors: ErrorList) -> dict[str, Any]:
    if case.outcome != Outcome.PENALTY:
        errors.add("action", "nothing_to_execute", "不予处罚的案件没有需要执行的内容，送达后可直接结案")
    case.executed_on = on
    return {}


def _after_execute(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, notes: list[str]) -> None:
    _stop(actor, case, lifecycle.PAY_LIMIT, on, "已执行")


def _rule_close(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, errors: ErrorList) -> dict[str, Any]:
    if case.status == S.SERVED and case.outcome == Outcome.PENALTY:
        errors.add("action", "not_executed", "行政处罚决定尚未执行，不能结案")
    case.closed_on = on
    return {}


def _after_withdraw(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, notes: list[str]) -> None:
    _stop(actor, case, lifecycle.DECIDE_LIMIT, on, "撤销立案")
    _stop(actor, case, lifecycle.HEARING_LIMIT, on, "撤销立案")


def _rule_archive(actor: Any, case: EnforcementCase, on: dt.date, data: ActInput, errors: ErrorList) -> dict[str, Any]:
    if case.publish_limit and case.published_on is None:
        errors.add("action", "not_published", "执法决定尚未公示，不能归档；请先公示执法决定")
    case.archived_on = on
    return {}


_ACT_RULES: dict[str, Callable[[Any, EnforcementCase, dt.date, ActInput, ErrorList], dict[str, Any]]] = {
    A.NOTIFY: _rule_notify,
    A.REQUEST_HEARING: _rule_request_hearing,
    A.HOLD_HEARING: _rule_hold_hearing,
    A.SUBMIT_REVIEW: _rule_submit_review,
    A.APPROVE_REVIEW: _review(ReviewResult.APPROVED),
    A.REJECT_REVIEW: _review(ReviewResult.REJECTED),
    A.DECIDE: _rule_decide,
    A.SERVE: _rule_serve,
    A.EXECUTE: _rule_execute,
    A.CLOSE: _rule_close,
    A.ARCHIVE: _rule_archive,
}
_AFTER: dict[str, Callable[[Any, EnforcementCase, dt.date, ActInput, list[str]], None]] = {
    A.NOTIFY: _after_notify,
    A.REQUEST_HEARING: _after_request_hearing,
    A.DECIDE: _after_decide,
    A.SERVE: _after_serve,
    A.EXECUTE: _after_execute,
    A.WITHDRAW: _after_withdraw,
}


# --- publication -------------------------------------------------------------------------------------------------


def penalty_row(case: EnforcementCase) -> dict[str, Any]:
    """The case's decision as a 双公示 row (field key -> value), for ``publicity.validation.clean_row``."""
    from fazhi.publicity.choices import PenaltyKind

    person = case.party_category == PartyCategory.PERSON
    row: dict[str, Any] = {
        "party_name": case.party_name,
        "party_category": case.party_category,
        "legal_rep": "" if person else case.legal_rep,
        "doc_number": case.decision_number,
        "violation_type": case.violation_type,
        "facts": case.facts,
        "basis": case.basis,
        "kinds": "、".join(str(PenaltyKind(k).label) for k in case.decision_kinds),
        "content": case.decision_content,
        "fine_wan": str(case.fine) if case.fine is not None else "",
        "decided_on": case.decided_on.isoformat() if case.decided_on else "",
        "decision_agency_name": case.agency.name,
        "decision_agency_uscc": case.agency.uscc,
        "source_agency_name": case.agency.name,
        "source_agency_uscc": case.agency.uscc,
    }
    if person:
        row.update({"party_id_type": "身份证", "party_id_number": case.party_code})
    else:
        row["party_uscc"] = case.party_code
    return row


def publish_decision(*, actor: Any, case: EnforcementCase, data: ActInput) -> EnforcementCase:
    """公示执法决定. A penalty decision is published as a 双公示 ``PenaltyRecord`` through the publicity module's own
    validation and import (so its rules are applied once, there); any other decision is recorded with where it was
    published. Stops the publication clock and records whether the 7 / 20 working-day limit was met.

    The publicity import is its own durable transaction (it cannot be nested), so it runs first; re-running after a
    failure finds the same record (the import is idempotent) and links it.
    """
    from fazhi.publicity import services as publicity_services
    from fazhi.publicity.models import PenaltyRecord
    from fazhi.publicity.validation import clean_row

    on = data.on or _today()
    fresh = EnforcementCase.objects.select_related("agency__division", "body").filter(pk=case.pk).first()
    if fresh is None:
        raise NotFound()
    scope.require(actor, CASE_HANDLE, fresh, visible_with=CASE_VIEW)
    lifecycle.transition(A.PUBLISH, fresh.status, fresh.kind)
    if fresh.published_on is not None:
        raise Conflict(f"该决定已于 {fresh.published_on.isoformat()} 公示")
    errors = ErrorList()
    _check_date(fresh, on, errors)
    errors.raise_if_any()
    record_id: int | None = None
    if fresh.outcome == Outcome.PENALTY:
        try:
            row = clean_row("penalty", penalty_row(fresh), today=on, money_unit="元")
        except ValidationFailed as exc:
            raise ValidationFailed(
                [FieldError("publish", e.code, f"双公示校验未通过：{e.message}") for e in exc.errors]
            ) from exc
        result = publicity_services.import_records(
            actor=actor,
            kind="penalty",
            rows=[(1, row)],
            default_agency=fresh.agency,
            today=on,
            source=f"执法案件 {fresh.number}",
        )
        if result.rejected:
            raise ValidationFailed([FieldError("publish", e.code, e.message) for _, e in result.rejected])
        record_id = PenaltyRecord.objects.filter(natural_key=row.natural_key).values_list("pk", flat=True).first()
        where = "双公示（行政处罚信息）"
    else:
        where = _text(data.published_where)
        if not where:
            raise ValidationFailed(FieldError("published_where", "required", "请填写公示的位置（网站栏目或链接）"))
    with transaction.atomic(durable=True):
        locked = EnforcementCase.objects.select_for_update().select_related("agency__division", "body").get(pk=case.pk)
        lifecycle.transition(A.PUBLISH, locked.status, locked.kind)
        if locked.published_on is not None:
            raise Conflict(f"该决定已于 {locked.published_on.isoformat()} 公示")
        run = _stop(actor, locked, locked.publish_limit, on, "已公示") if locked.publish_limit else None
        locked.published_on = on
        locked.published_where = where[:500]
        locked.penalty_record_id = record_id
        locked.publish_met = (on <= locked.publish_due) if locked.publish_due else None
        locked.save()
        _record(
            actor,
            locked,
            A.PUBLISH,
            on,
            locked.status,
            _text(data.summary) or f"公示于{where}",
            [],
            data.files,
            {
                "published_where": where,
                "penalty_record": record_id,
                "publish_due": locked.publish_due,
                "publish_met": locked.publish_met,
                "clock": run.pk if run else None,
            },
        )
    return locked


# --- the agency's list of major decisions; reviewers' qualifications ---------------------------------------------


def create_major_item(
    *,
    actor: Any,
    agency: Agency,
    title: str,
    valid_from: dt.date,
    legal_source: str = "",
    valid_to: dt.date | None = None,
) -> MajorItem:
    """Add an item to the agency's 重大执法决定法制审核目录清单 (kept by its 法制审核 staff)."""
    with transaction.atomic(durable=True):
        item = MajorItem(
            agency=agency,
            title=_text(title),
            legal_source=_text(legal_source),
            valid_from=valid_from,
            valid_to=valid_to,
        )
        scope.require(actor, CASE_LEGAL_REVIEW, item, visible_with=CASE_VIEW)
        errors = ErrorList()
        if not item.title:
            errors.add("title", "required", "请填写事项名称")
        if valid_to is not None and valid_to < valid_from:
            errors.add("valid_to", "date_order", "失效日期不能早于施行日期")
        errors.raise_if_any()
        item.save()
        record_event(actor=actor, action="cases.major_item.create", target=item, after=snapshot(item))
    return item


def record_legal_qualification(*, actor: Any, user: Any, number: str, obtained_on: dt.date) -> LegalQualification:
    """Record that a staff member holds 法律职业资格 (by an administrator of their agency)."""
    with transaction.atomic(durable=True):
        staff = getattr(user, "staff", None)
        if staff is None:
            raise ValidationFailed(FieldError("user", "no_staff", "该账号不是工作人员，不能登记法律职业资格"))
        qualification = LegalQualification(
            user=user, agency=staff.agency, number=_text(number), obtained_on=obtained_on
        )
        scope.require(actor, ORG_MANAGE, qualification, visible_with=CASE_VIEW)
        errors = ErrorList()
        if not qualification.number:
            errors.add("number", "required", "请填写法律职业资格证书编号")
        elif LegalQualification.objects.filter(number=qualification.number).exists():
            errors.add("number", "duplicate", "该法律职业资格证书编号已登记")
        if obtained_on > _today():
            errors.add("obtained_on", "future", "取得日期不能晚于今天")
        errors.raise_if_any()
        qualification.save()
        record_event(
            actor=actor, action="cases.qualification.create", target=qualification, after=snapshot(qualification)
        )
    return qualification

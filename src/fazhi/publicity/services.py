"""The one write path for 双公示 records: import (create or correct), withdraw, expire, credit repair.

Imports work in batches: each batch is one durable transaction with one audit event that names its counts and a
digest of its record keys, plus an audit event per corrected record (what changed), and change-feed entries for
every record that changed; a killed import leaves whole batches only, and re-running it creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.base import ModelState
from django.utils import timezone

from fazhi.audit.services import diff, record_event, snapshot
from fazhi.clock.calendar import CalendarDataMissing
from fazhi.clock.deadlines import compute_deadline
from fazhi.clock.models import resolve_time_limit
from fazhi.core.bulk import insert_values, reserve_pks
from fazhi.core.errors import FieldError, Forbidden, NotFound, ValidationFailed
from fazhi.core.files import all_or_nothing
from fazhi.core.permissions import PUBLICITY_REPAIR, PUBLICITY_RULES, PUBLICITY_SUBMIT, PUBLICITY_VIEW
from fazhi.org import scope
from fazhi.org.models import Agency
from fazhi.portal import index as search_index

from .choices import ChangeAction, RecordStatus, RepairStatus, Severity
from .models import Change, CreditRepair, LicenceRecord, PenaltyRecord, PublicityRule, RepairMaterial, SgsRecord
from .public import public_view, record_type
from .validation import CleanRow
from .windows import RuleBook, Window

MODELS: dict[str, type[PenaltyRecord] | type[LicenceRecord]] = {"penalty": PenaltyRecord, "licence": LicenceRecord}


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, FieldError]] = field(default_factory=list)

    def merge(self, other: BatchResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected.extend(other.rejected)


class _DeadlineCache:
    """``sgs.publish`` per decision date, computed once per date in a batch (the calendar may lack a year)."""

    def __init__(self) -> None:
        self.cache: dict[dt.date, dt.date | None] = {}

    def due(self, decided_on: dt.date) -> dt.date | None:
        if decided_on not in self.cache:
            try:
                limit = resolve_time_limit("sgs.publish", decided_on)
                self.cache[decided_on] = compute_deadline(decided_on, limit.days, limit.unit)
            except (CalendarDataMissing, NotFound, ValidationFailed):
                # No calendar for that year yet, or a decision older than the rule: no due date, not a failure.
                self.cache[decided_on] = None
        return self.cache[decided_on]


@dataclass
class ImportContext:
    """What one import run computes once and reuses in every batch: the publicity rules, publish deadlines,
    publicity windows, and the field defaults of a new record."""

    rules: RuleBook = field(default_factory=RuleBook)
    deadlines: _DeadlineCache = field(default_factory=_DeadlineCache)
    windows: dict[tuple[Any, ...], Window] = field(default_factory=dict)
    _blank: dict[type[SgsRecord], tuple[dict[str, Any], list[Any]]] = field(default_factory=dict)

    def window(self, decided_on: dt.date, severity: str, special_field: str, early_repair: bool) -> Window:
        """``rules.window(...)``, computed once per distinct argument tuple (a run has a few hundred at most)."""
        key = (decided_on, severity, special_field, early_repair)
        window = self.windows.get(key)
        if window is None:
            window = self.rules.window(decided_on, severity, special_field, early_repair=early_repair)
            if len(self.windows) < 100_000:  # bounded whatever the file
                self.windows[key] = window
        return window

    def new_record(self, model: type[SgsRecord], *, agency: Agency, natural_key: str, published_on: dt.date) -> Any:
        """The same unsaved instance as ``model(agency=..., natural_key=..., published_on=...)``, built from a copy of
        the field defaults instead of running ``Model.__init__`` field by field (no signals are connected to these
        models; callable defaults are still called once per record)."""
        blank = self._blank.get(model)
        if blank is None:
            proto = model()
            callables = [f for f in model._meta.concrete_fields if f.has_default() and callable(f.default)]
            static = {k: v for k, v in proto.__dict__.items() if k != "_state"}
            blank = self._blank[model] = (static, callables)
        static, callables = blank
        record = model.__new__(model)
        record.__dict__.update(static)
        for f in callables:
            record.__dict__[f.attname] = f.get_default()
        record._state = ModelState()
        # What ``record.agency = agency`` does (without asking the database routers: there are none).
        record.agency_id = agency.pk
        model._meta.get_field("agency").set_cached_value(record, agency)
        record.natural_key = natural_key
        record.published_on = published_on
        return record


def _owning_agencies(rows: Sequence[tuple[int, CleanRow]], default_agency: Agency | None) -> dict[str, Agency]:
    codes = {row.values.get("source_agency_uscc") for _, row in rows} - {None, ""}
    return {a.uscc: a for a in Agency.objects.filter(uscc__in=codes).select_related("division") if a.uscc}


def import_records(
    *,
    actor: Any,
    kind: str,
    rows: Sequence[tuple[int, CleanRow]],
    default_agency: Agency | None = None,
    today: dt.date | None = None,
    source: str = "",
    context: ImportContext | None = None,
) -> BatchResult:
    """Create or correct one batch of clean rows (row number, row) in one transaction.

    A row belongs to the agency whose code is its 数据来源单位统一社会信用代码, or to ``default_agency``; the
    actor needs 报送 permission over that agency. Rows the actor may not submit are rejected, not raised.
    """
    model = MODELS[kind]
    today = today or timezone.localdate()
    result = BatchResult()
    with transaction.atomic(durable=True):
        agencies = _owning_agencies(rows, default_agency)
        juris = scope.jurisdiction(actor, PUBLICITY_SUBMIT) if actor is not None else None
        accepted: list[tuple[int, CleanRow, Agency]] = []
        seen: set[str] = set()
        for number, row in rows:
            agency = agencies.get(row.values.get("source_agency_uscc", "")) or default_agency
            if agency is None:
                result.rejected.append(
                    (
                        number,
                        FieldError(
                            "source_agency_uscc",
                            "agency_unknown",
                            f"数据来源单位统一社会信用代码 {row.values.get('source_agency_uscc')} 不是系统中登记的机构",
                        ),
                    )
                )
                continue
            if juris is not None and not juris.covers(division_path=agency.division.path, agency_path=agency.path):
                result.rejected.append(
                    (number, FieldError("source_agency_uscc", "not_in_scope", f"您无权报送“{agency.name}”的数据"))
                )
                continue
            key = row.natural_key
            if key in seen:
                result.rejected.append(
                    (
                        number,
                        FieldError("doc_number", "duplicate_in_file", "同一文件中已有同一决定书文号、同一相对人的记录"),
                    )
                )
                continue
            seen.add(key)
            accepted.append((number, row, agency))

        # Only the key and hash of what is stored decide "unchanged"; whole records are loaded for corrections only.
        stored = (
            dict(
                model.objects.filter(natural_key__in=[row.natural_key for _, row, _ in accepted]).values_list(
                    "natural_key", "content_hash"
                )
            )
            if accepted
            else {}
        )
        corrected = [
            row.natural_key
            for _, row, _ in accepted
            if row.natural_key in stored and stored[row.natural_key] != row.content_hash
        ]
        existing = {r.natural_key: r for r in model.objects.filter(natural_key__in=corrected)} if corrected else {}
        context = context or ImportContext()
        rules = context.rules if kind == "penalty" else None
        deadlines = context.deadlines
        new_records: list[Any] = []
        corrected_records: list[Any] = []
        changes: list[Change] = []
        for _number, row, agency in accepted:
            key = row.natural_key
            stored_hash = stored.get(key)
            if stored_hash is not None and stored_hash == row.content_hash:
                result.unchanged += 1
                continue
            if stored_hash is None:
                record = context.new_record(model, agency=agency, natural_key=key, published_on=today)
                _apply(record, row, rules, deadlines, today, context=context)
                new_records.append(record)
                continue
            record = existing[key]
            before = snapshot(record)
            _apply(record, row, rules, deadlines, today, correction=True, context=context)
            record.save()
            old, new = diff(before, snapshot(record))
            for noise in ("updated_at", "content_hash"):
                old.pop(noise, None)
                new.pop(noise, None)
            record_event(
                actor=actor, action=f"publicity.{kind}.correct", target=record, before=old, after=new, reason=source
            )
            changes.append(_change(record, ChangeAction.CORRECT))
            corrected_records.append(record)
            result.updated += 1
        if changes:
            Change.objects.bulk_create(changes, batch_size=1000)
        if new_records:
            _insert_new(model, new_records)
            result.created = len(new_records)
        _to_search(kind, [*new_records, *corrected_records])
        if result.created or result.updated:
            digest = hashlib.sha256("".join(sorted(r.natural_key for r in new_records)).encode()).hexdigest()
            record_event(
                actor=actor,
                action=f"publicity.{kind}.import",
                target=("publicity.batch", digest[:16], source[:300] or f"{kind} batch"),
                after={
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "rejected": len(result.rejected),
                    "keys_sha256": digest,
                },
                reason=source,
            )
    return result


def _apply(
    record: SgsRecord,
    row: CleanRow,
    rules: RuleBook | None,
    deadlines: _DeadlineCache,
    today: dt.date,
    *,
    correction: bool = False,
    context: ImportContext | None = None,
) -> None:
    settable = _settable(type(record))
    for name, value in row.values.items():
        if settable[name]:
            setattr(record, name, value)
    record.content_hash = row.content_hash
    record.publish_due = deadlines.due(record.decided_on)
    if not correction:
        record.published_late = record.publish_due is not None and record.published_on > record.publish_due
    if isinstance(record, PenaltyRecord) and rules is not None:
        early_repair = row.values.get("early_repair", True)
        if context is not None and context.rules is rules:
            window = context.window(record.decided_on, record.severity, record.special_field, early_repair)
        else:
            window = rules.window(record.decided_on, record.severity, record.special_field, early_repair=early_repair)
        record.publicity_min_end, record.publicity_max_end = window.min_end, window.max_end
        record.early_repair = window.early_repair
        if record.status in (RecordStatus.PUBLISHED, RecordStatus.NOT_PUBLISHED, RecordStatus.EXPIRED):
            if not window.published:
                record.status = RecordStatus.NOT_PUBLISHED
            elif window.max_end is not None and window.max_end < today:
                record.status = RecordStatus.EXPIRED
            else:
                record.status = RecordStatus.PUBLISHED


class _Settable(dict[str, bool]):
    """Which cleaned values ``_apply`` copies onto a record of one model: the model's attributes, except ``agency``
    and ``status`` (``hasattr`` answered once per name and model instead of once per value)."""

    def __init__(self, model: type[SgsRecord]) -> None:
        super().__init__()
        self.proto = model()

    def __missing__(self, name: str) -> bool:
        settable = hasattr(self.proto, name) and name not in {"agency", "status"}
        self[name] = settable
        return settable


_SETTABLE: dict[type[SgsRecord], _Settable] = {}


def _settable(model: type[SgsRecord]) -> _Settable:
    table = _SETTABLE.get(model)
    if table is None:
        table = _SETTABLE[model] = _Settable(model)
    return table


def _to_search(kind: str, records: Sequence[SgsRecord]) -> None:
    """Keep the portal's search equal to what is public: these records, and the profiles of their entities."""
    search_index.refresh(kind, records)
    search_index.refresh_ids("entity", sorted({r.party_uscc for r in records if r.party_uscc}))


def _change(record: SgsRecord, action: str) -> Change:
    visible = record.status == RecordStatus.PUBLISHED
    return Change(
        record_type=record_type(record),
        record_id=record.pk,
        action=action,
        public=public_view(record) if visible else None,
    )


_CHANGE_COLUMNS = ("record_type", "record_id", "action", "occurred_at", "public")


def _insert_new(model: type[SgsRecord], records: list[Any]) -> None:
    """Insert new records without Django's per-field compilation, give them their primary keys, and publish the
    visible ones to the change feed — the same rows ``insert_rows`` + ``Change.objects.bulk_create`` would write."""
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for r in records:
                r.__dict__[f.attname] = now
    columns = [str(f.attname) for f in fields]
    pks = reserve_pks(model, len(records))
    for r, pk in zip(records, pks, strict=True):
        r.pk = pk
    insert_values(model, ["id", *columns], ([r.pk, *_row(r, columns)] for r in records))
    kind = "penalty" if issubclass(model, PenaltyRecord) else "licence"
    insert_values(
        Change,
        _CHANGE_COLUMNS,
        [
            (kind, r.pk, ChangeAction.PUBLISH, now, public_view(r))
            for r in records
            if r.status == RecordStatus.PUBLISHED
        ],
    )


def _row(record: Any, columns: list[str]) -> list[Any]:
    values = record.__dict__
    return [values[c] for c in columns]


def withdraw_record(
    *, actor: Any, record: SgsRecord, reason: str, on: dt.date | None = None, revoked_on: dt.date | None = None
) -> SgsRecord:
    """Take a decision out of public view because it was changed, revoked or found unlawful (an event, kept).

    With ``revoked_on`` (the day the decision was changed or revoked) the withdrawal is checked against the
    statutory limit (``penalty.withdraw``: 3 working days, 行政处罚法2021第48条) and flagged when late.
    """
    if not (reason or "").strip():
        raise ValidationFailed(FieldError("reason", "required", "请填写撤回原因（例如：行政处罚决定已被撤销）"))
    on = on or timezone.localdate()
    if revoked_on is not None and revoked_on > on:
        raise ValidationFailed(FieldError("revoked_on", "date_in_future", "决定被变更或撤销的日期不能晚于撤回日期"))
    with transaction.atomic(durable=True):
        record = type(record)._default_manager.select_for_update().select_related("agency__division").get(pk=record.pk)
        scope.require(actor, PUBLICITY_SUBMIT, record, visible_with=PUBLICITY_VIEW)
        if record.status == RecordStatus.WITHDRAWN:
            raise ValidationFailed(FieldError("status", "already_withdrawn", "该记录已经撤回"))
        before = {"status": record.status}
        record.status = RecordStatus.WITHDRAWN
        record.withdrawn_on = on
        record.withdraw_reason = reason.strip()
        record.revoked_on = revoked_on
        record.withdraw_due = _withdraw_due(revoked_on)
        record.withdrawn_late = record.withdraw_due is not None and on > record.withdraw_due
        record.save(
            update_fields=[
                "status",
                "withdrawn_on",
                "withdraw_reason",
                "revoked_on",
                "withdraw_due",
                "withdrawn_late",
                "updated_at",
            ]
        )
        kind = record_type(record)
        record_event(
            actor=actor,
            action=f"publicity.{kind}.withdraw",
            target=record,
            before=before,
            after={
                "status": record.status,
                "withdrawn_on": record.withdrawn_on,
                "revoked_on": record.revoked_on,
                "withdrawn_late": record.withdrawn_late,
            },
            reason=record.withdraw_reason,
        )
        Change.objects.create(record_type=kind, record_id=record.pk, action=ChangeAction.WITHDRAW, public=None)
        _to_search(kind, [record])
        return record


def _withdraw_due(revoked_on: dt.date | None) -> dt.date | None:
    if revoked_on is None:
        return None
    try:
        limit = resolve_time_limit("penalty.withdraw", revoked_on)
        return compute_deadline(revoked_on, limit.days, limit.unit)
    except (CalendarDataMissing, NotFound):
        return None  # before the 2021 rule, or a year the calendar does not cover yet


def expire_records(*, actor: Any = None, today: dt.date | None = None) -> int:
    """Move penalties past their maximum publicity window out of public view (the public reads already hide them;
    this records the event and tells downstream copies)."""
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        due = list(
            PenaltyRecord.objects.select_for_update()
            .filter(status=RecordStatus.PUBLISHED, publicity_max_end__lt=today)
            .values_list("pk", flat=True)
        )
        if not due:
            return 0
        PenaltyRecord.objects.filter(pk__in=due).update(status=RecordStatus.EXPIRED, updated_at=timezone.now())
        Change.objects.bulk_create(
            [Change(record_type="penalty", record_id=pk, action=ChangeAction.EXPIRE, public=None) for pk in due]
        )
        search_index.remove("penalty", due)
        codes = PenaltyRecord.objects.filter(pk__in=due).exclude(party_uscc="").values_list("party_uscc", flat=True)
        search_index.refresh_ids("entity", sorted(set(codes)))
        record_event(
            actor=actor,
            action="publicity.penalty.expire",
            target=("publicity.expiry", today.isoformat(), f"{today.isoformat()} 公示期满"),
            after={"count": len(due), "first_id": min(due), "last_id": max(due)},
        )
        return len(due)


def apply_for_repair(
    *,
    record: PenaltyRecord,
    applicant_name: str,
    applicant_contact: str,
    commitment: str,
    performed_statement: str,
    materials: Sequence[tuple[str, Any]] = (),
    today: dt.date | None = None,
) -> CreditRepair:
    """An entity applies online for credit repair of one of its penalties (no login: the public form).

    ``materials`` are ``(title, uploaded file)`` pairs (申请表、承诺书、履行证明……), each kept with its SHA-256.
    """
    today = today or timezone.localdate()
    errors = _check_materials(materials)
    for key, value, label in (
        ("applicant_name", applicant_name, "申请人"),
        ("applicant_contact", applicant_contact, "联系方式"),
        ("commitment", commitment, "信用修复承诺"),
        ("performed_statement", performed_statement, "履行处罚义务情况"),
    ):
        if not (value or "").strip():
            errors.append(FieldError(key, "required", f"请填写{label}"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic(durable=True):
        record = PenaltyRecord.objects.select_for_update().get(pk=record.pk)
        if record.status != RecordStatus.PUBLISHED:
            raise ValidationFailed(FieldError("record", "not_public", "该处罚信息不在公示中，无需修复"))
        if not record.early_repair:
            raise ValidationFailed(
                FieldError("record", "no_early_repair", "该处罚涉及特定严重失信行为，须按最长公示期公示，不能提前修复")
            )
        if record.publicity_min_end and today < record.publicity_min_end:
            raise ValidationFailed(
                FieldError(
                    "record",
                    "too_early",
                    f"最短公示期至 {record.publicity_min_end.isoformat()} 届满，届满后方可申请信用修复",
                )
            )
        if record.repairs.filter(status=RepairStatus.SUBMITTED).exists():
            raise ValidationFailed(FieldError("record", "pending", "该处罚已有正在审核的修复申请"))
        limit = resolve_time_limit("credit_repair.review", today)
        try:
            due = compute_deadline(today, limit.days, limit.unit)
        except CalendarDataMissing:
            due = today + dt.timedelta(days=limit.days)
        repair = CreditRepair.objects.create(
            record=record,
            applicant_name=applicant_name.strip(),
            applicant_contact=applicant_contact.strip(),
            commitment=commitment.strip(),
            performed_statement=performed_statement.strip(),
            submitted_on=today,
            review_due=due,
        )
        stored = []
        with all_or_nothing() as written:  # storage full or read-only: no file left, the application rolled back
            for title, upload in materials:
                digest = hashlib.sha256()
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
                material = RepairMaterial(repair=repair, title=title[:100], sha256=digest.hexdigest())
                # The name the storage will write to, so a write that fails half-way (disk full) can be removed too.
                target = material.file.field.generate_filename(material, upload.name)
                if not material.file.storage.exists(target):
                    written.append(target)
                material.file.save(upload.name, upload, save=False)
                written.append(material.file.name or "")
                material.save()
                stored.append({"title": material.title, "sha256": material.sha256})
        record_event(
            actor=None,
            action="publicity.repair.apply",
            target=repair,
            after={"record_id": record.pk, "materials": stored},
            reason=applicant_name,
        )
        return repair


MATERIAL_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".doc", ".ofd"}
MATERIAL_MAX_BYTES = 10 * 1024 * 1024


def _check_materials(materials: Sequence[tuple[str, Any]]) -> list[FieldError]:
    errors = []
    if len(materials) > 10:
        errors.append(FieldError("materials", "too_many", "材料最多上传 10 个文件"))
    for title, upload in materials:
        name = getattr(upload, "name", "") or ""
        suffix = name[name.rfind(".") :].lower() if "." in name else ""
        if suffix not in MATERIAL_TYPES:
            errors.append(
                FieldError("materials", "material_type", f"“{name}”的格式不支持，请上传 PDF、JPG、PNG、DOC/DOCX 或 OFD")
            )
        elif upload.size > MATERIAL_MAX_BYTES:
            errors.append(FieldError("materials", "material_size", f"“{name}”超过 10 MB"))
        if not (title or "").strip():
            errors.append(FieldError("materials", "material_title", "请为每个材料填写名称"))
    return errors


def review_repair(
    *, actor: Any, repair: CreditRepair, approve: bool, reason: str = "", today: dt.date | None = None
) -> CreditRepair:
    """The agency approves (the record leaves public view) or rejects (with reasons) a repair application."""
    today = today or timezone.localdate()
    if not approve and not (reason or "").strip():
        raise ValidationFailed(FieldError("reason", "required", "不予修复的，须说明理由"))
    with transaction.atomic(durable=True):
        repair = CreditRepair.objects.select_for_update().select_related("record__agency__division").get(pk=repair.pk)
        scope.require(actor, PUBLICITY_REPAIR, repair, visible_with=PUBLICITY_VIEW)
        if repair.status != RepairStatus.SUBMITTED:
            raise ValidationFailed(FieldError("status", "already_decided", "该申请已经审核"))
        repair.status = RepairStatus.APPROVED if approve else RepairStatus.REJECTED
        repair.decided_on = today
        repair.decision_reason = (reason or "").strip()
        repair.save(update_fields=["status", "decided_on", "decision_reason"])
        record_event(
            actor=actor,
            action="publicity.repair.approve" if approve else "publicity.repair.reject",
            target=repair,
            after={"status": repair.status},
            reason=repair.decision_reason,
        )
        if approve:
            record = repair.record
            record.status = RecordStatus.REPAIRED
            record.repaired_on = today
            record.save(update_fields=["status", "repaired_on", "updated_at"])
            Change.objects.create(record_type="penalty", record_id=record.pk, action=ChangeAction.REPAIR, public=None)
            _to_search("penalty", [record])
        return repair


def require_submitter(actor: Any, agency: Agency) -> None:
    if actor is not None and not scope.jurisdiction(actor, PUBLICITY_SUBMIT).covers(
        division_path=agency.division.path, agency_path=agency.path
    ):
        raise Forbidden(f"您无权报送“{agency.name}”的数据")


def create_publicity_rule(
    *,
    actor: Any,
    regime: str,
    severity: str,
    special_field: str,
    published: bool,
    min_months: int,
    max_months: int,
    early_repair: bool,
    legal_source: str,
    valid_from: dt.date,
) -> PublicityRule:
    """Enter a new rule version (a new national rule, effective from ``valid_from``); the version it replaces for the
    same severity and field ends the day before. Records already imported keep the windows they were given."""
    validate_publicity_rule(
        regime=regime, severity=severity, min_months=min_months, max_months=max_months, legal_source=legal_source
    )
    scope.require_root(actor, PUBLICITY_RULES, "修改公示期限规则需要全省范围的“维护双公示规则”权限")
    with transaction.atomic(durable=True):
        if PublicityRule.objects.filter(valid_from=valid_from, severity=severity, special_field=special_field).exists():
            raise ValidationFailed(
                FieldError("valid_from", "duplicate_version", "该严重程度和领域在这一天已有规则版本")
            )
        previous = (
            PublicityRule.objects.select_for_update()
            .filter(severity=severity, special_field=special_field, valid_from__lt=valid_from)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        )
        for old in previous:
            old.valid_to = valid_from - dt.timedelta(days=1)
            old.save(update_fields=["valid_to"])
            record_event(actor=actor, action="publicity.rule.close", target=old, after={"valid_to": old.valid_to})
        rule = PublicityRule.objects.create(
            regime=regime.strip(),
            severity=severity,
            special_field=special_field,
            published=published,
            min_months=min_months,
            max_months=max_months,
            early_repair=early_repair,
            legal_source=legal_source.strip(),
            valid_from=valid_from,
        )
        record_event(actor=actor, action="publicity.rule.create", target=rule, after=snapshot(rule))
        return rule


def validate_publicity_rule(*, regime: str, severity: str, min_months: int, max_months: int, legal_source: str) -> None:
    errors = []
    if not (regime or "").strip():
        errors.append(FieldError("regime", "required", "请填写规则名称（如文件名与文号）"))
    if not (legal_source or "").strip():
        errors.append(FieldError("legal_source", "required", "请填写依据"))
    if severity not in Severity.values:
        errors.append(FieldError("severity", "invalid_choice", "严重程度应为轻微、一般或严重"))
    if not 0 <= min_months <= max_months <= 120:
        errors.append(FieldError("max_months", "range", "公示期应满足 0 ≤ 最短 ≤ 最长 ≤ 120 个月"))
    if errors:
        raise ValidationFailed(errors)

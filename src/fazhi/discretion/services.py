"""The one write path for discretion benchmarks: documents and their versions, items and rule rows, imports.

Every function: keyword-only arguments, ``actor`` first (``None`` = the system), one durable transaction, the
permission check (``discretion.manage`` over the issuing agency, ``org.scope.require``), an audit event inside, and
the portal's search kept in step (``portal.index.refresh``) whenever items of a published version change.

Versions: ``create_version`` copies a published version into a draft of the same series; ``publish_benchmark`` puts a
draft in force from its effective date and ends the version it replaces the day before; ``retire_benchmark`` ends a
version without a successor. Drafts can be changed freely; a published version's items can still be corrected
(every correction is audited); replaced and retired versions are frozen, so what was in force stays as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from fazhi.audit.services import diff, record_event, snapshot
from fazhi.core.docnumbers import normalise_doc_number
from fazhi.core.errors import Conflict, ErrorList, FieldError, ValidationFailed
from fazhi.core.permissions import DISCRETION_MANAGE
from fazhi.ingest.readers import match_headers, open_table
from fazhi.org import scope
from fazhi.org.models import Agency
from fazhi.portal import index as search_index

from .choices import BenchmarkStatus
from .factors import derive_factors, format_conditions, overlapping
from .fines import Fine
from .models import BenchmarkItem, BenchmarkRule, DiscretionBenchmark, in_force_q
from .spreadsheet import (
    CATALOGUE,
    COLUMNS,
    ITEM_FIELDS,
    MAX_ROWS,
    ItemDraft,
    Problem,
    RuleRow,
    assemble_items,
    read_row,
)

SEARCH_TYPE = "benchmark"
BENCHMARK_FIELDS = ("title", "doc_number", "domain", "effective_from", "expires_on", "note")
# What may still change once a version is published: its number and effective date are what it was published as.
PUBLISHED_EDITABLE = ("title", "domain", "expires_on", "note")


# --- documents ---------------------------------------------------------------------------------------------


def validate_benchmark(data: Mapping[str, Any], *, exclude_pk: int | None = None) -> dict[str, Any]:
    """Check a document's fields; returns them cleaned (``doc_key`` added). Raises ValidationFailed listing all."""
    errors = ErrorList()
    title = str(data.get("title") or "").strip()
    domain = str(data.get("domain") or "").strip()
    note = str(data.get("note") or "").strip()
    if not title:
        errors.add("title", "required", "请填写文件名称")
    elif len(title) > 300:
        errors.add("title", "too_long", "文件名称不能超过 300 个字")
    if not domain:
        errors.add("domain", "required", "请填写领域，如“生态环境”“市场监管”")
    elif len(domain) > 40:
        errors.add("domain", "too_long", "领域不能超过 40 个字")
    number = normalise_doc_number(data.get("doc_number"), field_name="doc_number")
    if not number.normalised:
        errors.add("doc_number", "required", "请填写文号，如“粤环发〔2021〕7号”")
    elif not number.parsed:
        errors.add("doc_number", "doc_number_unrecognised", f"文号“{number.verbatim}”应写成“机关代字〔年份〕序号号”")
    elif DiscretionBenchmark.objects.filter(doc_key=number.normalised).exclude(pk=exclude_pk or 0).exists():
        errors.add("doc_number", "duplicate_doc_number", f"文号 {number.normalised} 已有裁量基准使用")
    effective_from = data.get("effective_from")
    expires_on = data.get("expires_on")
    if not isinstance(effective_from, dt.date):
        errors.add("effective_from", "required", "请填写施行日期")
    elif isinstance(expires_on, dt.date) and expires_on < effective_from:
        errors.add("expires_on", "before_effective", "有效期至不能早于施行日期")
    errors.raise_if_any()
    return {
        "title": title,
        "doc_number": number.verbatim,
        "doc_key": number.normalised,
        "domain": domain,
        "effective_from": effective_from,
        "expires_on": expires_on if isinstance(expires_on, dt.date) else None,
        "note": note,
    }


def create_benchmark(
    *,
    actor: Any,
    agency: Agency,
    title: str,
    doc_number: str,
    domain: str,
    effective_from: dt.date,
    expires_on: dt.date | None = None,
    note: str = "",
) -> DiscretionBenchmark:
    """Start a new benchmark document (version 1, a draft) issued by ``agency``."""
    with transaction.atomic(durable=True):
        scope.require(actor, DISCRETION_MANAGE, agency)
        cleaned = validate_benchmark(
            {
                "title": title,
                "doc_number": doc_number,
                "domain": domain,
                "effective_from": effective_from,
                "expires_on": expires_on,
                "note": note,
            }
        )
        benchmark = _create(agency=agency, **cleaned)
        record_event(actor=actor, action="discretion.benchmark.create", target=benchmark, after=snapshot(benchmark))
        return benchmark


def _create(**values: Any) -> DiscretionBenchmark:
    try:
        with transaction.atomic():
            return DiscretionBenchmark.objects.create(**values)
    except IntegrityError:  # the same number entered at the same moment by someone else
        raise ValidationFailed(
            FieldError("doc_number", "duplicate_doc_number", f"文号 {values['doc_key']} 已有裁量基准使用")
        ) from None


def _locked(benchmark: DiscretionBenchmark) -> DiscretionBenchmark:
    return DiscretionBenchmark.objects.select_for_update().select_related("agency__division").get(pk=benchmark.pk)


def _require_open(benchmark: DiscretionBenchmark) -> None:
    """Replaced and retired versions are frozen: what was in force must stay as it was."""
    if benchmark.status == BenchmarkStatus.RETIRED:
        raise Conflict("该版本已废止，不能再修改", code="benchmark_retired")
    if benchmark.superseded_by_id is not None:
        raise Conflict("该版本已被新版本替代，不能再修改；请在新版本中修改", code="benchmark_superseded")


def update_benchmark(
    *, actor: Any, benchmark: DiscretionBenchmark, changes: Mapping[str, Any], reason: str = ""
) -> DiscretionBenchmark:
    """Change a document's fields. A draft: any of them; a published version: name, domain, expiry and note only."""
    unknown = sorted(set(changes) - set(BENCHMARK_FIELDS))
    if unknown:
        raise ValidationFailed([FieldError(f, "not_editable", "该字段不能修改") for f in unknown])
    with transaction.atomic(durable=True):
        benchmark = _locked(benchmark)
        scope.require(actor, DISCRETION_MANAGE, benchmark)
        _require_open(benchmark)
        if benchmark.status != BenchmarkStatus.DRAFT:
            frozen = [
                f for f in changes if f not in PUBLISHED_EDITABLE and str(changes[f]) != str(getattr(benchmark, f))
            ]
            if frozen:
                raise ValidationFailed(
                    [
                        FieldError(f, "published_field", "已发布的版本不能修改文号和施行日期；如需调整，请发布新版本")
                        for f in frozen
                    ]
                )
        current = {f: getattr(benchmark, f) for f in BENCHMARK_FIELDS}
        cleaned = validate_benchmark({**current, **changes}, exclude_pk=benchmark.pk)
        before = snapshot(benchmark)
        for name, value in cleaned.items():
            setattr(benchmark, name, value)
        _check_after_previous(benchmark)
        benchmark.save()
        old, new = diff(before, snapshot(benchmark))
        if not new:
            return benchmark
        record_event(
            actor=actor, action="discretion.benchmark.update", target=benchmark, before=old, after=new, reason=reason
        )
        _to_search(benchmark)
        return benchmark


def _check_after_previous(benchmark: DiscretionBenchmark) -> None:
    previous = benchmark.previous
    if previous is not None and benchmark.effective_from <= previous.effective_from:
        raise ValidationFailed(
            FieldError(
                "effective_from",
                "not_after_previous",
                f"新版本的施行日期应晚于上一版本的施行日期（{previous.effective_from:%Y-%m-%d}）",
            )
        )


def publish_benchmark(*, actor: Any, benchmark: DiscretionBenchmark) -> DiscretionBenchmark:
    """Publish a draft: it is in force from its effective date, and the version it replaces ends the day before."""
    with transaction.atomic(durable=True):
        benchmark = _locked(benchmark)
        scope.require(actor, DISCRETION_MANAGE, benchmark)
        if benchmark.status != BenchmarkStatus.DRAFT:
            raise Conflict("该版本已经发布", code="already_published")
        if not benchmark.items.exists():
            raise ValidationFailed(FieldError("items", "no_items", "裁量基准还没有任何事项，请先导入或录入事项再发布"))
        previous = _locked(benchmark.previous) if benchmark.previous is not None else None
        if previous is not None:
            _check_replaceable(previous, benchmark)
        version = benchmark.version
        benchmark.status = BenchmarkStatus.PUBLISHED
        benchmark.published_at = timezone.now()
        benchmark.save(update_fields=["status", "published_at", "updated_at"])
        record_event(
            actor=actor,
            action="discretion.benchmark.publish",
            target=benchmark,
            after={"status": benchmark.status, "effective_from": benchmark.effective_from, "version": version},
        )
        if previous is not None:
            before = {"valid_to": previous.valid_to, "superseded_by_id": None}
            previous.valid_to = benchmark.effective_from - dt.timedelta(days=1)
            previous.superseded_by = benchmark
            previous.save(update_fields=["valid_to", "superseded_by", "updated_at"])
            record_event(
                actor=actor,
                action="discretion.benchmark.supersede",
                target=previous,
                before=before,
                after={"valid_to": previous.valid_to, "superseded_by_id": benchmark.pk},
                reason=f"由 {benchmark.doc_number} 替代",
            )
            _to_search(previous)
        _to_search(benchmark)
        return benchmark


def _check_replaceable(previous: DiscretionBenchmark, new: DiscretionBenchmark) -> None:
    if previous.superseded_by_id is not None:
        raise Conflict("上一版本已被其他版本替代", code="benchmark_superseded")
    if previous.status != BenchmarkStatus.PUBLISHED:
        raise Conflict("上一版本已废止，不能再被替代；请新建裁量基准", code="benchmark_retired")
    _check_after_previous(new)


def create_version(
    *,
    actor: Any,
    benchmark: DiscretionBenchmark,
    doc_number: str,
    effective_from: dt.date,
    title: str = "",
    note: str = "",
) -> DiscretionBenchmark:
    """Start the next version of a published document: a draft copy of its items and rules, under a new number."""
    with transaction.atomic(durable=True):
        source = _locked(benchmark)
        scope.require(actor, DISCRETION_MANAGE, source)
        if source.status != BenchmarkStatus.PUBLISHED or source.superseded_by_id is not None:
            raise Conflict("只能以现行的已发布版本为基础新建版本", code="not_current")
        if DiscretionBenchmark.objects.filter(series=source.series, status=BenchmarkStatus.DRAFT).exists():
            raise Conflict("该裁量基准已有一个未发布的新版本，请先完成或修改它", code="draft_exists")
        cleaned = validate_benchmark(
            {
                "title": title or source.title,
                "doc_number": doc_number,
                "domain": source.domain,
                "effective_from": effective_from,
                "expires_on": None,
                "note": note,
            }
        )
        if cleaned["effective_from"] <= source.effective_from:
            raise ValidationFailed(
                FieldError(
                    "effective_from",
                    "not_after_previous",
                    f"新版本的施行日期应晚于上一版本的施行日期（{source.effective_from:%Y-%m-%d}）",
                )
            )
        latest = DiscretionBenchmark.objects.filter(series=source.series).aggregate(v=Max("version"))["v"] or 0
        draft = _create(agency=source.agency, series=source.series, version=latest + 1, previous=source, **cleaned)
        copied = 0
        for item in source.items.prefetch_related("rules"):
            new_item = BenchmarkItem.objects.create(
                benchmark=draft,
                **{f: getattr(item, f) for f in ("code", "position", *ITEM_FIELDS, "factors", "content_hash")},
            )
            BenchmarkRule.objects.bulk_create(
                [BenchmarkRule(item=new_item, **_rule_values(rule)) for rule in item.rules.all()]
            )
            copied += 1
        record_event(
            actor=actor,
            action="discretion.benchmark.new_version",
            target=draft,
            after=snapshot(draft) | {"copied_items": copied},
            reason=f"以 {source.doc_number} 为基础",
        )
        return draft


def _rule_values(rule: BenchmarkRule) -> dict[str, Any]:
    names = [f.name for f in BenchmarkRule._meta.concrete_fields if f.name not in ("id", "item")]
    return {name: getattr(rule, name) for name in names}


def retire_benchmark(
    *, actor: Any, benchmark: DiscretionBenchmark, retired_on: dt.date, reason: str
) -> DiscretionBenchmark:
    """Retire (废止) a published version from ``retired_on`` on, without a successor; it stays readable."""
    if not (reason or "").strip():
        raise ValidationFailed(FieldError("reason", "required", "请填写废止原因"))
    with transaction.atomic(durable=True):
        benchmark = _locked(benchmark)
        scope.require(actor, DISCRETION_MANAGE, benchmark)
        if benchmark.status != BenchmarkStatus.PUBLISHED:
            message = "草稿未发布，无需废止" if benchmark.status == BenchmarkStatus.DRAFT else "该版本已经废止"
            raise Conflict(message, code="not_published")
        if benchmark.superseded_by_id is not None:
            raise Conflict("该版本已被新版本替代，无需废止", code="benchmark_superseded")
        if retired_on <= benchmark.effective_from:
            raise ValidationFailed(
                FieldError("retired_on", "before_effective", "废止日期应晚于施行日期（施行前可直接修改或不发布）")
            )
        if DiscretionBenchmark.objects.filter(previous=benchmark, status=BenchmarkStatus.DRAFT).exists():
            raise Conflict("该版本有一个未发布的新版本，请先处理新版本", code="draft_exists")
        before = {"status": benchmark.status, "valid_to": benchmark.valid_to}
        benchmark.status = BenchmarkStatus.RETIRED
        benchmark.valid_to = retired_on - dt.timedelta(days=1)
        benchmark.retired_reason = reason.strip()
        benchmark.save(update_fields=["status", "valid_to", "retired_reason", "updated_at"])
        record_event(
            actor=actor,
            action="discretion.benchmark.retire",
            target=benchmark,
            before=before,
            after={"status": benchmark.status, "valid_to": benchmark.valid_to},
            reason=benchmark.retired_reason,
        )
        _to_search(benchmark)
        return benchmark


# --- items -------------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: counts of items, and every problem by file row (row, column, code, Chinese message)."""

    filename: str
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def rejected_rows(self) -> int:
        return len({p.row for p in self.errors})

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def import_items(
    *, actor: Any, benchmark: DiscretionBenchmark, file: str | IO[bytes] | Any, filename: str | None = None
) -> ImportReport:
    """Import items and their rule rows from a spreadsheet (XLSX or CSV in any common encoding, Chinese headers —
    ``spreadsheet.COLUMNS``) into ``benchmark``. The command, the upload page and the API all call this.

    Items are matched by 事项编码: a new code adds an item, a changed one replaces its rows, an unchanged one is left
    alone — so running the same file again changes nothing. Items missing from the file are kept. Every bad row is
    reported (row, column, code, message) and rejects its item only; all good items are written in one transaction.
    A file that cannot be read at all raises (``UnusableFile`` / ``ValidationFailed``) before anything is written.
    """
    with transaction.atomic(durable=True):  # the checks first, so a caller who may not import reads nothing
        locked = _locked(benchmark)
        scope.require(actor, DISCRETION_MANAGE, locked)
        _require_open(locked)
    name = filename or getattr(file, "name", None) or str(file)
    report = ImportReport(filename=str(name).rsplit("/", 1)[-1])
    digest = hashlib.sha256()
    rows: list[tuple[int, RuleRow | None, str]] = []
    with open_table(file, filename=filename) as table:
        match = match_headers(table.headers, CATALOGUE)
        missing = match.missing([c.key for c in COLUMNS if c.required])
        if missing:
            names = "、".join(f"“{match.label(k)}”" for k in missing)
            raise ValidationFailed(
                FieldError("file", "missing_columns", f"文件缺少必填列{names}；请下载模板，按模板的表头填写")
            )
        header_row = getattr(table, "header_number", 0) or 1
        for note in (*table.warnings, *match.warnings):
            report.problems.append(Problem(header_row, "", "file_note", note, level="warning"))
        if match.unknown:
            shown = "、".join(f"“{h}”" for h in match.unknown[:10])
            message = f"以下列不是模板的列，已忽略：{shown}"
            report.problems.append(Problem(header_row, "", "unknown_columns", message, level="warning"))
        for row in table.rows():
            report.rows_read += 1
            if report.rows_read > MAX_ROWS:
                message = f"一次最多导入 {MAX_ROWS} 行，请分成几个文件"
                raise ValidationFailed(FieldError("file", "too_many_rows", message))
            values = {key: row.values.get(header) for header, key in match.mapping.items()}
            digest.update(repr(sorted(values.items())).encode("utf-8"))
            code = (values.get("code") or "").strip()
            if row.problems:
                for problem in row.problems:
                    report.problems.append(Problem(row.number, "", "unreadable_row", problem))
                rows.append((row.number, None, code))
                continue
            rule_row, problems = read_row(row.number, values)
            report.problems.extend(problems)
            rows.append((row.number, rule_row, code))
    drafts, problems = assemble_items(rows)
    report.problems.extend(problems)
    report.problems.sort(key=lambda p: (p.row, p.level != "error"))
    if drafts:
        _write_items(actor, benchmark, drafts, report, digest.hexdigest())
    return report


def _write_items(
    actor: Any, benchmark: DiscretionBenchmark, drafts: list[ItemDraft], report: ImportReport, digest: str
) -> None:
    with transaction.atomic(durable=True):
        benchmark = _locked(benchmark)
        scope.require(actor, DISCRETION_MANAGE, benchmark)  # again: the file was read outside the transaction
        _require_open(benchmark)
        existing = {item.code: item for item in benchmark.items.select_for_update()}
        position = max((item.position for item in existing.values()), default=0)
        changed: list[BenchmarkItem] = []
        for draft in drafts:
            item = existing.get(draft.code)
            if item is not None and item.content_hash == draft.content_hash():
                report.unchanged += 1
                continue
            if item is None:
                position += 1
                item = BenchmarkItem(benchmark=benchmark, code=draft.code, position=position)
                report.created += 1
            else:
                report.updated += 1
            changed.append(_save_item(actor, item, draft))
        if not changed:
            return
        record_event(
            actor=actor,
            action="discretion.benchmark.import",
            target=benchmark,
            after={
                "filename": report.filename,
                "rows_digest": digest,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected_rows": report.rejected_rows,
            },
        )
        _to_search(benchmark, changed)


def _item_summary(item: BenchmarkItem, rules: Iterable[BenchmarkRule | dict[str, Any]]) -> dict[str, Any]:
    """An item as its audit events show it: its texts and one line per rule row."""

    def line(rule: BenchmarkRule | dict[str, Any]) -> str:
        values = rule if isinstance(rule, dict) else _rule_values(rule)
        return f"{format_conditions(values['conditions'])} → {values['grade']} {values['penalty_text']}".strip()

    return {f: getattr(item, f) for f in ("code", *ITEM_FIELDS)} | {"rules": [line(r) for r in rules]}


def _save_item(actor: Any, item: BenchmarkItem, draft: ItemDraft) -> BenchmarkItem:
    """Write one item and replace its rule rows (inside the caller's transaction)."""
    creating = item.pk is None
    before = None if creating else _item_summary(item, item.rules.all())
    for name in ITEM_FIELDS:
        setattr(item, name, getattr(draft, name))
    rules = draft.rules()
    item.factors = derive_factors(r.conditions for r in draft.rows)
    item.content_hash = draft.content_hash()
    item.save()
    _write_rules(item, rules, creating=creating)
    after = _item_summary(item, rules)
    if creating:
        record_event(actor=actor, action="discretion.item.create", target=item, after=after)
    else:
        old, new = diff(before or {}, after)
        record_event(actor=actor, action="discretion.item.update", target=item, before=old, after=new)
    return item


def _write_rules(item: BenchmarkItem, rules: list[dict[str, Any]], *, creating: bool) -> None:
    """The item's rule rows become ``rules``: a row keeps its id while its position stays (links to it still work),
    rows beyond the new count go."""
    current = {} if creating else {r.position: r for r in item.rules.all()}
    changed: list[BenchmarkRule] = []
    new: list[BenchmarkRule] = []
    for values in rules:
        rule = current.pop(values["position"], None)
        if rule is None:
            new.append(BenchmarkRule(item=item, **values))
            continue
        for name, value in values.items():
            setattr(rule, name, value)
        changed.append(rule)
    if changed:
        BenchmarkRule.objects.bulk_update(changed, [name for name in rules[0] if name != "position"])
    if current:
        BenchmarkRule.objects.filter(pk__in=[r.pk for r in current.values()]).delete()
    BenchmarkRule.objects.bulk_create(new)


def update_item(*, actor: Any, item: BenchmarkItem, changes: Mapping[str, Any]) -> BenchmarkItem:
    """Correct an item's texts (违法行为、违反条款、处罚依据、备注); its rule rows change by import or
    ``update_rule``."""
    unknown = sorted(set(changes) - set(ITEM_FIELDS))
    if unknown:
        raise ValidationFailed([FieldError(f, "not_editable", "该字段不能在这里修改") for f in unknown])
    with transaction.atomic(durable=True):
        item = BenchmarkItem.objects.select_for_update().select_related("benchmark__agency__division").get(pk=item.pk)
        scope.require(actor, DISCRETION_MANAGE, item)
        _require_open(item.benchmark)
        values = {f: str(changes.get(f, getattr(item, f)) or "").strip() for f in ITEM_FIELDS}
        draft = _draft_of(item, values)
        problems = [p for p in _column_problems(values) if p.level == "error"]
        if problems:
            raise ValidationFailed([FieldError(p.field, p.code, p.message) for p in problems])
        if item.content_hash == draft.content_hash():
            return item
        _save_item(actor, item, draft)
        _to_search(item.benchmark, [item])
        return item


def update_rule(
    *, actor: Any, rule: BenchmarkRule, circumstances: str, grade: str, kinds: str, fine: str, description: str = ""
) -> BenchmarkRule:
    """Correct one rule row, written the way the spreadsheet writes it (情形、裁量阶次、处罚种类、罚款、情形说明)."""
    with transaction.atomic(durable=True):
        rule = (
            BenchmarkRule.objects.select_for_update()
            .select_related("item__benchmark__agency__division")
            .get(pk=rule.pk)
        )
        item = rule.item
        scope.require(actor, DISCRETION_MANAGE, item)
        _require_open(item.benchmark)
        values = {
            "code": item.code,
            "circumstances": circumstances,
            "grade": grade,
            "kinds": kinds,
            "fine": fine,
            "description": description,
            "source": rule.source,
        }
        row, problems = read_row(rule.position, values)
        if row is None:
            raise ValidationFailed([FieldError(p.field, p.code, p.message) for p in problems])
        if row.grade is None:
            raise ValidationFailed(FieldError("grade", "required", "请选择裁量阶次"))
        draft = _draft_of(item, {f: getattr(item, f) for f in ITEM_FIELDS})
        others = [r for r in draft.rows if r.number != rule.position]
        clash = next((o for o in others if overlapping(o.conditions, row.conditions)), None)
        if clash is not None:
            raise ValidationFailed(
                FieldError(
                    "circumstances",
                    "overlapping_circumstances",
                    f"情形与第 {clash.number} 条规则“{format_conditions(clash.conditions)}”可能同时适用，请区分",
                )
            )
        draft.rows = [row if r.number == rule.position else r for r in draft.rows]
        if item.content_hash != draft.content_hash():
            _save_item(actor, item, draft)
            _to_search(item.benchmark, [item])
        return BenchmarkRule.objects.get(item=item, position=rule.position)


def _draft_of(item: BenchmarkItem, values: Mapping[str, str]) -> ItemDraft:
    """An item as stored, as a draft that ``_save_item`` can write back (to change one part of it)."""
    draft = ItemDraft(
        code=item.code,
        first_row=1,
        violation=values["violation"],
        provision=values["provision"],
        legal_basis=values["legal_basis"],
        note=values["note"],
    )
    for rule in item.rules.all():
        draft.rows.append(
            RuleRow(
                number=rule.position,
                code=item.code,
                item=dict(values),
                conditions=[(f, o) for f, o in rule.conditions],
                description=rule.description,
                grade=rule.grade,
                kinds=list(rule.penalty_kinds),
                fine=Fine(
                    kind=rule.fine_kind,
                    minimum=rule.fine_min,
                    maximum=rule.fine_max,
                    base=rule.multiple_base,
                    multiple_min=rule.multiple_min,
                    multiple_max=rule.multiple_max,
                ),
                penalty_text=rule.penalty_text,
                source=rule.source,
            )
        )
    return draft


def _column_problems(values: Mapping[str, str]) -> list[Problem]:
    problems = []
    for column in COLUMNS:
        if column.key not in values:
            continue
        if column.key in ("violation", "legal_basis") and not values[column.key]:
            problems.append(Problem(0, column.key, "required", f"请填写{column.header}"))
        if column.max_length and len(values[column.key]) > column.max_length:
            problems.append(Problem(0, column.key, "too_long", f"{column.header}不能超过 {column.max_length} 个字"))
    return problems


# --- search ------------------------------------------------------------------------------------------------


def _to_search(benchmark: DiscretionBenchmark, items: Iterable[BenchmarkItem] | None = None) -> None:
    """Keep the portal's search equal to the items in force (drafts are never indexed)."""
    if benchmark.status == BenchmarkStatus.DRAFT:
        return
    objects = list(items) if items is not None else list(benchmark.items.all())
    for item in objects:
        item.benchmark = benchmark  # already loaded with its agency and division
    search_index.refresh(SEARCH_TYPE, objects)


def refresh_search_index(*, actor: Any = None) -> int:
    """Index the items of versions that have come into force (run daily, like ``fazhi publicity expire``; versions
    that end drop out of search by themselves after their last day). Returns how many items are in force today."""
    today = timezone.localdate()
    with transaction.atomic(durable=True):
        items = list(
            BenchmarkItem.objects.filter(in_force_q(today, "benchmark__")).select_related("benchmark__agency__division")
        )
        search_index.refresh(SEARCH_TYPE, items)
        return len(items)

"""Checking one row of a 双公示 file: from raw text by field key to clean values, warnings and coded errors.

Pure functions (no database): the ingest runs them for millions of rows, the forms and the API for one. Every
problem is a ``FieldError`` with the field key, a stable code and a Chinese message; all of a row's errors are
reported together, not just the first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fazhi.core import dates, docnumbers, identifiers, money
from fazhi.core.errors import ErrorList, FieldError, ValidationFailed

from .choices import (
    KINDS_CONFISCATING,
    KINDS_NEEDING_LICENCE,
    LEGACY_PENALTY_CODES,
    IdType,
    LicenceCategory,
    PartyCategory,
    PenaltyKind,
    Severity,
    SpecialField,
)
from .fields import FieldSpec, catalogue

_SPLIT_KINDS = re.compile(r"[,，、;；/\s]+")
_YUAN_SUFFIX = re.compile(r"^\s*([0-9０-９.,，]+)\s*元\s*$")

_PARTY_CATEGORY = {
    "法人及非法人组织": PartyCategory.LEGAL,
    "法人及其他组织": PartyCategory.LEGAL,
    "法人": PartyCategory.LEGAL,
    "法人和非法人组织": PartyCategory.LEGAL,
    "非法人组织": PartyCategory.LEGAL,
    "1": PartyCategory.LEGAL,
    "自然人": PartyCategory.NATURAL,
    "2": PartyCategory.NATURAL,
    "个体工商户": PartyCategory.INDIVIDUAL_BUSINESS,
    "个体": PartyCategory.INDIVIDUAL_BUSINESS,
    "3": PartyCategory.INDIVIDUAL_BUSINESS,
    "4": PartyCategory.INDIVIDUAL_BUSINESS,
}
_ID_TYPE = {
    "身份证": IdType.RESIDENT_ID,
    "居民身份证": IdType.RESIDENT_ID,
    "护照": IdType.PASSPORT,
    "护照号": IdType.PASSPORT,
    "港澳居民来往内地通行证": IdType.HK_MACAO_PERMIT,
    "台湾居民来往大陆通行证": IdType.TAIWAN_PERMIT,
    "外国人永久居留身份证": IdType.FOREIGN_PR,
}
_LICENCE_CATEGORY = {str(label): LicenceCategory(value) for value, label in LicenceCategory.choices}
_LICENCE_CATEGORY.update(
    {"1": LicenceCategory.ORDINARY, "2": LicenceCategory.FRANCHISE, "3": LicenceCategory.RECOGNITION}
)
_LICENCE_CATEGORY.update({"4": LicenceCategory.APPROVAL, "5": LicenceCategory.REGISTRATION, "9": LicenceCategory.OTHER})
_SEVERITY = {str(label): Severity(value) for value, label in Severity.choices}
_SEVERITY.update({"一般失信": Severity.GENERAL, "严重失信": Severity.SERIOUS, "轻微失信": Severity.MINOR})
_SPECIAL = {str(label): SpecialField(value) for value, label in SpecialField.choices if value}
_KIND_LABELS: dict[str, PenaltyKind] = {str(label): PenaltyKind(value) for value, label in PenaltyKind.choices}
_KIND_LABELS.update(
    {
        "没收违法所得、没收非法财物": PenaltyKind.CONFISCATE_INCOME,
        "没收非法所得": PenaltyKind.CONFISCATE_INCOME,
        "暂扣许可证": PenaltyKind.SUSPEND_LICENCE,
        "吊销许可证": PenaltyKind.REVOKE_LICENCE,
        "吊销执照": PenaltyKind.REVOKE_LICENCE,
        "吊销营业执照": PenaltyKind.REVOKE_LICENCE,
        "责令停业": PenaltyKind.ORDER_SUSPENSION,
        "责令停产整治": PenaltyKind.ORDER_SUSPENSION,
        "暂扣或者吊销许可证、暂扣或者吊销执照": PenaltyKind.SUSPEND_OR_REVOKE,
        "暂扣或吊销许可证、执照": PenaltyKind.SUSPEND_OR_REVOKE,
        "责令停产停业、责令关闭、限制从业": PenaltyKind.ORDER_SUSPENSION,
        "法律、行政法规规定的其他行政处罚": PenaltyKind.OTHER,
        **{code: kind for code, kind in LEGACY_PENALTY_CODES.items()},
    }
)
# Kinds under which a decision counts as 轻微 for the 2026 rules when nobody said otherwise (GUESS: documented in
# docs/decisions/0005-publicity-windows.md; agencies can always state 失信严重程度 explicitly).
_MINOR_ONLY = {PenaltyKind.WARNING, PenaltyKind.CRITICISM}
_SERIOUS_ANY = {
    PenaltyKind.REVOKE_LICENCE,
    PenaltyKind.ORDER_CLOSURE,
    PenaltyKind.RESTRICT_EMPLOYMENT,
    PenaltyKind.DETENTION,
}


@dataclass
class CleanRow:
    """A checked row. ``values`` must not change once ``natural_key`` or ``content_hash`` has been read: both are
    computed once and kept (they travel with the row when it is pickled to another process)."""

    kind: str
    values: dict[str, Any]
    warnings: list[FieldError] = field(default_factory=list)
    _natural_key: str | None = field(default=None, init=False, repr=False, compare=False)
    _content_hash: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def natural_key(self) -> str:
        """Same decision for the same party = same record (re-imports update it instead of adding one)."""
        if self._natural_key is None:
            v = self.values
            party = v.get("party_uscc") or v.get("party_id_number") or v.get("party_name", "")
            raw = "|".join([self.kind, v.get("decision_agency_uscc", ""), v.get("doc_number_key", ""), party])
            self._natural_key = hashlib.sha256(raw.encode("utf-8")).hexdigest()
        return self._natural_key

    @property
    def content_hash(self) -> str:
        if self._content_hash is None:
            text = _HASH_JSON(self.values)
            self._content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return self._content_hash


# json.dumps(values, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":")), with the encoder built
# once instead of per call (same output: the hash is stored, so it must never change).
_HASH_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":")).encode


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not identifiers.fold(value))


def _text(spec: FieldSpec, raw: Any, errors: ErrorList) -> str:
    text = str(raw).strip() if raw is not None else ""
    text = text.replace("\u200b", "").replace("\ufeff", "")
    if spec.max_length and len(text) > spec.max_length:
        errors.add(spec.key, "too_long", f"{spec.label}不能超过 {spec.max_length} 个字符（现为 {len(text)} 个）")
    return text


def _lookup(spec: FieldSpec, raw: Any, table: Mapping[str, Any], errors: ErrorList, allowed: str) -> Any:
    key = identifiers.fold(str(raw))
    if key in table:
        return table[key]
    errors.add(spec.key, "invalid_choice", f"{spec.label}“{raw}”不在代码表中，应为：{allowed}")
    return None


def penalty_kinds(raw: object) -> tuple[list[str], list[str]]:
    """The penalty kinds a 处罚种类 cell names — labels of the 2021 list, the legacy combined labels, legacy codes
    1–9 and common ways of writing them — as (``PenaltyKind`` values in the order written, pieces not recognised).
    The one reader of penalty kinds: 双公示 rows and discretion benchmarks both use it."""
    text = identifiers.fold(str(raw or ""))
    pieces = [text] if text in _KIND_LABELS else [p for p in _SPLIT_KINDS.split(text) if p]
    found: list[str] = []
    unknown: list[str] = []
    for piece in pieces:
        kind = _KIND_LABELS.get(piece)
        if kind is None:
            unknown.append(piece)
        elif kind.value not in found:
            found.append(kind.value)
    return found, unknown


def penalty_kinds_message(label: str, unknown: list[str]) -> str:
    allowed = "、".join(str(label) for label in PenaltyKind.labels)
    return f"{label}“{'、'.join(unknown)}”无法识别，应为：{allowed}（可填多个，用“、”分隔）"


def _kinds(spec: FieldSpec, raw: Any, errors: ErrorList) -> list[str]:
    found, unknown = penalty_kinds(raw)
    if unknown:
        errors.add(spec.key, "invalid_penalty_kind", penalty_kinds_message(spec.label, unknown))
        return []
    return found


def _money(spec: FieldSpec, raw: Any, errors: ErrorList, warnings: list[FieldError], unit: str) -> Decimal | None:
    text = str(raw).strip()
    try:
        yuan = _YUAN_SUFFIX.match(text)
        if yuan and unit == "万元":
            amount = money.parse_amount(yuan.group(1), unit="元", field_name=spec.key)
            warnings.append(
                FieldError(spec.key, "money_converted", f"{spec.label}“{text}”按元填写，已换算为 {amount} 万元")
            )
            return amount
        return money.parse_amount(text.removesuffix("万元"), unit=unit, field_name=spec.key)
    except ValidationFailed as exc:
        errors.items.extend(exc.errors)
        return None


def _date(spec: FieldSpec, raw: Any, errors: ErrorList) -> dt.date | None:
    try:
        return dates.parse_date(raw, field_name=spec.key)
    except ValidationFailed as exc:
        errors.items.extend(FieldError(e.field, e.code, f"{spec.label}：{e.message}") for e in exc.errors)
        return None


def _checked(spec: FieldSpec, func: Any, raw: Any, errors: ErrorList, warnings: list[FieldError]) -> str:
    try:
        checked = func(str(raw), field_name=spec.key)
    except ValidationFailed as exc:
        errors.items.extend(FieldError(e.field, e.code, f"{spec.label}：{e.message}") for e in exc.errors)
        return ""
    warnings.extend(checked.warnings)
    return str(checked.value)


def clean_row(kind: str, raw: Mapping[str, Any], *, today: dt.date, money_unit: str = "万元") -> CleanRow:
    """Check one row (field key -> raw value) of ``kind`` ('penalty' or 'licence').

    Raises :class:`ValidationFailed` listing every problem; returns the clean values and the warnings about what
    was safely normalised.

    The checks of values that repeat from row to row (agency codes, dates, amounts, code-table values, penalty
    kinds, the fine named in 处罚内容) are pure, so their outcome — value, errors and warnings — is remembered per
    distinct text (bounded, see :class:`_Memo`) and replayed in the same order as a fresh check would give it.
    """
    errors = ErrorList()
    items = errors.items
    warnings: list[FieldError] = []
    values: dict[str, Any] = {}
    for spec, key, handler, token in _plan(kind):
        value = raw.get(key)
        if value is None or (isinstance(value, str) and _blank_text(value)):
            if spec.required:
                items.append(FieldError(key, "required", f"缺少必填项：{spec.label}"))
            continue
        if handler is _TEXT:
            values[key] = _text(spec, value, errors)
        elif handler is _DOC_NUMBER:
            text = _text(spec, value, errors)
            number = docnumbers.normalise_doc_number(text)
            values["doc_number"] = number.verbatim
            values["doc_number_key"] = number.normalised  # == docnumbers.doc_number_key(text): text is a str
        elif handler is _PARTY_CODE:
            values[key] = _party_code(spec, value, values, errors, warnings)
        elif handler is _ID_NUMBER:
            values[key] = identifiers.fold(str(value)).upper()
        else:
            memo_key = (token, value, money_unit) if value.__class__ is str else None
            outcome = _MEMO.get(memo_key) if memo_key is not None else None
            if outcome is None:
                outcome = _checked_once(spec, handler, value, money_unit)
                if memo_key is not None:
                    _MEMO.put(memo_key, outcome)
            updates, row_errors, row_warnings = outcome
            for name, result in updates:
                values[name] = list(result) if result.__class__ is list else result
            if row_errors:
                items.extend(row_errors)
            if row_warnings:
                warnings.extend(row_warnings)
    if "kinds_2" in values:
        values["kinds"] = [
            *values.get("kinds", []),
            *[k for k in values.pop("kinds_2") if k not in values.get("kinds", [])],
        ]
    _check_party(kind, values, errors, warnings)
    _check_dates(kind, values, errors, today)
    if kind == "penalty":
        _check_penalty(values, errors, warnings)
    values.pop("legacy_status", None)
    values.pop("division_code", None)
    errors.raise_if_any()
    return CleanRow(kind, values, warnings)


# Handlers of the per-field plan: the first four run per value, the others are pure and remembered (see clean_row).
_TEXT, _DOC_NUMBER, _PARTY_CODE, _ID_NUMBER = "text", "doc_number", "party_code", "id_number"
_PLANS: dict[str, tuple[tuple[FieldSpec, str, str, tuple[str, str]], ...]] = {}
_CJK_FIRST, _CJK_LAST = 0x4E00, 0x9FFF


def _plan(kind: str) -> tuple[tuple[FieldSpec, str, str, tuple[str, str]], ...]:
    """Per field of ``kind``: (spec, key, handler, memo token). The token names the field of this catalogue (labels,
    and so messages, differ between the penalty and the licence fields of one key)."""
    plan = _PLANS.get(kind)
    if plan is None:
        steps = []
        for spec in catalogue(kind):
            if spec.kind in {"text", "doc_number", "id_number"}:
                handler = spec.kind
            elif spec.kind == "uscc":
                handler = _PARTY_CODE  # may move the value to another field, depending on the row
            else:
                handler = spec.kind  # date, money, code tables, bool, kinds, agency_uscc: pure
            steps.append((spec, spec.key, handler, (kind, spec.key)))
        plan = _PLANS[kind] = tuple(steps)
    return plan


def _blank_text(value: str) -> bool:
    """``_blank`` for a str, without folding the common non-blank values: after stripping whitespace, text that
    starts with an ASCII character or a CJK ideograph is never folded away (NFKC leaves both as they are and
    ``fold`` removes only spaces and invisible characters)."""
    stripped = value.strip()
    if not stripped:
        return True
    first = ord(stripped[0])
    if first < 0x80 or _CJK_FIRST <= first <= _CJK_LAST:
        return False
    return not identifiers.fold(value)


_Outcome = tuple[tuple[tuple[str, Any], ...], tuple[FieldError, ...], tuple[FieldError, ...]]


def _checked_once(spec: FieldSpec, handler: str, value: Any, money_unit: str) -> _Outcome:
    """Run one pure check of ``value`` against fresh lists: (values to set, errors, warnings), in order."""
    errors = ErrorList()
    warnings: list[FieldError] = []
    updates: list[tuple[str, Any]] = []
    key = spec.key
    if handler == "date":
        updates.append((key, _date(spec, value, errors)))
    elif handler == "org_code":
        updates.append((key, _checked(spec, identifiers.check_org_code, value, errors, warnings)))
    elif handler == "reg_no":
        updates.append((key, _checked(spec, identifiers.check_registration_number, value, errors, warnings)))
    elif handler == "money":
        updates.append((key, _money(spec, value, errors, warnings, money_unit)))
    elif handler == "party_category":
        updates.append((key, _lookup(spec, value, _PARTY_CATEGORY, errors, "法人及非法人组织、自然人、个体工商户")))
    elif handler == "id_type":
        text = identifiers.fold(str(value))
        updates.append(
            (
                key,
                IdType.OTHER
                if text.startswith("其他")
                else _lookup(spec, value, _ID_TYPE, errors, "、".join(str(label) for label in IdType.labels)),
            )
        )
    elif handler == "licence_category":
        text = identifiers.fold(str(value))
        if text.startswith("其他") and len(text) > 2:
            updates.append(("category", LicenceCategory.OTHER))
            updates.append(("category_other", text.removeprefix("其他").strip("-—：:")))
        else:
            updates.append((key, _lookup(spec, value, _LICENCE_CATEGORY, errors, "普通、特许、认可、核准、登记、其他")))
    elif handler == "severity":
        updates.append((key, _lookup(spec, value, _SEVERITY, errors, "轻微、一般、严重")))
    elif handler == "special_field":
        updates.append((key, _lookup(spec, value, _SPECIAL, errors, "特种设备、安全生产、消防")))
    elif handler == "bool":
        updates.append((key, identifiers.fold(str(value)) not in {"否", "0", "false", "False", "N", "n"}))
    elif handler == "kinds":
        updates.append((key, _kinds(spec, value, errors)))
    elif handler == "agency_uscc":
        updates.append((key, _party_code(spec, value, {}, errors, warnings)))
    return tuple(updates), tuple(errors.items), tuple(warnings)


class _Memo:
    """A bounded memo (at most ``limit`` entries: it starts again empty when full, so memory stays flat whatever
    the file; files repeat a handful of values per column, so it rarely fills)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data: dict[Any, Any] = {}
        self.get = self.data.get

    def put(self, key: Any, value: Any) -> None:
        if len(self.data) >= self.limit:
            self.data.clear()
        self.data[key] = value


_MEMO = _Memo(20_000)
_FINES = _Memo(20_000)


def _fine_in_text(content: str) -> Decimal | None:
    """``money.fine_total_in_text``, remembered per text (处罚内容 such as 罚款5万元 repeats across a file)."""
    found = _FINES.get(content, _MISSING)
    if found is _MISSING:
        found = money.fine_total_in_text(content)
        _FINES.put(content, found)
    return found


_MISSING: Any = object()


def _party_code(
    spec: FieldSpec, raw: Any, values: dict[str, Any], errors: ErrorList, warnings: list[FieldError]
) -> str:
    """A USCC column; an organisation code or a registration number found there is moved to its own field."""
    if spec.kind == "uscc":
        guess = identifiers.classify_party_code(str(raw))
        if guess == "org_code" and "party_org_code" not in values:
            values["party_org_code"] = _checked(spec, identifiers.check_org_code, raw, errors, warnings)
            warnings.append(
                FieldError(
                    spec.key, "moved_to_org_code", f"“{raw}”是组织机构代码，不是统一社会信用代码，已移至组织机构代码"
                )
            )
            return ""
        if guess == "registration_number" and "party_reg_no" not in values:
            values["party_reg_no"] = identifiers.fold(str(raw))
            warnings.append(
                FieldError(spec.key, "moved_to_reg_no", f"“{raw}”是工商注册号，不是统一社会信用代码，已移至工商注册号")
            )
            return ""
    code = _checked(spec, identifiers.check_uscc, raw, errors, warnings)
    if code and spec.kind == "agency_uscc" and code[:2] not in {"11", "12", "13"}:
        warnings.append(
            FieldError(
                spec.key, "agency_code_unusual", f"{spec.label} {code} 不是机关或事业单位的代码（通常以 11 或 12 开头）"
            )
        )
    return code


def _check_party(kind: str, values: dict[str, Any], errors: ErrorList, warnings: list[FieldError]) -> None:
    category = values.get("party_category")
    if category is None and not any(e.field == "party_category" and e.code != "required" for e in errors.items):
        # Infer what the codes make certain, and say so (published lists often leave the category out).
        inferred = None
        if (values.get("party_uscc") or "").startswith("92"):
            inferred = PartyCategory.INDIVIDUAL_BUSINESS
        elif values.get("party_uscc") or values.get("party_org_code") or values.get("party_reg_no"):
            inferred = PartyCategory.LEGAL
        elif values.get("party_id_number"):
            inferred = PartyCategory.NATURAL
        if inferred is not None:
            errors.items = [e for e in errors.items if not (e.field == "party_category" and e.code == "required")]
            values["party_category"] = inferred
            category = inferred
            warnings.append(
                FieldError(
                    "party_category", "category_inferred", f"未填写行政相对人类别，已按代码推断为“{inferred.label}”"
                )
            )
    if category == PartyCategory.NATURAL:
        if not values.get("party_id_number"):
            errors.add("party_id_number", "required", "行政相对人为自然人时，须填写证件号码")
        if not values.get("party_id_type"):
            if values.get("party_id_number") and len(values["party_id_number"]) == 18:
                values["party_id_type"] = IdType.RESIDENT_ID
                warnings.append(
                    FieldError("party_id_type", "id_type_inferred", "未填写证件类型，已按证件号码推断为身份证")
                )
            else:
                errors.add("party_id_type", "required", "行政相对人为自然人时，须填写证件类型")
    elif category in (PartyCategory.LEGAL, PartyCategory.INDIVIDUAL_BUSINESS):
        codes = (
            "party_uscc",
            "party_reg_no",
            "party_org_code",
            "party_tax_no",
            "party_institution_no",
            "party_social_org_no",
        )
        if not any(values.get(c) for c in codes) and not any(e.field == "party_uscc" for e in errors.items):
            errors.add(
                "party_uscc",
                "required",
                "法人及非法人组织、个体工商户须填写统一社会信用代码（没有的，至少填写一个其他代码）",
            )
    for type_key, number_key in (("party_id_type", "party_id_number"), ("legal_rep_id_type", "legal_rep_id_number")):
        number = values.get(number_key)
        if number and values.get(type_key, IdType.RESIDENT_ID) == IdType.RESIDENT_ID:
            try:
                checked = identifiers.check_resident_id(number, field_name=number_key)
                values[number_key] = checked.value
                warnings.extend(checked.warnings)
            except ValidationFailed as exc:
                errors.items.extend(exc.errors)


def _check_dates(kind: str, values: dict[str, Any], errors: ErrorList, today: dt.date) -> None:
    decided = values.get("decided_on")
    if decided is None:
        return
    if decided > today:
        errors.add("decided_on", "date_in_future", f"决定日期 {decided.isoformat()} 晚于今天，不能公示尚未作出的决定")
    checks = [
        ("publicity_until_given", "公示截止期"),
        ("valid_until", "有效期至" if kind == "licence" else "处罚有效期"),
    ]
    for key, label in checks:
        value = values.get(key)
        if value is not None and value < decided:
            errors.add(key, "date_before_decision", f"{label} {value.isoformat()} 早于决定日期 {decided.isoformat()}")
    valid_from, valid_until = values.get("valid_from"), values.get("valid_until")
    if kind == "licence" and valid_from and valid_until and valid_until < valid_from:
        errors.add("valid_until", "date_order", "有效期至早于有效期自")


def _check_penalty(values: dict[str, Any], errors: ErrorList, warnings: list[FieldError]) -> None:
    kinds = {PenaltyKind(k) for k in values.get("kinds", [])}
    content = values.get("content", "")
    fine = values.get("fine_wan")
    in_text = _fine_in_text(content) if content else None
    if PenaltyKind.FINE in kinds and fine is None and not any(e.field == "fine_wan" for e in errors.items):
        if in_text:
            values["fine_wan"] = in_text
            warnings.append(FieldError("fine_wan", "fine_from_text", f"未填写罚款金额，已按处罚内容取 {in_text} 万元"))
        else:
            errors.add("fine_wan", "fine_required", "处罚类别含罚款，须填写罚款金额（万元）")
    elif fine is not None and in_text is not None and fine != in_text:
        warnings.append(
            FieldError(
                "fine_wan", "fine_mismatch", f"罚款金额 {fine} 万元与处罚内容中的金额 {in_text} 万元不一致，请核对"
            )
        )
    if fine is not None and fine > 0 and PenaltyKind.FINE not in kinds and kinds:
        warnings.append(FieldError("kinds", "fine_without_kind", "填写了罚款金额，但处罚类别中没有“罚款”"))
    if kinds & KINDS_NEEDING_LICENCE and not values.get("licence_affected"):
        errors.add(
            "licence_affected", "licence_required", "处罚类别含暂扣、吊销或降低资质等级，须填写暂扣或吊销证照名称及编号"
        )
    if kinds & KINDS_CONFISCATING and values.get("confiscation_wan") is None:
        warnings.append(
            FieldError("confiscation_wan", "confiscation_missing", "处罚类别含没收，但未填写没收金额（万元）")
        )
    if "severity" not in values:
        if kinds and kinds <= _MINOR_ONLY:
            values["severity"] = Severity.MINOR
        elif kinds & _SERIOUS_ANY:
            values["severity"] = Severity.SERIOUS
        else:
            values["severity"] = Severity.GENERAL


def fold_header_aliases(kind: str) -> dict[str, tuple[str, ...]]:
    """Field key -> the names a header may use (re-exported for the ingest)."""
    return {spec.key: spec.names() for spec in catalogue(kind)}

"""The discretion calculator: circumstances and figures in, the grade, penalty kinds and fine out — with the reasons.

``calculate`` takes an item of the benchmark version in force on the date asked about (``selectors.item_in_force``
finds it), the answers to its factors (an option, or a number for numeric factors) and optional figures for fines
set as multiples (违法所得、货值金额…, in yuan). It finds the one rule row the answers select, computes the fine in
yuan and spells out which row produced it, under which document, effective since when, on which legal basis.

Every input problem is a ``ValidationFailed`` listing each one (field ``answers.<因素>``, ``figures.<基数>``), in
Chinese; nothing here writes anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fazhi.core.errors import ErrorList, ValidationFailed
from fazhi.core.money import parse_amount

from .choices import FineKind, Grade
from .factors import FactorFormatError, option_for_number
from .fines import TEN_THOUSAND, format_multiple, format_range, format_yuan, kind_labels
from .models import BenchmarkItem, BenchmarkRule, DiscretionBenchmark


@dataclass
class FineResult:
    kind: str
    minimum: Decimal | None = None  # yuan; None for multiples whose base figure was not given
    maximum: Decimal | None = None
    base: str = ""
    base_amount: Decimal | None = None
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    text: str = ""  # in words: “2万元至4万元”, “5万元至15万元（违法所得 5万元的1倍至3倍）”


@dataclass
class Outcome:
    on: dt.date
    benchmark: DiscretionBenchmark
    item: BenchmarkItem
    rule: BenchmarkRule
    answers: list[tuple[str, str]]
    fine: FineResult
    explanation: list[str] = field(default_factory=list)

    @property
    def grade(self) -> str:
        return self.rule.grade

    @property
    def grade_label(self) -> str:
        return str(Grade(self.rule.grade).label)

    @property
    def penalty_kinds(self) -> str:
        return kind_labels(self.rule.penalty_kinds)


def item_bases(item: BenchmarkItem) -> list[str]:
    """The bases of the item's multiple fines (违法所得…), which the calculator asks figures for."""
    return list(dict.fromkeys(r.multiple_base for r in item.rules.all() if r.fine_kind == FineKind.MULTIPLE))


def _resolve_answers(item: BenchmarkItem, answers: Mapping[str, object], errors: ErrorList) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for name, raw in answers.items():
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        factor = item.factor(name)
        if factor is None:
            errors.add(f"answers.{name}", "unknown_factor", f"该事项没有“{name}”这一裁量因素")
            continue
        text = str(raw).strip()
        if text in factor["options"]:
            chosen[name] = text
        elif factor.get("unit"):
            try:
                chosen[name] = option_for_number(factor, raw)
            except FactorFormatError as exc:
                errors.add(f"answers.{name}", "invalid_number", str(exc))
        else:
            allowed = "、".join(f"“{o}”" for o in factor["options"])
            errors.add(f"answers.{name}", "invalid_choice", f"“{text}”不是“{name}”的选项，可选：{allowed}")
    return chosen


def _select_rule(item: BenchmarkItem, chosen: dict[str, str], errors: ErrorList) -> BenchmarkRule | None:
    rules = list(item.rules.all())
    consistent = [r for r in rules if all(chosen.get(f, o) == o for f, o in r.conditions)]
    if not consistent:
        shown = "；".join(f"{f}：{o}" for f, o in chosen.items())
        errors.add("answers", "no_rule", f"本事项没有与所选情形（{shown}）对应的裁量规则，请核对所选情形")
        return None
    complete = [r for r in consistent if all(f in chosen for f, _ in r.conditions)]
    if complete:
        # Rows of an item never overlap (checked on import), so a row whose every condition is answered is the only
        # one consistent with the answers.
        return complete[0]
    # Ask for the factors that still tell the remaining rows apart, in the table's order.
    asked = {f for r in consistent for f, _ in r.conditions if f not in chosen}
    for name in item.factor_names:
        if name in asked:
            errors.add(f"answers.{name}", "required", f"请选择“{name}”")
    return None


def _figure(base: str, figures: Mapping[str, object], errors: ErrorList) -> Decimal | None:
    raw = figures.get(base)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return parse_amount(raw, unit="元", field_name=f"figures.{base}") * TEN_THOUSAND
    except ValidationFailed as exc:
        for error in exc.errors:
            errors.add(f"figures.{base}", error.code, f"{base}：{error.message}")
        return None


def _fine(rule: BenchmarkRule, figures: Mapping[str, object], errors: ErrorList) -> FineResult:
    if rule.fine_kind == FineKind.NONE:
        return FineResult(kind=rule.fine_kind, text="不罚款")
    if rule.fine_kind != FineKind.MULTIPLE:
        return FineResult(kind=rule.fine_kind, minimum=rule.fine_min, maximum=rule.fine_max, text=rule.fine_text)
    multiples = rule.fine_text
    result = FineResult(
        kind=rule.fine_kind,
        base=rule.multiple_base,
        multiple_min=rule.multiple_min,
        multiple_max=rule.multiple_max,
        text=f"{multiples}（填写{rule.multiple_base}金额后可算出罚款金额）",
    )
    amount = _figure(rule.multiple_base, figures, errors)
    if amount is not None:
        result.base_amount = amount
        result.minimum = _yuan(amount * (rule.multiple_min or Decimal(0)))
        result.maximum = _yuan(amount * rule.multiple_max) if rule.multiple_max is not None else None
        fine = format_range(result.minimum, result.maximum)
        applied = format_multiple(f"{rule.multiple_base} {format_yuan(amount)}", rule.multiple_min, rule.multiple_max)
        result.text = f"{fine}（{applied}）"
    return result


def _yuan(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def calculate(
    item: BenchmarkItem, *, answers: Mapping[str, object], figures: Mapping[str, object] | None = None, on: dt.date
) -> Outcome:
    """The outcome for ``item`` (of the version in force on ``on``) under ``answers`` and ``figures``."""
    figures = figures or {}
    errors = ErrorList()
    bases = item_bases(item)
    for name in figures:
        if name not in bases:
            errors.add(f"figures.{name}", "unknown_figure", f"该事项的罚款不以“{name}”为基数，无需填写")
    chosen = _resolve_answers(item, answers, errors)
    errors.raise_if_any()
    rule = _select_rule(item, chosen, errors)
    errors.raise_if_any()
    assert rule is not None  # noqa: S101 - _select_rule reports an error whenever it returns None
    fine = _fine(rule, figures, errors)
    errors.raise_if_any()
    used = [(f, chosen[f]) for f, _ in rule.conditions]
    return Outcome(
        on=on,
        benchmark=item.benchmark,
        item=item,
        rule=rule,
        answers=used,
        fine=fine,
        explanation=_explain(item, rule, used, fine, on),
    )


def _explain(
    item: BenchmarkItem, rule: BenchmarkRule, used: list[tuple[str, str]], fine: FineResult, on: dt.date
) -> list[str]:
    benchmark = item.benchmark
    lines = [
        f"适用的裁量基准：{benchmark.agency.name}《{benchmark.title}》（{benchmark.doc_number}），"
        f"{benchmark.effective_from:%Y年%-m月%-d日}起施行，"
        f"是 {on:%Y年%-m月%-d日} 施行中的版本（第 {benchmark.version} 版）。",
        f"适用的规则：事项 {item.code}“{item.violation}”第 {rule.position} 条规则"
        + (f"（来源：{rule.source}）" if rule.source else "")
        + "。",
        "所选情形：" + ("；".join(f"{f}：{o}" for f, o in used) if used else "本事项只有一种情形") + "。",
    ]
    if rule.description:
        lines.append(f"情形说明：{rule.description}")
    lines.append(f"裁量阶次：{Grade(rule.grade).label}。")
    kinds = kind_labels(rule.penalty_kinds)
    lines.append(f"处罚种类：{kinds or '无'}。")
    if rule.fine_kind != FineKind.NONE:
        lines.append(f"罚款：{fine.text}" + (f"（基准原文：{rule.penalty_text}）" if rule.penalty_text else "") + "。")
    if item.provision:
        lines.append(f"违反条款：{item.provision}")
    lines.append(f"处罚依据：{item.legal_basis}")
    return lines


def as_dict(outcome: Outcome) -> dict[str, Any]:
    """The outcome as the API returns it (amounts in yuan as decimal strings)."""

    def money(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    benchmark, item, rule, fine = outcome.benchmark, outcome.item, outcome.rule, outcome.fine
    return {
        "on": outcome.on,
        "grade": rule.grade,
        "grade_label": outcome.grade_label,
        "penalty_kinds": list(rule.penalty_kinds),
        "penalty_kinds_label": outcome.penalty_kinds,
        "fine": {
            "kind": fine.kind,
            "min_yuan": money(fine.minimum),
            "max_yuan": money(fine.maximum),
            "base": fine.base,
            "base_amount_yuan": money(fine.base_amount),
            "multiple_min": money(fine.multiple_min),
            "multiple_max": money(fine.multiple_max),
            "text": fine.text,
            "table_text": rule.penalty_text,
        },
        "answers": [{"factor": f, "option": o} for f, o in outcome.answers],
        "rule": {
            "id": rule.pk,
            "position": rule.position,
            "circumstances": rule.circumstances,
            "description": rule.description,
            "source": rule.source,
        },
        "item": {"id": item.pk, "code": item.code, "violation": item.violation, "provision": item.provision},
        "legal_basis": item.legal_basis,
        "benchmark": {
            "id": benchmark.pk,
            "title": benchmark.title,
            "doc_number": benchmark.doc_number,
            "agency": benchmark.agency.name,
            "effective_from": benchmark.effective_from,
            "version": benchmark.version,
        },
        "explanation": outcome.explanation,
    }

"""Circumstances (情形) as structured factors: what a rule row requires, and what the calculator asks.

A row's circumstances are written ``因素：选项；因素：选项``, the way a benchmark table reads across its columns:
``违法程度：在接受监督检查时弄虚作假；近一年同类违法行为情况：无同类违法行为``. Text without ``：`` is one option of
the single factor ``情形``. A factor a row does not name applies to every answer (a merged cell in the table).

Options that are numeric bands (``3个月以下``, ``3个月以上6个月以下``, ``12个月以上``, ``1次``, ``4次以上``,
``50吨以上200吨以下``) make the factor numeric: the calculator then also accepts the number itself (``4`` 个月)
and picks the band. “以上”包括本数, “以下”不包括本数 (the common reading, e.g. 粤环发〔2021〕7号
第二十三条), so 3 个月 falls in ``3个月以上6个月以下``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from fazhi.core.identifiers import nfkc

GENERIC_FACTOR = "情形"
MAX_FACTOR_LENGTH = 60
MAX_OPTION_LENGTH = 300

_SEGMENTS = re.compile(r"[；;\n]+")
_COLON = re.compile(r"[：:]")
_N = r"[0-9]+(?:\.[0-9]+)?"
_U = r"[^0-9.以上下]{1,4}"
_BANDS = [
    re.compile(rf"(?P<lo>{_N})(?P<unit>{_U})以上(?P<hi>{_N})(?P=unit)?以下"),
    re.compile(rf"(?P<lo>{_N})(?P<unit>{_U})以上"),
    re.compile(rf"(?P<hi>{_N})(?P<unit>{_U})以下"),
    re.compile(rf"(?P<exact>{_N})(?P<unit>{_U})"),
]

Conditions = list[tuple[str, str]]


class FactorFormatError(ValueError):
    """Circumstances that cannot be read; ``str(exc)`` is the Chinese message."""


def parse_conditions(raw: object) -> Conditions:
    """``违法程度：…；整改情况：…`` → ``[("违法程度", "…"), ("整改情况", "…")]`` (the written order is kept)."""
    text = str(raw or "").strip()
    if not text:
        raise FactorFormatError("请填写情形，例如“违法程度：情节轻微；整改情况：限期内改正”")
    segments = [s.strip() for s in _SEGMENTS.split(text) if s.strip()]
    named = [s for s in segments if _COLON.search(s)]
    if not named:
        return [(GENERIC_FACTOR, _option(" ".join(text.split())))]
    if len(named) != len(segments):
        bare = next(s for s in segments if not _COLON.search(s))
        raise FactorFormatError(
            f"情形中的“{bare}”没有写明因素：请写成“因素：选项”，多个因素用“；”分隔（只有一个情形时可以不写因素）"
        )
    conditions: Conditions = []
    seen: set[str] = set()
    for segment in segments:
        factor, option = (part.strip() for part in _COLON.split(segment, maxsplit=1))
        if not factor or not option:
            raise FactorFormatError(f"情形“{segment}”应写成“因素：选项”，因素和选项都不能为空")
        if len(factor) > MAX_FACTOR_LENGTH:
            raise FactorFormatError(f"裁量因素“{factor[:20]}…”太长（不能超过 {MAX_FACTOR_LENGTH} 个字）")
        if factor in seen:
            raise FactorFormatError(f"情形中“{factor}”出现了两次")
        seen.add(factor)
        conditions.append((factor, _option(option)))
    return conditions


def _option(option: str) -> str:
    if len(option) > MAX_OPTION_LENGTH:
        raise FactorFormatError(f"情形选项“{option[:20]}…”太长（不能超过 {MAX_OPTION_LENGTH} 个字）")
    return option


def format_conditions(conditions: Iterable[Sequence[str]]) -> str:
    return "；".join(f"{factor}：{option}" for factor, option in conditions)


@dataclass(frozen=True, slots=True)
class Band:
    """A numeric option: ``low`` ≤ x < ``high`` (either open), or exactly ``low`` when ``exact``."""

    unit: str
    low: Decimal | None
    high: Decimal | None
    exact: bool = False

    def contains(self, value: Decimal) -> bool:
        if self.exact:
            return value == self.low
        return (self.low is None or value >= self.low) and (self.high is None or value < self.high)


def parse_band(label: str) -> Band | None:
    text = nfkc(label).replace(" ", "")
    for pattern in _BANDS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("exact"):
            value = Decimal(groups["exact"])
            return Band(groups["unit"], value, value, exact=True)
        low = Decimal(groups["lo"]) if groups.get("lo") else None
        high = Decimal(groups["hi"]) if groups.get("hi") else None
        return Band(groups["unit"], low, high)
    return None


def derive_factors(rows: Iterable[Conditions]) -> list[dict[str, Any]]:
    """The factors of an item, from its rows' conditions: names and options in order of first appearance; ``unit``
    when every option is a numeric band of one unit (then the calculator accepts numbers for it)."""
    options: dict[str, list[str]] = {}
    for conditions in rows:
        for factor, option in conditions:
            known = options.setdefault(factor, [])
            if option not in known:
                known.append(option)
    factors = []
    for name, labels in options.items():
        bands = [parse_band(label) for label in labels]
        units = {b.unit for b in bands if b is not None}
        numeric = all(b is not None for b in bands) and len(units) == 1
        factors.append({"name": name, "options": labels, "unit": units.pop() if numeric else ""})
    return factors


def option_for_number(factor: dict[str, Any], raw: object) -> str:
    """The option of a numeric factor that contains the number ``raw``; FactorFormatError if none or several do."""
    name, unit = factor["name"], factor.get("unit", "")
    try:
        value = Decimal(nfkc(str(raw)).strip().removesuffix(unit).replace(",", ""))
    except InvalidOperation:
        raise FactorFormatError(f"“{name}”应从选项中选择，或填写数字（单位：{unit}）") from None
    if not value.is_finite() or value < 0:
        raise FactorFormatError(f"“{name}”应为不小于 0 的数字（单位：{unit}）")
    matches = [label for label in factor["options"] if (band := parse_band(label)) and band.contains(value)]
    if len(matches) != 1:
        where = "没有对应的选项" if not matches else f"同时落在{'、'.join(matches)}"
        raise FactorFormatError(f"“{name}”为 {value}{unit}，{where}，请直接选择选项")
    return matches[0]


def overlapping(a: Conditions, b: Conditions) -> bool:
    """Whether some full set of answers satisfies both rows (every factor they share has the same option)."""
    mine = dict(a)
    return all(mine.get(factor, option) == option for factor, option in b)

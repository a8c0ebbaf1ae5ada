"""Fines as benchmark tables write them, read into numbers: ranges, fixed amounts and multiples of a base.

``parse_fine`` reads one cell of a table's 罚款/处罚标准 column — ``2万元以上4万元以下``, ``1万元以下``, ``5000元``,
``违法所得1倍以上3倍以下``, ``没收违法所得，并处所收费用3倍以上3.5倍以下罚款``, ``给予警告，可以并处2500元以下罚款`` —
into a :class:`Fine` in yuan (``Decimal``; numbers may be written in Chinese numerals, converted by ``core.money``),
plus the penalty kinds the cell names (警告、没收违法所得…). Anything it cannot read exactly is an error with a
Chinese message, never a guess: a legal amount read wrongly is worse than one not read.

Bounds follow the usual reading of benchmark tables (e.g. 粤环发〔2021〕7号 第二十三条: “以上”包括本数, “以下”不包括
本数); the calculator shows both bounds and the table's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from fazhi.core.identifiers import nfkc
from fazhi.core.money import amounts_in_text
from fazhi.publicity.choices import PenaltyKind
from fazhi.publicity.validation import penalty_kinds, penalty_kinds_message

from .choices import FineKind

TEN_THOUSAND = Decimal(10_000)
NO_FINE_WORDS = frozenset({"", "不罚款", "无", "不予罚款", "不予处罚", "—", "-", "/", "／", "——"})

_NUM = r"[0-9][0-9,]*(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+"
_AMOUNT = rf"(?:{_NUM})(?:万元|万|元)"
_MULT = r"[0-9]+(?:\.[0-9]+)?"
_RANGE_SEP = r"(?:至|到|~|～|-|—|－)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("range", re.compile(rf"(?P<lo>{_AMOUNT})以上(?P<hi>{_AMOUNT})以下")),
    ("range", re.compile(rf"(?P<lo>{_AMOUNT}){_RANGE_SEP}(?P<hi>{_AMOUNT})")),
    ("upto", re.compile(rf"(?P<hi>{_AMOUNT})以下")),
    ("from", re.compile(rf"(?P<lo>{_AMOUNT})以上")),
    ("fixed", re.compile(rf"(?P<lo>{_AMOUNT})")),
    ("multiple", re.compile(rf"(?P<base>[^0-9]+?)的?(?P<lo>{_MULT})倍以上(?P<hi>{_MULT})倍(?:以下)?")),
    ("multiple", re.compile(rf"(?P<base>[^0-9]+?)的?(?P<lo>{_MULT}){_RANGE_SEP}(?P<hi>{_MULT})倍")),
    ("multiple_upto", re.compile(rf"(?P<base>[^0-9]+?)的?(?P<hi>{_MULT})倍以下")),
    ("multiple_fixed", re.compile(rf"(?P<base>[^0-9]+?)的?(?P<lo>{_MULT})倍")),
]
# Words naming other penalty kinds, removed before the fine itself is read (longest first).
_KIND_WORDS: list[tuple[str, PenaltyKind]] = [
    ("给予警告", PenaltyKind.WARNING),
    ("没收违法所得", PenaltyKind.CONFISCATE_INCOME),
    ("没收非法财物", PenaltyKind.CONFISCATE_PROPERTY),
    ("通报批评", PenaltyKind.CRITICISM),
    ("警告", PenaltyKind.WARNING),
]
_CONNECTORS = re.compile(r"^(?:可以并处|可并处|并处|处以|处|予以|按)+")
_TRAILING = re.compile(r"(?:的罚款|罚款|的)+$")
_PUNCT = re.compile(r"[，,；;、。．]+")
_SPACE = re.compile(r"\s+")
_BASE_PREFIX = re.compile(r"^(?:可以并处|可并处|并处|处以|处|按)+")


class FineFormatError(ValueError):
    """A fine or penalty-kind cell that cannot be read exactly; ``str(exc)`` is the Chinese message."""


@dataclass(frozen=True, slots=True)
class Fine:
    """A fine in yuan. RANGE: ``minimum``–``maximum`` (``maximum`` None: no upper limit stated); FIXED: both equal;
    MULTIPLE: ``base`` × ``multiple_min``–``multiple_max``; NONE: no fine. ``kinds``: penalty kinds the text names
    (罚款 included whenever there is a fine)."""

    kind: str = FineKind.NONE
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    base: str = ""
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    kinds: tuple[str, ...] = ()


def _yuan(text: str) -> Decimal:
    """``2万元`` / ``2万`` / ``5,000元`` / ``五万元`` in yuan, through ``core.money`` (which reads Chinese numerals)."""
    number = re.sub(r"(?:万元|万|元)$", "", text)
    unit = "万元" if text.endswith(("万元", "万")) else "元"
    found = amounts_in_text(f"{number}{unit}")
    if len(found) != 1:
        raise FineFormatError(f"金额“{text}”无法识别")
    return _clean(found[0].amount_wan * TEN_THOUSAND)


def _clean(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def parse_fine(raw: object) -> Fine:
    """Read a fine cell (see the module docstring). Raises :class:`FineFormatError` with a Chinese message."""
    text = _PUNCT.sub("，", _SPACE.sub("", nfkc(str(raw or "")))).strip("，")
    if text.replace("，", "") in NO_FINE_WORDS:
        return Fine()
    kinds: list[str] = []
    rest = text
    for word, kind in _KIND_WORDS:
        if word in rest:
            rest = rest.replace(word, "，")
            if kind.value not in kinds:
                kinds.append(kind.value)
    pieces = [p for p in (_TRAILING.sub("", _CONNECTORS.sub("", p)) for p in rest.split("，")) if p]
    if not pieces:
        return Fine(kinds=tuple(kinds))
    if len(pieces) > 1:
        raise _unreadable(raw, "一格中写了多个罚款数额")
    fine = _read_amounts(pieces[0], raw)
    kinds.append(PenaltyKind.FINE.value)
    return Fine(
        kind=fine.kind,
        minimum=fine.minimum,
        maximum=fine.maximum,
        base=fine.base,
        multiple_min=fine.multiple_min,
        multiple_max=fine.multiple_max,
        kinds=tuple(dict.fromkeys(kinds)),
    )


def _read_amounts(text: str, raw: object) -> Fine:
    for shape, pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = match.groupdict()
        if shape.startswith("multiple"):
            base = _BASE_PREFIX.sub("", groups["base"]).removesuffix("的")
            if not base or re.search(r"[0-9]", base):
                raise _unreadable(raw, "倍数罚款应写明基数，如“违法所得1倍以上3倍以下”")
            low = Decimal(groups["lo"]) if groups.get("lo") else Decimal(0)
            high = Decimal(groups["hi"]) if groups.get("hi") else low
            _check_order(low, high, raw)
            return Fine(kind=FineKind.MULTIPLE, base=base, multiple_min=_clean(low), multiple_max=_clean(high))
        least = _yuan(groups["lo"]) if groups.get("lo") else Decimal(0)
        if shape == "fixed":
            return Fine(kind=FineKind.FIXED, minimum=least, maximum=least)
        most = _yuan(groups["hi"]) if groups.get("hi") else None
        if most is not None:
            _check_order(least, most, raw)
        return Fine(kind=FineKind.RANGE, minimum=least, maximum=most)
    raise _unreadable(raw)


def _check_order(low: Decimal, high: Decimal, raw: object) -> None:
    if low > high:
        raise FineFormatError(f"罚款“{raw}”的下限大于上限")


def _unreadable(raw: object, why: str = "") -> FineFormatError:
    reason = f"（{why}）" if why else ""
    return FineFormatError(
        f"无法识别罚款“{raw}”{reason}：请写成“2万元以上4万元以下”“1万元以下”“5000元”“违法所得1倍以上3倍以下”"
        "或“不罚款”，一格只写一个数额"
    )


def parse_penalty_kinds(raw: object) -> list[str]:
    """The penalty kinds of a 处罚种类 cell (``警告、罚款``), as ``PenaltyKind`` values, in the order written — read
    the way 双公示 rows are (``publicity.validation.penalty_kinds``)."""
    found, unknown = penalty_kinds(raw)
    if unknown:
        raise FineFormatError(penalty_kinds_message("处罚种类", unknown))
    return found


def kind_labels(kinds: list[str] | tuple[str, ...]) -> str:
    return "、".join(str(PenaltyKind(k).label) for k in kinds if k in PenaltyKind.values)


def format_yuan(amount: Decimal | None) -> str:
    """``20000`` → ``2万元``, ``25000`` → ``2.5万元``, ``3500`` → ``3,500元``, ``1234.5`` → ``1,234.50元``."""
    if amount is None:
        return "不限"
    if amount >= TEN_THOUSAND and amount % 100 == 0:
        return f"{_clean(amount / TEN_THOUSAND)}万元"
    if amount == amount.to_integral_value():
        return f"{int(amount):,}元"
    return f"{amount.quantize(Decimal('0.01')):,}元"


def format_range(minimum: Decimal | None, maximum: Decimal | None) -> str:
    """A fine range in words: ``2万元至4万元``, ``5万元`` (fixed), ``1万元以下``, ``10万元以上``."""
    if minimum is not None and maximum is not None and minimum == maximum:
        return format_yuan(minimum)
    if maximum is None:
        return f"{format_yuan(minimum)}以上"
    if not minimum:
        return f"{format_yuan(maximum)}以下"
    return f"{format_yuan(minimum)}至{format_yuan(maximum)}"


def format_multiple(base: str, low: Decimal | None, high: Decimal | None) -> str:
    """``违法所得的1倍至3倍`` / ``所收费用的5倍``."""
    if low is not None and high is not None and low == high:
        return f"{base}的{_clean(low)}倍"
    if not low:
        return f"{base}的{_clean(high or Decimal(0))}倍以下"
    return f"{base}的{_clean(low)}倍至{_clean(high or low)}倍"


def describe_fine(
    kind: str,
    minimum: Decimal | None,
    maximum: Decimal | None,
    base: str = "",
    multiple_min: Decimal | None = None,
    multiple_max: Decimal | None = None,
) -> str:
    """A stored fine in words: ``2万元至4万元``, ``5万元``, ``违法所得的1倍至3倍``, ``不罚款``."""
    if kind == FineKind.MULTIPLE:
        return format_multiple(base, multiple_min, multiple_max)
    if kind in (FineKind.RANGE, FineKind.FIXED):
        return format_range(minimum, maximum)
    return "不罚款"

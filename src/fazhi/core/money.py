"""Money in 双公示 records: amounts in 万元, and the amounts written in the free text of a decision.

The 2019/2021 双公示 standard keeps 罚款金额 (``CF_NR_FK``) and 没收违法所得、没收非法财物的金额 (``CF_NR_WFFF``) in
**万元** (10,000 yuan) as decimals with up to 6 places (``decimal(18,6)``; a 2,000 元 fine is ``0.2``, DOMAIN §1.2,
§1.5). Everything here is :class:`decimal.Decimal` — never ``float`` — so 元 → 万元 conversion is exact.

:func:`parse_amount` reads one amount cell; :func:`amounts_in_text` finds the amounts in 处罚内容/处罚结果 text such
as ``罚款16万元；按日连续处罚118.68万元。`` or ``处罚款人民币贰万元整``, and :func:`fine_total_in_text` adds up the
fines so the ingest can cross-check the 罚款金额（万元） column against the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from .errors import FieldError, ValidationFailed
from .identifiers import nfkc

MoneyKind = Literal["fine", "confiscation", "daily_fine", "other"]
UNITS = ("万元", "元")
"""Units :func:`parse_amount` reads."""

MAX_WAN = Decimal(100_000_000)
"""Largest amount accepted, in 万元 (1 万亿元): anything larger is a typo or a unit mix-up."""
PLACES = 6
"""Decimal places kept in 万元 (the standard's ``decimal(18,6)``, i.e. 0.01 元)."""

_TEN_THOUSAND = Decimal(10_000)
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00a0\u3000]+")
_PLAIN = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+")
_SUFFIX = re.compile(r"(万元|元)$")
_CURRENCY_PREFIX = re.compile(r"^(?:人民币|RMB|CNY|¥|￥)")

# Length-preserving folding for free text (so match offsets still point into the original): full-width digits and
# the full-width decimal point.
_TEXT_FOLD = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": "."})

_CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2, "三": 3, "叁": 3, "參": 3, "叄": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_TENS = {"十", "拾"}
_CN_WAN = {"万", "萬"}
_CN_YI = {"亿", "億"}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL_UNITS) + "万萬亿億"
_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_AMOUNT = re.compile(rf"(?P<num>(?:{_ARABIC}|[{_CN_CHARS}])+)\s*元(?P<zheng>整)?")
_ARABIC_ONLY = re.compile(_ARABIC)
_TOKEN = re.compile(rf"{_ARABIC}|.", re.DOTALL)
_KEYWORD = re.compile(r"按日连续处罚|按日计罚|按日处罚|没收|罚款|罚金|并处|处以|处罚")
_KEYWORD_KIND: dict[str, MoneyKind] = {
    "按日连续处罚": "daily_fine",
    "按日计罚": "daily_fine",
    "按日处罚": "daily_fine",
    "没收": "confiscation",
    "罚款": "fine",
    "罚金": "fine",
    "并处": "fine",  # 并处3万元（罚款）
    "处以": "fine",
    "处罚": "fine",  # 处罚174万元
}
_FINE_AFTER = re.compile(r"\s*(?:的)?(?:罚款|罚金)")
_CONFISCATION_AFTER = re.compile(r"\s*(?:予以|依法|全部|均予)没收")  # 违法所得3200元予以没收
# A bound of a range (5万元以上10万元以下) is not an amount imposed.
_RANGE_AFTER = re.compile(r"\s*(?:以上|以下|至|到|－|-|—|~|～)")
_RANGE_BEFORE = re.compile(r"\s*(?:以上|至|到|－|-|—|~|～)\s*")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_LIST_GLUE = re.compile(r"[、,，和及与\s]*")
_RESTATEMENT = re.compile(r"\s*[(（\[【]\s*(?:大写|小写)?\s*[:：]?\s*(?:人民币)?\s*")


@dataclass(frozen=True, slots=True)
class Money:
    """One amount found in free text: ``amount_wan`` in 万元, what ``kind`` of amount the text says it is, and the
    matched ``text`` (number and unit, exactly as written)."""

    amount_wan: Decimal
    kind: MoneyKind
    text: str


def _clean(value: Decimal) -> Decimal:
    """Same number, without trailing zeros and never in exponent form (``0.2000`` → ``0.2``, ``2E+3`` → ``2000``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _fail(field_name: str, code: str, message: str) -> ValidationFailed:
    return ValidationFailed(FieldError(field_name, code, message))


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def parse_amount(raw: object, *, unit: str = "万元", field_name: str = "amount_wan") -> Decimal:
    """Read one amount cell and return it in **万元**.

    ``unit`` is the unit the cell is written in: ``"万元"`` (the 双公示 columns) or ``"元"`` (converted exactly:
    ``2000`` 元 → ``0.2``); any other unit is a coded error (``amount_unit``), so a unit read from a file's
    settings can be passed as it is. Accepts ``Decimal``, ``int``, ``float`` (spreadsheet cells; read by their shortest
    decimal form, and binary noise such as ``0.30000000000000004`` rounded to 6 places) and text: ``"2000"``,
    ``"2,000"``, ``"２０００"``, ``"  1.5 "``, optionally with the cell's own unit written after it (``"0.2万元"``
    when ``unit="万元"``) or ``人民币``/``¥`` before it.

    Rejects, with :class:`ValidationFailed`: empty (``required``), negative amounts (``amount_negative``), text that
    is not a plain number — including Chinese numerals, ranges and a unit other than ``unit`` (``amount_format``,
    ``amount_unit``) — more than 6 decimal places in 万元 (``amount_precision``: finer than 0.01 元) and amounts over
    1 亿万元 (``amount_too_large``).
    """
    if unit not in UNITS:
        raise _fail(field_name, "amount_unit", f"金额单位只能是“万元”或“元”，实际为“{unit}”")
    if raw is None:
        raise _fail(field_name, "required", "请填写金额")
    shown = str(raw).strip() if not isinstance(raw, float) else repr(raw)
    value: Decimal
    if isinstance(raw, bool):
        raise _fail(field_name, "amount_format", "金额不能是布尔值，请填写数字，如 0.2")
    if isinstance(raw, Decimal | int):
        value = Decimal(raw)
        if not value.is_finite():
            raise _fail(field_name, "amount_format", f"金额“{shown}”不是数字")
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise _fail(field_name, "amount_format", f"金额“{shown}”不是数字")
        value = Decimal(repr(raw))
        if _places(value) > PLACES:
            rounded = value.quantize(Decimal(1).scaleb(-PLACES))
            if abs(rounded - value) < Decimal("1e-9"):
                value = rounded  # binary noise from a spreadsheet formula
    elif isinstance(raw, str):
        value = _parse_text(raw, shown, unit, field_name)
    else:
        raise _fail(field_name, "amount_format", f"无法把 {type(raw).__name__} 类型的值读作金额，请填写数字")
    if value.is_zero():
        value = Decimal(0)  # also "-0"
    elif value < 0:
        raise _fail(field_name, "amount_negative", f"金额不能为负数：{shown}")
    wan = value.scaleb(-4) if unit == "元" else value
    if wan > MAX_WAN:
        raise _fail(
            field_name,
            "amount_too_large",
            f"金额 {shown} {unit}超过 1 亿万元（1 万亿元），请检查单位是否填错（本栏以{unit}为单位）",
        )
    if _places(wan) > PLACES:
        raise _fail(
            field_name,
            "amount_precision",
            f"金额 {shown} {unit}的小数位过多：以万元计最多保留 6 位小数（即精确到 0.01 元）",
        )
    return _clean(wan)


def _parse_text(raw: str, shown: str, unit: str, field_name: str) -> Decimal:
    text = _INVISIBLE.sub("", nfkc(raw))
    if not text:
        raise _fail(field_name, "required", "请填写金额")
    text = _CURRENCY_PREFIX.sub("", text)
    suffix = _SUFFIX.search(text)
    if suffix:
        if suffix[1] != unit:
            example = "2000元 = 0.2万元" if unit == "万元" else "0.2万元 = 2000元"
            raise _fail(
                field_name,
                "amount_unit",
                f"金额“{shown}”的单位是{suffix[1]}，但本栏以{unit}为单位，请换算后填写数字（{example}）",
            )
        text = text[: suffix.start()]
    negative = text.startswith(("-", "−"))
    body = text[1:] if negative or text.startswith("+") else text
    if not _PLAIN.fullmatch(body):
        raise _fail(
            field_name,
            "amount_format",
            f"金额“{shown}”不是数字：请只填写阿拉伯数字（可带小数点和千位分隔符），如 2000 或 0.2",
        )
    try:
        value = Decimal(body.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern above only lets numbers through
        raise _fail(field_name, "amount_format", f"金额“{shown}”不是数字") from None
    return -value if negative else value


def _chinese_number(text: str) -> Decimal | None:
    """Value of a number written with Chinese numerals (小写 or 大写), Arabic digits or a mix: ``贰万``, ``一千零五``,
    ``二〇〇〇``, ``1.5万``, ``3千``, ``一亿二千万``. None when it is not a well-formed number (e.g. ``万`` alone)."""
    if _ARABIC_ONLY.fullmatch(text):  # fast paths: 15000 and 118.68万
        return Decimal(text.replace(",", ""))
    if text[-1] in _CN_WAN and _ARABIC_ONLY.fullmatch(text, 0, len(text) - 1):
        return Decimal(text[:-1].replace(",", "")) * _TEN_THOUSAND
    total = Decimal(0)  # completed 亿 groups
    wan = Decimal(0)  # completed 万 groups below the current 亿
    small = Decimal(0)  # below the current 万
    current: Decimal | None = None  # the digit(s) not yet multiplied by a unit
    arabic = False  # current came from Arabic digits (no positional Chinese digits may follow)
    seen_digit = False
    for token in _TOKEN.findall(text):
        if "0" <= token[0] <= "9":
            if current is not None:
                return None
            current = Decimal(token.replace(",", ""))
            arabic = seen_digit = True
        elif token in _CN_DIGITS:
            digit = _CN_DIGITS[token]
            if current is None:
                current = Decimal(digit)
            elif arabic:
                return None
            else:
                current = current * 10 + digit  # 二〇〇〇 written digit by digit
            seen_digit = True
        elif token in _CN_SMALL_UNITS:
            if current is None and not (token in _TENS and small == 0):  # 十五 = 15, but not 百 alone
                return None
            small += (current if current is not None else Decimal(1)) * _CN_SMALL_UNITS[token]
            current, arabic, seen_digit = None, False, True
        elif token in _CN_WAN:
            group = small + (current or 0)
            if group == 0 and current is None:
                return None
            wan += group * _TEN_THOUSAND
            small, current, arabic = Decimal(0), None, False
        elif token in _CN_YI:
            group = wan + small + (current or 0)
            if group == 0 and current is None:
                return None
            total += group * Decimal(100_000_000)
            wan, small, current, arabic = Decimal(0), Decimal(0), None, False
        else:
            return None
    if not seen_digit:
        return None
    return total + wan + small + (current or 0)


def _kind_before(context: str) -> MoneyKind | None:
    """The kind named by the last penalty word in ``context`` (None when there is none)."""
    last = None
    for match in _KEYWORD.finditer(context):
        last = match[0]
    return None if last is None else _KEYWORD_KIND[last]


def amounts_in_text(text: str | None) -> list[Money]:
    """Find the money amounts in free text (处罚内容 / 处罚结果 / 处罚决定), converted to 万元.

    Understands Arabic numbers (``16万元``, ``118.68万元``, ``15000元``, ``1,000元``, full-width digits), Chinese
    numerals in 小写 and 大写 (``贰万元整``, ``伍仟元``, ``一千零五元``, ``两万元``, ``二〇〇〇元``) and mixed forms
    (``1.5万元``, ``3千元``). The kind comes from the nearest penalty word before the amount in the same sentence,
    or from the word right after it: ``罚款``/``罚金``/``处罚`` → ``"fine"``, ``按日连续处罚`` → ``"daily_fine"``,
    ``没收`` → ``"confiscation"`` (``没收违法所得3200元并处罚款1万元`` gives both), ``处以3万元罚款`` → ``"fine"``;
    an amount that continues a list (``罚款1万元、2万元``) takes the kind of the one before; anything else is
    ``"other"``. A restatement in brackets (``10000元（壹万元整）``) is not counted twice.

    Never raises; returns ``[]`` for empty or non-text input.
    """
    if not text or not isinstance(text, str):
        return []
    folded = text.translate(_TEXT_FOLD)
    found: list[Money] = []
    previous_end = 0
    previous: Money | None = None
    for match in _AMOUNT.finditer(folded):
        number = _chinese_number(match["num"])
        if number is None:
            continue
        amount = _clean(number.scaleb(-4))
        between = folded[previous_end : match.start()]
        if previous is not None and amount == previous.amount_wan and _RESTATEMENT.fullmatch(between):
            previous_end = match.end()
            continue  # 10000元（大写：壹万元整）
        sentence_start = 0
        for end in _SENTENCE_END.finditer(between):
            sentence_start = end.end()
        context = between[sentence_start:]
        kind: MoneyKind | None
        if _RANGE_AFTER.match(folded, match.end()) or (previous is not None and _RANGE_BEFORE.fullmatch(between)):
            kind = "other"
        else:
            kind = _kind_before(context)
            if kind is None and _FINE_AFTER.match(folded, match.end()):
                kind = "fine"
            elif kind is None and _CONFISCATION_AFTER.match(folded, match.end()):
                kind = "confiscation"
            elif kind is None and previous is not None and sentence_start == 0 and _LIST_GLUE.fullmatch(context):
                kind = previous.kind
        money = Money(amount, kind or "other", text[match.start() : match.end()])
        found.append(money)
        previous, previous_end = money, match.end()
    return found


def fine_total_in_text(text: str | None) -> Decimal | None:
    """Total of the fines in free text, in 万元: ``罚款`` and ``按日连续处罚`` amounts count, ``没收`` and other
    amounts do not (``罚款16万元；按日连续处罚118.68万元。`` → ``134.68``). ``None`` when the text names no fine, so
    the caller can tell "no amount written" from "0"."""
    fines = [m.amount_wan for m in amounts_in_text(text) if m.kind in ("fine", "daily_fine")]
    if not fines:
        return None
    return _clean(sum(fines, Decimal(0)))

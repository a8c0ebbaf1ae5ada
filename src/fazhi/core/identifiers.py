"""Identifier normalisation and checks shared by every module.

Covers the codes a 双公示 row can carry for its 行政相对人 and its agencies:

* 统一社会信用代码 (GB 32100-2015), with its embedded 组织机构代码 (GB 11714-1997);
* 组织机构代码 on its own (GB 11714-1997);
* 工商注册号 (GS15-2006, check digit per GB/T 17710 = ISO 7064 MOD 11,10);
* 居民身份证号码 (GB 11643-1999, check character per ISO 7064 MOD 11-2).

Every ``check_*`` function normalises only what is safe — full-width characters (NFKC), case, embedded spaces and
zero-width characters, and for organisation codes the hyphen of the written form — and reports it as a warning
(``Checked.warnings``, code ``*_normalised``); anything else raises :class:`fazhi.core.errors.ValidationFailed`
with a stable code and a Chinese message that says what is wrong and what the right form is. No other exception
escapes, whatever the input (the ingest calls these for every row of files with millions of rows).

Messages about 居民身份证号码 never repeat the number itself (it is personal information, and messages end up in
logs and import reports); use :func:`mask_id_number` where a number has to be shown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import mul
from typing import Literal
from zoneinfo import ZoneInfo

from .errors import FieldError, ValidationFailed

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00a0\u3000]+")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_VALUES = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")
# Byte tables turning ASCII characters into their code values, so checksums are one C-level pass.
_USCC_TABLE = bytes.maketrans(USCC_ALPHABET.encode(), bytes(range(len(USCC_ALPHABET))))
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_TABLE = bytes.maketrans(_ORG_ALPHABET.encode(), bytes(range(len(_ORG_ALPHABET))))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_WEIGHT_SUM = sum(_ID_WEIGHTS)
_ID_CHECK = "10X98765432"
_ID_EARLIEST_BIRTH = date(1880, 1, 1)
_DASHES = "-‐‑‒–—―−"
_ORG_SHAPE = re.compile(r"[0-9A-Z]{8}[0-9X]")
_ID18_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?E\+?[0-9]+")
# Letters GB 32100 leaves out because they look like digits; OCR and typists put them in anyway.
_CONFUSABLE = {"I": "1", "O": "0", "Z": "2", "S": "5"}
_SHANGHAI = ZoneInfo("Asia/Shanghai")

PartyCodeKind = Literal["uscc", "org_code", "registration_number", "resident_id", "unknown"]


@dataclass
class Checked:
    value: str
    warnings: list[FieldError] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Kind:
    code: str  # prefix of error codes, e.g. "uscc"
    name: str  # Chinese name used in messages
    personal: bool = False  # True: never echo the value in a message


_USCC = _Kind("uscc", "统一社会信用代码")
_ORG = _Kind("org_code", "组织机构代码")
_REG = _Kind("registration_number", "工商注册号")
_RID = _Kind("id_number", "居民身份证号码", personal=True)


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, skipping the (slow) normalisation when the quick check says the text
    is already normalised — the common case for the millions of values the ingest folds."""
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def fold(text: str) -> str:
    """Full-width to half-width (NFKC), invisible characters and spaces removed."""
    return _INVISIBLE.sub("", nfkc(text))


def _digits(text: str) -> bool:
    """True for a non-empty string of ASCII digits (``str.isdigit`` also accepts ², ٣ and other digits)."""
    return text.isascii() and text.isdigit()


def _today() -> date:
    return datetime.now(_SHANGHAI).date()


def _fail(field_name: str, code: str, message: str) -> ValidationFailed:
    return ValidationFailed(FieldError(field_name, code, message))


def _prepare(raw: object, field_name: str, kind: _Kind, *, hyphen_at: int | None = None) -> Checked:
    """Turn ``raw`` into the folded upper-case text to check, with a warning if anything had to change.

    Accepts text, ``None`` (= empty) and whole numbers (spreadsheets hand digit-only codes over as numbers);
    anything else is rejected with ``<kind>_type``. ``hyphen_at``: drop a dash at this position (the written form
    ``66312847-8`` of an organisation code).
    """
    if raw is None:
        return Checked("")
    if isinstance(raw, str):
        original = raw
    elif isinstance(raw, int) and not isinstance(raw, bool):
        original = str(raw)
    elif isinstance(raw, float) and raw.is_integer() and 0 <= raw < 2**53:
        original = str(int(raw))
    else:
        raise _fail(
            field_name,
            f"{kind.code}_type",
            f"{kind.name}应为文本，实际为{type(raw).__name__}类型的值；"
            "如数据来自 Excel，请先把该列设为“文本”格式再录入或导出",
        )
    stripped = original.strip()
    if stripped.isascii() and stripped.isalnum() and stripped == stripped.upper():
        return Checked(stripped)  # the common case: nothing to normalise
    normalised = nfkc(stripped)
    folded = _INVISIBLE.sub("", normalised)
    value = folded.upper()
    kinds = []
    if normalised != stripped:
        kinds.append("全角字符改为半角")
    if folded != normalised:
        kinds.append("去掉空格和不可见字符")
    if value != folded:
        kinds.append("小写字母改为大写")
    if hyphen_at is not None and len(value) == hyphen_at + 2 and value[hyphen_at] in _DASHES:
        value = value[:hyphen_at] + value[hyphen_at + 1 :]
        kinds.append("去掉校验码前的连字符")
    checked = Checked(value)
    if kinds:
        shown = "" if kind.personal else f"：“{stripped}” → “{value}”"
        checked.warnings.append(
            FieldError(field_name, f"{kind.code}_normalised", f"{kind.name}已规范化（{'、'.join(kinds)}）{shown}")
        )
    return checked


def _reject_scientific(value: str, field_name: str, kind: _Kind) -> None:
    if "E" in value and _SCIENTIFIC.fullmatch(value):
        raise _fail(
            field_name,
            f"{kind.code}_scientific_notation",
            f"{kind.name}被写成了科学计数法（{'' if kind.personal else value + '，'}Excel 把长数字当作数值），"
            "原号码的后几位已经丢失；请把单元格设为“文本”格式后重新录入完整号码",
        )


# --- 组织机构代码 (GB 11714-1997) ---------------------------------------------------------------------------


def org_code_check_char(body: str) -> str | None:
    """GB 11714 check character for the 8-character body of an organisation code (None if not computable)."""
    total = 0
    for ch, weight in zip(body, _ORG_WEIGHTS, strict=True):
        if "0" <= ch <= "9":
            value = ord(ch) - 48
        elif "A" <= ch <= "Z":
            value = ord(ch) - 55
        else:
            return None
        total += value * weight
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _org_check_fast(body: str) -> str:
    """:func:`org_code_check_char` for a body already known to be 8 characters of 0-9/A-Z."""
    total = sum(map(mul, body.encode("ascii").translate(_ORG_TABLE), _ORG_WEIGHTS))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def check_org_code(raw: object, *, field_name: str = "org_code") -> Checked:
    """Validate a 组织机构代码 (GB 11714-1997): 8 body characters (digits or A–Z) and a check character (0–9 or X).

    The written form with a hyphen before the check character (``66312847-8``, as printed on the old
    组织机构代码证) is accepted and normalised to ``663128478`` with an ``org_code_normalised`` warning. An 18-character
    统一社会信用代码 put in this column is rejected with ``org_code_is_uscc``, naming the organisation code it contains.

    Real official lists put credit codes and registration numbers in this column (84 and 1 of 420 values in
    ``gansu_credit_blacklist_91855_ecommerce.csv``); both get their own code so the ingest can move them.

    Error codes: ``required``, ``org_code_type``, ``org_code_scientific_notation``, ``org_code_is_uscc``,
    ``org_code_is_registration_number``, ``org_code_length``, ``org_code_charset``, ``org_code_placeholder``,
    ``org_code_checksum``.
    """
    checked = _prepare(raw, field_name, _ORG, hyphen_at=8)
    value = checked.value
    if not value:
        raise _fail(field_name, "required", "请填写组织机构代码")
    _reject_scientific(value, field_name, _ORG)
    if len(value) == 18 and _uscc_is_valid(value):
        raise _fail(
            field_name,
            "org_code_is_uscc",
            f"这是 18 位统一社会信用代码，不是 9 位组织机构代码；其中第 9–17 位 {value[8:17]} 即组织机构代码",
        )
    if len(value) == 15 and _digits(value) and registration_number_check_digit(value[:14]) == value[14]:
        raise _fail(
            field_name,
            "org_code_is_registration_number",
            f"{value} 是 15 位工商注册号，不是 9 位组织机构代码；请填入“工商注册号”栏",
        )
    if len(value) != 9:
        raise _fail(
            field_name,
            "org_code_length",
            f"组织机构代码应为 9 位（8 位本体代码 + 1 位校验码，如 66312847-8），实际为 {len(value)} 位",
        )
    if not _ORG_SHAPE.fullmatch(value):
        bad = "、".join(sorted({c for c in value if not ("0" <= c <= "9" or "A" <= c <= "Z")})) or value[8]
        raise _fail(
            field_name,
            "org_code_charset",
            f"组织机构代码含有不允许的字符：{bad}（前 8 位为数字或大写字母，第 9 位校验码为数字或 X）",
        )
    if value[:8] == "00000000":
        raise _fail(field_name, "org_code_placeholder", "组织机构代码不能是全 0 的占位值，请填写真实代码")
    expected = _org_check_fast(value[:8])
    if value[8] != expected:
        raise _fail(
            field_name,
            "org_code_checksum",
            f"组织机构代码校验码错误：第 9 位应为 {expected}，实际为 {value[8]}（GB 11714），请与证照核对",
        )
    return checked


# --- 统一社会信用代码 (GB 32100-2015) ------------------------------------------------------------------------


def uscc_check_char(body: str) -> str:
    """GB 32100-2015 check character (ISO 7064 MOD 31-3) for the first 17 characters of a 统一社会信用代码.

    ``body`` must be 17 characters of :data:`USCC_ALPHABET` (callers check first: other characters give a wrong
    result or ``UnicodeEncodeError``).
    """
    total = sum(map(mul, body.encode("ascii").translate(_USCC_TABLE), _USCC_WEIGHTS))
    return USCC_ALPHABET[-total % 31]


def _uscc_is_valid(value: str) -> bool:
    """True when an 18-character upper-case value passes every check of :func:`check_uscc`."""
    if not _USCC_SHAPE.fullmatch(value):
        return False
    if uscc_check_char(value[:17]) != value[17]:
        return False
    return _org_check_fast(value[8:16]) == value[16]


def _uscc_length_error(value: str, field_name: str) -> ValidationFailed:
    n = len(value)
    org = value[:8] + value[9] if n == 10 and value[8] in _DASHES else value
    if len(org) == 9 and _ORG_SHAPE.fullmatch(org) and _org_check_fast(org[:8]) == org[8]:
        return _fail(
            field_name,
            "uscc_is_org_code",
            f"{value} 是 9 位组织机构代码（GB 11714），不是 18 位统一社会信用代码；"
            "请填写统一社会信用代码，组织机构代码请填入“组织机构代码”栏",
        )
    if n == 15 and _digits(value) and registration_number_check_digit(value[:14]) == value[14]:
        return _fail(
            field_name,
            "uscc_is_registration_number",
            f"{value} 是 15 位工商注册号，不是 18 位统一社会信用代码；"
            "请填写统一社会信用代码，工商注册号请填入“工商注册号”栏",
        )
    message = f"统一社会信用代码应为 18 位，实际为 {n} 位"
    if n == 17:
        message += "，少了 1 位（可能漏录了中间或末尾的某一位），请对照营业执照等证照原件补全"
    elif n > 18:
        message += f"，多了 {n - 18} 位，请删去多余的字符"
    elif len(org) == 9 and _ORG_SHAPE.fullmatch(org):
        message += "（9 位的是组织机构代码，但它的校验码也不对）"
    elif n in (13, 15) and _digits(value):
        message += "（像是工商注册号，但校验位不对）" if n == 15 else "（像是 13 位旧工商注册号）"
    bad = sorted({c for c in value if c not in _USCC_VALUES and c not in _DASHES})
    if bad:
        message += f"；含有不允许的字符：{'、'.join(bad)}"
    return _fail(field_name, "uscc_length", message)


def check_uscc(raw: object, *, field_name: str = "uscc") -> Checked:
    """Validate a 统一社会信用代码 (GB 32100-2015) and its embedded organisation code (GB 11714).

    Accepts the 18-character code; spaces (also inside the code, as in OCR output), zero-width characters,
    full-width characters and lower-case letters are normalised with one ``uscc_normalised`` warning. The check
    character (position 18, ISO 7064 MOD 31-3) and the GB 11714 check character of the embedded organisation code
    (position 17) must be right — every one of the 2,200 real codes in ``shared/data/samples`` passes both.

    Raises :class:`fazhi.core.errors.ValidationFailed` with one of: ``required``, ``uscc_type``,
    ``uscc_scientific_notation``, ``uscc_is_org_code`` (a valid 9-character organisation code was given),
    ``uscc_is_registration_number`` (a valid 15-digit 工商注册号), ``uscc_length`` (says how many characters are
    missing or extra — real published lists contain 17-character codes), ``uscc_charset`` (names the characters,
    and for I/O/Z/S the digit they were probably meant to be), ``uscc_division``, ``uscc_placeholder``
    (``000000000000000000`` and similar), ``uscc_is_resident_id`` (an 18-digit 居民身份证号码), ``uscc_checksum``,
    ``uscc_org_code``.
    """
    checked = _prepare(raw, field_name, _USCC)
    value = checked.value
    if not value:
        raise _fail(field_name, "required", "请填写统一社会信用代码")
    _reject_scientific(value, field_name, _USCC)
    if len(value) != 18:
        raise _uscc_length_error(value, field_name)
    bad = [] if _USCC_SHAPE.fullmatch(value) else sorted({c for c in value if c not in _USCC_VALUES})
    if bad:
        hints = [f"{c} 可能是数字 {_CONFUSABLE[c]}" for c in bad if c in _CONFUSABLE]
        raise _fail(
            field_name,
            "uscc_charset",
            f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用 I、O、Z、S、V）"
            + (f"；{'，'.join(hints)}" if hints else ""),
        )
    if not _digits(value[2:8]):
        raise _fail(field_name, "uscc_division", "统一社会信用代码第 3–8 位应为行政区划代码（6 位数字）")
    if value[:17] == value[0] * 17:
        raise _fail(field_name, "uscc_placeholder", f"{value} 是占位值，不是真实的统一社会信用代码，请填写真实代码")
    expected = uscc_check_char(value[:17])
    if value[17] != expected:
        if _ID18_SHAPE.fullmatch(value) and _plausible_birth(value[6:14]) and _id_is_valid(value):
            raise _fail(
                field_name,
                "uscc_is_resident_id",
                "这是 18 位居民身份证号码，不是统一社会信用代码；自然人请填写在“证件号码”栏",
            )
        raise _fail(
            field_name,
            "uscc_checksum",
            f"统一社会信用代码校验位错误：末位应为 {expected}，实际为 {value[17]}",
        )
    org_check = _org_check_fast(value[8:16])
    if value[16] != org_check:
        raise _fail(
            field_name,
            "uscc_org_code",
            f"统一社会信用代码中的组织机构代码（第 9–17 位）校验位错误：第 17 位应为 {org_check}",
        )
    return checked


def make_uscc(prefix: str, division_code: str, body: str) -> str:
    """Build a valid code from a 2-character prefix, a 6-digit division code and an 8-character body."""
    org = body + (org_code_check_char(body) or "0")
    partial = f"{prefix}{division_code}{org}"
    return partial + uscc_check_char(partial)


# --- 工商注册号 (GS15-2006) -----------------------------------------------------------------------------------


def registration_number_check_digit(body: str) -> str:
    """Check digit of a 15-digit 工商注册号 for its 14-digit body: ISO 7064 MOD 11,10 (GB/T 17710), as GS15-2006
    (工商行政管理市场主体注册号编制规则, appendix A) prescribes. ``body`` must be digits."""
    product = 10
    for ch in body:
        product = (((product + ord(ch) - 48) % 10 or 10) * 2) % 11
    return str((11 - product) % 10)


def check_registration_number(raw: object, *, field_name: str = "registration_number") -> Checked:
    """Check a 工商注册号 (the pre-2015 business registration number, 双公示 field ``CF_XDR_GSZC``).

    Since GS15-2006 (in force 2007-07-01) the number is 15 digits: 6-digit code of the first registration
    authority, 8-digit sequence, and an ISO 7064 MOD 11,10 check digit (GB/T 17710).

    Strictness, decided from the real lists in ``shared/data/samples/gansu_credit_blacklist_*`` (official 信用甘肃
    publications): 545 of the 547 15-digit numbers there pass the check (e.g. 110105010247558, 330103000217276);
    152100000001602 and 220181020004532 do not, although they are real entries of an official list (numbers issued
    before GS15 and carried over). The field is legacy and optional and we cannot verify it elsewhere, so:

    * 15 digits with a wrong check digit: **accepted with a warning** ``registration_number_checksum``;
    * 13 digits (the common pre-2007 form, no check digit; 18 of the real numbers): **accepted with a warning**
      ``registration_number_legacy``;
    * anything else is rejected: ``required``, ``registration_number_type``,
      ``registration_number_scientific_notation``, ``registration_number_is_uscc``, ``registration_number_charset``,
      ``registration_number_length``.
    """
    checked = _prepare(raw, field_name, _REG)
    value = checked.value
    if not value:
        raise _fail(field_name, "required", "请填写工商注册号")
    _reject_scientific(value, field_name, _REG)
    if not _digits(value):
        if len(value) == 18 and _uscc_is_valid(value):
            raise _fail(
                field_name,
                "registration_number_is_uscc",
                f"{value} 是统一社会信用代码，不是工商注册号；请填入“统一社会信用代码”栏",
            )
        bad = "、".join(sorted({c for c in value if not "0" <= c <= "9"}))
        raise _fail(field_name, "registration_number_charset", f"工商注册号应全部为数字，含有：{bad}")
    if len(value) == 15:
        expected = registration_number_check_digit(value[:14])
        if value[14] != expected:
            checked.warnings.append(
                FieldError(
                    field_name,
                    "registration_number_checksum",
                    f"工商注册号 {value} 的校验位不符（GS15-2006，末位按计算应为 {expected}）；"
                    "2007 年前核发的号码可能如此，已保留原值，请与营业执照核对",
                )
            )
        return checked
    if len(value) == 13:
        checked.warnings.append(
            FieldError(
                field_name,
                "registration_number_legacy",
                f"工商注册号 {value} 为 13 位旧号码（GS15-2006 实施前核发，没有校验位），无法校验，已保留原值",
            )
        )
        return checked
    raise _fail(
        field_name,
        "registration_number_length",
        f"工商注册号应为 15 位数字（2007 年以前核发的旧号码为 13 位），实际为 {len(value)} 位",
    )


# --- 居民身份证号码 (GB 11643-1999) ---------------------------------------------------------------------------


def resident_id_check_char(body: str) -> str:
    """GB 11643-1999 check character (ISO 7064 MOD 11-2) for the first 17 digits of a 居民身份证号码."""
    total = sum(map(mul, body.encode("ascii"), _ID_WEIGHTS)) - 48 * _ID_WEIGHT_SUM  # ord("0") == 48
    return _ID_CHECK[total % 11]


def _id_is_valid(value: str) -> bool:
    return resident_id_check_char(value[:17]) == value[17]


def _birth_date(yyyymmdd: str) -> date | None:
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


def _check_birth_date(digits: str, field_name: str, today: date | None) -> None:
    birth = _birth_date(digits)
    if birth is None:
        raise _fail(
            field_name,
            "id_number_birth_date",
            f"居民身份证号码中的出生日期（第 7–14 位）不是有效日期：{digits[:4]} 年 {digits[4:6]} 月 {digits[6:8]} 日",
        )
    if birth < _ID_EARLIEST_BIRTH:
        raise _fail(field_name, "id_number_birth_date_range", "居民身份证号码中的出生日期早于 1880 年，请核对")
    if birth > (today or _today()):
        raise _fail(field_name, "id_number_birth_date_range", "居民身份证号码中的出生日期晚于今天，请核对")


def check_resident_id(raw: object, *, field_name: str = "id_number", today: date | None = None) -> Checked:
    """Validate a 居民身份证号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence and
    a check character (ISO 7064 MOD 11-2: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, Σ mod 11 → ``10X98765432``).

    The birth date must exist and lie between 1880-01-01 and ``today`` (default: today in Asia/Shanghai). The
    address code is deliberately *not* checked against division tables: people keep the code of the place where
    the card was first issued, which may since have been abolished (python-stdnum's ``cn.ric`` checks it and
    rejects real numbers). A lower-case ``x`` is normalised to ``X`` (warning ``id_number_normalised``).

    15-digit first-generation numbers (issued until 2004, birth year written with 2 digits, no check character)
    are **converted** to 18 digits the way GB 11643-1999 upgrading is done — insert ``19`` before the birth year
    and append the check character — and returned with the warning ``id_number_15_digit_converted``, so records
    about the same person match whichever form was filed.

    Errors: ``required``, ``id_number_type``, ``id_number_scientific_notation``, ``id_number_length``,
    ``id_number_charset``, ``id_number_birth_date``, ``id_number_birth_date_range``, ``id_number_checksum``.
    Messages never contain the number (personal information).
    """
    checked = _prepare(raw, field_name, _RID)
    value = checked.value
    if not value:
        raise _fail(field_name, "required", "请填写居民身份证号码")
    _reject_scientific(value, field_name, _RID)
    if len(value) == 15:
        if not _digits(value):
            raise _fail(field_name, "id_number_charset", "15 位旧身份证号码应全部为数字")
        _check_birth_date("19" + value[6:12], field_name, today)
        body = value[:6] + "19" + value[6:]
        checked.value = body + resident_id_check_char(body)
        checked.warnings.append(
            FieldError(
                field_name,
                "id_number_15_digit_converted",
                "15 位旧身份证号码已按 GB 11643-1999 换算为 18 位（出生年份前补“19”，末位补校验码），请与证件核对",
            )
        )
        return checked
    if len(value) != 18:
        raise _fail(
            field_name, "id_number_length", f"居民身份证号码应为 18 位（或 15 位旧号码），实际为 {len(value)} 位"
        )
    if not _ID18_SHAPE.fullmatch(value):
        raise _fail(field_name, "id_number_charset", "居民身份证号码前 17 位应为数字，末位为数字或 X")
    _check_birth_date(value[6:14], field_name, today)
    expected = resident_id_check_char(value[:17])
    if value[17] != expected:
        raise _fail(
            field_name,
            "id_number_checksum",
            f"居民身份证号码校验位错误：末位应为 {expected}，实际为 {value[17]}，请与证件核对",
        )
    return checked


def mask_id_number(value: str | None) -> str:
    """Mask an identity-document number for publication (个人信息保护法 §25; 行政处罚法 §50).

    18 characters (居民身份证号码): keep the first 6 (address code) and the last 4, so the birth date (positions
    7–14) is always hidden: ``110105********002X``. Other lengths (15-digit old IDs, passports, permits): keep the
    first 2 and last 2 — and for numbers shorter than 8 characters only what keeps at least half hidden (nothing
    for 3 characters or fewer), so a short number never shows more than it hides. Spaces and full-width
    characters are folded first so they cannot shift what is shown. Empty → ``""``.
    """
    if not value or not isinstance(value, str):
        return ""
    text = fold(value)
    n = len(text)
    if n == 18:
        return text[:6] + "*" * 8 + text[14:]
    keep = min(2, n // 4)
    if keep == 0:
        return "*" * n
    return text[:keep] + "*" * (n - 2 * keep) + text[n - keep :]


_ID18_IN_TEXT = re.compile(r"(?<![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])\d{17}[\dXxＸｘ](?![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)[1１][3-9３-９]\d{9}(?!\d)")


def mask_identifiers_in_text(value: str | None) -> str | None:
    """Free text for publication (违法事实、处罚内容、备注……): an 18-character ID number typed into it is masked like
    :func:`mask_id_number` (first 6 and last 4 kept), a mobile number keeps its first 3 and last 4 digits
    (``139****5678``). Full-width digits count as digits. Other text is returned unchanged (``None`` stays ``None``)."""
    if not value or not isinstance(value, str):
        return value
    text = _ID18_IN_TEXT.sub(lambda m: m.group()[:6] + "*" * 8 + m.group()[14:], value)
    return _MOBILE_IN_TEXT.sub(lambda m: m.group()[:3] + "****" + m.group()[7:], text)


# --- what is in a "统一社会信用代码" column -----------------------------------------------------------------------


def classify_party_code(raw: object) -> PartyCodeKind:
    """Say what a value found in a "统一社会信用代码" column most likely is, so the ingest can explain, e.g.,
    “这是组织机构代码，不是统一社会信用代码” or move the value to the right field.

    * ``"uscc"``: 18 characters that pass GB 32100, or that use only its alphabet and are not an ID number;
    * ``"resident_id"``: 18 characters, 17 digits + digit/X, with a real birth date at positions 7–14, that are
      not a valid USCC (also when the ID check character is wrong: a mistyped ID is still an ID);
    * ``"org_code"``: 9 characters shaped like a GB 11714 code (8 digits/letters + digit/X), hyphen allowed;
    * ``"registration_number"``: 15 digits (GS15-2006) or 13 digits (the older form) — 15-digit first-generation
      ID numbers are not guessed here, they went out of use in 2013;
    * ``"unknown"``: anything else, including empty values and OCR garbage.

    This is shape only (plus the checksums to break ties); the ``check_*`` functions say whether a value is valid.
    Never raises.
    """
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        return "unknown"
    value = fold(str(raw)).upper()
    n = len(value)
    if n == 10 and value[8] in _DASHES:
        value = value[:8] + value[9]
        n = 9
    if n == 18:
        if _uscc_is_valid(value):
            return "uscc"
        if _ID18_SHAPE.fullmatch(value) and _plausible_birth(value[6:14]):
            return "resident_id"  # digits 7-14 of a credit code are very rarely a birth date from 1880 to today
        if all(c in _USCC_VALUES for c in value) and _digits(value[2:8]):
            return "uscc"
        return "unknown"
    if n == 9 and _ORG_SHAPE.fullmatch(value):
        return "org_code"
    if n in (13, 15) and _digits(value):
        return "registration_number"
    return "unknown"


def _plausible_birth(yyyymmdd: str) -> bool:
    birth = _birth_date(yyyymmdd)
    return birth is not None and _ID_EARLIEST_BIRTH <= birth <= _today()

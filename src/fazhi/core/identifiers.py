"""Identifier normalisation and checks shared by every module (统一社会信用代码 first).

Normalising only what is safe — full-width characters, case, embedded spaces and zero-width characters — and
saying so in a warning; anything else is rejected with a coded Chinese message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from stdnum.cn import uscc as stdnum_uscc

from .errors import FieldError

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00a0\u3000]+")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass
class Checked:
    value: str
    warnings: list[FieldError] = field(default_factory=list)


def fold(text: str) -> str:
    """Full-width to half-width (NFKC), invisible characters and spaces removed."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def org_code_check_char(body: str) -> str | None:
    """GB 11714 check character for the 8-character body of an organisation code (None if not computable)."""
    total = 0
    for ch, weight in zip(body, _ORG_WEIGHTS, strict=True):
        if ch.isdigit():
            value = int(ch)
        elif "A" <= ch <= "Z":
            value = ord(ch) - 55
        else:
            return None
        total += value * weight
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def check_uscc(raw: str, *, field_name: str = "uscc") -> Checked:
    """Validate a 统一社会信用代码 (GB 32100-2015) and its embedded organisation code (GB 11714).

    Raises :class:`fazhi.core.errors.ValidationFailed` with a coded message when the code is wrong.
    """
    from .errors import ValidationFailed

    original = raw or ""
    value = fold(original).upper()
    checked = Checked(value)
    if value != original.strip():
        checked.warnings.append(
            FieldError(field_name, "uscc_normalised", f"统一社会信用代码已规范化：“{original}” → “{value}”")
        )
    if not value:
        raise ValidationFailed(FieldError(field_name, "required", "请填写统一社会信用代码"))
    if len(value) != 18:
        raise ValidationFailed(
            FieldError(field_name, "uscc_length", f"统一社会信用代码应为 18 位，实际为 {len(value)} 位")
        )
    bad = sorted({c for c in value if c not in USCC_ALPHABET})
    if bad:
        raise ValidationFailed(
            FieldError(
                field_name,
                "uscc_charset",
                f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用 I、O、Z、S、V）",
            )
        )
    if not value[2:8].isdigit():
        raise ValidationFailed(FieldError(field_name, "uscc_division", "统一社会信用代码第 3–8 位应为行政区划代码"))
    expected = stdnum_uscc.calc_check_digit(value[:17])
    if value[17] != expected:
        raise ValidationFailed(
            FieldError(
                field_name,
                "uscc_checksum",
                f"统一社会信用代码校验位错误：末位应为 {expected}，实际为 {value[17]}",
            )
        )
    org_check = org_code_check_char(value[8:16])
    if org_check is not None and value[16] != org_check:
        raise ValidationFailed(
            FieldError(
                field_name,
                "uscc_org_code",
                f"统一社会信用代码中的组织机构代码（第 9–17 位）校验位错误：第 17 位应为 {org_check}",
            )
        )
    return checked


def make_uscc(prefix: str, division_code: str, body: str) -> str:
    """Build a valid code from a 2-character prefix, a 6-digit division code and an 8-character body."""
    org = body + (org_code_check_char(body) or "0")
    partial = f"{prefix}{division_code}{org}"
    return partial + stdnum_uscc.calc_check_digit(partial)

"""Certificate numbers (执法证号): 12 digits, ``PP DD SSSSSSS C``.

- ``PP``: the province code (the first two digits of the GB/T 2260 code of the body's division; Shanxi ``14``);
- ``DD``: the 执法领域 number of the certificate (``Domain.number``), or ``00`` when it covers several domains
  (综合行政执法);
- ``SSSSSSS``: a serial per ``PPDD``, from 0000001, never reused;
- ``C``: a check digit (Luhn, as on bank cards), so a mistyped number is caught before any lookup.

Example: ``140100001233`` is Shanxi (14), 市场监管 (01), serial 123, check digit 3 (:func:`make_number`).
No national or Shanxi number format was found (DOMAIN.md §9): this is fazhi's own, documented in the README.
"""

from __future__ import annotations

import re

from fazhi.core.errors import FieldError, ValidationFailed
from fazhi.core.identifiers import fold

MULTI_DOMAIN = "00"
_SHAPE = re.compile(r"[0-9]{12}")


def luhn_digit(body: str) -> str:
    """The Luhn check digit of a string of digits."""
    total = 0
    for i, char in enumerate(reversed(body)):
        d = int(char)
        if i % 2 == 0:  # the digit next to the check digit is doubled
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def make_number(province: str, domain: str, serial: int) -> str:
    body = f"{province[:2]}{domain}{serial:07d}"
    return body + luhn_digit(body)


def normalise_number(raw: object) -> str:
    """Full-width digits, spaces and hyphens folded away: what people type from a card."""
    return fold(str(raw or "")).replace("-", "").upper()


def check_number(raw: object, *, field_name: str = "number") -> str:
    """A well-formed certificate number, or a Chinese error saying what is wrong with it."""
    number = normalise_number(raw)
    if not number:
        raise ValidationFailed(FieldError(field_name, "required", "请输入执法证号"))
    if not _SHAPE.fullmatch(number):
        raise ValidationFailed(
            FieldError(
                field_name, "number_shape", f"执法证号应为 12 位数字，您输入的是“{number[:30]}”（{len(number)} 位）"
            )
        )
    if luhn_digit(number[:-1]) != number[-1]:
        raise ValidationFailed(FieldError(field_name, "number_checksum", "执法证号的校验位不对，请与证件逐位核对"))
    return number

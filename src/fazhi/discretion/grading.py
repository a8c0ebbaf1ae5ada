"""The grade of a rule row from where its fine sits in the item's range, when a table does not state it.

The rule (粤环发〔2021〕7号《广东省生态环境行政处罚自由裁量权规定》第十二条; 国办发〔2022〕27号 is reported to say the
same — DOMAIN.md §6): 从重 not below the middle of the range (the middle multiple for multiples), 从轻 below it, 一般 at
it. A row wholly below the middle is 从轻, wholly at or above it 从重, one that spans it 一般. The range of an item is
the span of its own rows (a table's rows cover the statutory range), separately for amounts in yuan and for each
base of multiples. Rows without a fine get no grade here: the table must state theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .choices import FineKind, Grade
from .fines import Fine

RULE_SOURCE = "按中间值规则推定（从轻低于中间值，从重不低于中间值；粤环发〔2021〕7号第十二条）"


def _key(fine: Fine) -> str | None:
    if fine.kind in (FineKind.RANGE, FineKind.FIXED):
        return "元"
    if fine.kind == FineKind.MULTIPLE:
        return f"倍数:{fine.base}"
    return None


def _bounds(fine: Fine) -> tuple[Decimal, Decimal | None]:
    if fine.kind == FineKind.MULTIPLE:
        return fine.multiple_min or Decimal(0), fine.multiple_max
    return fine.minimum or Decimal(0), fine.maximum


def midpoint_grades(fines: Sequence[Fine]) -> list[str | None]:
    """The grade of each fine within the span of all of them (None for rows without a fine)."""
    spans: dict[str, tuple[Decimal, Decimal]] = {}
    for fine in fines:
        key = _key(fine)
        if key is None:
            continue
        low, high = _bounds(fine)
        top = high if high is not None else low
        lo, hi = spans.get(key, (low, top))
        spans[key] = (min(lo, low), max(hi, top))
    grades: list[str | None] = []
    for fine in fines:
        key = _key(fine)
        if key is None:
            grades.append(None)
            continue
        lo, hi = spans[key]
        middle = (lo + hi) / 2
        low, high = _bounds(fine)
        if high is not None and low == high == middle:
            grades.append(Grade.GENERAL)
        elif high is not None and high <= middle:
            grades.append(Grade.LENIENT)
        elif low >= middle:
            grades.append(Grade.SEVERE)
        else:
            grades.append(Grade.GENERAL)
    return grades

"""Scoring a file against its template (pure: no database writes).

Score = the template's total − confirmed deductions, where an item never deducts more than its own ``points`` and a
section never more than its own ``points`` (no negative scores). A confirmed deduction on a veto item makes the file
不合格 whatever the score. Otherwise the rating is the highest band of the template whose ``min_score`` the score
reaches; below every band, 不合格.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .choices import Rating


@dataclass(frozen=True)
class ItemRule:
    item_id: int
    section_id: int
    points: Decimal
    deduction: Decimal
    veto: bool


@dataclass(frozen=True)
class Result:
    score: Decimal
    rating: str
    vetoed: bool
    lost_by_section: dict[int, Decimal]


def score(
    *,
    sections: dict[int, Decimal],
    items: dict[int, ItemRule],
    confirmed: Iterable[tuple[int, int]],
    bands: Sequence[tuple[str, Decimal]],
) -> Result:
    """``sections``: section id → points; ``confirmed``: (item id, count) of each confirmed deduction;
    ``bands``: (rating, min_score)."""
    per_item: dict[int, Decimal] = defaultdict(Decimal)
    vetoed = False
    for item_id, count in confirmed:
        rule = items[item_id]
        if rule.veto:
            vetoed = True
        per_item[item_id] += rule.deduction * count
    lost: dict[int, Decimal] = defaultdict(Decimal)
    for item_id, amount in per_item.items():
        rule = items[item_id]
        lost[rule.section_id] += min(amount, rule.points) if rule.points else Decimal("0")
    capped = {sid: min(lost.get(sid, Decimal("0")), points) for sid, points in sections.items()}
    total = sum(sections.values(), Decimal("0")) - sum(capped.values(), Decimal("0"))
    total = max(total, Decimal("0"))
    return Result(score=total, rating=rating_for(total, bands, vetoed=vetoed), vetoed=vetoed, lost_by_section=capped)


def rating_for(value: Decimal, bands: Sequence[tuple[str, Decimal]], *, vetoed: bool = False) -> str:
    if vetoed:
        return Rating.FAIL
    for rating, minimum in sorted(bands, key=lambda b: b[1], reverse=True):
        if value >= minimum:
            return rating
    return Rating.FAIL

"""Publicity windows: how long a penalty stays public, by the rules in force on the decision date.

The rules are rows of ``PublicityRule`` (versioned data seeded from DOMAIN.md §1.6), never code branches: a 2020
decision is judged by the 2019 rule, a 2024 one by the 2023 rule, a 2026-05 one by the 2026 rule.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from fazhi.core.errors import NotFound

from .models import PublicityRule


@dataclass(frozen=True)
class Window:
    published: bool
    min_end: dt.date | None
    max_end: dt.date | None
    early_repair: bool
    rule: str


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the last day of the month when that day does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class RuleBook:
    """The rules, loaded once per import batch (a few dozen rows) instead of one query per record."""

    def __init__(self) -> None:
        self.rules = list(PublicityRule.objects.order_by("valid_from"))

    def rule_for(self, decided_on: dt.date, severity: str, special_field: str = "") -> PublicityRule:
        candidates = [
            r
            for r in self.rules
            if r.valid_from <= decided_on
            and (r.valid_to is None or decided_on <= r.valid_to)
            and r.severity == severity
        ]
        for wanted in (special_field, ""):
            for rule in candidates:
                if rule.special_field == wanted:
                    return rule
        raise NotFound(
            f"没有适用于 {decided_on.isoformat()} 作出的“{severity}”处罚的公示期限规则；请在后台“公示期限规则”中补充",
            code="publicity_rule_missing",
        )

    def window(
        self, decided_on: dt.date, severity: str, special_field: str = "", *, early_repair: bool = True
    ) -> Window:
        rule = self.rule_for(decided_on, severity, special_field)
        if not rule.published:
            return Window(False, None, None, False, rule.regime)
        return Window(
            True,
            add_months(decided_on, rule.min_months),
            add_months(decided_on, rule.max_months),
            rule.early_repair and early_repair,
            rule.regime,
        )

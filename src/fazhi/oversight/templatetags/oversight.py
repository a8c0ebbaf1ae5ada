"""``{% load oversight %}``: ``user|can_anywhere:"oversight.statistics"`` — whether to offer a link at all."""

from __future__ import annotations

from typing import Any

from django import template

from fazhi.org import scope

register = template.Library()


@register.filter
def can_anywhere(user: Any, permission: str) -> bool:
    return scope.has_permission_anywhere(user, permission)

from __future__ import annotations

from datetime import date

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from ..choices import WEEKDAY_NAMES
from ..deadlines import deadline_status

register = template.Library()


@register.filter
def weekday_zh(value: date | None) -> str:
    """``星期一`` … ``星期日``."""
    return WEEKDAY_NAMES[value.weekday()] if value else ""


@register.simple_tag
def describe_field(field: BoundField) -> SafeString:
    """The field's widget with ``aria-describedby`` pointing at its help text and errors."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_help")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs: dict[str, str | bool] = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("clock/_status.html")
def deadline_badge(due: date | None, done_on: date | None = None) -> dict[str, object]:
    """The one status badge every module shows for a deadline: 未到期 / 临期 / 已逾期 / 按期办结 / 逾期办结."""
    if due is None:
        return {"status": None}
    return {"status": deadline_status(due, done_on=done_on)}

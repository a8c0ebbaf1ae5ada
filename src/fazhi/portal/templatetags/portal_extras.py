"""Template helpers of the search pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from fazhi.portal.grams import fold_text

register = template.Library()


@register.filter
def highlight(text: Any, terms: list[str]) -> SafeString:
    """``text`` escaped, with the query's terms marked (where the folded term appears as written)."""
    value = str(text or "")
    lower = value.lower()
    spans: list[tuple[int, int]] = []
    for term in terms or []:
        if not term or fold_text(term) != term:
            continue
        start = lower.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = lower.find(term, start + len(term))
    if not spans:
        return escape(value)
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out: list[str] = []
    pos = 0
    for a, b in merged:
        out.append(escape(value[pos:a]))
        out.append(f"<mark>{escape(value[a:b])}</mark>")
        pos = b
    out.append(escape(value[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


@register.simple_tag(takes_context=True)
def search_url(context: Any, **changes: Any) -> str:
    """The current search's URL with some parameters changed (``None`` or ``""`` removes one); the cursor and page
    are dropped unless given, because any other change starts again from the first page."""
    request = context["request"]
    params: QueryDict = request.GET.copy()
    for name in ("cursor", "page"):
        if name not in changes:
            params.pop(name, None)
    for name, value in changes.items():
        if value in (None, ""):
            params.pop(name, None)
        else:
            params[name] = str(value)
    encoded = params.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path

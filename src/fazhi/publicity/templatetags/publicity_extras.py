from __future__ import annotations

from django import template

from fazhi.core.identifiers import mask_id_number

register = template.Library()


@register.filter
def masked_id(value: str | None) -> str:
    """A natural person's ID number as the public may see it (first 6 and last 4 characters)."""
    return mask_id_number(value or "")

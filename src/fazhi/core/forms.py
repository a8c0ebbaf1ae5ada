"""Helpers that let pages show service errors next to the form fields they concern."""

from __future__ import annotations

from django import forms

from .errors import FazhiError, ValidationFailed


def add_service_errors(form: forms.Form, exc: FazhiError) -> None:
    """Attach a service error to the form: field errors to their fields, anything else to the whole form."""
    items = exc.errors if isinstance(exc, ValidationFailed) else []
    if not items:
        target = exc.field if exc.field in form.fields else None
        form.add_error(target, exc.message)
        return
    for item in items:
        form.add_error(item.field if item.field in form.fields else None, item.message)

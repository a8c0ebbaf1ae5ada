"""Admin base classes. The admin is a back office over the same services: nothing here calls ``.save()`` on a
domain model directly — a model admin either routes saves through a service (``ServiceAdmin``) or is read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.options import csrf_protect_m
from django.forms.models import construct_instance
from django.http import HttpRequest, HttpResponse

from .errors import FazhiError, ValidationFailed


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceForm(forms.ModelForm):
    """Runs the service's own checks while the form can still show them next to the fields."""

    def service_check(self, cleaned: dict[str, Any]) -> None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.service_check(cleaned)
        except ValidationFailed as exc:
            for error in exc.errors:
                self.add_error(error.field if error.field in self.fields else None, error.message)
        except FazhiError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return cleaned

    def _post_clean(self) -> None:
        # Fill the instance (the admin names it in its log) but leave validation to the service: the model's own
        # full_clean would only repeat it, with messages naming constraints instead of saying what is wrong.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class ServiceAdmin(admin.ModelAdmin):
    """Saves through services, which open their own durable transaction: the admin must not wrap them in one.

    Pair it with a :class:`ServiceForm` so a save that reaches the service is expected to succeed; implement
    ``save_model`` (and ``delete_model``) with service calls.
    """

    @csrf_protect_m
    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return self._changeform_view(request, object_id, form_url, extra_context)  # type: ignore[attr-defined]

    @csrf_protect_m
    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return self._delete_view(request, object_id, extra_context)  # type: ignore[attr-defined]

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in list(queryset):
            self.delete_model(request, obj)

"""Admin base classes. The admin is a back office over the same services: nothing here calls ``.save()`` on a
domain model directly — a model admin either routes saves through a service or is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from .errors import FazhiError


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceAdmin(admin.ModelAdmin):
    """Subclasses implement ``create(request, form)`` / ``update(request, obj, form)`` with service calls."""

    def create(self, request: HttpRequest, form: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def update(self, request: HttpRequest, obj: Any, form: Any) -> Any:
        raise FazhiError("此记录不能在后台修改")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            saved = self.update(request, obj, form) if change else self.create(request, form)
        except FazhiError as exc:
            messages.error(request, exc.message)
            raise admin.options.IncorrectLookupParameters(exc.message) from exc
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

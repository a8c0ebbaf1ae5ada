from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fazhi.core.admin import ReadOnlyAdmin, ServiceAdmin

from . import services
from .models import Agency, Division, DivisionCodeChange, Role, RoleGrant, Staff


@admin.register(Division)
class DivisionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent", "is_active")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(DivisionCodeChange)
class DivisionCodeChangeAdmin(ReadOnlyAdmin):
    list_display = ("old_code", "old_name", "new_division", "changed_year", "note")


@admin.register(Agency)
class AgencyAdmin(ServiceAdmin):
    list_display = ("name", "kind", "division", "uscc", "is_active")
    list_filter = ("kind", "division__level")
    search_fields = ("name", "uscc")
    autocomplete_fields = ("division", "parent")
    fields = ("name", "short_name", "kind", "uscc", "division", "parent", "is_active")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("division", "parent") if obj else ()

    def create(self, request: HttpRequest, form: Any) -> Agency:
        d = form.cleaned_data
        return services.create_agency(
            actor=request.user,
            name=d["name"],
            kind=d["kind"],
            division=d["division"],
            parent=d.get("parent"),
            uscc=d.get("uscc"),
            short_name=d.get("short_name", ""),
        )

    def update(self, request: HttpRequest, obj: Agency, form: Any) -> Agency:
        changes = {
            k: form.cleaned_data[k]
            for k in form.changed_data
            if k in {"name", "short_name", "kind", "uscc", "is_active"}
        }
        return services.update_agency(actor=request.user, agency=obj, changes=changes, reason="后台修改")


@admin.register(Staff)
class StaffAdmin(ReadOnlyAdmin):
    list_display = ("name", "agency", "position", "user")
    search_fields = ("name", "user__username")


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "description", "permissions")


@admin.register(RoleGrant)
class RoleGrantAdmin(ServiceAdmin):
    list_display = ("user", "role", "division", "agency", "created_at")
    autocomplete_fields = ("division", "agency")

    def create(self, request: HttpRequest, form: Any) -> RoleGrant:
        d = form.cleaned_data
        return services.grant_role(
            actor=request.user,
            user=d["user"],
            role=d["role"],
            division=d.get("division"),
            agency=d.get("agency"),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def delete_model(self, request: HttpRequest, obj: RoleGrant) -> None:
        services.revoke_role(actor=request.user, grant=obj, reason="后台撤销")

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for grant in queryset:
            services.revoke_role(actor=request.user, grant=grant, reason="后台撤销")

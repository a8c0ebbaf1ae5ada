from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fazhi.core.admin import ReadOnlyAdmin, ServiceAdmin, ServiceForm

from . import services
from .models import Agency, Division, DivisionCodeChange, Role, RoleGrant, Staff

_AGENCY_EDITABLE = ("name", "short_name", "kind", "uscc", "is_active")


@admin.register(Division)
class DivisionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent", "is_active")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(DivisionCodeChange)
class DivisionCodeChangeAdmin(ReadOnlyAdmin):
    list_display = ("old_code", "old_name", "new_division", "changed_year", "note")


class AgencyForm(ServiceForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "uscc", "division", "parent", "is_active"]

    def service_check(self, cleaned: dict[str, Any]) -> None:
        division = cleaned.get("division") or self.instance.division
        data = {k: cleaned.get(k) for k in _AGENCY_EDITABLE if k in cleaned}
        services.validate_agency(data=data, division=division, agency=self.instance if self.instance.pk else None)


@admin.register(Agency)
class AgencyAdmin(ServiceAdmin):
    form = AgencyForm
    list_display = ("name", "kind", "division", "uscc", "is_active")
    list_filter = ("kind", "division__level")
    search_fields = ("name", "uscc")
    autocomplete_fields = ("division", "parent")
    fields = ("name", "short_name", "kind", "uscc", "division", "parent", "is_active")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # An agency does not move in the tree: reorganisation creates a new one (docs/decisions/0003).
        return ("division", "parent") if obj else ()

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        if change:
            changes = {k: form.cleaned_data[k] for k in form.changed_data if k in _AGENCY_EDITABLE}
            saved = services.update_agency(actor=request.user, agency=obj, changes=changes, reason="后台修改")
        else:
            d = form.cleaned_data
            saved = services.create_agency(
                actor=request.user,
                name=d["name"],
                kind=d["kind"],
                division=d["division"],
                parent=d.get("parent"),
                uscc=d.get("uscc"),
                short_name=d.get("short_name", ""),
            )
        obj.pk, obj.path = saved.pk, saved.path

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # retire an agency by clearing 有效


@admin.register(Staff)
class StaffAdmin(ReadOnlyAdmin):
    list_display = ("name", "agency", "position", "user")
    search_fields = ("name", "user__username")


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "description", "permissions")


class RoleGrantForm(ServiceForm):
    class Meta:
        model = RoleGrant
        fields = ["user", "role", "division", "agency"]

    def service_check(self, cleaned: dict[str, Any]) -> None:
        services.validate_grant(
            user=cleaned["user"], role=cleaned["role"], division=cleaned.get("division"), agency=cleaned.get("agency")
        )


@admin.register(RoleGrant)
class RoleGrantAdmin(ServiceAdmin):
    form = RoleGrantForm
    list_display = ("user", "role", "division", "agency", "created_at")
    autocomplete_fields = ("division", "agency")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a grant is given or revoked, never edited

    def save_model(self, request: HttpRequest, obj: RoleGrant, form: Any, change: bool) -> None:
        d = form.cleaned_data
        saved = services.grant_role(
            actor=request.user, user=d["user"], role=d["role"], division=d.get("division"), agency=d.get("agency")
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: RoleGrant) -> None:
        services.revoke_role(actor=request.user, grant=obj, reason="后台撤销")

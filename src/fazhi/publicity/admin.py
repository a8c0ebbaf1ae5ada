from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fazhi.core.admin import ReadOnlyAdmin, ServiceAdmin, ServiceForm

from . import services
from .models import Change, CreditRepair, LicenceRecord, PenaltyRecord, PublicityRule


@admin.register(PenaltyRecord)
class PenaltyRecordAdmin(ReadOnlyAdmin):
    list_display = ("doc_number", "party_name", "decided_on", "status", "agency", "published_late")
    list_filter = ("status", "severity", "published_late")
    search_fields = ("doc_number", "party_name", "party_uscc")
    date_hierarchy = "decided_on"


@admin.register(LicenceRecord)
class LicenceRecordAdmin(ReadOnlyAdmin):
    list_display = ("doc_number", "party_name", "decided_on", "status", "agency")
    list_filter = ("status", "category")
    search_fields = ("doc_number", "party_name", "party_uscc")


class PublicityRuleForm(ServiceForm):
    class Meta:
        model = PublicityRule
        fields = [
            "regime",
            "severity",
            "special_field",
            "published",
            "min_months",
            "max_months",
            "early_repair",
            "legal_source",
            "valid_from",
        ]

    def service_check(self, cleaned: dict[str, Any]) -> None:
        services.validate_publicity_rule(
            regime=cleaned.get("regime", ""),
            severity=cleaned.get("severity", ""),
            min_months=cleaned.get("min_months") or 0,
            max_months=cleaned.get("max_months") or 0,
            legal_source=cleaned.get("legal_source", ""),
        )


@admin.register(PublicityRule)
class PublicityRuleAdmin(ServiceAdmin):
    """New versions only: a changed national rule is a new row from its effective date (old records keep theirs)."""

    form = PublicityRuleForm
    list_display = (
        "regime",
        "severity",
        "special_field",
        "published",
        "min_months",
        "max_months",
        "valid_from",
        "valid_to",
    )
    list_filter = ("severity", "special_field")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: PublicityRule, form: Any, change: bool) -> None:
        d = form.cleaned_data
        saved = services.create_publicity_rule(actor=request.user, **{k: d[k] for k in PublicityRuleForm.Meta.fields})
        obj.pk, obj.valid_to = saved.pk, saved.valid_to


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdmin):
    list_display = ("seq", "record_type", "record_id", "action", "occurred_at")
    list_filter = ("action", "record_type")


@admin.register(CreditRepair)
class CreditRepairAdmin(ReadOnlyAdmin):
    list_display = ("applicant_name", "record", "status", "submitted_on", "review_due")
    list_filter = ("status",)

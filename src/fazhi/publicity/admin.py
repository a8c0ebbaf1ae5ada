from __future__ import annotations

from django.contrib import admin

from fazhi.core.admin import ReadOnlyAdmin

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


@admin.register(PublicityRule)
class PublicityRuleAdmin(ReadOnlyAdmin):
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


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdmin):
    list_display = ("seq", "record_type", "record_id", "action", "occurred_at")
    list_filter = ("action", "record_type")


@admin.register(CreditRepair)
class CreditRepairAdmin(ReadOnlyAdmin):
    list_display = ("applicant_name", "record", "status", "submitted_on", "review_due")
    list_filter = ("status",)

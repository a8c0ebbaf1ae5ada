"""Back office: every cases table readable. Cases, major-decision lists and legal qualifications are written through
the services (pages, API, ``demo``); the admin never saves them. 听证较大数额标准 are entered here, as new versions,
through ``services.create_hearing_threshold``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fazhi.core.admin import ReadOnlyAdmin, ServiceAdmin, ServiceForm

from . import services
from .models import (
    Attachment,
    CaseRecord,
    EnforcementCase,
    HearingThreshold,
    LegalQualification,
    LegalReview,
    MajorItem,
)


@admin.register(EnforcementCase)
class EnforcementCaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "agency", "status", "filed_on", "decided_on", "published_on", "publish_met")
    list_filter = ("status", "kind")
    search_fields = ("number", "title", "party_name")


@admin.register(CaseRecord)
class CaseRecordAdmin(ReadOnlyAdmin):
    list_display = ("case", "on", "action", "status_after", "recorded_by_name", "audit_seq")
    list_filter = ("action",)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "media", "size", "sha256", "record")


@admin.register(LegalReview)
class LegalReviewAdmin(ReadOnlyAdmin):
    list_display = ("case", "submitted_on", "reviewer_name", "result", "decided_on")


@admin.register(MajorItem)
class MajorItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "agency", "valid_from", "valid_to")


@admin.register(LegalQualification)
class LegalQualificationAdmin(ReadOnlyAdmin):
    list_display = ("number", "user", "agency", "obtained_on", "revoked_on")


class HearingThresholdForm(ServiceForm):
    class Meta:
        model = HearingThreshold
        fields = ["party", "amount", "legal_source", "valid_from"]

    def service_check(self, cleaned: dict[str, Any]) -> None:
        services.validate_hearing_threshold(
            party=cleaned.get("party", ""), amount=cleaned.get("amount"), legal_source=cleaned.get("legal_source", "")
        )


@admin.register(HearingThreshold)
class HearingThresholdAdmin(ServiceAdmin):
    """New versions only: a changed provincial standard is a new row from its effective date."""

    form = HearingThresholdForm
    list_display = ("party", "amount", "valid_from", "valid_to")
    list_filter = ("party",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: HearingThreshold, form: Any, change: bool) -> None:
        d = form.cleaned_data
        saved = services.create_hearing_threshold(
            actor=request.user, **{k: d[k] for k in HearingThresholdForm.Meta.fields}
        )
        obj.pk, obj.valid_to = saved.pk, saved.valid_to

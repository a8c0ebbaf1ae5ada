"""Back office: every cases table readable. Cases, major-decision lists and legal qualifications are written through
the services (pages, API, ``demo``); the admin never saves them."""

from __future__ import annotations

from django.contrib import admin

from fazhi.core.admin import ReadOnlyAdmin

from .models import Attachment, CaseRecord, EnforcementCase, LegalQualification, LegalReview, MajorItem


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

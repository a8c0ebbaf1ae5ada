from django.contrib import admin

from fazhi.core.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "occurred_at", "actor_name", "agency_name", "action", "target_label", "request_id")
    list_filter = ("action",)
    search_fields = ("target_label", "actor_name", "request_id", "target_id")

"""Back office: every enforcement table readable; certificate rules get new versions through the service (old
versions are never edited, certificates keep the version they were issued under). Everything else is changed on the
staff pages, through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fazhi.core.admin import ReadOnlyAdmin, ServiceAdmin, ServiceForm

from . import services
from .models import (
    Certificate,
    CertificateEvent,
    CertificateRule,
    Domain,
    EnforcementBody,
    Officer,
    PowerAdjustment,
    PowerItem,
)


@admin.register(Domain)
class DomainAdmin(ReadOnlyAdmin):
    list_display = ("number", "code", "name", "sort")


@admin.register(EnforcementBody)
class EnforcementBodyAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "division", "agency", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "uscc")


@admin.register(Officer)
class OfficerAdmin(ReadOnlyAdmin):
    list_display = ("name", "body", "employment", "status")
    list_filter = ("employment", "status")
    search_fields = ("name",)
    exclude = ("id_number", "birth_date", "phone")


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "officer", "status", "issued_on", "expires_on", "review_due")
    list_filter = ("status",)
    search_fields = ("number", "officer__name")


@admin.register(CertificateEvent)
class CertificateEventAdmin(ReadOnlyAdmin):
    list_display = ("certificate", "action", "on", "status_before", "status_after", "recorded_by")
    list_filter = ("action",)


@admin.register(PowerItem)
class PowerItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "category", "body", "status", "random_inspection")
    list_filter = ("category", "status", "random_inspection")
    search_fields = ("code", "name")


@admin.register(PowerAdjustment)
class PowerAdjustmentAdmin(ReadOnlyAdmin):
    list_display = ("item", "kind", "effective_on", "doc_number", "body")
    list_filter = ("kind",)


RULE_FIELDS = [
    "name",
    "validity_years",
    "annual_review",
    "review_interval_months",
    "review_grace_days",
    "renewal_window_days",
    "exam_valid_months",
    "pass_score",
    "legal_source",
    "confidence",
    "note",
    "valid_from",
]


class CertificateRuleForm(ServiceForm):
    class Meta:
        model = CertificateRule
        fields = RULE_FIELDS

    def service_check(self, cleaned: dict[str, Any]) -> None:
        valid_from = cleaned.get("valid_from")
        if valid_from is not None and CertificateRule.objects.filter(valid_from=valid_from).exists():
            self.add_error("valid_from", "这一天已有规则版本")


@admin.register(CertificateRule)
class CertificateRuleAdmin(ServiceAdmin):
    """New versions only: a changed rule is a new row from its effective date."""

    form = CertificateRuleForm
    list_display = ("name", "validity_years", "annual_review", "review_grace_days", "valid_from", "valid_to")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CertificateRule, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = services.create_certificate_rule(actor=request.user, **{k: data[k] for k in RULE_FIELDS})
        obj.pk, obj.valid_to = saved.pk, saved.valid_to

"""Back office: the rules kept as data (escalation delay) are edited through ``services.update_rule``; tasks,
reports and reminders are read-only here (they change only through the pages, the API and the sweep)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from fazhi.clock.choices import TimeUnit
from fazhi.core.admin import ReadOnlyAdmin, ServiceAdmin, ServiceForm
from fazhi.core.errors import ErrorList

from . import services
from .models import Notice, SupervisionRule, Task, TaskReport


class SupervisionRuleForm(ServiceForm):
    class Meta:
        model = SupervisionRule
        fields = ["days", "unit", "note"]

    def service_check(self, cleaned: dict[str, Any]) -> None:
        errors = ErrorList()
        if not 0 <= (cleaned.get("days") or 0) <= 366:
            errors.add("days", "out_of_range", "数值应在0至366之间")
        if cleaned.get("unit") not in TimeUnit.values:
            errors.add("unit", "invalid_choice", "单位应为工作日、自然日、月或年")
        errors.raise_if_any()


@admin.register(SupervisionRule)
class SupervisionRuleAdmin(ServiceAdmin):
    form = SupervisionRuleForm
    list_display = ["code", "name", "days", "unit", "confidence", "updated_at"]
    fields = ["days", "unit", "note"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: SupervisionRule, form: ModelForm, change: bool) -> None:
        services.update_rule(actor=request.user, code=obj.code, days=obj.days, unit=obj.unit, note=obj.note)


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "assigned_by", "lead_unit", "assigned_on", "state", "rating"]
    list_filter = ["state", "rating", "is_major", "source"]
    search_fields = ["title"]


@admin.register(TaskReport)
class TaskReportAdmin(ReadOnlyAdmin):
    list_display = ["task", "action", "on", "recorded_by"]
    list_filter = ["action"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["task", "kind", "recipient", "created_on", "emailed"]
    list_filter = ["kind"]

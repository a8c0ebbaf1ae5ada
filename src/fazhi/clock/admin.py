"""The back office for the calendar and the time limits. Saves and deletes go through ``services`` so every
change is validated the same way and leaves an audit event."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from fazhi.core.admin import ReadOnlyAdmin, ServiceAdmin, ServiceForm

from . import services
from .models import CalendarOverride, CalendarYear, ClockExtension, ClockPause, ClockRun, TimeLimit


class CalendarOverrideForm(ServiceForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "is_workday", "reason"]

    def service_check(self, cleaned: dict[str, Any]) -> None:
        services.validate_calendar_override(date=cleaned.get("date") or self.instance.date, reason=cleaned["reason"])


class CalendarYearForm(ServiceForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "source", "note"]

    def service_check(self, cleaned: dict[str, Any]) -> None:
        services.validate_calendar_year(year=cleaned.get("year") or self.instance.year, source=cleaned["source"])


class TimeLimitForm(ServiceForm):
    class Meta:
        model = TimeLimit
        fields = ["code", "name", "days", "unit", "legal_source", "valid_from", "valid_to", "note", "confidence"]

    def service_check(self, cleaned: dict[str, Any]) -> None:
        if self.instance.pk is None:
            services.validate_time_limit_version(
                code=cleaned["code"],
                name=cleaned["name"],
                days=cleaned["days"],
                unit=cleaned["unit"],
                legal_source=cleaned["legal_source"],
                valid_from=cleaned["valid_from"],
                valid_to=cleaned.get("valid_to"),
                confidence=cleaned.get("confidence", ""),
            )
        else:
            services.validate_time_limit_update(
                limit=self.instance,
                name=cleaned["name"],
                legal_source=cleaned["legal_source"],
                confidence=cleaned.get("confidence", ""),
                valid_to=cleaned.get("valid_to"),
            )


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ServiceAdmin):
    form = CalendarOverrideForm
    list_display = ["date", "weekday_name", "is_workday", "reason", "updated_at"]
    list_filter = ["is_workday"]
    search_fields = ["reason"]
    date_hierarchy = "date"
    fields = ["date", "is_workday", "reason"]

    @admin.display(description="星期")
    def weekday_name(self, obj: CalendarOverride) -> str:
        return obj.weekday_name

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A different date is a different override: delete this one and add another.
        return ["date"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form: ModelForm, change: bool) -> None:
        saved = services.set_calendar_override(
            actor=request.user, date=obj.date, is_workday=obj.is_workday, reason=obj.reason
        )
        obj.pk, obj.created_at, obj.updated_at = saved.pk, saved.created_at, saved.updated_at

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        services.delete_calendar_override(actor=request.user, date=obj.date, reason="后台删除")


@admin.register(CalendarYear)
class CalendarYearAdmin(ServiceAdmin):
    form = CalendarYearForm
    list_display = ["year", "source", "created_at"]
    fields = ["year", "source", "note"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["year"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: ModelForm, change: bool) -> None:
        saved = services.set_calendar_year(actor=request.user, year=obj.year, source=obj.source, note=obj.note)
        obj.pk, obj.created_at = saved.pk, saved.created_at

    def delete_model(self, request: HttpRequest, obj: CalendarYear) -> None:
        services.delete_calendar_year(actor=request.user, year=obj.year, reason="后台删除")


@admin.register(TimeLimit)
class TimeLimitAdmin(ServiceAdmin):
    form = TimeLimitForm
    list_display = ["code", "name", "duration_label", "valid_from", "valid_to", "confidence"]
    list_filter = ["unit", "confidence"]
    search_fields = ["code", "name", "legal_source"]
    fields = ["code", "name", "days", "unit", "legal_source", "valid_from", "valid_to", "note", "confidence"]

    @admin.display(description="期限")
    def duration_label(self, obj: TimeLimit) -> str:
        return obj.duration_label

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A changed rule is a new version: add one with its own 施行日期 instead of editing this one.
        return ["code", "days", "unit", "valid_from"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # versions are history; close one by setting its 失效日期

    def save_model(self, request: HttpRequest, obj: TimeLimit, form: ModelForm, change: bool) -> None:
        if change:
            saved = services.update_time_limit(
                actor=request.user,
                limit=obj,
                name=obj.name,
                legal_source=obj.legal_source,
                note=obj.note,
                confidence=obj.confidence,
                valid_to=obj.valid_to,
                reason="后台修改",
            )
        else:
            saved = services.create_time_limit_version(
                actor=request.user,
                code=obj.code,
                name=obj.name,
                days=obj.days,
                unit=obj.unit,
                legal_source=obj.legal_source,
                valid_from=obj.valid_from,
                valid_to=obj.valid_to,
                note=obj.note,
                confidence=obj.confidence,
            )
        obj.pk, obj.valid_to = saved.pk, saved.valid_to
        obj.created_at, obj.updated_at = saved.created_at, saved.updated_at


class ClockPauseInline(admin.TabularInline):
    model = ClockPause
    extra = 0
    can_delete = False
    readonly_fields = ["start", "end", "reason", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ClockExtensionInline(admin.TabularInline):
    model = ClockExtension
    extra = 0
    can_delete = False
    readonly_fields = ["days", "unit", "reason", "approved_by", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ClockRun)
class ClockRunAdmin(ReadOnlyAdmin):
    """Read-only: clocks are started, paused and stopped by the modules that own the records."""

    list_display = ["limit_code", "content_type", "object_id", "start", "due_date", "status", "stopped_on"]
    list_filter = ["status", "limit_code"]
    search_fields = ["object_id", "limit_code"]
    inlines = [ClockPauseInline, ClockExtensionInline]

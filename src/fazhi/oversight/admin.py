"""Back office: the scoring standard is data — sections and items are edited through ``services.edit_section`` /
``services.edit_item`` (refused once a campaign uses the template; the admin action makes a new version first).
Campaigns, files, deductions and statistics are read-only here (they change only through the pages, API and command).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.forms import ModelForm
from django.http import HttpRequest

from fazhi.core.admin import ReadOnlyAdmin, ServiceAdmin, ServiceForm
from fazhi.core.errors import ErrorList, FazhiError

from . import services
from .models import (
    Campaign,
    CaseFileReview,
    Deduction,
    RatingBand,
    ReviewTemplate,
    StatisticsSnapshot,
    TemplateItem,
    TemplateSection,
)


@admin.register(ReviewTemplate)
class ReviewTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "version", "total", "is_active", "created_at"]
    actions = ["new_version"]

    @admin.action(description="复制为新版本（用于修改分值）")
    def new_version(self, request: HttpRequest, queryset: Any) -> None:
        for template in queryset:
            try:
                new = services.create_template_version(actor=request.user, template=template)
                messages.success(request, f"已创建{new}")
            except FazhiError as exc:
                messages.error(request, exc.message)


class SectionForm(ServiceForm):
    class Meta:
        model = TemplateSection
        fields = ["title", "points"]

    def service_check(self, cleaned: dict[str, Any]) -> None:
        errors = ErrorList()
        if services._template_in_use(self.instance.template):
            errors.add("points", "in_use", "该评查标准已被评查活动使用，不能修改；请新建版本后修改")
        errors.raise_if_any()


@admin.register(TemplateSection)
class TemplateSectionAdmin(ServiceAdmin):
    form = SectionForm
    list_display = ["template", "order", "title", "points"]
    fields = ["title", "points"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: TemplateSection, form: ModelForm, change: bool) -> None:
        services.edit_section(actor=request.user, section=obj, title=obj.title, points=obj.points)


class ItemForm(ServiceForm):
    class Meta:
        model = TemplateItem
        fields = ["text", "points", "deduction", "veto", "auto_check"]

    def service_check(self, cleaned: dict[str, Any]) -> None:
        errors = ErrorList()
        if services._template_in_use(self.instance.section.template):
            errors.add("points", "in_use", "该评查标准已被评查活动使用，不能修改；请新建版本后修改")
        errors.raise_if_any()


@admin.register(TemplateItem)
class TemplateItemAdmin(ServiceAdmin):
    form = ItemForm
    list_display = ["section", "order", "text", "points", "deduction", "veto", "auto_check"]
    list_filter = ["section__template", "veto"]
    fields = ["text", "points", "deduction", "veto", "auto_check"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: TemplateItem, form: ModelForm, change: bool) -> None:
        services.edit_item(
            actor=request.user,
            item=obj,
            text=obj.text,
            points=obj.points,
            deduction=obj.deduction,
            veto=obj.veto,
            auto_check=obj.auto_check,
        )


@admin.register(RatingBand)
class RatingBandAdmin(ReadOnlyAdmin):
    list_display = ["template", "rating", "min_score"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "organiser", "division", "state", "sampled_at"]
    list_filter = ["state", "year"]


@admin.register(CaseFileReview)
class CaseFileReviewAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "case", "agency", "state", "score", "rating", "vetoed"]
    list_filter = ["state", "rating"]


@admin.register(Deduction)
class DeductionAdmin(ReadOnlyAdmin):
    list_display = ["review", "item", "source", "state", "count"]
    list_filter = ["source", "state"]


@admin.register(StatisticsSnapshot)
class StatisticsSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["agency", "year", "computed_at", "published_at", "on_time"]
    list_filter = ["year", "on_time"]

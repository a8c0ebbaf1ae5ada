"""Page forms. They only parse input; every rule is checked by the services, whose errors the views attach to
these fields (``core.forms.add_service_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from fazhi.org.models import Agency

from . import selectors
from .choices import Rating, TaskAction, TaskSource
from .models import Task, TaskNode

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.division.name}）"


class UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.division.name}）"


class TaskForm(forms.Form):
    title = forms.CharField(label="事项名称", max_length=200)
    source = forms.ChoiceField(label="事项来源", choices=TaskSource.choices)
    source_detail = forms.CharField(label="来源说明", max_length=200, required=False, help_text="会议名称、批示文号等")
    content = forms.CharField(label="督办内容", widget=forms.Textarea(attrs={"rows": 4}))
    is_major = forms.BooleanField(label="重大（复杂）事项：1个月内办结（一般事项7日内）", required=False)
    lead_unit = UnitChoice(label="承办单位", queryset=Agency.objects.none())
    co_units = UnitsChoice(
        label="协办单位", queryset=Agency.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    classified = forms.BooleanField(
        label="本事项涉密", required=False, help_text="涉密事项严禁纳入“13710”信息督办系统，勾选后将拒绝录入。"
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units: QuerySet[Agency] = selectors.assignable_units(user)
        own = getattr(getattr(user, "staff", None), "agency_id", None)
        if own:
            units = units.exclude(pk=own)
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["co_units"].queryset = units  # type: ignore[attr-defined]


class SplitForm(forms.Form):
    lead_unit = UnitChoice(label="分解给（下级承办单位）", queryset=Agency.objects.none())
    content = forms.CharField(
        label="分解内容", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="留空沿用本事项内容"
    )

    def __init__(self, *args: Any, user: Any = None, task: Task | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = selectors.assignable_units(user)
        if task is not None:
            lead = task.lead_unit
            units = units.filter(division__path__startswith=lead.division.path).exclude(pk=lead.pk)
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]


class StepForm(forms.Form):
    text = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    rating = forms.ChoiceField(label="评价", choices=[("", "请选择"), *Rating.choices], required=False)
    node = forms.ModelChoiceField(label="对应时间节点", queryset=TaskNode.objects.none(), required=False)

    def __init__(self, *args: Any, action: str, task: Task, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        if action != TaskAction.CLOSE:
            del self.fields["rating"]
        else:
            self.fields["rating"].required = True
        nodes = TaskNode.objects.filter(task=task, done_on__isnull=True)
        if action != TaskAction.PROGRESS or not nodes.exists():
            del self.fields["node"]
        else:
            self.fields["node"].queryset = nodes  # type: ignore[attr-defined]


class NodeForm(forms.Form):
    title = forms.CharField(label="节点内容", max_length=200)
    due_on = forms.DateField(label="报告截止日", widget=DATE)

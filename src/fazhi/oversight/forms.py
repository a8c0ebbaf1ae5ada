"""Page forms. They only parse input; every rule is checked by the services, whose errors the views attach to
these fields (``core.forms.add_service_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from fazhi.org.models import Agency, Division

from . import selectors
from .models import ReviewTemplate, TemplateItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.division.name}）"


class DivisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.code}）"


class CampaignForm(forms.Form):
    name = forms.CharField(label="活动名称", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    organiser = AgencyChoice(label="组织单位（司法行政机关）", queryset=Agency.objects.none())
    division = DivisionChoice(label="评查范围（行政区划，含下级）", queryset=Division.objects.none())
    template = forms.ModelChoiceField(label="评查标准", queryset=ReviewTemplate.objects.none())
    per_agency = forms.IntegerField(label="每个机关抽取件数", min_value=1, max_value=1000, required=False)
    percent = forms.IntegerField(
        label="或：抽取比例（%）",
        min_value=1,
        max_value=100,
        required=False,
        help_text="按比例抽取的，每个机关至少 1 件",
    )
    closed_from = forms.DateField(label="结案（归档）日期自", widget=DATE)
    closed_to = forms.DateField(label="结案（归档）日期至", widget=DATE)
    seed = forms.CharField(
        label="随机种子", max_length=64, required=False, help_text="留空自动生成；相同种子抽取结果相同，可复核"
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisers = selectors.organisers_for(user).select_related("division")
        self.fields["organiser"].queryset = organisers  # type: ignore[attr-defined]
        self.fields["division"].queryset = selectors.divisions_for(user)  # type: ignore[attr-defined]
        self.fields["template"].queryset = selectors.templates()  # type: ignore[attr-defined]
        staff = getattr(user, "staff", None)
        if not self.is_bound:
            year = timezone.localdate().year - 1
            self.initial.setdefault("year", year)
            self.initial.setdefault("closed_from", f"{year}-01-01")
            self.initial.setdefault("closed_to", f"{year}-12-31")
            self.initial.setdefault("per_agency", 3)
            if staff is not None:
                self.initial.setdefault("organiser", staff.agency_id)
                self.initial.setdefault("division", staff.agency.division_id)
            first = selectors.templates().first()
            if first is not None:
                self.initial.setdefault("template", first.pk)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="认定", choices=[("confirm", "确认扣分"), ("dismiss", "排除（不扣分）")], widget=forms.RadioSelect
    )
    reason = forms.CharField(label="排除理由", required=False, max_length=500)


class ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.veto:
            return f"【{obj.section.title}】{obj.text}"
        return f"【{obj.section.title}】{obj.text}（每处扣 {obj.deduction} 分，最多 {obj.points} 分）"


class DeductionForm(forms.Form):
    item = ItemChoice(label="评查项目", queryset=TemplateItem.objects.none())
    count = forms.IntegerField(label="处数", min_value=1, max_value=99, initial=1)
    note = forms.CharField(label="问题说明", max_length=1000, help_text="写明文书、页码或环节")

    def __init__(self, *args: Any, template: ReviewTemplate | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = TemplateItem.objects.filter(section__template=template).select_related("section")
        self.fields["item"].queryset = items.order_by("section__order", "order", "id")  # type: ignore[attr-defined]


class SubmitForm(forms.Form):
    comment = forms.CharField(label="评查意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    text = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class AcceptForm(forms.Form):
    opinion = forms.CharField(label="确认意见", required=False, max_length=1000, initial="整改到位")


class ComputeForm(forms.Form):
    agency = AgencyChoice(label="机关", queryset=Agency.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.stats_agencies_for(user).select_related("division")  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year - 1)

"""Page forms. They only parse input; every rule is checked by the services, whose errors the views attach to these
fields (``core.forms.add_service_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from fazhi.publicity.choices import PenaltyKind

from .choices import ARTICLE_58, CaseAction, CaseKind, Outcome, PartyCategory
from .models import EnforcementCase

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, initial=timezone.localdate)


def _text(label: str, *, required: bool = False, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


class _OfficerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.position or '执法人员'}）"


def _files() -> MultipleFileField:
    return MultipleFileField(
        label="附件（文书、照片、录音、录像）", required=False, help_text="保存时计算并记录每个文件的 SHA-256"
    )


class FileCaseForm(forms.Form):
    body: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label="执法主体", queryset=None)
    kind = forms.ChoiceField(label="案件类别", choices=CaseKind.choices)
    title = forms.CharField(label="案由", max_length=300)
    party_name = forms.CharField(label="当事人", max_length=200)
    party_category = forms.ChoiceField(label="当事人类别", choices=PartyCategory.choices)
    party_code = forms.CharField(
        label="统一社会信用代码或身份证号码",
        max_length=30,
        required=False,
        help_text="单位填统一社会信用代码，自然人填身份证号码",
    )
    legal_rep = forms.CharField(label="法定代表人（负责人）", max_length=100, required=False)
    source = _text("案件来源与基本情况")
    filed_on = _date("立案日期")
    attachments = _files()

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]
        first = list(bodies[:2])
        if len(first) == 1:
            self.fields["body"].initial = first[0].pk
        for name, label in ARTICLE_58:
            self.fields[name] = forms.BooleanField(label=f"重大执法决定：{label}", required=False)


# What each act's form asks for, beyond date, record text and attachments.
STEP_HELP = {
    CaseAction.INVESTIGATE: "现场检查、询问、调取证据等；执法人员不得少于两人，须在当日持有有效执法证。",
    CaseAction.NOTIFY: "告知拟作出的处罚内容及事实、理由、依据，以及陈述、申辩、要求听证的权利。",
    CaseAction.REQUEST_HEARING: "当事人在告知后的法定期限内要求听证（仅限第六十三条规定的处罚）。",
    CaseAction.HOLD_HEARING: "记录听证的时间、主持人与听证笔录；经过听证的案件须经法制审核。",
    CaseAction.SUBMIT_REVIEW: "重大执法决定须经法制审核通过方可作出决定。",
    CaseAction.APPROVE_REVIEW: "审核人员须具有法律职业资格。填写审核意见。",
    CaseAction.REJECT_REVIEW: "写明退回理由；案件退回调查取证。",
    CaseAction.DECIDE: "作出行政处罚或不予处罚决定；决定日起开始计算公示期限。",
    CaseAction.SERVE: "送达决定书（送达回证）。",
    CaseAction.EXECUTE: "当事人履行或强制执行的情况。",
    CaseAction.CLOSE: "结案报告。",
    CaseAction.WITHDRAW: "撤销立案须写明理由。",
    CaseAction.ARCHIVE: "案卷归档；执法决定须已公示。",
    CaseAction.PUBLISH: "行政处罚决定通过双公示报送；其他决定填写公示位置。",
}


class StepForm(forms.Form):
    on = _date("日期")
    summary = _text("记录内容 / 审核意见")
    reason = _text("理由")
    officers = _OfficerChoice(
        label="参与执法人员",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = _files()

    def __init__(
        self, *args: Any, step: str, case: EnforcementCase, officers: Any, major_items: Any, **kw: Any
    ) -> None:
        kw["prefix"] = step
        super().__init__(*args, **kw)
        self.step = step
        self.fields["officers"].queryset = officers  # type: ignore[attr-defined]
        kinds = [(k, str(label)) for k, label in PenaltyKind.choices if k not in {"other", "suspend_or_revoke"}]
        if step in (CaseAction.REJECT_REVIEW, CaseAction.WITHDRAW):
            self.fields["reason"].required = True
            del self.fields["summary"]
        else:
            del self.fields["reason"]
        if step in (CaseAction.APPROVE_REVIEW, CaseAction.REJECT_REVIEW, CaseAction.PUBLISH, CaseAction.ARCHIVE):
            del self.fields["officers"]
        if step in (CaseAction.NOTIFY, CaseAction.SUBMIT_REVIEW):
            for name, label in ARTICLE_58:
                self.fields[name] = forms.BooleanField(
                    label=f"重大执法决定：{label}", required=False, initial=getattr(case, name)
                )
            self.fields["major_items"] = forms.ModelMultipleChoiceField(
                label="本机关重大执法决定目录事项",
                queryset=major_items,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(case.major_items.all()) if case.pk else [],
            )
        if step == CaseAction.NOTIFY and case.kind == CaseKind.PENALTY:
            self.fields["proposed_kinds"] = forms.MultipleChoiceField(
                label="拟处罚种类", choices=kinds, required=False, widget=forms.CheckboxSelectMultiple
            )
            self.fields["proposed_fine"] = forms.DecimalField(label="拟罚款金额（元）", required=False, min_value=0)
        if step == CaseAction.DECIDE:
            outcomes = (
                [(Outcome.PENALTY.value, Outcome.PENALTY.label), (Outcome.NO_PENALTY.value, Outcome.NO_PENALTY.label)]
                if case.kind == CaseKind.PENALTY
                else [(Outcome.OTHER.value, Outcome.OTHER.label)]
            )
            self.fields["outcome"] = forms.ChoiceField(label="决定结果", choices=outcomes)
            self.fields["decision_number"] = forms.CharField(label="决定书文号", max_length=200, required=False)
            self.fields["decision_content"] = _text("决定内容")
            if case.kind == CaseKind.PENALTY:
                self.fields["violation_type"] = forms.CharField(label="违法行为类型", max_length=500, required=False)
                self.fields["facts"] = _text("违法事实")
                self.fields["basis"] = _text("处罚依据")
                self.fields["decision_kinds"] = forms.MultipleChoiceField(
                    label="处罚种类", choices=kinds, required=False, widget=forms.CheckboxSelectMultiple
                )
                self.fields["fine"] = forms.DecimalField(label="罚款金额（元）", required=False, min_value=0)
        if step == CaseAction.PUBLISH and case.outcome != Outcome.PENALTY:
            self.fields["published_where"] = forms.CharField(label="公示位置（网站栏目或链接）", max_length=500)


class _AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class _StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.agency.name}）"


class MajorItemForm(forms.Form):
    agency = _AgencyChoice(label="机关", queryset=None)
    title = forms.CharField(label="重大执法决定事项", max_length=300)
    legal_source = _text("依据")
    valid_from = _date("施行日期")

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        kwargs["prefix"] = "item"
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class QualificationForm(forms.Form):
    staff = _StaffChoice(label="法制审核人员", queryset=None)
    number = forms.CharField(label="法律职业资格证书编号", max_length=40)
    obtained_on = _date("取得日期")

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        kwargs["prefix"] = "qual"
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]

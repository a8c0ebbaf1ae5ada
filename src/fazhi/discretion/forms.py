"""Forms of the discretion pages: the calculator (built from the item's own factors) and the staff forms."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone

from fazhi.clock.parsing import parse_date
from fazhi.org.models import Agency

from .calculator import item_bases
from .choices import Grade
from .models import BenchmarkItem


class DateField(forms.CharField):
    """A ``YYYY-MM-DD`` date (what ``<input type="date">`` sends), with the clock's Chinese messages under its label."""

    # ISO format: what <input type="date"> shows (the localised default, 2022/01/01, would leave it empty)
    widget = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "min": "1990-01-01", "max": "2100-12-31"})

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_date(text, str(self.label))
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> DateField:
    return DateField(label=label, required=required, help_text=help_text, error_messages={"required": f"请填写{label}"})


class Form(forms.Form):
    """A form whose required fields say which field is missing: “请填写文件名称”, “请选择裁量阶次”."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            verb = "请选择" if isinstance(field, forms.ChoiceField | forms.FileField) else "请填写"
            field.error_messages["required"] = f"{verb}{field.label}"


class CalculatorForm(Form):
    """The calculator for one item: a date, one question per factor (numeric factors also take a number), and a
    figure per base of multiple fines. Field names: ``a<n>``/``n<n>`` for factor n, ``b<n>`` for base n."""

    on = _date_field("适用日期", required=False, help_text="按这一天施行的裁量基准版本计算；不填即今天。")

    def __init__(self, *args: Any, item: BenchmarkItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.factor_fields: list[tuple[dict[str, Any], str, str | None]] = []
        for n, factor in enumerate(item.factors, 1):
            choices = [("", "请选择"), *((o, o) for o in factor["options"])]
            self.fields[f"a{n}"] = forms.ChoiceField(label=factor["name"], choices=choices, required=False)
            number = None
            if factor.get("unit"):
                number = f"n{n}"
                self.fields[number] = forms.CharField(
                    label=f"或直接填写{factor['name']}（{factor['unit']}）",
                    required=False,
                    max_length=20,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
            self.factor_fields.append((factor, f"a{n}", number))
        self.base_fields_by_name: dict[str, str] = {}
        for n, base in enumerate(item_bases(item), 1):
            name = f"b{n}"
            self.fields[name] = forms.CharField(
                label=f"{base}（元）",
                required=False,
                max_length=30,
                help_text=f"罚款按{base}的倍数计算；填写后可算出罚款金额（可不填）。",
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            self.base_fields_by_name[base] = name
        self.order_fields([*(f for f in self.fields if f != "on"), "on"])  # the questions first, the date last

    def answers(self) -> dict[str, object]:
        data = self.cleaned_data
        found: dict[str, object] = {}
        for factor, choice, number in self.factor_fields:
            value = data.get(choice) or (data.get(number) if number else "")
            if value:
                found[factor["name"]] = value
        return found

    def figures(self) -> dict[str, object]:
        return {
            base: self.cleaned_data[name]
            for base, name in self.base_fields_by_name.items()
            if self.cleaned_data.get(name)
        }

    def on_date(self) -> dt.date:
        return cast(dt.date | None, self.cleaned_data.get("on")) or timezone.localdate()

    def field_for(self, error_field: str) -> str | None:
        """The form field a calculator error belongs to (``answers.<因素>``, ``figures.<基数>``, ``on``)."""
        if error_field == "on":
            return "on"
        kind, _, name = error_field.partition(".")
        if kind == "answers":
            return next((choice for factor, choice, _ in self.factor_fields if factor["name"] == name), None)
        if kind == "figures":
            return self.base_fields_by_name.get(name)
        return None


class BenchmarkForm(Form):
    title = forms.CharField(label="文件名称", max_length=300)
    doc_number = forms.CharField(label="文号", max_length=200, help_text="如 晋环发〔2022〕12号；括号写法不限")
    domain = forms.CharField(label="领域", max_length=40, help_text="如 生态环境、市场监管")
    effective_from = _date_field("施行日期")
    expires_on = _date_field("有效期至", required=False, help_text="有效期届满的最后一天；没有规定有效期的不填")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NewBenchmarkForm(BenchmarkForm):
    agency = forms.ChoiceField(label="制定机关")

    field_order = ["agency", "title", "doc_number", "domain", "effective_from", "expires_on", "note"]

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = [(str(a.pk), a.name) for a in agencies]


class ImportForm(Form):
    file = forms.FileField(
        label="裁量基准表格",
        help_text="XLSX 或 CSV（UTF-8、GBK 均可），表头与模板相同；同一文件可重复导入，不会重复新增",
    )


class NewVersionForm(Form):
    doc_number = forms.CharField(label="新版本文号", max_length=200)
    effective_from = _date_field("新版本施行日期", help_text="发布后，上一版本在这一天的前一天停止施行")
    title = forms.CharField(label="文件名称", max_length=300, required=False, help_text="不填则沿用上一版本的名称")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RetireForm(Form):
    retired_on = _date_field("废止日期", help_text="从这一天起不再施行")
    reason = forms.CharField(label="废止原因", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ItemForm(Form):
    violation = forms.CharField(label="违法行为", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    provision = forms.CharField(label="违反条款", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label="处罚依据", widget=forms.Textarea(attrs={"rows": 4}))
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RuleForm(Form):
    circumstances = forms.CharField(
        label="情形",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写成“因素：选项；因素：选项”",
    )
    description = forms.CharField(label="情形说明", required=False, max_length=2000)
    grade = forms.ChoiceField(label="裁量阶次", choices=[(str(label), str(label)) for _, label in Grade.choices])
    kinds = forms.CharField(label="处罚种类", required=False, max_length=200, help_text="如“警告、罚款”")
    fine = forms.CharField(
        label="罚款", required=False, max_length=500, help_text="如“2万元以上4万元以下”“违法所得1倍以上3倍以下”"
    )

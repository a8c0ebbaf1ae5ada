from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms

from fazhi.core.errors import NotFound

from .choices import TimeUnit
from .models import TimeLimit, resolve_time_limit
from .parsing import MAX_DAYS, parse_date, parse_days


class StrictDateField(forms.CharField):
    """A ``YYYY-MM-DD`` date (what ``<input type="date">`` sends), with the clock's Chinese messages."""

    widget = forms.DateInput(attrs={"type": "date", "min": "1990-01-01", "max": "2100-12-31"})

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_date(text, "起算日期")
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class DaysField(forms.CharField):
    widget = forms.NumberInput(attrs={"min": 0, "max": MAX_DAYS, "inputmode": "numeric"})

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_days(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class DeadlineForm(forms.Form):
    """The calculator: a start date and either a statutory limit or a number of days with a unit."""

    start = StrictDateField(
        label="起算日期",
        help_text="作出决定、受理、收到材料等事件发生的当天；当天不计入期限。",
        error_messages={"required": "请填写起算日期"},
    )
    limit = forms.ChoiceField(
        label="法定期限",
        required=False,
        help_text="选择后按起算日施行的规定计算，无需再填天数和单位。",
    )
    days = DaysField(label="期限数值", required=False, help_text=f"0 至 {MAX_DAYS} 的整数，例如 7。")
    unit = forms.ChoiceField(
        label="单位",
        choices=TimeUnit.choices,
        initial=TimeUnit.WORKING,
        required=False,
        error_messages={"invalid_choice": "请选择工作日、自然日、月或年"},
    )

    def __init__(self, *args: Any, limit_choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_field = cast(forms.ChoiceField, self.fields["limit"])
        limit_field.choices = [("", "不选，自行填写天数和单位"), *(limit_choices or [])]
        limit_field.error_messages["invalid_choice"] = "没有这项法定期限，请从列表中选择"
        self.time_limit: TimeLimit | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start = cleaned.get("start")
        code = cleaned.get("limit")
        if code:
            if start is None:
                return cleaned
            try:
                self.time_limit = resolve_time_limit(code, start)
            except NotFound as exc:
                self.add_error("limit", exc.message)
                return cleaned
            cleaned["days"] = self.time_limit.days
            cleaned["unit"] = self.time_limit.unit
            return cleaned
        if "days" not in self.errors and cleaned.get("days") is None:
            self.add_error("days", "请填写期限数值，或选择一项法定期限")
        if "unit" not in self.errors and not cleaned.get("unit"):
            self.add_error("unit", "请选择单位")
        return cleaned

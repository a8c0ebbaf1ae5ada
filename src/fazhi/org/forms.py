from __future__ import annotations

from typing import cast

from django import forms

from .choices import AgencyKind


class AgencyForm(forms.Form):
    name = forms.CharField(label="机构名称", max_length=200)
    short_name = forms.CharField(label="简称", max_length=60, required=False)
    kind = forms.ChoiceField(label="机构类别", choices=AgencyKind.choices)
    uscc = forms.CharField(label="统一社会信用代码", max_length=40, required=False, help_text="18 位，可留空")
    division = forms.CharField(label="所在区划代码", max_length=12, help_text="例如 140105（小店区）")
    parent_id = forms.IntegerField(label="上级机构编号", required=False, min_value=1)


class AgencyEditForm(forms.Form):
    name = forms.CharField(label="机构名称", max_length=200)
    short_name = forms.CharField(label="简称", max_length=60, required=False)
    kind = forms.ChoiceField(label="机构类别", choices=AgencyKind.choices)
    uscc = forms.CharField(label="统一社会信用代码", max_length=40, required=False)
    is_active = forms.BooleanField(label="有效", required=False)
    reason = forms.CharField(label="修改理由", max_length=200, required=False)


class StaffForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=60)
    position = forms.CharField(label="职务", max_length=60, required=False)
    username = forms.CharField(label="用户名", max_length=150, help_text="3–150 位字母、数字或 _ . @ -")
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, help_text="至少 8 位，不能全是数字")
    role = forms.ChoiceField(label="在本机构的角色", required=False)

    def __init__(self, *args: object, roles: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        role_field = cast(forms.ChoiceField, self.fields["role"])
        role_field.choices = [("", "（暂不授予）"), *roles]

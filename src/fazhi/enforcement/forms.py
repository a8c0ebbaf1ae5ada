"""Page forms. They only parse input; every rule is checked by the services, whose errors the views attach to
these fields (``core.forms.add_service_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from fazhi.core.permissions import ENFORCEMENT_MANAGE
from fazhi.org import scope
from fazhi.org.models import Agency

from .choices import AdjustmentKind, BodyKind, CancelReason, Employment, OfficerStatus, PowerCategory
from .models import Domain, EnforcementBody

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, initial=timezone.localdate, help_text=help_text)


def _text(label: str, *, required: bool = True, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


class BodyForm(forms.Form):
    name = forms.CharField(label="执法主体名称", max_length=200)
    kind = forms.ChoiceField(label="主体类别", choices=BodyKind.choices)
    agency = forms.ModelChoiceField(
        label="所属机关",
        queryset=Agency.objects.none(),
        required=False,
        help_text="行政机关选其本身；授权组织、执法队伍选其主管或所属机关。执法主体与所属机关在同一区划。",
    )
    division = forms.CharField(
        label="所在区划代码", max_length=12, required=False, help_text="不选所属机关时填写，例如 140105"
    )
    uscc = forms.CharField(label="统一社会信用代码", max_length=30, required=False)
    domains = forms.ModelMultipleChoiceField(
        label="执法领域", queryset=Domain.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    legal_basis = _text("执法依据", help_text="设定或授权其执法的法律、法规、规章（名称与条款）")
    remedy_channels = _text(
        "救济渠道", required=False, help_text="例如：行政复议机关与期限、行政诉讼法院与期限、投诉电话"
    )
    procedure = _text("执法程序", required=False, rows=4, help_text="主要执法流程，向社会公开")
    contact = forms.CharField(label="办公地址与联系电话", max_length=300, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies: QuerySet[Agency] = scope.restrict(
            Agency.objects.filter(is_active=True).select_related("division"), user, ENFORCEMENT_MANAGE
        )
        self.fields["agency"].queryset = agencies.order_by("division__code", "name")  # type: ignore[attr-defined]


class BodyEditForm(forms.Form):
    name = forms.CharField(label="执法主体名称", max_length=200)
    kind = forms.ChoiceField(label="主体类别", choices=BodyKind.choices)
    uscc = forms.CharField(label="统一社会信用代码", max_length=30, required=False)
    domains = forms.ModelMultipleChoiceField(
        label="执法领域", queryset=Domain.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    legal_basis = _text("执法依据")
    remedy_channels = _text("救济渠道", required=False)
    procedure = _text("执法程序", required=False, rows=4)
    contact = forms.CharField(label="办公地址与联系电话", max_length=300, required=False)
    is_active = forms.BooleanField(label="现行有效（取消勾选即撤销该执法主体）", required=False)


class _BodyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.division.name}）"


class OfficerForm(forms.Form):
    body = _BodyChoice(label="执法主体", queryset=EnforcementBody.objects.none())
    name = forms.CharField(label="姓名", max_length=60)
    id_number = forms.CharField(label="居民身份证号码", max_length=30, help_text="仅工作人员可见，不会公开")
    employment = forms.ChoiceField(label="编制与用工类型", choices=Employment.choices)
    position = forms.CharField(label="职务", max_length=60, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False, help_text="仅工作人员可见")

    def __init__(self, *args: Any, bodies: QuerySet[EnforcementBody] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["body"].queryset = bodies  # type: ignore[attr-defined]


class OfficerImportForm(forms.Form):
    body = _BodyChoice(label="执法主体", queryset=EnforcementBody.objects.none())
    file = forms.FileField(
        label="人员名单",
        help_text="CSV（UTF-8 或 GBK）或 Excel 文件，第一行为表头："
        "姓名、居民身份证号码、编制与用工类型、职务、联系电话",
    )

    def __init__(self, *args: Any, bodies: QuerySet[EnforcementBody] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["body"].queryset = bodies  # type: ignore[attr-defined]


class OfficerEditForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=60)
    position = forms.CharField(label="职务", max_length=60, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    employment = forms.ChoiceField(label="编制与用工类型", choices=Employment.choices)
    status = forms.ChoiceField(label="在职状态", choices=OfficerStatus.choices)


class ApplyForm(forms.Form):
    domains = forms.ModelMultipleChoiceField(
        label="申领的执法领域", queryset=Domain.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    on = _date("申领日期")

    def __init__(self, *args: Any, body: EnforcementBody | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if body is not None:
            self.fields["domains"].queryset = body.domains.all()  # type: ignore[attr-defined]


class StepForm(forms.Form):
    """One form for every certificate step; each step keeps the fields it needs (``STEP_FIELDS``)."""

    on = _date("生效日期")
    score = forms.IntegerField(label="考试成绩", min_value=0, max_value=100)
    training_hours = forms.IntegerField(label="培训学时", min_value=0, max_value=1000, required=False)
    passed = forms.TypedChoiceField(
        label="年审结果", choices=[("1", "合格"), ("0", "不合格（证件暂扣）")], coerce=lambda v: v == "1"
    )
    cancel_reason = forms.ChoiceField(label="注销原因", choices=CancelReason.choices)
    reason = _text("理由", required=False)
    doc_number = forms.CharField(label="决定文号", max_length=200, required=False, help_text="例如：晋司罚〔2024〕3号")

    def __init__(self, *args: Any, step: str, **kwargs: Any) -> None:
        kwargs["prefix"] = step
        super().__init__(*args, **kwargs)
        self.step = step
        for name in list(self.fields):
            if name not in STEP_FIELDS[step]:
                del self.fields[name]


STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "exam": ("on", "score", "training_hours"),
    "issue": ("on",),
    "review": ("on", "passed", "reason"),
    "suspend": ("on", "reason", "doc_number"),
    "restore": ("on", "reason", "doc_number"),
    "revoke": ("on", "reason", "doc_number"),
    "cancel": ("on", "cancel_reason", "reason", "doc_number"),
    "report_loss": ("on", "reason"),
    "reissue": ("on",),
    "renew": ("on",),
}

# What each step is called on its button, and what it does (shown above the form).
STEP_TEXT: dict[str, tuple[str, str]] = {
    "exam": ("登记考试结果", "登记公共法律知识与专业法律知识培训考试的成绩；达到合格分数即可发证。"),
    "issue": ("核发执法证", "按发证当日施行的规则确定有效期并编号。申请人须仍为在编在职人员。"),
    "review": ("登记年审", "年审合格后继续有效；不合格的证件暂扣。"),
    "suspend": ("暂扣", "暂扣期间不得从事执法活动。"),
    "restore": ("解除暂扣", "解除后恢复有效（仍须在有效期内并按期年审）。"),
    "revoke": ("吊销", "吊销后不得再使用，也不能恢复。"),
    "cancel": ("注销", "调离、退休、离岗的，收回证件注销；申领中的也可在此撤回。"),
    "report_loss": ("遗失声明作废", "原证自生效日期起作废（扫码核验会显示“遗失作废”），再补发新证。"),
    "reissue": ("补发新证", "补发新证号的证件，有效期与年审安排与原证相同。"),
    "renew": ("换发新证", "到期前换发新证（新证号、新有效期），原证同时停止使用。"),
}


class PowerForm(forms.Form):
    body = _BodyChoice(label="实施主体", queryset=EnforcementBody.objects.none())
    code = forms.CharField(label="事项编码", max_length=60)
    name = forms.CharField(label="事项名称", max_length=300)
    category = forms.ChoiceField(label="权力类别", choices=PowerCategory.choices)
    domain = forms.ModelChoiceField(label="执法领域", queryset=Domain.objects.all(), required=False)
    legal_basis = _text("设定依据")
    random_inspection = forms.BooleanField(label="列入随机抽查事项清单（仅行政检查事项）", required=False)
    inspection_scope = _text("抽查对象、比例与频次", required=False, rows=2)
    effective_on = _date("生效日期")
    doc_number = forms.CharField(label="依据文件文号", max_length=200, help_text="例如：晋政发〔2020〕12号")
    reason = _text("说明", required=False, rows=2)

    def __init__(self, *args: Any, bodies: QuerySet[EnforcementBody] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["body"].queryset = bodies  # type: ignore[attr-defined]


class AdjustForm(forms.Form):
    kind = forms.ChoiceField(
        label="调整类型", choices=[c for c in AdjustmentKind.choices if c[0] != AdjustmentKind.ADDED]
    )
    effective_on = _date("生效日期")
    doc_number = forms.CharField(label="调整文号", max_length=200, help_text="例如：晋政发〔2021〕8号")
    reason = _text("调整说明", required=False, rows=2)
    to_body = _BodyChoice(label="承接主体（下放、划转时选择）", queryset=EnforcementBody.objects.none(), required=False)
    name = forms.CharField(label="事项名称（变更时修改）", max_length=300, required=False)
    legal_basis = _text("设定依据（变更时修改）", required=False)
    category = forms.ChoiceField(label="权力类别（变更时修改）", choices=PowerCategory.choices, required=False)
    random_inspection = forms.BooleanField(label="列入随机抽查事项清单", required=False)
    inspection_scope = _text("抽查对象、比例与频次", required=False, rows=2)

    CHANGEABLE = ("name", "legal_basis", "category", "random_inspection", "inspection_scope")

    def __init__(self, *args: Any, bodies: QuerySet[EnforcementBody] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["to_body"].queryset = bodies  # type: ignore[attr-defined]

    def changes(self, item: Any) -> dict[str, Any]:
        """The change fields that differ from the item (blank text fields mean “unchanged”)."""
        data = self.cleaned_data
        found: dict[str, Any] = {}
        for name in self.CHANGEABLE:
            value = data.get(name)
            if isinstance(value, str) and not value.strip() and name != "inspection_scope":
                continue
            if value != getattr(item, name):
                found[name] = value
        return found


class VerifyForm(forms.Form):
    number = forms.CharField(
        label="执法证号",
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "12 位数字"}),
    )

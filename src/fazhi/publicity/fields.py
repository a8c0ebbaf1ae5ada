"""The field catalogue: every column of the 双公示 standard, its Chinese label, its CF_*/XK_* code and the other
names real files use (the 2015–2018 standard, abbreviated labels, the headers of published lists).

One catalogue serves the ingest (header matching), the error report (field names), exports and the API docs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    key: str  # attribute on the model / key in a cleaned row
    label: str  # the current standard's Chinese label
    code: str  # the current standard's field code
    kind: str  # text | date | money | party_category | id_type | uscc | kinds | licence_category | severity | ...
    required: bool = False
    max_length: int | None = None
    aliases: tuple[str, ...] = ()  # older codes and labels, and common variants
    legacy: bool = False  # only in the 2015–2018 standard (mapped onto current fields when read)

    def names(self) -> tuple[str, ...]:
        return (self.label, self.code, *self.aliases)


def _party(prefix: str) -> list[FieldSpec]:
    p = prefix
    return [
        FieldSpec(
            "party_name",
            "行政相对人名称",
            f"{p}_XDR_MC",
            "text",
            True,
            200,
            ("企业名称", "单位名称", "相对人名称", "当事人名称", "纳税人名称", "主体名称", "被处罚单位", "被处罚人"),
        ),
        FieldSpec("party_category", "行政相对人类别", f"{p}_XDR_LB", "party_category", True, None, ("相对人类别",)),
        FieldSpec(
            "party_uscc",
            "行政相对人代码_1（统一社会信用代码）",
            f"{p}_XDR_SHXYM",
            "uscc",
            False,
            18,
            ("统一社会信用代码", "统一信用代码", "社会信用代码", "uni_social_crd_cd", "行政相对人代码_1"),
        ),
        FieldSpec(
            "party_reg_no",
            "行政相对人代码_2（工商注册号）",
            f"{p}_XDR_GSZC",
            "reg_no",
            False,
            50,
            ("工商注册号", "注册号", "行政相对人代码_2", f"{p}_XDR_GSDJ", "行政相对人代码_3(工商登记码)", "工商登记码"),
        ),
        FieldSpec(
            "party_org_code",
            "行政相对人代码_3（组织机构代码）",
            f"{p}_XDR_ZZJG",
            "org_code",
            False,
            20,
            ("组织机构代码", "行政相对人代码_3", f"{p}_XDR_ZDM", "行政相对人代码_2(组织机构代码)"),
        ),
        FieldSpec(
            "party_tax_no",
            "行政相对人代码_4（税务登记号）",
            f"{p}_XDR_SWDJ",
            "text",
            False,
            30,
            ("税务登记号", "行政相对人代码_4"),
        ),
        FieldSpec(
            "party_institution_no",
            "行政相对人代码_5（事业单位证书号）",
            f"{p}_XDR_SYDW",
            "text",
            False,
            30,
            ("事业单位证书号", "行政相对人代码_5"),
        ),
        FieldSpec(
            "party_social_org_no",
            "行政相对人代码_6（社会组织登记证号）",
            f"{p}_XDR_SHZZ",
            "text",
            False,
            30,
            ("社会组织登记证号", "行政相对人代码_6"),
        ),
        FieldSpec(
            "legal_rep", "法定代表人", f"{p}_FRDB", "text", False, 100, ("法定代表人姓名", f"{p}_FR", "法人姓名")
        ),
        FieldSpec("legal_rep_id_type", "法定代表人证件类型", f"{p}_FR_ZJLX", "id_type", False, None),
        FieldSpec(
            "legal_rep_id_number",
            "法定代表人证件号码",
            f"{p}_FR_ZJHM",
            "id_number",
            False,
            40,
            ("法定代表人身份证号", f"{p}_FR_SFZH", "法人身份证号"),
        ),
        FieldSpec("party_id_type", "证件类型", f"{p}_XDR_ZJLX", "id_type", False, None, ("自然人证件类型",)),
        FieldSpec(
            "party_id_number",
            "证件号码",
            f"{p}_XDR_ZJHM",
            "id_number",
            False,
            40,
            ("自然人证件号码", "居民身份证号", f"{p}_XDR_SFZ", "行政相对人代码_5(居民身份证号)", "身份证号"),
        ),
    ]


PENALTY_FIELDS: tuple[FieldSpec, ...] = (
    *_party("CF"),
    FieldSpec(
        "doc_number",
        "行政处罚决定书文号",
        "CF_WSH",
        "doc_number",
        True,
        200,
        ("处罚决定书文号", "行政处罚文号", "处罚文号", "决定书文号"),
    ),
    FieldSpec("violation_type", "违法行为类型", "CF_WFXW", "text", True, 500, ("处罚名称", "CF_CFMC", "违法行为")),
    FieldSpec(
        "facts", "违法事实", "CF_SY", "text", True, None, ("处罚事由", "违法事实及依据", "处罚原因", "失信行为简况")
    ),
    FieldSpec("basis", "处罚依据", "CF_YJ", "text", True, None, ("处罚依据及内容",)),
    FieldSpec("kinds", "处罚类别", "CF_CFLB", "kinds", True, None, ("处罚类别1", "CF_CFLB1", "处罚种类")),
    FieldSpec("kinds_2", "处罚类别2", "CF_CFLB2", "kinds", False, None, (), legacy=True),
    FieldSpec(
        "content", "处罚内容", "CF_NR", "text", True, None, ("处罚结果", "CF_JG", "行政处罚内容", "处罚决定内容")
    ),
    FieldSpec("fine_wan", "罚款金额（万元）", "CF_NR_FK", "money", False, None, ("罚款金额",)),
    FieldSpec(
        "confiscation_wan",
        "没收违法所得、没收非法财物的金额（万元）",
        "CF_NR_WFFF",
        "money",
        False,
        None,
        ("没收违法所得、没收非法财物的金额", "没收金额（万元）", "没收金额"),
    ),
    FieldSpec(
        "licence_affected",
        "暂扣或吊销证照名称及编号",
        "CF_NR_ZKDX",
        "text",
        False,
        500,
        ("暂扣或吊销证照名称", "证照名称及编号"),
    ),
    FieldSpec(
        "decided_on",
        "处罚决定日期",
        "CF_JDRQ",
        "date",
        True,
        None,
        ("决定日期", "处罚日期", "处罚时间", "作出行政处罚决定日期"),
    ),
    FieldSpec("valid_until", "处罚有效期", "CF_YXQ", "date", False, None, ("处罚截止期", "CF_JZRQ")),
    FieldSpec("publicity_until_given", "公示截止期", "CF_GSJZQ", "date", False, None),
    FieldSpec(
        "decision_agency_name",
        "处罚机关",
        "CF_CFJG",
        "text",
        True,
        200,
        ("CF_XZJG", "作出行政处罚决定机关名称", "处罚机关名称", "信息报送机关", "决定机关"),
    ),
    FieldSpec(
        "decision_agency_uscc",
        "处罚机关统一社会信用代码",
        "CF_CFJGDM",
        "agency_uscc",
        True,
        18,
        ("处罚机关代码", "决定机关统一社会信用代码"),
    ),
    FieldSpec("source_agency_name", "数据来源单位", "CF_SJLY", "text", True, 200, ("数据来源", "报送单位")),
    FieldSpec(
        "source_agency_uscc",
        "数据来源单位统一社会信用代码",
        "CF_SJLYDM",
        "agency_uscc",
        True,
        18,
        ("数据来源单位代码", "报送单位统一社会信用代码"),
    ),
    FieldSpec("severity", "失信严重程度", "SEVERITY", "severity", False, None, ("严重程度", "失信程度")),
    FieldSpec("special_field", "特殊领域", "SPECIAL_FIELD", "special_field", False, None, ("所属领域",)),
    FieldSpec(
        "early_repair",
        "可提前修复",
        "EARLY_REPAIR",
        "bool",
        False,
        None,
        ("是否可提前修复",),
    ),
    FieldSpec("remarks", "备注", "BZ", "text", False, None),
    FieldSpec("legacy_status", "当前状态", "CF_ZT", "text", False, None, (), legacy=True),
    FieldSpec("division_code", "地方编码", "DFBM", "text", False, None, (), legacy=True),
)

LICENCE_FIELDS: tuple[FieldSpec, ...] = (
    *_party("XK"),
    FieldSpec(
        "doc_title",
        "行政许可决定文书名称",
        "XK_XKWS",
        "text",
        True,
        300,
        ("许可决定文书名称", "项目名称", "许可事项名称"),
    ),
    FieldSpec(
        "doc_number",
        "行政许可决定文书号",
        "XK_WSH",
        "doc_number",
        True,
        200,
        ("行政许可决定书文号", "许可决定文书号", "许可文书号", "许可决定书文号"),
    ),
    FieldSpec("category", "许可类别", "XK_XKLB", "licence_category", True, None, ("审批类别",)),
    FieldSpec("certificate_name", "许可证书名称", "XK_XKZS", "text", False, 200, ("证书名称",)),
    FieldSpec("licence_number", "许可编号", "XK_XKBH", "text", False, 200, ("行政许可编码", "许可证编号", "证书编号")),
    FieldSpec("content", "许可内容", "XK_NR", "text", True, None, ("许可事项内容",)),
    FieldSpec("decided_on", "许可决定日期", "XK_JDRQ", "date", True, None, ("决定日期", "审批日期")),
    FieldSpec("valid_from", "有效期自", "XK_YXQZ", "date", True, None, ("有效期起", "有效期开始日期")),
    FieldSpec(
        "valid_until",
        "有效期至",
        "XK_YXQZI",
        "date",
        True,
        None,
        ("有效期止", "许可截止期", "有效期截止日期"),
    ),
    FieldSpec("decision_agency_name", "许可机关", "XK_XKJG", "text", True, 200, ("审批机关", "发证机关")),
    FieldSpec(
        "decision_agency_uscc",
        "许可机关统一社会信用代码",
        "XK_XKJGDM",
        "agency_uscc",
        True,
        18,
        ("许可机关代码",),
    ),
    FieldSpec("legacy_status", "当前状态", "XK_ZT", "text", False, None),
    FieldSpec("source_agency_name", "数据来源单位", "XK_LYDW", "text", True, 200, ("数据来源",)),
    FieldSpec(
        "source_agency_uscc",
        "数据来源单位统一社会信用代码",
        "XK_LYDWDM",
        "agency_uscc",
        True,
        18,
        ("数据来源单位代码",),
    ),
    FieldSpec("remarks", "备注", "BZ", "text", False, None),
    FieldSpec("division_code", "地方编码", "DFBM", "text", False, None, (), legacy=True),
)

CATALOGUES: dict[str, tuple[FieldSpec, ...]] = {"penalty": PENALTY_FIELDS, "licence": LICENCE_FIELDS}


def catalogue(kind: str) -> tuple[FieldSpec, ...]:
    return CATALOGUES[kind]


def field_names(kind: str) -> dict[str, Iterable[str]]:
    """Field key -> every name a header may use for it (for header matching)."""
    return {spec.key: spec.names() for spec in catalogue(kind)}


def label_of(kind: str, key: str) -> str:
    for spec in catalogue(kind):
        if spec.key == key:
            return spec.label
    return key

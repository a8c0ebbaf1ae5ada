"""The roles every deployment starts with. Later modules add their permissions to these lists."""

from __future__ import annotations

from fazhi.core.permissions import (
    AUDIT_VERIFY,
    AUDIT_VIEW,
    CERTIFICATE_MANAGE,
    CLOCK_MANAGE,
    DISCRETION_MANAGE,
    ENFORCEMENT_MANAGE,
    ENFORCEMENT_VIEW,
    ORG_MANAGE,
    ORG_VIEW,
    PUBLICITY_REPAIR,
    PUBLICITY_RULES,
    PUBLICITY_SUBMIT,
    PUBLICITY_VIEW,
)

DEFAULT_ROLES: list[tuple[str, str, str, list[str]]] = [
    (
        "admin",
        "系统管理员",
        "管理辖区内的机构、人员、授权与日历",
        [
            ORG_VIEW,
            ORG_MANAGE,
            AUDIT_VIEW,
            AUDIT_VERIFY,
            CLOCK_MANAGE,
            PUBLICITY_VIEW,
            PUBLICITY_SUBMIT,
            PUBLICITY_REPAIR,
            PUBLICITY_RULES,
            ENFORCEMENT_VIEW,
            ENFORCEMENT_MANAGE,
            CERTIFICATE_MANAGE,
            DISCRETION_MANAGE,
        ],
    ),
    (
        "supervisor",
        "司法行政监督人员",
        "司法厅（局）：监督辖区内的执法与备案审查，管理执法证件，查看留痕",
        [ORG_VIEW, AUDIT_VIEW, PUBLICITY_VIEW, ENFORCEMENT_VIEW, ENFORCEMENT_MANAGE, CERTIFICATE_MANAGE],
    ),
    (
        "officer",
        "执法人员",
        "办理执法案件、公示执法决定",
        [ORG_VIEW, PUBLICITY_VIEW, PUBLICITY_SUBMIT, ENFORCEMENT_VIEW],
    ),
    ("reviewer", "法制审核人员", "审核重大执法决定", [ORG_VIEW, ENFORCEMENT_VIEW]),
    ("legislator", "裁量基准制定人员", "部门法规处（科）：制定、导入与调整裁量基准", [ORG_VIEW, DISCRETION_MANAGE]),
    (
        "submitter",
        "数据报送员",
        "报送本单位的行政许可、行政处罚信息",
        [ORG_VIEW, PUBLICITY_VIEW, PUBLICITY_SUBMIT, PUBLICITY_REPAIR],
    ),
    ("office", "督办人员", "办公厅（室）：“13710”督办事项", [ORG_VIEW, AUDIT_VIEW]),
]

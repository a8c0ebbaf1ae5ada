"""The permission codes fazhi knows. Apps register theirs here; roles (``org.Role``) are sets of these codes.

A permission is always exercised over a jurisdiction: the org nodes where a role holding it was granted,
with their subtrees (``fazhi.org.scope``).
"""

from __future__ import annotations

PERMISSIONS: dict[str, str] = {}


def register(code: str, label: str) -> str:
    if code in PERMISSIONS and PERMISSIONS[code] != label:
        raise ValueError(f"permission {code} registered twice with different labels")
    PERMISSIONS[code] = label
    return code


ORG_VIEW = register("org.view", "查看机构、人员与授权")
ORG_MANAGE = register("org.manage", "管理机构、人员与授权")
AUDIT_VIEW = register("audit.view", "查看审计留痕")
AUDIT_VERIFY = register("audit.verify", "校验审计链")
CLOCK_MANAGE = register("clock.manage", "维护工作日历与法定时限")
PUBLICITY_VIEW = register("publicity.view", "查看双公示信息（含完整证件号码）")
PUBLICITY_SUBMIT = register("publicity.submit", "报送、更正、撤回双公示信息")
PUBLICITY_REPAIR = register("publicity.repair", "审核信用修复申请")
PUBLICITY_RULES = register("publicity.rules", "维护双公示规则（公示期限）")
ENFORCEMENT_VIEW = register("enforcement.view", "查看执法主体、执法人员、执法证件与权责清单")
ENFORCEMENT_MANAGE = register("enforcement.manage", "维护执法主体、执法队伍、执法人员与权责清单")
CERTIFICATE_MANAGE = register("enforcement.certificates", "办理执法证件（核发、年审、换证、暂扣、吊销、注销、补证）")
DISCRETION_MANAGE = register("discretion.manage", "制定、导入与调整行政裁量基准")

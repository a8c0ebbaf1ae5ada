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
CLOCK_MANAGE = register("clock.manage", "维护工作日历与法定时限（含听证较大数额标准）")
PUBLICITY_VIEW = register("publicity.view", "查看双公示信息（含完整证件号码）")
PUBLICITY_SUBMIT = register("publicity.submit", "报送、更正、撤回双公示信息")
PUBLICITY_REPAIR = register("publicity.repair", "审核信用修复申请")
PUBLICITY_RULES = register("publicity.rules", "维护双公示规则（公示期限）")
ENFORCEMENT_VIEW = register("enforcement.view", "查看执法主体、执法人员、执法证件与权责清单")
ENFORCEMENT_MANAGE = register("enforcement.manage", "维护执法主体、执法队伍、执法人员与权责清单")
CERTIFICATE_MANAGE = register("enforcement.certificates", "办理执法证件（核发、年审、换证、暂扣、吊销、注销、补证）")
DISCRETION_MANAGE = register("discretion.manage", "制定、导入与调整行政裁量基准")
CASE_VIEW = register("cases.view", "查看行政执法案件及其全过程记录")
CASE_HANDLE = register("cases.handle", "办理行政执法案件（立案、调查取证、告知、听证、决定、送达、执行、结案、归档）")
CASE_LEGAL_REVIEW = register("cases.legal_review", "重大执法决定法制审核")
CASEFILE_REVIEW = register("cases.casefile_review", "组织与评查行政执法案卷")
SUPERVISION_VIEW = register("supervision.view", "查看“13710”督办事项与台账")
SUPERVISION_ASSIGN = register("supervision.assign", "交办、分解“13710”督办事项，审核销号并评价")
SUPERVISION_HANDLE = register("supervision.handle", "签收、报告进展、申请销号")
ENFORCEMENT_STATS = register("oversight.statistics", "编制、发布年度行政执法统计")
REPORTS_VIEW = register("reports.view", "查看统计指标与仪表盘")
REPORTS_EDIT = register("reports.edit", "编写、发布法治政府建设年度报告与执法统计年报")

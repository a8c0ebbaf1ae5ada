from django.db import models


class TaskSource(models.TextChoices):
    """Where a 督办事项 comes from (DOMAIN §3: 省政府全体会议、常务会议、省长办公会议、专题会议、领导批示)."""

    PLENARY = "plenary", "政府全体会议"
    EXECUTIVE = "executive", "政府常务会议"
    MAYOR_OFFICE = "mayor_office", "政府（省/市/县）长办公会议"
    THEMATIC = "thematic", "专题会议"
    INSTRUCTION = "instruction", "领导批示"
    KEY_WORK = "key_work", "重点工作任务"
    OTHER = "other", "其他"


class TaskState(models.TextChoices):
    """立项交办 → 签收 → 部署 → 反馈 → 申请销号 → 审核（退回 | 销号）."""

    ASSIGNED = "assigned", "已交办（待签收）"
    SIGNED = "signed", "已签收"
    DEPLOYED = "deployed", "已部署"
    IN_PROGRESS = "in_progress", "办理中（已反馈）"
    CLOSURE_REQUESTED = "closure_requested", "已申请销号"
    RETURNED = "returned", "已退回"
    CLOSED = "closed", "已销号"


class TaskAction(models.TextChoices):
    SIGN = "sign", "签收"
    DEPLOY = "deploy", "报告部署情况"
    PROGRESS = "progress", "反馈办理进展"
    REQUEST_CLOSURE = "request_closure", "申请销号"
    RETURN = "return", "退回"
    CLOSE = "close", "审核销号并评价"


class Rating(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


RATING_SCORES = {Rating.EXCELLENT: 4, Rating.GOOD: 3, Rating.PASS: 2, Rating.FAIL: 1}


class Milestone(models.TextChoices):
    """The fixed "1-3-7/1" nodes of every task, each a clock (``fazhi.clock``) with its own time limit code."""

    DEPLOY = "13710.deploy", "“1”部署"
    FEEDBACK = "13710.feedback", "“3”反馈"
    RESOLVE = "13710.resolve", "“7”办结"
    RESOLVE_MAJOR = "13710.resolve_major", "“1”月办结"


class NoticeKind(models.TextChoices):
    OVERDUE = "overdue", "逾期提醒"
    ESCALATION = "escalation", "逾期升级督办"
    ASSIGNED = "assigned", "新交办事项"
    RETURNED = "returned", "销号申请被退回"
    CLOSURE = "closure", "待审核销号"

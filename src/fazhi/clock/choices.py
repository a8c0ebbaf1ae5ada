from django.db import models


class TimeUnit(models.TextChoices):
    """How a statutory period is counted (DOMAIN §4.0)."""

    WORKING = "working", "工作日"
    CALENDAR = "calendar", "自然日"
    MONTH = "month", "月"
    YEAR = "year", "年"


class Confidence(models.TextChoices):
    """How sure we are of a rule (DOMAIN §0)."""

    HIGH = "high", "高（已核对法律原文）"
    MEDIUM = "medium", "中（政府网站转述）"
    LOW = "low", "低（推测，可调整）"


class RunStatus(models.TextChoices):
    """Whether a running deadline is counting."""

    RUNNING = "running", "计时中"
    PAUSED = "paused", "已中止"
    STOPPED = "stopped", "已结束"


class DayKind(models.TextChoices):
    """Why a day is, or is not, a working day."""

    WORKDAY = "workday", "工作日"
    WEEKEND = "weekend", "周末"
    HOLIDAY = "holiday", "法定节假日"
    MAKEUP_WORKDAY = "makeup_workday", "调休上班"


class DaySource(models.TextChoices):
    """Where the answer for a day came from."""

    LIBRARY = "library", "国务院节假日安排（日历数据）"
    OVERRIDE = "override", "日历调整"
    WEEKDAY_RULE = "weekday_rule", "按周一至周五为工作日推定（该年安排已人工补录）"


class DeadlineStatus(models.TextChoices):
    """Where a deadline stands. The value is also the CSS class the base stylesheet colours:
    ``<span class="status {{ s.css_class }}">{{ s.label }}</span>``."""

    ON_TIME = "on_time", "未到期"
    DUE_SOON = "due_soon", "临期"
    OVERDUE = "overdue", "已逾期"
    DONE_ON_TIME = "done_on_time", "按期办结"
    DONE_LATE = "done_late", "逾期办结"
    PAUSED = "paused", "中止中"

    @property
    def css_class(self) -> str:
        """``on_time``, ``due_soon``, ``overdue``, ``done_on_time``, ``done_late``, ``paused``."""
        return str(self.value)

    @property
    def is_done(self) -> bool:
        return self in (DeadlineStatus.DONE_ON_TIME, DeadlineStatus.DONE_LATE)

    @property
    def needs_attention(self) -> bool:
        """临期 or 已逾期 and still open: what dashboards highlight."""
        return self in (DeadlineStatus.DUE_SOON, DeadlineStatus.OVERDUE)


WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

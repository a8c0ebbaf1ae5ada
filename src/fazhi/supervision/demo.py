"""Demo data for the 13710 system, written through its services (so clocks, audit chain and reminders are complete):
tasks assigned by the province office to cities and provincial departments over the past weeks, split to counties
and townships, in every state — waiting to be signed, signed, reported, overdue, returned, closed with each rating —
followed by one sweep (reminders and escalations).

``generate_supervision`` runs after ``fazhi.demo.generate`` has created the agencies and users; it does nothing
when tasks exist already. Deterministic for the ``rng``; a few seconds at ``small``.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from fazhi.org.choices import DivisionLevel
from fazhi.org.models import Agency

from . import services
from .choices import TaskState
from .models import Notice, Task

# root tasks; how many of the first cities get tasks
SCALES = {"small": (24, 4), "medium": (80, 11), "large": (240, 11)}

_TOPICS = [
    ("推进政务服务“一网通办”", "年底前实现高频政务服务事项“一网通办”，梳理事项清单并逐项销号。"),
    ("整治违规涉企收费", "全面排查涉企收费项目，清理不合规收费，建立长效机制。"),
    ("优化营商环境专项行动", "对照营商环境评价指标，逐项制定整改措施并限期落实。"),
    ("冬季清洁取暖保障", "确保清洁取暖改造按期完工，保障群众温暖过冬。"),
    ("安全生产大检查", "开展重点行业领域安全生产隐患排查整治，建立问题台账。"),
    ("保障农民工工资支付", "排查在建工程项目欠薪问题，限期清零。"),
    ("黄河流域生态保护", "落实黄河流域生态保护和高质量发展重点任务。"),
    ("“证照分离”改革全覆盖", "涉企经营许可事项全部纳入清单管理，分类推进审批制度改革。"),
    ("食品安全专项整治", "开展校园及周边食品安全专项检查，公开检查结果。"),
    ("城镇老旧小区改造", "按计划开工老旧小区改造项目，按月报告进度。"),
    ("规范行政执法行为", "全面推行行政执法三项制度，开展案卷评查。"),
    ("群众反映强烈问题整改", "对12345热线集中反映的问题建立清单，逐项整改反馈。"),
]
_SOURCES = [
    ("executive", "省政府第{n}次常务会议"),
    ("plenary", "省政府第{n}次全体会议"),
    ("mayor_office", "省长办公会议（第{n}期）"),
    ("thematic", "省政府专题会议纪要〔{n}〕"),
    ("instruction", "省政府领导批示（晋政督〔{n}〕号）"),
]
# what happens to a task, in turn: each scenario appears at every scale
_SCENARIOS = [
    "closed",
    "split",
    "overdue",
    "returned",
    "closed",
    "assigned",
    "reported",
    "split",
    "closed_late",
    "signed",
    "return_pending",
    "requested",
]
_RATINGS = ["excellent", "good", "pass", "fail", "good", "excellent"]


class _Clock:
    """Dates after a task's assignment, never after today."""

    def __init__(self, start: dt.date, today: dt.date) -> None:
        self.day, self.today = start, today

    def after(self, days: int) -> dt.date:
        self.day = min(self.day + dt.timedelta(days=days), self.today)
        return self.day


def _offices() -> tuple[Agency | None, list[Agency], list[Agency]]:
    province = Agency.objects.filter(division__level=DivisionLevel.PROVINCE, name__endswith="人民政府办公厅").first()
    cities = list(
        Agency.objects.filter(division__level=DivisionLevel.CITY, name__endswith="人民政府办公室")
        .select_related("division")
        .order_by("division__code")
    )
    departments = list(
        Agency.objects.filter(division__level=DivisionLevel.PROVINCE, name__endswith="局")
        .exclude(name__contains="司法厅")
        .order_by("pk")
    ) + list(Agency.objects.filter(division__level=DivisionLevel.PROVINCE, name__endswith="生态环境厅"))
    return province, cities, departments


def _below(unit: Agency, level: str) -> list[Agency]:
    """Offices (counties) or governments (townships) one level below ``unit``'s division."""
    qs = Agency.objects.filter(division__parent=unit.division, division__level=level).select_related("division")
    if level == DivisionLevel.COUNTY:
        qs = qs.filter(name__endswith="人民政府办公室")
    else:
        qs = qs.filter(name__endswith="人民政府")
    return list(qs.order_by("division__code"))


def _work(task: Task, clock: _Clock, rng: random.Random, upto: str, *, major: bool = False) -> Task:
    """Take ``task`` (as the system, dated) through the lead unit's steps up to ``upto``."""
    order = ["sign", "deploy", "progress", "request_closure"]
    texts = {
        "deploy": "召开专题会议研究部署，明确责任领导、责任科室和完成时限。",
        "progress": "已完成阶段性任务，正在逐项推进，问题清单已销号过半。",
        "request_closure": "各项任务已全部完成，佐证材料已上传，申请销号。",
    }
    gaps = {"sign": 0, "deploy": rng.randint(0, 1), "progress": rng.randint(1, 3), "request_closure": rng.randint(2, 4)}
    if major:
        gaps["request_closure"] = rng.randint(10, 25)
    for action in order[: order.index(upto) + 1]:
        if action == "sign" and task.state != TaskState.ASSIGNED:
            continue  # signed already (before it was split further)
        task = services.take_step(
            actor=None, task=task, action=action, text=texts.get(action, ""), on=clock.after(gaps[action])
        )
    return task


def _review(task: Task, clock: _Clock, rng: random.Random, rating: str, *, returned: bool = False) -> Task:
    if returned:
        task = services.take_step(
            actor=None, task=task, action="return", text="佐证材料不完整，请补充后重新申请。", on=clock.after(1)
        )
        task = services.take_step(
            actor=None, task=task, action="request_closure", text="已补充佐证材料。", on=clock.after(rng.randint(1, 2))
        )
    return services.take_step(
        actor=None,
        task=task,
        action="close",
        rating=rating,
        text="经审核，同意销号。",
        on=clock.after(rng.randint(0, 2)),
    )


def generate_supervision(*, rng: random.Random, scale: str) -> dict[str, int]:
    """Build the demo's 13710 tasks through the services; the counts of what exists afterwards."""
    roots, city_count = SCALES[scale]
    today = timezone.localdate()
    province, cities, departments = _offices()
    if province is not None and cities and not Task.objects.exists():
        leads: list[Agency] = cities[:city_count] + departments[:3]
        for n in range(roots):
            scenario = _SCENARIOS[n % len(_SCENARIOS)]
            # 太原市 (the demo users' city) gets every other task, so each demo user finds work
            lead = cities[0] if n % 2 == 0 else leads[n % len(leads)]
            if scenario == "split":  # split tasks go to cities (they have counties); 太原市 first
                lead = cities[(n // len(_SCENARIOS)) % len(cities[:city_count])]
            title, content = _TOPICS[n % len(_TOPICS)]
            source, detail = _SOURCES[n % len(_SOURCES)]
            major = n % 4 == 3
            age = {"assigned": 12, "signed": 1, "reported": 2, "requested": 6, "return_pending": 9, "overdue": 20}.get(
                scenario, 40 if major else 25
            ) + rng.randint(0, 8)
            start = today - dt.timedelta(days=age)
            clock = _Clock(start, today)
            task = services.create_task(
                actor=None,
                title=title,
                content=content,
                source=source,
                source_detail=detail.format(n=rng.randint(3, 60)),
                is_major=major,
                lead_unit=lead,
                co_units=[departments[n % len(departments)]] if departments and n % 3 == 0 else [],
                assigned_by=province,
                assigned_on=start,
            )
            if scenario == "assigned":
                continue
            if scenario == "signed":
                _work(task, clock, rng, "sign")
            elif scenario == "reported":
                _work(task, clock, rng, "progress")
            elif scenario == "overdue":
                _work(task, clock, rng, "deploy")
            elif scenario == "requested":
                _work(task, clock, rng, "request_closure")
            elif scenario == "return_pending":
                task = _work(task, clock, rng, "request_closure")
                services.take_step(
                    actor=None, task=task, action="return", text="整改不到位，请继续落实。", on=clock.after(1)
                )
            elif scenario in ("closed", "closed_late", "returned"):
                if scenario == "closed_late":
                    clock.after(3)  # signed late: the "1" and "3" nodes are missed
                task = _work(task, clock, rng, "request_closure", major=major)
                _review(task, clock, rng, _RATINGS[n % len(_RATINGS)], returned=scenario == "returned")
            elif scenario == "split":
                _split(task, clock, rng, n)
        services.sweep_overdue(actor=None, today=today)
    return {
        "supervision_tasks": Task.objects.count(),
        "supervision_split_tasks": Task.objects.filter(parent__isnull=False).count(),
        "supervision_closed_tasks": Task.objects.filter(state=TaskState.CLOSED).count(),
        "supervision_overdue_tasks": Task.objects.filter(overdue_marked_on__isnull=False).count(),
        "supervision_returned_tasks": Task.objects.filter(return_count__gt=0).count(),
        "supervision_reminders": Notice.objects.filter(kind="overdue").count(),
        "supervision_escalations": Notice.objects.filter(kind="escalation").count(),
    }


def _split(task: Task, clock: _Clock, rng: random.Random, n: int) -> None:
    """City → counties (→ one township): the parts are worked and reviewed; the parent closes when they are."""
    task = services.take_step(actor=None, task=task, action="sign", on=clock.after(0))
    counties = _below(task.lead_unit, DivisionLevel.COUNTY)
    if not counties:
        _work(task, clock, rng, "deploy")
        return
    parts: list[Any] = []
    for county in counties[:2] if n % 4 else counties[:3]:
        parts.append(services.split_task(actor=None, task=task, lead_unit=county, assigned_on=clock.after(0)))
    task = services.take_step(
        actor=None, task=task, action="deploy", text="市政府办公室分解交办至各县（市、区）。", on=clock.after(0)
    )
    first = parts[0]
    towns = _below(first.lead_unit, DivisionLevel.TOWNSHIP)
    first = services.take_step(actor=None, task=first, action="sign", on=clock.after(0))
    if towns:
        town_task = services.split_task(actor=None, task=first, lead_unit=towns[0], assigned_on=clock.after(0))
        town_task = _work(town_task, _Clock(clock.day, clock.today), rng, "request_closure")
        _review(town_task, _Clock(town_task.closure_requested_on or clock.day, clock.today), rng, "good")
    parts[0] = first
    all_closed = n % 8 == 1  # every other split task is closed all the way up
    for i, part in enumerate(parts):
        part_clock = _Clock(clock.day, clock.today)
        if i == len(parts) - 1 and not all_closed:
            _work(part, part_clock, rng, "progress")
            continue
        part = _work(part, part_clock, rng, "request_closure")
        _review(part, part_clock, rng, _RATINGS[(n + i) % len(_RATINGS)], returned=i == 1)
        clock.day = max(clock.day, part_clock.day)
    if all_closed:
        task = services.take_step(
            actor=None, task=task, action="request_closure", text="各县（市、区）均已办结。", on=clock.after(1)
        )
        _review(task, clock, rng, "good")

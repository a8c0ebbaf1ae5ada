"""A synthetic Shanxi: real divisions, generated agencies, townships, villages and one account per role.

Everything is written through the services, so the demo database has a complete audit chain. The "Shanxi 2020"
scenario (``scenario.py``; ``--scale full``) writes its millions of 双公示 records and tens of thousands of officers
in bulk (``bulk.py`` and ``enforcement.demo``): validated rows, the derived fields the services give, and one audit
event per batch.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi.cases.demo import generate_cases
from fazhi.core.identifiers import make_uscc
from fazhi.discretion.demo import generate_discretion
from fazhi.enforcement.demo import generate_enforcement
from fazhi.org import services
from fazhi.org.choices import AgencyKind, DivisionLevel
from fazhi.org.models import Agency, Division, Role
from fazhi.oversight.demo import generate_oversight
from fazhi.reports.demo import roll_up_figures
from fazhi.reports.services import run_rollup
from fazhi.supervision.demo import generate_supervision

from .bulk import bulk_records
from .publicity import generate_records
from .scenario import PROVINCIAL_DEPARTMENTS, SCENARIOS, Plan, write_report_draft

DEMO_PASSWORD = "fazhi-demo-2026"  # noqa: S105 - printed for people trying the demo

SCALES = {
    # townships per county, villages per township (only in the first county of each city), 双公示 records of each kind
    "small": (2, 2, 300),
    "medium": (6, 4, 3000),
    "large": (12, 8, 30000),
    # the "Shanxi 2020" scenario at full magnitude (scenario.py) on top of the large scale's structure
    "full": (12, 8, 3000),
}
# The scale each module's own generator builds at: the modules know small, medium and large; full is large plus the
# scenario's magnitudes.
MODULE_SCALE = {"small": "small", "medium": "medium", "large": "large", "full": "large"}
FULL_SCENARIO = "shanxi-2020"

# (title, total) -> a context manager yielding "advance by n"; the command passes a progress bar, tests nothing
ProgressFactory = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]


@contextmanager
def _no_progress(title: str, total: int) -> Iterator[Callable[[int], None]]:
    yield lambda n: None


_TOWN_FIRST = "东西南北中上下大小新古柳杨李王张赵刘高龙凤马石河泉山水安和兴平宁永长"
_TOWN_SECOND = "关庄堡坪沟峪湾城村店集寨岭营口坡洼塔"
_ALPHABET_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class DemoReport:
    skipped: bool = False
    agencies: int = 0
    townships: int = 0
    villages: int = 0
    penalties: int = 0
    licences: int = 0
    modules: dict[str, int] = field(default_factory=dict)  # what each later module built (its own counts)
    scenario: Plan | None = None
    scenario_penalties: int = 0
    scenario_licences: int = 0
    users: list[tuple[str, str]] = field(default_factory=list)


def _uscc(rng: random.Random, division_code: str, prefix: str = "11") -> str:
    body = "".join(rng.choice(_ALPHABET_BODY[:10]) for _ in range(8))
    return make_uscc(prefix, division_code, body)


def _place_name(rng: random.Random, suffix: str, used: set[str]) -> str:
    for _ in range(100):
        name = rng.choice(_TOWN_FIRST) + rng.choice(_TOWN_SECOND) + suffix
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("ran out of demo place names")


def _agency(
    report: DemoReport,
    rng: random.Random,
    name: str,
    kind: str,
    division: Division,
    parent: Agency | None = None,
) -> Agency:
    prefix = "12" if kind == AgencyKind.INSTITUTION else "11"
    agency = services.create_agency(
        actor=None,
        name=name,
        kind=kind,
        division=division,
        parent=parent,
        uscc=_uscc(rng, division.code[:6], prefix),
    )
    report.agencies += 1
    return agency


def generate(
    *,
    scale: str,
    seed: int,
    scenario: str | None = None,
    fraction: Decimal = Decimal(1),
    progress: ProgressFactory | None = None,
    search_index: bool = True,
) -> DemoReport:
    """Fill an empty database: divisions and agencies → accounts → 双公示 records → each module's generator → the
    rollup of the figures. ``scenario`` (``scenario.SCENARIOS``; ``--scale full`` implies ``shanxi-2020``) adds the
    records that make a year's figures those of a seed report, at ``fraction`` of their magnitude;
    ``search_index=False`` leaves the scenario's records out of the portal's search index (``fazhi portal reindex``
    rebuilds it with them)."""
    report = DemoReport()
    if Agency.objects.exists():
        report.skipped = True
        report.users = _user_descriptions()
        return report
    if scale == "full" and scenario is None:
        scenario = FULL_SCENARIO
    plan = Plan(SCENARIOS[scenario], fraction) if scenario else None
    report.scenario = plan
    step = progress or _no_progress
    rng = random.Random(seed)
    townships_per_county, villages_per_township, records = SCALES[scale]
    structure = MODULE_SCALE[scale]
    province = Division.objects.get(level=DivisionLevel.PROVINCE)
    top: dict[str, dict[str, Agency]] = {}

    gov = _agency(report, rng, f"{province.name}人民政府", AgencyKind.GOVERNMENT, province)
    top[province.code] = {
        "gov": gov,
        "office": _agency(report, rng, f"{province.name}人民政府办公厅", AgencyKind.DEPARTMENT, province, gov),
        "justice": _agency(report, rng, f"{province.name}司法厅", AgencyKind.DEPARTMENT, province, gov),
        "market": _agency(report, rng, f"{province.name}市场监督管理局", AgencyKind.DEPARTMENT, province, gov),
        "env": _agency(report, rng, f"{province.name}生态环境厅", AgencyKind.DEPARTMENT, province, gov),
    }
    departments = []
    if plan is not None:
        if plan.departments > len(PROVINCIAL_DEPARTMENTS):
            raise ValueError(f"the scenario needs {plan.departments} provincial departments")
        departments = [
            _agency(report, rng, f"{province.name}{name}", AgencyKind.DEPARTMENT, province, gov)
            for name in PROVINCIAL_DEPARTMENTS[: plan.departments]
        ]
    _agency(
        report,
        rng,
        f"{province.name}司法厅行政执法监督局",
        AgencyKind.INSTITUTION,
        province,
        top[province.code]["justice"],
    )

    for city in Division.objects.filter(level=DivisionLevel.CITY).order_by("code"):
        gov = _agency(report, rng, f"{city.name}人民政府", AgencyKind.GOVERNMENT, city)
        top[city.code] = {
            "gov": gov,
            "office": _agency(report, rng, f"{city.name}人民政府办公室", AgencyKind.DEPARTMENT, city, gov),
            "justice": _agency(report, rng, f"{city.name}司法局", AgencyKind.DEPARTMENT, city, gov),
            "market": _agency(report, rng, f"{city.name}市场监督管理局", AgencyKind.DEPARTMENT, city, gov),
            "env": _agency(report, rng, f"{city.name}生态环境局", AgencyKind.DEPARTMENT, city, gov),
        }
        counties = list(Division.objects.filter(parent=city).order_by("code"))
        for index, county in enumerate(counties):
            cgov = _agency(report, rng, f"{city.name}{county.name}人民政府", AgencyKind.GOVERNMENT, county)
            top[county.code] = {
                "gov": cgov,
                "justice": _agency(report, rng, f"{city.name}{county.name}司法局", AgencyKind.DEPARTMENT, county, cgov),
                "market": _agency(
                    report,
                    rng,
                    f"{city.name}{county.name}市场监督管理局",
                    AgencyKind.DEPARTMENT,
                    county,
                    cgov,
                ),
                "office": _agency(
                    report, rng, f"{city.name}{county.name}人民政府办公室", AgencyKind.DEPARTMENT, county, cgov
                ),
            }
            used: set[str] = set()
            for t in range(1, townships_per_county + 1):
                suffix = "镇" if t % 3 else "乡"
                town = services.create_division(
                    actor=None,
                    code=f"{county.code}{t:03d}",
                    name=_place_name(rng, suffix, used),
                    level=DivisionLevel.TOWNSHIP,
                    parent=county,
                )
                report.townships += 1
                _agency(report, rng, f"{county.name}{town.name}人民政府", AgencyKind.GOVERNMENT, town, cgov)
                if index == 0:
                    for v in range(1, villages_per_township + 1):
                        services.create_division(
                            actor=None,
                            code=f"{town.code}{v:03d}",
                            name=_place_name(rng, "村", used),
                            level=DivisionLevel.VILLAGE,
                            parent=town,
                        )
                        report.villages += 1

    _create_users(top)
    report.penalties, report.licences = generate_records(rng=rng, count=records)
    if plan is not None:
        with step(f"双公示记录（{plan.year} 年）", plan.penalties + plan.licences) as advance:
            report.scenario_penalties, report.scenario_licences = bulk_records(
                rng=rng,
                penalties=plan.penalties,
                licences=plan.licences,
                year=plan.year,
                progress=advance,
                index=search_index,
            )
        _analyze()  # millions of rows in minutes: the planner must know (autovacuum may be off or behind)
        with step(f"执法人员与执法证件（{plan.year} 年颁发）", plan.officers) as advance:
            report.modules.update(
                generate_enforcement(
                    rng=rng,
                    scale=structure,
                    certified=(plan.officers, plan.year),
                    devolved=plan.devolved,
                    progress=advance,
                )
            )
        report.modules.update(generate_discretion(rng=rng, scale=structure, departments=departments, year=plan.year))
    else:
        report.modules.update(generate_enforcement(rng=rng, scale=structure))
        report.modules.update(generate_discretion(rng=rng, scale=structure))
    report.modules.update(generate_supervision(rng=rng, scale=structure))
    report.modules.update(generate_cases(rng=rng, scale=structure))
    report.modules.update(generate_oversight(rng=rng, scale=structure))  # samples the cases just closed
    report.modules.update(roll_up_figures())
    if plan is not None:
        with step(f"{plan.year} 年指标汇总", 1) as advance:
            report.modules["metric_values"] += run_rollup(actor=None, year=plan.year, fresh=True).values_written
            advance(1)
        write_report_draft(plan)
    report.users = _user_descriptions()
    return report


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk load (PostgreSQL and SQLite both keep them only on ANALYZE,
    or PostgreSQL's autovacuum when it is on and has caught up)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# username, name, position, agency key (division code, slot), role code, grant on ("division"|"agency"), description
_USERS = [
    (
        "admin",
        "系统管理员",
        "管理员",
        ("140000", "justice"),
        None,
        None,
        "系统管理员（全部权限，可进入后台）",
    ),
    (
        "sheng_sifating",
        "王建国",
        "执法监督处处长",
        ("140000", "justice"),
        "supervisor",
        "division",
        "省司法厅 · 司法行政监督（全省）",
    ),
    (
        "sheng_bangongting",
        "李晓梅",
        "督查室主任",
        ("140000", "office"),
        "office",
        "division",
        "省政府办公厅 · 13710 督办（全省）",
    ),
    (
        "taiyuan_bangongshi",
        "钱海燕",
        "督查科科长",
        ("140100", "office"),
        "office",
        "division",
        "太原市政府办公室 · 13710 督办（太原市）",
    ),
    (
        "taiyuan_shichang",
        "何建军",
        "综合科科长",
        ("140100", "market"),
        "handler",
        "agency",
        "太原市市场监督管理局 · 13710 承办",
    ),
    (
        "xiaodian_bangongshi",
        "刘洋",
        "督查股股长",
        ("140105", "office"),
        "office",
        "division",
        "小店区政府办公室 · 13710 督办（小店区，含乡镇）",
    ),
    (
        "taiyuan_sifaju",
        "赵志强",
        "执法监督科科长",
        ("140100", "justice"),
        "supervisor",
        "division",
        "太原市司法局 · 司法行政监督（太原市）",
    ),
    (
        "taiyuan_admin",
        "孙丽",
        "信息科科长",
        ("140100", "justice"),
        "admin",
        "division",
        "太原市司法局 · 系统管理员（太原市）",
    ),
    (
        "xiaodian_sifaju",
        "周明",
        "副局长",
        ("140105", "justice"),
        "supervisor",
        "division",
        "小店区司法局 · 司法行政监督（小店区，县级用户）",
    ),
    (
        "xiaodian_zhifa",
        "吴刚",
        "执法人员",
        ("140105", "market"),
        "officer",
        "agency",
        "小店区市场监督管理局 · 执法人员",
    ),
    (
        "xiaodian_shenhe",
        "郑芳",
        "法制审核员",
        ("140105", "market"),
        "reviewer",
        "agency",
        "小店区市场监督管理局 · 法制审核人员",
    ),
    (
        "xiaodian_baosong",
        "冯雪",
        "数据报送员",
        ("140105", "market"),
        "submitter",
        "agency",
        "小店区市场监督管理局 · 数据报送员",
    ),
    (
        "shangdang_sifaju",
        "陈磊",
        "局长",
        ("140404", "justice"),
        "supervisor",
        "division",
        "长治市上党区司法局 · 司法行政监督（上党区）",
    ),
]


def _create_users(top: dict[str, dict[str, Agency]]) -> None:
    roles = {r.code: r for r in Role.objects.all()}
    for username, name, position, (division_code, slot), role_code, grant_on, _ in _USERS:
        agency = top[division_code][slot]
        staff = services.create_staff(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            name=name,
            agency=agency,
            position=position,
            is_superuser=role_code is None,
        )
        if role_code is None:
            continue
        if grant_on == "division":
            services.grant_role(actor=None, user=staff.user, role=roles[role_code], division=agency.division)
        else:
            services.grant_role(actor=None, user=staff.user, role=roles[role_code], agency=agency)


def _user_descriptions() -> list[tuple[str, str]]:
    return [(u[0], u[6]) for u in _USERS]

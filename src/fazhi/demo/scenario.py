"""The "Shanxi 2020" scenario: records whose 2020 figures are the figures of the seed report.

The seed is 《山西省 2020 年度法治政府建设情况报告》 (``/work/shared/seed/000_861dec45886c02c3.txt``). For every figure
of it that fazhi has a module *and* a metric for, the scenario writes exactly the records that make that metric come
out at the reported value when the 2020 annual report of 140000 is generated::

    fazhi demo --scenario shanxi-2020            # the figures at full magnitude (what --scale full builds)
    fazhi demo --scenario shanxi-2020 --fraction 0.001

``--fraction`` scales the *magnitudes* (records, officers) for tests and quick runs: the target is
``value × fraction`` rounded half up (50,519 × 0.001 → 51; 12,140,000 × 0.001 → 12,140). Structural figures (32
departments, 57 items) are counts of things of which a province has a few dozen: they are never scaled.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SEED_DOCUMENT = "山西省 2020 年度法治政府建设情况报告"

# 双公示: the seed gives the total (1214 万条). The split between licences and penalties is ours: Shanxi's
# 信用山西 publishes far more licences than penalties; 8 % penalties is in the range of the provinces that report both.
PENALTY_SHARE = Decimal("0.08")


@dataclass(frozen=True)
class SeedFigure:
    metric: str  # the registered metric that reproduces it
    value: int  # as the seed reports it
    quote: str  # the seed's words
    scaled: bool = True  # divided by the fraction (magnitudes) or kept (structural counts)

    def target(self, fraction: Decimal) -> int:
        if not self.scaled:
            return self.value
        return int((Decimal(self.value) * fraction).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Scenario:
    code: str
    title: str
    year: int
    division: str
    figures: tuple[SeedFigure, ...]
    not_reproduced: tuple[tuple[str, str], ...]  # (the seed's figure, why fazhi does not produce it)

    def figure(self, metric: str) -> SeedFigure:
        return next(f for f in self.figures if f.metric == metric)

    def targets(self, fraction: Decimal) -> dict[str, int]:
        return {f.metric: f.target(fraction) for f in self.figures}


SHANXI_2020 = Scenario(
    code="shanxi-2020",
    title="山西 2020（种子报告）",
    year=2020,
    division="140000",
    figures=(
        SeedFigure("enforcement.officers", 50_519, "完成全省50519名行政执法人员证件颁发工作"),
        SeedFigure("enforcement.valid_certificates", 50_519, "完成全省50519名行政执法人员证件颁发工作"),
        SeedFigure("enforcement.certificates_issued", 50_519, "完成全省50519名行政执法人员证件颁发工作"),
        SeedFigure("publicity.records_published", 12_140_000, "其中包含“双公示”信息 1214 万条"),
        SeedFigure(
            "discretion.benchmark_agencies",
            32,
            "32家相关省直部门……建立完善了本领域执法裁量权基准制度",
            scaled=False,
        ),
        SeedFigure("enforcement.power_items_devolved", 57, "全年取消下放 57 项省级行政审批等事项", scaled=False),
    ),
    not_reproduced=(
        ("“信用山西”累计归集数据近 5 亿条", "归集的其他信用数据不在 fazhi 中（fazhi 只有双公示）"),
        ("双公示同比提升 300%", "需要 2019 年的 303.5 万条；场景只生成 2020 年"),
        ("“13710”信息督办系统（未给出事项数）", "报告没有给出督办事项的数字"),
        ("各市平均划转审批事项 285 项、各县 210 项，压减 20%", "相对集中行政许可权改革不在 fazhi 的模块中"),
        ("行政复议申请 2539 件、行政应诉案件 2961 件", "行政复议与应诉属于 oversight 模块（另行接入）"),
        ("规范性文件合法性审核 435 件、备案审查 8+195 件", "规范性文件备案审查属于 oversight 模块（另行接入）"),
        ("地方性法规草案 15 件、政府规章 12 件等立法数字", "fazhi 没有立法模块"),
        ("省政府常务会议 41 次、法律顾问办理法律事务 165 件", "fazhi 没有重大行政决策与法律顾问模块"),
        ("人大代表建议 913 件、政协提案 1077 件", "fazhi 没有建议提案办理模块"),
        ("制定行政执法资格管理制度 6 项", "制度文件不是 fazhi 的记录"),
        ("满意率、化解率、法律明白人、村居法律顾问、法治体检等", "不属于 fazhi 的模块"),
    ),
)

SCENARIOS = {SHANXI_2020.code: SHANXI_2020}


@dataclass(frozen=True)
class Plan:
    """What one scenario run writes (the targets at the chosen fraction)."""

    scenario: Scenario
    fraction: Decimal

    @property
    def year(self) -> int:
        return self.scenario.year

    def target(self, metric: str) -> int:
        return self.scenario.figure(metric).target(self.fraction)

    @property
    def officers(self) -> int:
        return self.target("enforcement.officers")

    @property
    def records(self) -> int:
        return self.target("publicity.records_published")

    @property
    def penalties(self) -> int:
        return int((Decimal(self.records) * PENALTY_SHARE).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def licences(self) -> int:
        return self.records - self.penalties

    @property
    def departments(self) -> int:
        return self.target("discretion.benchmark_agencies")

    @property
    def devolved(self) -> int:
        return self.target("enforcement.power_items_devolved")


# The provincial departments of Shanxi with enforcement powers (名称 as of 2020) beyond the ones every demo creates
# (办公厅、司法厅、市场监督管理局、生态环境厅): the scenario gives each one a 裁量基准.
PROVINCIAL_DEPARTMENTS = (
    "发展和改革委员会",
    "教育厅",
    "科学技术厅",
    "工业和信息化厅",
    "公安厅",
    "民政厅",
    "财政厅",
    "人力资源和社会保障厅",
    "自然资源厅",
    "住房和城乡建设厅",
    "交通运输厅",
    "水利厅",
    "农业农村厅",
    "商务厅",
    "文化和旅游厅",
    "卫生健康委员会",
    "退役军人事务厅",
    "应急管理厅",
    "审计厅",
    "能源局",
    "林业和草原局",
    "统计局",
    "医疗保障局",
    "地方金融监督管理局",
    "广播电视局",
    "体育局",
    "粮食和物资储备局",
    "人民防空办公室",
    "药品监督管理局",
    "文物局",
    "地震局",
    "气象局",
)


def _m(code: str) -> str:
    return "{{ metric:" + code + " }}"


def report_paragraphs() -> str:
    """The seed's own sentences for the figures fazhi has, with each figure a metric placeholder: the draft of the
    scenario's 2020 report starts with them, so the generated report prints fazhi's figures where the seed printed
    its own."""
    return "\n\n".join(
        [
            "（一）依法全面履行政府职能，优化营商环境迈上新台阶。深化“放管服效”改革，全年取消、下放省级行政审批等"
            f"事项{_m('enforcement.power_items_devolved')}。提升“信用山西”平台建设水平，全年公示“双公示”信息"
            f"{_m('publicity.records_published')}，其中行政许可信息{_m('publicity.licences_published')}、"
            f"行政处罚信息{_m('publicity.penalties_published')}。",
            "（二）全面推行“三项制度”，行政执法体制机制改革持续深化。"
            f"{_m('discretion.benchmark_agencies')}相关部门建立完善了本领域执法裁量权基准制度；完成全省行政执法人员"
            f"证件颁发工作，全年颁发行政执法证件{_m('enforcement.certificates_issued')}，截至年末全省在职执法人员"
            f"{_m('enforcement.officers')}、有效执法证件{_m('enforcement.valid_certificates')}，"
            "推进执法队伍持证上岗、亮证执法。",
        ]
    )


def write_report_draft(plan: Plan) -> Any:
    """The scenario's report of its year and division as a draft (``reports.services``), its first part opening
    with :func:`report_paragraphs`; ``fazhi report annual`` exports it."""
    from fazhi.org.models import Division
    from fazhi.reports import narrative, services

    division = Division.objects.get(code=plan.scenario.division)
    report = services.create_report(actor=None, division=division, year=plan.year)
    sections = {s.key: s.body for s in report.sections.all()}
    sections["measures"] = report_paragraphs() + "\n\n" + _renumbered(sections["measures"], start=3)
    return services.update_report(
        actor=None,
        report=report,
        title=narrative.default_title(division, plan.year),
        intro=report.intro,
        sections=sections,
    )


def _renumbered(text: str, *, start: int) -> str:
    """The default paragraphs (（一）…) numbered on from ``start``."""
    from fazhi.reports.narrative import NUMERALS, numeral

    out = []
    for n, paragraph in enumerate(text.split("\n\n")):
        if paragraph.startswith("（") and paragraph[1] in NUMERALS and paragraph[2] == "）":
            paragraph = f"（{numeral(start + n)}）" + paragraph[3:]
        out.append(paragraph)
    return "\n\n".join(out)

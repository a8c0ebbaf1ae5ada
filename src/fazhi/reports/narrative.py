"""The four parts of 法治政府建设年度报告 and the default narrative a new report starts from.

Figures in the narrative are placeholders, ``{{ metric:publicity.penalties_published }}``, filled from the metrics
whenever the report is shown or exported; staff edit the prose around them.
"""

from __future__ import annotations

import re
from typing import Any

from . import registry

PLACEHOLDER = re.compile(r"\{\{\s*metric:([A-Za-z0-9_.\-]+)\s*\}\}")

# 督察工作规定第24条 as restated by 司法行政机关 (DOMAIN.md §4): the required parts, in this order.
SECTIONS: list[tuple[str, str]] = [
    ("measures", "主要举措和成效"),
    ("shortcomings", "存在的不足和原因"),
    ("leaders", "党政主要负责人履行推进法治建设第一责任人职责情况"),
    ("plans", "下一年度主要安排"),
]

NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    return NUMERALS[n - 1] if 1 <= n <= len(NUMERALS) else str(n)


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text or "")


def m(code: str) -> str:
    return "{{ metric:" + code + " }}"


def government(division: Any) -> str:
    return f"{division.name}人民政府"


def default_title(division: Any, year: int) -> str:
    return f"{division.name}{year}年度法治政府建设情况报告"


def default_intro(division: Any, year: int) -> str:
    return (
        f"{year}年，{government(division)}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
        "对照法治政府建设实施纲要的各项要求，把依法行政贯穿政府工作全过程，以行政执法公开透明、执法队伍规范管理"
        "和政务督办落实为抓手推进各项任务。现将本年度法治政府建设情况报告如下。"
    )


def _group_paragraph(group: registry.MetricGroup, number: int) -> str:
    metrics = registry.metrics_of(group.code)
    figures = "，".join(f"{metric.title}{m(metric.code)}" for metric in metrics)
    return f"（{numeral(number)}）{group.title}工作有序推进。全年{figures}。"


def default_sections(division: Any, year: int) -> dict[str, str]:
    """The starting text of each part. Groups other modules register later get their own paragraph."""
    paragraphs = [
        "（一）全面推行行政执法公示，“双公示”信息公开及时准确。严格落实行政许可、行政处罚信息自作出决定之日起"
        f"7个工作日内上网公示的要求，全年公示行政许可信息{m('publicity.licences_published')}、行政处罚信息"
        f"{m('publicity.penalties_published')}，行政许可信息按时公示率{m('publicity.licences_on_time_rate')}，"
        f"行政处罚信息按时公示率{m('publicity.penalties_on_time_rate')}。对被变更、撤销的决定及时撤回公示，"
        f"全年撤回行政处罚信息{m('publicity.penalties_withdrawn')}；畅通信用修复渠道，"
        f"审核通过信用修复申请{m('publicity.credit_repairs')}，帮助市场主体重塑信用。",
        "（二）加强行政执法队伍建设，严格执法资格管理。坚持持证上岗、亮证执法，对执法人员实行申领、考试、核发、"
        f"年审全过程管理。截至年末，全{_level(division)}在职执法人员{m('enforcement.officers')}，"
        f"有效执法证件{m('enforcement.valid_certificates')}；动态调整权责清单，现行权责事项"
        f"{m('enforcement.power_items')}，做到权责法定、清单之外无权力。",
    ]
    number = 3
    for group in registry.groups():
        if group.code in {"publicity", "enforcement"} or not registry.metrics_of(group.code):
            continue
        paragraphs.append(_group_paragraph(group, number))
        number += 1
    return {
        "measures": "\n\n".join(paragraphs),
        "shortcomings": (
            "在肯定成绩的同时，我们也清醒地认识到，法治政府建设还存在一些不足：一是区域、部门之间推进不够平衡，"
            f"部分单位“双公示”信息报送不及时，全年仍有行政处罚信息{m('publicity.penalties_late')}、"
            f"行政许可信息{m('publicity.licences_late')}超期公示；二是基层执法力量相对薄弱，执法人员培训和持证管理"
            "仍需加强；三是运用信息化手段监督行政权力运行的能力还需提升。产生这些问题的原因主要是个别单位对法治政府"
            "建设的重要性认识不足，工作机制和考核措施落实不够到位。"
        ),
        "leaders": (
            f"{government(division)}主要负责同志认真履行推进法治建设第一责任人职责，坚持重要工作亲自部署、重大问题"
            "亲自过问、重点环节亲自协调、重要任务亲自督办。定期听取法治政府建设工作汇报，研究解决行政执法、"
            "规范性文件管理等方面的重点问题；带头尊法学法守法用法，落实政府常务会议会前学法制度，带头出庭应诉；"
            "将法治政府建设纳入政府工作全局统筹推进，纳入年度目标责任考核。"
        ),
        "plans": (
            f"{year + 1}年，我们将以深入学习贯彻习近平法治思想为主线，重点做好以下工作：一是持续规范行政执法，"
            "全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，确保“双公示”信息全部按时公示；"
            "二是加强执法队伍和执法证件管理，按期完成年审，推进执法人员培训全覆盖；三是健全行政权力制约监督体系，"
            "强化督办事项跟踪问效；四是加强法治宣传教育，持续提升领导干部和工作人员依法行政能力。"
        ),
    }


def _level(division: Any) -> str:
    if division.level == "province":
        return "省"
    if division.level == "city":
        return "市"
    return division.name[-1] if division.name and division.name[-1] in "县区市旗" else "辖区"

"""Demo benchmarks: synthetic but realistic 裁量基准 of the demo province's environment and market regulators,
built through the same spreadsheet import and services as real ones (no ../shared/data needed).

Every document, item and note says 演示数据: the violations and legal bases are modelled on real tables (环境保护、
市场监管 laws and the way 广东's table splits a statutory range by circumstances), the document numbers and amounts
are invented. The environment benchmark has two versions (a 2021 one replaced in 2024), so the calculator's
“version in force on a date” can be tried out.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fazhi.org.choices import DivisionLevel
from fazhi.org.models import Agency

from . import services
from .models import DiscretionBenchmark
from .spreadsheet import write_csv

SYNTHETIC = "演示数据：根据真实裁量基准的结构生成，文号、条款对应关系与金额均为虚构，不能作为执法依据。"
ITEMS_PER_SCALE = {"small": 4, "medium": 8, "large": 12}


@dataclass(frozen=True)
class _Template:
    violation: str
    provision: str
    basis: str
    low: int  # statutory range in yuan (multiples: times the base)
    high: int
    factors: tuple[tuple[str, tuple[str, ...]], ...]
    base: str = ""  # fines as multiples of this base


_FACTORS_DURATION = ("违法行为持续时间", ("3个月以下", "3个月以上6个月以下", "6个月以上"))
_FACTORS_REPEAT = ("近二年同类违法行为", ("1次", "2次", "3次以上"))
_FACTORS_FIX = ("整改情况", ("限期内改正", "逾期未改正"))
_FACTORS_AREA = ("所在区域", ("一般区域", "环境敏感区"))
_FACTORS_COOPERATE = ("配合调查情况", ("配合调查", "不配合调查"))

_ENVIRONMENT = [
    _Template(
        "未按照规定对所排放的水污染物自行监测，或者未保存原始监测记录（演示）",
        "《中华人民共和国水污染防治法》第二十三条第一款",
        "《中华人民共和国水污染防治法》第八十二条第一项：……处二万元以上二十万元以下的罚款。",
        20_000,
        200_000,
        (_FACTORS_FIX, _FACTORS_REPEAT),
    ),
    _Template(
        "未密闭煤炭、煤矸石、煤渣、煤灰、水泥、石灰、石膏、砂土等易产生扬尘的物料（演示）",
        "《中华人民共和国大气污染防治法》第七十二条第一款",
        "《中华人民共和国大气污染防治法》第一百一十七条第一项：……处一万元以上十万元以下的罚款。",
        10_000,
        100_000,
        (_FACTORS_REPEAT,),
    ),
    _Template(
        "重点排污单位不公开或者不如实公开自动监测数据（演示）",
        "《中华人民共和国大气污染防治法》第二十四条第一款",
        "《中华人民共和国大气污染防治法》第一百条第三项：……处二万元以上二十万元以下的罚款。",
        20_000,
        200_000,
        (_FACTORS_DURATION, _FACTORS_FIX),
    ),
    _Template(
        "未按照规定设置危险废物识别标志（演示）",
        "《中华人民共和国固体废物污染环境防治法》第七十七条",
        "《中华人民共和国固体废物污染环境防治法》第一百一十二条第一项：……处十万元以上一百万元以下的罚款。",
        100_000,
        1_000_000,
        (_FACTORS_AREA, _FACTORS_COOPERATE),
    ),
    _Template(
        "技术机构向建设单位、从事环境影响评价工作的单位收取费用（演示）",
        "《建设项目环境保护管理条例》第九条第三款",
        "《建设项目环境保护管理条例》第二十四条：……处所收费用1倍以上3倍以下的罚款。",
        1,
        3,
        (_FACTORS_REPEAT, _FACTORS_FIX),
        base="所收费用",
    ),
    _Template(
        "拒绝、阻挠生态环境主管部门监督检查，或者在接受监督检查时弄虚作假（演示）",
        "《中华人民共和国大气污染防治法》第二十九条",
        "《中华人民共和国大气污染防治法》第九十八条：……处二万元以上二十万元以下的罚款。",
        20_000,
        200_000,
        (_FACTORS_COOPERATE, _FACTORS_REPEAT),
    ),
]
_MARKET = [
    _Template(
        "生产经营不符合法律、法规或者食品安全标准的食品（演示）",
        "《中华人民共和国食品安全法》第三十四条",
        "《中华人民共和国食品安全法》第一百二十四条：……货值金额不足一万元的，并处五万元以上十万元以下罚款。",
        50_000,
        100_000,
        (_FACTORS_REPEAT, _FACTORS_COOPERATE),
    ),
    _Template(
        "销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品（演示）",
        "《中华人民共和国产品质量法》第十三条",
        "《中华人民共和国产品质量法》第四十九条：……并处违法生产、销售产品货值金额等值以上三倍以下的罚款。",
        1,
        3,
        (_FACTORS_REPEAT, _FACTORS_FIX),
        base="货值金额",
    ),
    _Template(
        "经营者实施混淆行为，引人误认为是他人商品或者与他人存在特定联系（演示）",
        "《中华人民共和国反不正当竞争法》第六条",
        "《中华人民共和国反不正当竞争法》第十八条：……违法经营额五万元以上的，可以并处违法经营额五倍以下的罚款。",
        1,
        5,
        (_FACTORS_DURATION, _FACTORS_COOPERATE),
        base="违法经营额",
    ),
    _Template(
        "未按照规定公示年度报告（演示）",
        "《企业信息公示暂行条例》第八条",
        "《企业信息公示暂行条例》第十八条：……处一万元以上五万元以下的罚款。",
        10_000,
        50_000,
        (_FACTORS_FIX,),
    ),
]


def _fine(template: _Template, low: Decimal, high: Decimal) -> str:
    if template.base:
        return f"{template.base}{low.normalize():f}倍以上{high.normalize():f}倍以下"
    return f"{int(low)}元以上{int(high)}元以下"


def _rows(code: str, template: _Template, rng: random.Random, shift: Decimal) -> list[dict[str, str]]:
    """One item: every combination of its factors, the statutory range cut into rising bands (rounded), and the
    heaviest circumstance (造成严重后果) at the maximum; grades left to the midpoint rule, as in 广东's table."""
    combos = list(itertools.product(*(options for _, options in template.factors)))
    step = Decimal(template.high - template.low) / (len(combos) + 1)
    unit = Decimal("0.1") if template.base else Decimal(1000)
    rows = []
    for n, combo in enumerate(combos):
        low = Decimal(template.low) + step * n * (1 + shift)
        high = min(Decimal(template.low) + step * (n + 1) * (1 + shift), Decimal(template.high))
        low, high = (low / unit).quantize(Decimal(1)) * unit, (high / unit).quantize(Decimal(1)) * unit
        if high <= low:
            high = low + unit
        conditions = "；".join(f"{name}：{option}" for (name, _), option in zip(template.factors, combo, strict=True))
        rows.append({"事项编码": code, "情形": conditions, "罚款": _fine(template, low, high), "来源": "演示数据"})
    top = template.high
    rows.append(
        {
            "事项编码": code,
            "情形": f"{template.factors[0][0]}：造成严重后果或者恶劣社会影响的",
            "罚款": f"{template.base}{top}倍" if template.base else f"{top}元",
            "来源": "演示数据",
        }
    )
    rows[0].update(
        {
            "违法行为": template.violation,
            "违反条款": template.provision,
            "处罚依据": template.basis,
            "备注": SYNTHETIC if rng.random() < 0.5 else "演示数据",
        }
    )
    return rows


def _import(benchmark: DiscretionBenchmark, rows: list[dict[str, str]]) -> None:
    file = io.BytesIO(write_csv(rows))
    file.name = "演示裁量基准.csv"
    report = services.import_items(actor=None, benchmark=benchmark, file=file)
    if report.errors:  # the generator's own rows: a failure here is a bug, not bad input
        raise RuntimeError("; ".join(p.message for p in report.errors[:3]))


def _agency(suffix: str) -> Agency | None:
    return (
        Agency.objects.filter(division__level=DivisionLevel.PROVINCE, name__endswith=suffix)
        .select_related("division")
        .first()
    )


def generate_discretion(
    *, rng: random.Random, scale: str, departments: Sequence[Agency] = (), year: int | None = None
) -> dict[str, int]:
    """Benchmarks of the province's 生态环境厅 (two versions) and 市场监督管理局, through the services.

    ``departments`` (the "Shanxi 2020" scenario): each of these agencies also publishes a benchmark that takes
    effect during ``year`` and is still in force at its end.

    Returns counts: benchmarks (versions), items and rules written. Does nothing when the agencies do not exist."""
    count = ITEMS_PER_SCALE[scale]
    env, market = _agency("生态环境厅"), _agency("市场监督管理局")
    made = {"benchmarks": 0, "items": 0, "rules": 0}

    def build(
        agency: Agency, templates: list[_Template], prefix: str, number: str, domain: str, day: dt.date
    ) -> DiscretionBenchmark:
        chosen = [templates[i % len(templates)] for i in range(count)]
        rows = [r for n, t in enumerate(chosen, 1) for r in _rows(f"{prefix}-{n}", t, rng, Decimal(0))]
        benchmark = services.create_benchmark(
            actor=None,
            agency=agency,
            title=f"{agency.division.name}{domain}行政处罚裁量基准（演示数据）",
            doc_number=number,
            domain=domain,
            effective_from=day,
            note=SYNTHETIC,
        )
        _import(benchmark, rows)
        made["benchmarks"] += 1
        made["items"] += len(chosen)
        made["rules"] += len(rows)
        return services.publish_benchmark(actor=None, benchmark=benchmark)

    if env is not None:
        first = build(
            env,
            _ENVIRONMENT,
            "HJ",
            "晋环法〔2021〕3号",
            "山西省生态环境行政处罚裁量基准（演示数据）",
            dt.date(2021, 6, 1),
        )
        second = services.create_version(
            actor=None,
            benchmark=first,
            doc_number="晋环法〔2024〕5号",
            effective_from=dt.date(2024, 3, 1),
            note=SYNTHETIC + " 2024 年修订：各档罚款下限上调。",
        )
        rows = [
            r
            for n, t in enumerate([_ENVIRONMENT[i % len(_ENVIRONMENT)] for i in range(count)], 1)
            for r in _rows(f"HJ-{n}", t, rng, Decimal("0.05"))
        ]
        _import(second, rows)
        services.publish_benchmark(actor=None, benchmark=second)
        made["benchmarks"] += 1
    if market is not None:
        build(
            market,
            _MARKET,
            "SJ",
            "晋市监法〔2022〕8号",
            "山西省市场监管行政处罚裁量基准（演示数据）",
            dt.date(2022, 3, 1),
        )
    if departments and year is not None:
        templates = _ENVIRONMENT + _MARKET
        for n, agency in enumerate(departments):
            start = n * 2 % len(templates)
            chosen = [templates[(start + i) % len(templates)] for i in range(2)]
            rows = [r for i, t in enumerate(chosen, 1) for r in _rows(f"BM{n + 1:02d}-{i}", t, rng, Decimal(0))]
            department = agency.name.removeprefix(agency.division.name)
            benchmark = services.create_benchmark(
                actor=None,
                agency=agency,
                title=f"{agency.name}行政处罚裁量基准（演示数据）",
                doc_number=f"晋{department[:2]}规〔{year}〕{n % 9 + 1}号",
                domain=f"{department}行政执法（演示数据）",
                effective_from=dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(30, 330)),
                note=SYNTHETIC,
            )
            _import(benchmark, rows)
            services.publish_benchmark(actor=None, benchmark=benchmark)
            made["benchmarks"] += 1
            made["items"] += len(chosen)
            made["rules"] += len(rows)
    return made

"""Demo 双公示 records, written through the same validation and import service as real files."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from fazhi.core.identifiers import make_uscc, resident_id_check_char
from fazhi.org.models import Agency
from fazhi.publicity import services
from fazhi.publicity.validation import CleanRow, clean_row

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
_TRADES = ["商贸", "化工", "煤业", "建材", "食品", "物流", "餐饮", "药业", "机械", "科技"]
_VIOLATIONS = [
    ("未按规定公示年度报告", "《企业信息公示暂行条例》第十八条", "罚款"),
    ("超标排放大气污染物", "《中华人民共和国大气污染防治法》第九十九条", "罚款"),
    ("销售不符合食品安全标准的食品", "《中华人民共和国食品安全法》第一百二十四条", "没收违法所得、罚款"),
    ("无证无照经营", "《无证无照经营查处办法》第十三条", "警告"),
    ("未取得安全生产许可证擅自生产", "《安全生产许可证条例》第十九条", "责令停产停业、罚款"),
]
# Decisions over the last year and a half: the dashboards open on last year and also offer this one, so both have
# figures right after ``fazhi demo``.
_SPAN_DAYS = 540
_LICENCES = [
    ("食品经营许可", "食品经营许可证", "普通"),
    ("排污许可", "排污许可证", "普通"),
    ("建筑工程施工许可", "建筑工程施工许可证", "核准"),
    ("道路运输经营许可", "道路运输经营许可证", "特许"),
]


def _id_number(rng: random.Random, division: str) -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 15000))
    body = f"{division[:6]}{birth:%Y%m%d}{rng.randint(100, 999)}"
    return body + resident_id_check_char(body)


def agencies_for_records() -> list[Agency]:
    """The agencies that submit the demo's records: the market regulators and the city environment bureaus."""
    return list(Agency.objects.filter(name__endswith="市场监督管理局").select_related("division")) + list(
        Agency.objects.filter(name__endswith="生态环境局").select_related("division")
    )


def generate_records(*, rng: random.Random, count: int) -> tuple[int, int]:
    """``count`` penalties and ``count`` licences over the county market regulators and environment bureaus."""
    agencies = agencies_for_records()
    today = timezone.localdate()
    penalties: list[tuple[int, CleanRow, dt.date]] = []
    licences: list[tuple[dt.date, int, CleanRow]] = []
    for n in range(count):
        agency = rng.choice(agencies)
        decided = today - dt.timedelta(days=rng.randint(1, _SPAN_DAYS))
        trade = rng.choice(_TRADES)
        place = agency.division.name.removesuffix("区").removesuffix("县").removesuffix("市")
        company = f"{place}{rng.choice('鑫华泰安盛隆恒丰')}{rng.choice('源达宇通兴辉')}{trade}有限公司"
        uscc = make_uscc("91", agency.division.code[:6], f"{rng.randint(10_000_000, 99_999_999)}")
        person = rng.random() < 0.15
        violation, basis, kinds = rng.choice(_VIOLATIONS)
        amount = rng.choice([0.2, 0.5, 1, 2, 3.5, 5, 10, 16])
        row = {
            "party_name": rng.choice(_SURNAMES) + rng.choice(_GIVEN) if person else company,
            "party_category": "自然人" if person else "法人及非法人组织",
            "party_uscc": "" if person else uscc,
            "party_id_type": "身份证" if person else "",
            "party_id_number": _id_number(rng, agency.division.code) if person else "",
            "legal_rep": "" if person else rng.choice(_SURNAMES) + rng.choice(_GIVEN),
            "doc_number": f"{place}{'市监' if '市场' in agency.name else '环'}罚〔{decided.year}〕{n + 1}号",
            "violation_type": violation,
            "facts": f"{decided:%Y年%-m月%-d日}检查发现，当事人{violation}。",
            "basis": basis,
            "kinds": kinds,
            "content": "警告" if kinds == "警告" else f"罚款{amount:g}万元",
            "fine_wan": "" if kinds == "警告" else f"{amount:g}",
            "decided_on": decided.isoformat(),
            "decision_agency_name": agency.name,
            "decision_agency_uscc": agency.uscc,
            "source_agency_name": agency.name,
            "source_agency_uscc": agency.uscc,
        }
        published = min(today, decided + dt.timedelta(days=rng.choice([1, 2, 3, 5, 6, 8, 12])))
        penalties.append((n + 2, clean_row("penalty", row, today=today), published))
        item, certificate, category = rng.choice(_LICENCES)
        valid_from = today - dt.timedelta(days=rng.randint(1, _SPAN_DAYS))
        licences.append(
            (
                min(today, valid_from + dt.timedelta(days=rng.choice([1, 2, 4, 6, 9]))),
                n + 2,
                clean_row(
                    "licence",
                    {
                        "party_name": company,
                        "party_category": "法人及非法人组织",
                        "party_uscc": uscc,
                        "legal_rep": row["legal_rep"] or "王伟",
                        "doc_title": f"关于{company}{item}的决定",
                        "doc_number": f"{place}许〔{valid_from.year}〕{n + 1}号",
                        "category": category,
                        "certificate_name": certificate,
                        "licence_number": f"SX{agency.division.code}{n:06d}",
                        "content": f"准予{item}",
                        "decided_on": valid_from.isoformat(),
                        "valid_from": valid_from.isoformat(),
                        "valid_until": "2099-12-31"
                        if rng.random() < 0.2
                        else (valid_from + dt.timedelta(days=1825)).isoformat(),
                        "decision_agency_name": agency.name,
                        "decision_agency_uscc": agency.uscc,
                        "source_agency_name": agency.name,
                        "source_agency_uscc": agency.uscc,
                    },
                    today=today,
                ),
            )
        )
    # Each record is "received" a few days after its decision, so most are on time and some are late.
    created_p = _import_by_day("penalty", [(published, (n, row)) for n, row, published in penalties])
    created_l = _import_by_day("licence", [(published, (n, row)) for published, n, row in licences])
    return created_p, created_l


def _import_by_day(kind: str, items: list[tuple[dt.date, tuple[int, CleanRow]]]) -> int:
    by_day: dict[dt.date, list[tuple[int, CleanRow]]] = {}
    for day, row in items:
        by_day.setdefault(day, []).append(row)
    created = 0
    for day in sorted(by_day):
        created += services.import_records(
            actor=None, kind=kind, rows=by_day[day], today=day, source="演示数据"
        ).created
    return created

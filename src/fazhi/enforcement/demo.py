"""Demo data for the enforcement module, written through its services (so the audit chain and the search index are
complete): a body for every market-regulation and environment agency the demo created, a comprehensive enforcement
team per city, officers with certificates in every state of the lifecycle (dated steps over the past years), and
power lists with adjustments.

``generate_enforcement`` runs after ``fazhi.demo.generate`` (it needs its agencies); it does nothing when bodies
exist already.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fazhi.audit.services import record_event
from fazhi.clock.calendar import shift_months
from fazhi.core.bulk import insert_values, reserve_pks
from fazhi.core.identifiers import resident_id_check_char
from fazhi.org.choices import DivisionLevel
from fazhi.org.models import Agency
from fazhi.portal import index as search_index

from . import lifecycle, services
from .choices import CertificateAction, Employment, OfficerStatus
from .models import (
    Certificate,
    CertificateEvent,
    CertificateSerial,
    Domain,
    EnforcementBody,
    Officer,
    PowerAdjustment,
    PowerItem,
)
from .numbers import MULTI_DOMAIN, make_number

# officers in all, and whether county bodies get power lists too
SCALES = {"small": (40, False), "medium": (400, True), "large": (4000, True)}

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华志强晓东海燕红梅立新文博宇航思远嘉怡子涵浩然"
# Counties and cities of the demo's users come first, so they find officers in their own jurisdiction.
_FIRST = ("140105", "140100", "140000", "140404")

_REMEDY = (
    "对本机关作出的行政行为不服的，可以自知道该行为之日起六十日内向{reviewer}申请行政复议，"
    "也可以自知道该行为之日起六个月内依法向人民法院提起行政诉讼。投诉举报：12345 政务服务便民热线。"
)
_PROCEDURE = (
    "立案 → 调查取证（执法人员不少于两人，主动出示执法证件）→ 重大执法决定法制审核 → 告知陈述、申辩和听证权利 → "
    "作出决定 → 送达 → 执行 → 结案归档。全过程文字和音像记录。"
)
_BASIS = {
    "market": "《中华人民共和国行政处罚法》；《中华人民共和国食品安全法》；《中华人民共和国产品质量法》；"
    "《市场监督管理行政处罚程序规定》",
    "environment": "《中华人民共和国行政处罚法》；《中华人民共和国环境保护法》；《中华人民共和国大气污染防治法》；"
    "《中华人民共和国水污染防治法》",
}
# (code prefix, name, category, legal basis, random inspection scope)
_ITEMS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "market": [
        ("XK", "食品生产许可", "licence", "《中华人民共和国食品安全法》第三十五条", ""),
        ("XK", "食品经营许可", "licence", "《中华人民共和国食品安全法》第三十五条", ""),
        ("CF", "对生产经营不符合食品安全标准的食品的处罚", "penalty", "《中华人民共和国食品安全法》第一百二十四条", ""),
        ("CF", "对无照经营的处罚", "penalty", "《无证无照经营查处办法》第十三条", ""),
        (
            "CF",
            "对生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的处罚",
            "penalty",
            "《中华人民共和国产品质量法》第四十九条",
            "",
        ),
        ("QZ", "查封、扣押不符合食品安全标准的食品", "coercion", "《中华人民共和国食品安全法》第一百一十条", ""),
        (
            "JC",
            "食品生产经营监督检查",
            "inspection",
            "《中华人民共和国食品安全法》第一百一十条",
            "食品生产经营者，按不低于 5% 的比例随机抽取，每年至少一次",
        ),
        (
            "JC",
            "企业公示信息抽查",
            "inspection",
            "《企业信息公示暂行条例》第十四条",
            "辖区内登记的企业，按不低于 3% 的比例随机抽取，每年一次",
        ),
    ],
    "environment": [
        ("XK", "排污许可证核发", "licence", "《排污许可管理条例》第三条", ""),
        ("CF", "对超过大气污染物排放标准排放污染物的处罚", "penalty", "《中华人民共和国大气污染防治法》第九十九条", ""),
        ("CF", "对未依法取得排污许可证排放污染物的处罚", "penalty", "《排污许可管理条例》第三十三条", ""),
        ("QZ", "查封、扣押造成污染物排放的设施、设备", "coercion", "《中华人民共和国环境保护法》第二十五条", ""),
        (
            "JC",
            "排污单位监督检查",
            "inspection",
            "《中华人民共和国环境保护法》第二十四条",
            "重点排污单位每年抽查比例不低于 20%，一般排污单位不低于 5%",
        ),
        ("ZS", "环境保护税征收协作（涉税信息）", "levy", "《中华人民共和国环境保护税法》第十五条", ""),
    ],
}


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _id_number(rng: random.Random, division_code: str, serial: int) -> str:
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 33 * 365))
    body = f"{division_code[:6]}{birth:%Y%m%d}{serial % 1000:03d}"
    return body + resident_id_check_char(body)


def _domain_of(name: str) -> str:
    """The demo's agencies (and their bodies) are named ``…市场监督管理局`` or ``…生态环境厅/局``."""
    return "market" if name.endswith("市场监督管理局") else "environment"


def _bodies(domains: dict[str, Domain]) -> list[EnforcementBody]:
    agencies = (
        Agency.objects.filter(
            Q(name__endswith="市场监督管理局") | Q(name__endswith="生态环境厅") | Q(name__endswith="生态环境局")
        )
        .select_related("division", "parent")
        .order_by("division__code", "pk")
    )
    made = []
    for agency in agencies:
        key = _domain_of(agency.name)
        reviewer = agency.parent.name if agency.parent else "本级人民政府"
        made.append(
            services.create_body(
                actor=None,
                name=agency.name,
                kind="agency",
                division=agency.division,
                agency=agency,
                uscc=agency.uscc or "",
                legal_basis=_BASIS[key],
                domains=[domains[key]],
                remedy_channels=_REMEDY.format(reviewer=reviewer),
                procedure=_PROCEDURE,
                contact=f"{agency.division.name}政务服务中心",
            )
        )
        if key == "market" and agency.division.level == DivisionLevel.CITY:
            made.append(
                services.create_body(
                    actor=None,
                    name=f"{agency.division.name}市场监管综合行政执法支队",
                    kind="team",
                    division=agency.division,
                    agency=agency,
                    legal_basis="《中共中央办公厅 国务院办公厅关于深化市场监管综合行政执法改革的指导意见》；"
                    "本级机构编制委员会批复",
                    domains=[domains["market"], domains["health"], domains["commerce"]],
                    remedy_channels=_REMEDY.format(reviewer=agency.name),
                    procedure=_PROCEDURE,
                )
            )
    return made


# --- certificates: one scenario per officer, each a sequence of dated service calls -------------------------------


def _issue(
    officer: Any, domains: list[Domain], issued: dt.date, today: dt.date, *, reviews: bool = True
) -> Certificate:
    cert = services.apply_for_certificate(
        actor=None, officer=officer, domains=domains, on=issued - dt.timedelta(days=21)
    )
    cert = services.record_exam(
        actor=None,
        certificate=cert,
        score=60 + (officer.pk * 7) % 40,
        training_hours=40,
        on=issued - dt.timedelta(days=10),
    )
    cert = services.issue_certificate(actor=None, certificate=cert, on=issued)
    return _review_years(cert, today) if reviews else cert


def _review_years(cert: Certificate, today: dt.date, until: dt.date | None = None) -> Certificate:
    assert cert.issued_on is not None and cert.expires_on is not None  # noqa: S101 - just issued
    year = 1
    last = min(today, until or today, cert.expires_on)
    while shift_months(cert.issued_on, 12 * year) <= last:
        cert = services.review_certificate(
            actor=None, certificate=cert, passed=True, on=shift_months(cert.issued_on, 12 * year)
        )
        year += 1
    return cert


def _after(cert: Certificate, today: dt.date, rng: random.Random) -> dt.date:
    last = cert.events.order_by("-on").values_list("on", flat=True).first() or today
    return min(today, last + dt.timedelta(days=rng.randrange(1, 60)))


def _active(o: Any, d: list[Domain], today: dt.date, rng: random.Random) -> Certificate:
    return _issue(o, d, today - dt.timedelta(days=rng.randrange(20, 4 * 365)), today)


def _renewed(o: Any, d: list[Domain], today: dt.date, rng: random.Random) -> Certificate:
    old = _issue(o, d, today - dt.timedelta(days=rng.randrange(5 * 365 + 30, 6 * 365)), today)
    assert old.expires_on is not None  # noqa: S101
    return _review_years(
        services.renew_certificate(actor=None, certificate=old, on=old.expires_on - dt.timedelta(days=30)), today
    )


def _suspended(o: Any, d: list[Domain], today: dt.date, rng: random.Random) -> Certificate:
    cert = _active(o, d, today, rng)
    return services.suspend_certificate(
        actor=None, certificate=cert, reason="涉嫌违反执法纪律，正在调查", on=_after(cert, today, rng)
    )


def _revoked(o: Any, d: list[Domain], today: dt.date, rng: random.Random) -> Certificate:
    cert = _active(o, d, today, rng)
    return services.revoke_certificate(
        actor=None, certificate=cert, reason="受到撤职处分", doc_number="晋司罚〔2025〕3号", on=_after(cert, today, rng)
    )


def _cancelled(reason: str) -> Callable[[Any, list[Domain], dt.date, random.Random], Certificate]:
    def make(o: Any, d: list[Domain], today: dt.date, rng: random.Random) -> Certificate:
        cert = _active(o, d, today, rng)
        return services.cancel_certificate(
            actor=None, certificate=cert, cancel_reason=reason, on=_after(cert, today, rng)
        )

    return make


def _reissued(o: Any, d: list[Domain], today: dt.date, rng: random.Random) -> Certificate:
    cert = _active(o, d, today, rng)
    lost_on = _after(cert, today, rng)
    cert = services.report_certificate_loss(
        actor=None, certificate=cert, reason="执法检查途中遗失，已登报声明作废", on=lost_on
    )
    return services.reissue_certificate(actor=None, certificate=cert, on=min(today, lost_on + dt.timedelta(days=5)))


def _expired(o: Any, d: list[Domain], today: dt.date, rng: random.Random) -> Certificate:
    return _issue(o, d, today - dt.timedelta(days=rng.randrange(6 * 365, 7 * 365)), today)


def _review_overdue(o: Any, d: list[Domain], today: dt.date, rng: random.Random) -> Certificate:
    return _issue(o, d, today - dt.timedelta(days=rng.randrange(500, 700)), today, reviews=False)


def _applied(o: Any, d: list[Domain], today: dt.date, rng: random.Random) -> Certificate:
    return services.apply_for_certificate(
        actor=None, officer=o, domains=d, on=today - dt.timedelta(days=rng.randrange(1, 20))
    )


def _exam_passed(o: Any, d: list[Domain], today: dt.date, rng: random.Random) -> Certificate:
    cert = _applied(o, d, today, rng)
    return services.record_exam(actor=None, certificate=cert, score=78, training_hours=40, on=_after(cert, today, rng))


_SCENARIOS: list[tuple[int, Callable[[Any, list[Domain], dt.date, random.Random], Certificate]]] = [
    (55, _active),
    (10, _renewed),
    (7, _suspended),
    (3, _revoked),
    (5, _cancelled("retirement")),
    (3, _cancelled("transfer")),
    (5, _reissued),
    (4, _expired),
    (3, _review_overdue),
    (3, _applied),
    (2, _exam_passed),
]


def _officers(bodies: list[EnforcementBody], count: int, rng: random.Random, today: dt.date) -> int:
    certified = [b for b in bodies if b.kind == "agency"]
    # the county demo user's body first (every state of the lifecycle shows there), then the other demo users'
    first = sorted((b for b in certified if b.division.code in _FIRST), key=lambda b: _FIRST.index(b.division.code))
    first = [first[0]] * 12 + first if first else []
    weights, scenarios = zip(*_SCENARIOS, strict=True)
    made = certified_count = 0
    for n in range(count):
        body = first[n] if n < len(first) else rng.choice(certified)
        employment = (
            rng.choice([Employment.TEMPORARY, Employment.CONTRACT, Employment.DISPATCHED])
            if rng.random() < 0.08
            else rng.choice([Employment.CIVIL_SERVANT, Employment.CIVIL_SERVANT, Employment.REFERENCE_MANAGED])
        )
        officer = services.create_officer(
            actor=None,
            body=body,
            name=_name(rng),
            id_number=_id_number(rng, body.division.code, n),
            employment=employment,
            position=rng.choice(["科员", "一级主办", "二级主办", "执法队员", "副科长"]),
            phone=f"139{rng.randrange(10**8):08d}",
        )
        made += 1
        if employment in (Employment.TEMPORARY, Employment.CONTRACT, Employment.DISPATCHED):
            continue  # registered as 辅助人员; never certified (the service would refuse)
        # every state at least once (the first certified officers), then in proportion
        scenario = (
            scenarios[certified_count] if certified_count < len(scenarios) else rng.choices(scenarios, weights)[0]
        )
        scenario(officer, list(body.domains.all()), today, rng)
        certified_count += 1
    return made


# --- power lists --------------------------------------------------------------------------------------------------


def _power_lists(bodies: list[EnforcementBody], with_counties: bool, rng: random.Random) -> None:
    by_division = {b.division.code: b for b in bodies if b.kind == "agency" and _domain_of(b.name) == "market"}
    added = dt.date(2020, 3, 1)
    for body in bodies:
        if body.kind != "agency":
            continue
        level = body.division.level
        if level == DivisionLevel.COUNTY and not (with_counties or body.division.code in _FIRST):
            continue
        key = _domain_of(body.name)
        templates = _ITEMS[key] if level != DivisionLevel.COUNTY else _ITEMS[key][2:5]
        prefix = "晋政办发" if level == DivisionLevel.PROVINCE else f"{body.division.name[:2]}政办发"
        counter: Counter[str] = Counter()
        items = []
        for code, name, category, basis, inspection in templates:
            counter[code] += 1
            items.append(
                services.create_power_item(
                    actor=None,
                    body=body,
                    code=f"{body.division.code[:6]}-{code}-{counter[code]:03d}",
                    name=name,
                    category=category,
                    legal_basis=basis,
                    domain=body.domains.first(),
                    random_inspection=bool(inspection),
                    inspection_scope=inspection,
                    effective_on=added,
                    doc_number=f"{prefix}〔2020〕{rng.randrange(5, 60)}号",
                )
            )
        # 行政处罚法 revised (2021-07-15): the penalty items' basis is updated
        for item in items:
            if item.category == "penalty" and rng.random() < 0.5:
                services.adjust_power_item(
                    actor=None,
                    item=item,
                    kind="changed",
                    effective_on=dt.date(2021, 7, 15),
                    doc_number=f"{prefix}〔2021〕{rng.randrange(60, 90)}号",
                    reason="《中华人民共和国行政处罚法》修订，更新设定依据",
                    changes={"legal_basis": item.legal_basis + "；《中华人民共和国行政处罚法》（2021年修订）"},
                )
        if level == DivisionLevel.PROVINCE and key == "market":
            # a licence delegated (下放) to the Taiyuan body, one item cancelled
            target = by_division.get("140100")
            if target is not None:
                services.adjust_power_item(
                    actor=None,
                    item=items[1],
                    kind="delegated",
                    effective_on=dt.date(2021, 10, 1),
                    doc_number="晋政发〔2021〕26号",
                    reason="食品经营许可下放至设区的市实施",
                    to_body=target,
                )
            services.adjust_power_item(
                actor=None,
                item=items[3],
                kind="cancelled",
                effective_on=dt.date(2023, 3, 1),
                doc_number="晋政发〔2023〕4号",
                reason="并入综合监管事项，不再单列",
            )
        if level == DivisionLevel.CITY and key == "market":
            team = next((b for b in bodies if b.kind == "team" and b.division_id == body.division_id), None)
            if team is not None:
                services.adjust_power_item(
                    actor=None,
                    item=items[2],
                    kind="transferred",
                    effective_on=dt.date(2022, 6, 1),
                    doc_number=f"{prefix}〔2022〕{rng.randrange(10, 40)}号",
                    reason="划转至市场监管综合行政执法支队实施",
                    to_body=team,
                )


# --- the "Shanxi 2020" scenario (fazhi.demo.scenario): figures of a given year, exactly ------------------------------

# 省级行政审批等事项 of the provincial regulators, cancelled or delegated in the scenario's year (names modelled on
# the real 取消下放 lists; codes and documents are the demo's own)
_DEVOLVED = {
    "market": (
        "工业产品生产许可证核发（部分产品）",
        "特种设备安装、改造、修理许可",
        "计量标准器具核准",
        "检验检测机构资质认定（部分类别）",
        "食品添加剂生产许可",
        "特种设备检验、检测人员资格认定",
        "承担国家法定计量检定机构任务授权",
        "重要工业产品生产许可证审查",
        "广告发布登记",
        "企业名称预先核准（部分）",
    ),
    "environment": (
        "建设项目环境影响报告书审批（部分类别）",
        "危险废物经营许可证核发",
        "辐射安全许可证核发（部分类别）",
        "放射性同位素转让审批",
        "排污许可证核发（部分行业）",
        "危险废物跨省转移审批",
        "建设项目环境影响登记表备案指导",
        "医疗废物集中处置单位许可",
    ),
}


_IN_SERVICE = [Employment.CIVIL_SERVANT, Employment.CIVIL_SERVANT, Employment.REFERENCE_MANAGED]


def _certified_in(
    bodies: list[EnforcementBody],
    count: int,
    year: int,
    rng: random.Random,
    today: dt.date,
    progress: Callable[[int], None] | None,
) -> None:
    """``count`` officers on duty (在编), each holding a certificate issued in ``year`` — applied for, examined and
    issued (a province's 统一换发) — and still valid on 31 December of that year.

    Written in bulk (50,519 officers through the services take hours): the same rows the services write — officer,
    certificate with its number from the serial, rule, expiry and 年审 due date, its domains, the three lifecycle
    events — plus one audit event per batch naming its counts and a digest of the certificate numbers, and the
    officers' search entries. ID numbers and certificate numbers carry valid check characters."""
    certified = [b for b in bodies if b.kind == "agency"]
    domains = {b.pk: list(b.domains.all().order_by("pk")) for b in certified}
    first = dt.date(year, 2, 1)
    span = (dt.date(year, 12, 1) - first).days
    t_apply = lifecycle.TRANSITIONS[CertificateAction.APPLY]
    t_exam = lifecycle.transition(CertificateAction.PASS_EXAM, t_apply.target)
    t_issue = lifecycle.transition(CertificateAction.ISSUE, t_exam.target)
    rules: dict[dt.date, Any] = {}
    serials = {s.prefix: s for s in CertificateSerial.objects.all()}
    for start in range(0, count, 5000):
        n_batch = min(count, start + 5000) - start
        now = timezone.now()
        officers: list[tuple[Any, ...]] = []
        certificates: list[tuple[Any, ...]] = []
        links: list[tuple[int, int]] = []
        events: list[tuple[Any, ...]] = []
        with transaction.atomic():
            officer_ids = reserve_pks(Officer, n_batch)
            certificate_ids = reserve_pks(Certificate, n_batch)
            for i, (officer_id, certificate_id) in enumerate(zip(officer_ids, certificate_ids, strict=True)):
                n = start + i
                body = certified[n % len(certified)]
                id_number = _id_number(rng, body.division.code, n)
                employment = rng.choice(
                    [Employment.CIVIL_SERVANT, Employment.CIVIL_SERVANT, Employment.REFERENCE_MANAGED]
                )
                birth = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
                position = rng.choice(["科员", "一级主办", "二级主办", "执法队员", "副科长"])
                officers.append(
                    (officer_id, body.pk, _name(rng), id_number, birth, f"139{rng.randrange(10**8):08d}", position,
                     employment, OfficerStatus.ON_DUTY, now, now)
                )  # fmt: skip
                issued = first + dt.timedelta(days=rng.randrange(span))
                applied, examined = issued - dt.timedelta(days=21), issued - dt.timedelta(days=10)
                rule = rules.get(issued) or rules.setdefault(issued, services.resolve_rule(issued))
                chosen = domains[body.pk]
                prefix_domain = chosen[0].number if len(chosen) == 1 else MULTI_DOMAIN
                prefix = body.division.code[:2] + prefix_domain
                serial = serials.get(prefix) or serials.setdefault(prefix, CertificateSerial(prefix=prefix, last=0))
                serial.last += 1
                number = make_number(body.division.code[:2], prefix_domain, serial.last)
                score = 60 + (officer_id * 7) % 40
                certificates.append(
                    (certificate_id, officer_id, number, t_issue.target, rule.pk, applied, 40, examined, score, issued,
                     lifecycle.expiry_for(rule, issued), lifecycle.review_due_from(rule, issued), now, now)
                )  # fmt: skip
                links.extend((certificate_id, d.pk) for d in chosen)
                events.extend(
                    [
                        (certificate_id, t_apply.action, applied, "", t_apply.target,
                         {"domains": sorted(d.code for d in chosen)}, "", "", "系统", now),
                        (certificate_id, t_exam.action, examined, t_apply.target, t_exam.target,
                         {"score": score, "pass_score": rule.pass_score, "training_hours": 40}, "", "", "系统", now),
                        (certificate_id, t_issue.action, issued, t_exam.target, t_issue.target,
                         {"number": number, "expires_on": lifecycle.expiry_for(rule, issued).isoformat(),
                          "rule": rule.pk}, "", "", "系统", now),
                    ]
                )  # fmt: skip
            insert_values(
                Officer,
                ["id", "body_id", "name", "id_number", "birth_date", "phone", "position", "employment", "status",
                 "created_at", "updated_at"],
                officers,
            )  # fmt: skip
            insert_values(
                Certificate,
                ["id", "officer_id", "number", "status", "rule_id", "applied_on", "training_hours", "exam_on",
                 "exam_score", "issued_on", "expires_on", "review_due", "created_at", "updated_at"],
                certificates,
            )  # fmt: skip
            insert_values(Certificate.domains.through, ["certificate_id", "domain_id"], links)
            insert_values(
                CertificateEvent,
                ["certificate_id", "action", "on", "status_before", "status_after", "details", "reason", "doc_number",
                 "recorded_by", "created_at"],
                events,
            )  # fmt: skip
            for serial in serials.values():
                serial.save()
            search_index.refresh_ids("officer", officer_ids)
            digest = hashlib.sha256("".join(c[2] for c in certificates).encode()).hexdigest()
            record_event(
                actor=None,
                action="enforcement.certificate.import",
                target=("enforcement.batch", digest[:16], f"演示数据：{year}年统一颁发执法证件"),
                after={"officers": len(officers), "certificates": len(certificates), "numbers_sha256": digest},
                reason="演示数据（批量）",
            )
        if progress is not None:
            progress(n_batch)


def _devolve(bodies: list[EnforcementBody], count: int, year: int, rng: random.Random) -> None:
    """``count`` provincial approval items, in the list since before ``year``, cancelled or delegated (to a city's
    body of the same domain) during ``year``."""
    provincial = [b for b in bodies if b.kind == "agency" and b.division.level == DivisionLevel.PROVINCE]
    cities = [b for b in bodies if b.kind == "agency" and b.division.level == DivisionLevel.CITY]
    if not provincial:
        return
    for n in range(count):
        body = provincial[n % len(provincial)]
        key = _domain_of(body.name)
        names = _DEVOLVED[key]
        name = names[(n // len(provincial)) % len(names)]
        if n >= len(provincial) * len(names):
            name += f"（第{n // (len(provincial) * len(names)) + 1}批）"
        item = services.create_power_item(
            actor=None,
            body=body,
            code=f"{body.division.code[:6]}-XK-{900 + n:03d}",
            name=name,
            category="licence",
            legal_basis="《中华人民共和国行政许可法》第十二条；相关法律、行政法规（演示数据）",
            domain=body.domains.first(),
            effective_on=dt.date(year - 2, 3, 1),
            doc_number=f"晋政办发〔{year - 2}〕{10 + n % 40}号",
        )
        effective = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(20, 340))
        targets = [c for c in cities if _domain_of(c.name) == key]
        if n % 3 == 0 or not targets:
            services.adjust_power_item(
                actor=None,
                item=item,
                kind="cancelled",
                effective_on=effective,
                doc_number=f"晋政发〔{year}〕{n % 30 + 1}号",
                reason="深化“放管服效”改革，取消省级行政审批事项",
            )
        else:
            services.adjust_power_item(
                actor=None,
                item=item,
                kind="delegated",
                effective_on=effective,
                doc_number=f"晋政发〔{year}〕{n % 30 + 1}号",
                reason="深化“放管服效”改革，下放至设区的市实施",
                to_body=targets[n % len(targets)],
            )


def generate_enforcement(
    *,
    rng: random.Random,
    scale: str,
    certified: tuple[int, int] | None = None,
    devolved: int = 0,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Build the demo's enforcement data through the services; the counts of what exists afterwards.

    ``certified=(count, year)`` (the "Shanxi 2020" scenario) replaces the lifecycle mix of officers by exactly
    ``count`` officers on duty whose certificates were issued in ``year``; ``devolved`` provincial items are
    cancelled or delegated in that year. Other years are left alone (the power lists' own adjustments are later)."""
    officers, with_counties = SCALES[scale]
    today = timezone.localdate()
    if not EnforcementBody.objects.exists():
        domains = {d.code: d for d in Domain.objects.all()}
        bodies = _bodies(domains)
        if bodies:
            if certified is None:
                _officers(bodies, officers, rng, today)
            else:
                _certified_in(bodies, certified[0], certified[1], rng, today, progress)
            _power_lists(bodies, with_counties, rng)
            if devolved and certified is not None:
                _devolve(bodies, devolved, certified[1], rng)
    from .selectors import valid_certificates

    return {
        "bodies": EnforcementBody.objects.count(),
        "officers": Officer.objects.count(),
        "certificates": Certificate.objects.count(),
        "valid_certificates": valid_certificates(today).count(),
        "power_items": PowerItem.objects.count(),
        "power_adjustments": PowerAdjustment.objects.count(),
    }

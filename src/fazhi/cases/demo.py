"""Demo data for the cases module, written through its services (so every act is in the audit chain, every decision
published through 双公示 goes through the publicity import, and every clock is the clock module's): for a few
market-regulation agencies (小店区市场监督管理局 first), each agency's list of major decisions, its reviewers'
法律职业资格, and cases in every state of the table — from 已立案 to 已归档, with 听证, 法制审核 (approved and
returned), 不予处罚 and 撤销立案.

``generate_cases`` runs after orgs, users, enforcement officers/certificates and discretion exist; it does nothing
when cases exist already. Deterministic for the ``rng``.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fazhi.core.identifiers import make_uscc
from fazhi.enforcement import selectors as enforcement_selectors
from fazhi.enforcement.models import EnforcementBody, Officer
from fazhi.org.models import RoleGrant

from . import services
from .models import Attachment, CaseRecord, EnforcementCase, LegalQualification, LegalReview, MajorItem

# agencies, and cases per agency
SCALES = {"small": (3, 16), "medium": (8, 30), "large": (20, 60)}
_FIRST = ("140105", "140100", "140404", "140000")

# (scenario, how far the case goes)
SCENARIOS = [
    "filed",
    "investigating",
    "notified",
    "hearing",
    "heard",
    "under_review",
    "returned",
    "reviewed",
    "decided",
    "served",
    "executed",
    "closed",
    "withdrawn",
    "archived",
    "archived_no_penalty",
    "archived_major",
]

_TITLES = [
    ("销售超过保质期的食品", "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项"),
    ("未取得食品经营许可从事食品经营", "《中华人民共和国食品安全法》第一百二十二条第一款"),
    ("销售不合格产品", "《中华人民共和国产品质量法》第四十九条"),
    ("虚假宣传", "《中华人民共和国反不正当竞争法》第二十条第一款"),
    ("未按规定公示年度报告", "《企业信息公示暂行条例》第十八条"),
    ("使用未经检定的计量器具", "《中华人民共和国计量法实施细则》第四十三条"),
]
_COMPANY = "太原市小店区{}商贸有限公司"
_WORDS = "鑫盛华泰荣昌隆丰瑞祥嘉禾恒达顺安宏远德润"


def _uscc(rng: random.Random, division_code: str) -> str:
    return make_uscc("91", division_code, "".join(rng.choice("0123456789") for _ in range(8)))


def _bodies(count: int, today: dt.date) -> list[tuple[EnforcementBody, _Officers]]:
    """Up to ``count`` market-regulation bodies (小店区 first) with at least two officers certified recently."""
    chosen = []
    for body in _candidates():
        officers = _Officers(body)
        if len(officers.officers) >= 2 and len(officers.valid_on(today - dt.timedelta(days=60))) >= 2:
            chosen.append((body, officers))
            if len(chosen) >= count:
                break
    return chosen


def _candidates() -> list[EnforcementBody]:
    bodies = list(
        EnforcementBody.objects.filter(
            is_active=True, agency__isnull=False, agency__name__contains="市场监督管理局", kind="agency"
        ).select_related("agency__division", "division")
    )
    bodies.sort(key=lambda b: (_FIRST.index(b.division.code) if b.division.code in _FIRST else 9, b.division.code))
    return bodies


def _user_with(role: str, agency_id: int) -> Any:
    grant = RoleGrant.objects.filter(role__code=role, agency_id=agency_id).select_related("user").first()
    return grant.user if grant else None


class _Officers:
    """Officers of a body valid on a day (cached per day)."""

    def __init__(self, body: EnforcementBody) -> None:
        self.officers = list(Officer.objects.filter(body=body, status="on_duty").order_by("id"))
        self.cache: dict[dt.date, list[Officer]] = {}

    def valid_on(self, day: dt.date) -> list[Officer]:
        if day not in self.cache:
            found = []
            for officer in self.officers:
                if enforcement_selectors.certificate_valid_on(officer, day):
                    found.append(officer)
                    if len(found) >= 4:
                        break
            self.cache[day] = found
        return self.cache[day]


def _file(name: str, text: str) -> services.Upload:
    return services.Upload(name, io.BytesIO(text.encode("utf-8")), "text/plain")


def _case(
    rng: random.Random,
    body: EnforcementBody,
    scenario: str,
    n: int,
    today: dt.date,
    officers: _Officers,
    officer_user: Any,
    reviewer: Any,
    items: list[MajorItem],
) -> bool:
    """Run one case as far as ``scenario`` says; False when no two officers were valid on the dates tried."""
    hearing = scenario in ("hearing", "heard")
    major = scenario in ("under_review", "returned", "reviewed", "archived_major") or hearing
    span = 60 if scenario.startswith("archived") or scenario in ("closed", "executed") else 30
    start = today - dt.timedelta(days=rng.randint(span, span + 300))
    pair: list[Officer] = []
    for _ in range(8):
        pair = officers.valid_on(start + dt.timedelta(days=2))[:2]
        if len(pair) == 2:
            break
        start -= dt.timedelta(days=rng.randint(20, 120))
    if len(pair) < 2:
        return False
    title, basis = _TITLES[n % len(_TITLES)]
    party = _COMPANY.format("".join(rng.sample(_WORDS, 2)))
    agency = body.agency
    if agency is None:
        return False
    case = services.file_case(
        actor=officer_user,
        body=body,
        kind="penalty",
        title=title,
        party_name=party,
        party_category="法人及非法人组织",
        party_code=_uscc(rng, agency.division.code),
        legal_rep=rng.choice("王李张刘陈杨赵黄") + rng.choice(["某", "某某"]),
        source=rng.choice(["群众举报", "日常检查发现", "上级交办", "双随机抽查发现"]),
        filed_on=start,
        major={"major_complex": scenario == "archived_major"},
        major_items=items[:1] if scenario in ("under_review", "returned", "reviewed") else [],
    )
    if scenario == "filed":
        return True

    def act(action: str, offset: int, actor: Any = officer_user, **kw: Any) -> None:
        nonlocal case
        day = min(start + dt.timedelta(days=offset), today)
        case = services.take_action(actor=actor, case=case, action=action, data=services.ActInput(on=day, **kw))

    act(
        "investigate",
        2,
        summary="现场检查，制作现场检查笔录，提取证据",
        officers=pair,
        files=[
            _file("现场检查笔录.txt", f"{title}：现场检查笔录（示例）"),
            _file("询问笔录.txt", f"{party} 询问笔录（示例）"),
        ],
    )
    if scenario == "investigating":
        return True
    if scenario == "withdrawn":
        act("withdraw", 5, reason="经调查，违法事实不能成立，撤销立案")
        return True
    fine = Decimal(rng.choice([150000, 200000, 300000])) if hearing else Decimal(rng.choice([2000, 5000, 10000, 30000]))
    no_penalty = scenario == "archived_no_penalty"
    kinds = ["warning"] if no_penalty else ["fine"]
    act(
        "notify",
        10,
        summary="送达行政处罚告知书，告知陈述、申辩" + ("、听证" if hearing else "") + "权利",
        proposed_kinds=kinds,
        proposed_fine=None if no_penalty else fine,
    )
    if scenario == "notified":
        return True
    offset = 10
    if hearing:
        act("request_hearing", 11, summary="当事人书面申请听证")
        if scenario == "hearing":
            return True
        act(
            "hold_hearing",
            20,
            summary="举行听证，制作听证笔录",
            officers=officers.valid_on(start + dt.timedelta(days=20))[:2],
        )
        offset = 20
        if scenario == "heard":
            return True
    if major:
        act("submit_review", offset + 1, summary="提请重大执法决定法制审核")
        if scenario == "under_review":
            return True
        if scenario == "returned":
            act("reject_review", offset + 3, reviewer, reason="证据不足：缺少进货凭证和检验报告，请补充调查")
            return True
        act("approve_review", offset + 3, reviewer, summary="事实清楚，证据确凿，适用依据正确，程序合法，同意")
        if scenario == "reviewed":
            return True
        offset += 3
    year = (start + dt.timedelta(days=offset + 2)).year
    number = f"并{agency.division.name[:2]}市监罚〔{year}〕{n + 1}号"
    if no_penalty:
        act(
            "decide",
            offset + 2,
            outcome="no_penalty",
            decision_number=number.replace("罚", "不罚"),
            decision_content="违法行为轻微并及时改正，没有造成危害后果，依据行政处罚法第三十三条第一款不予行政处罚",
        )
    else:
        act(
            "decide",
            offset + 2,
            outcome="penalty",
            decision_number=number,
            violation_type=title,
            facts=f"经查，当事人存在{title}的违法行为。",
            basis=basis,
            decision_kinds=["fine"],
            fine=fine,
            decision_content=f"罚款人民币{fine}元",
        )
    if scenario == "decided":
        return True
    act("serve", offset + 3, summary="直接送达，当事人签收送达回证")
    late = rng.random() < 0.2
    where = {"published_where": "本机关门户网站·行政执法决定公示"} if no_penalty else {}
    act("publish", offset + (15 if late else 4), **where)
    if scenario == "served":
        return True
    if not no_penalty:
        act(
            "execute",
            offset + 16,
            summary="当事人已按期缴纳罚款",
            files=[_file("缴款凭证.txt", f"{fine}元 缴款凭证（示例）")],
        )
        if scenario == "executed":
            return True
    act("close", offset + 18, summary="结案报告")
    if scenario == "closed":
        return True
    act("archive", offset + 22, summary="案卷归档")
    return True


def generate_cases(*, rng: random.Random, scale: str) -> dict[str, int]:
    """Build the demo's cases through the services; the counts of what exists afterwards."""
    agencies, per_agency = SCALES[scale]
    today = timezone.localdate()
    if not EnforcementCase.objects.exists():
        for body, officers in _bodies(agencies, today):
            agency = body.agency
            if agency is None:
                continue
            officer_user = _user_with("officer", agency.pk)
            reviewer = _user_with("reviewer", agency.pk)
            if reviewer is not None and not LegalQualification.objects.filter(user=reviewer).exists():
                services.record_legal_qualification(
                    actor=None,
                    user=reviewer,
                    number=f"A{2012 + rng.randint(0, 8)}{agency.division.code}{rng.randint(1000, 9999)}",
                    obtained_on=dt.date(2012 + rng.randint(0, 8), 3, 1),
                )
            items = [
                services.create_major_item(
                    actor=None, agency=agency, title=title, legal_source=source, valid_from=dt.date(2019, 1, 1)
                )
                for title, source in (
                    ("拟作出吊销许可证件、责令停产停业决定的", "本机关重大执法决定法制审核目录清单"),
                    ("拟对单位处十万元以上罚款的", "本机关重大执法决定法制审核目录清单"),
                )
            ]
            scenarios: list[str] = [SCENARIOS[i % len(SCENARIOS)] for i in range(per_agency)]
            for n, scenario in enumerate(scenarios):
                _case(rng, body, scenario, n, today, officers, officer_user, reviewer, items)
    return {
        "cases": EnforcementCase.objects.count(),
        "cases_archived": EnforcementCase.objects.filter(status="archived").count(),
        "case_records": CaseRecord.objects.count(),
        "case_attachments": Attachment.objects.count(),
        "legal_reviews": LegalReview.objects.count(),
        "major_items": MajorItem.objects.count(),
    }

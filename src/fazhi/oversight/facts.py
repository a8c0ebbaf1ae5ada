"""What a case file proves by itself — the one place this module reads the cases app.

``case_facts(case)`` reads the case's whole-process record through the cases app's models, selectors and services
(read-only) and answers the facts a reviewer would otherwise look up by hand: the officers of every investigative act
and whether each held a valid 执法证 on that day (``enforcement.selectors.valid_certificate_on``), whether a major
decision had an approved 法制审核 before it was decided, the 送达 date against the statutory limit, whether the
decision states its legal basis, and how the case's own clocks ended. ``defects(facts)`` turns them into the
auto-check codes of ``choices.AutoCheck``. Both run when a case is sampled into a campaign, before any reviewer looks;
the facts are kept on the file as they were then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fazhi.cases import lifecycle as case_lifecycle
from fazhi.cases import selectors as case_selectors
from fazhi.cases import services as case_services
from fazhi.cases.choices import Outcome, ReviewResult
from fazhi.cases.models import CaseRecordOfficer, EnforcementCase, LegalReview
from fazhi.clock.calendar import CalendarDataMissing
from fazhi.clock.choices import DeadlineStatus, TimeUnit
from fazhi.clock.deadlines import compute_deadline
from fazhi.clock.models import resolve_time_limit
from fazhi.core.errors import NotFound
from fazhi.enforcement import selectors as enforcement_selectors

from .choices import AutoCheck

# 行政处罚法（2021）第六十一条: 决定书 delivered on the spot, else within 7 days (第八十五条: working days). Used when
# the clock module holds no ``penalty.serve`` time limit (then its versioned row wins).
SERVE_LIMIT_CODE = "penalty.serve"
SERVE_FALLBACK = (7, TimeUnit.WORKING, "《中华人民共和国行政处罚法》第六十一条：七日内送达（第八十五条：工作日）")

INVESTIGATIVE_ACTIONS = frozenset(a for a, t in case_lifecycle.TRANSITIONS.items() if t.investigative)


@dataclass(frozen=True)
class Defect:
    code: str
    count: int
    evidence: str

    @property
    def label(self) -> str:
        return str(AutoCheck(self.code).label)


def _service_due(decided_on: dt.date) -> tuple[dt.date | None, str]:
    try:
        limit = resolve_time_limit(SERVE_LIMIT_CODE, decided_on)
        days, unit, source = limit.days, limit.unit, limit.legal_source
    except NotFound:
        days, unit, source = SERVE_FALLBACK
    try:
        return compute_deadline(decided_on, days, unit), source
    except CalendarDataMissing as exc:
        return None, f"未能计算送达期限：{exc.message}"


def case_facts(case: EnforcementCase) -> dict[str, Any]:
    """The facts of one case file as JSON-ready values (dates as ISO strings)."""
    notes: list[str] = []
    acts = []
    uncertified = []
    links = (
        CaseRecordOfficer.objects.filter(record__case=case)
        .select_related("record", "officer")
        .order_by("record__on", "record_id", "id")
    )
    by_record: dict[int, dict[str, Any]] = {}
    for link in links:
        record = link.record
        entry = by_record.setdefault(
            record.pk,
            {"record": record.pk, "action": record.action, "label": record.get_action_display(), "on": record.on},
        )
        valid = enforcement_selectors.valid_certificate_on(link.officer, record.on) is not None
        entry.setdefault("officers", []).append(
            {"name": link.officer.name, "certificate": link.certificate_number, "valid": valid}
        )
        if not valid:
            uncertified.append(f"{record.on.isoformat()} {record.get_action_display()}：{link.officer.name}")
    for record in case.records.filter(action__in=INVESTIGATIVE_ACTIONS).order_by("on", "id"):
        entry = by_record.get(record.pk) or {
            "record": record.pk,
            "action": record.action,
            "label": record.get_action_display(),
            "on": record.on,
            "officers": [],
        }
        acts.append(entry)
    short = [a for a in acts if len({o["name"] for o in a["officers"]}) < 2]

    major = case_services.is_major(case)
    reasons = list(case.article_58) + [i.title for i in case.major_items.all()]
    approved = None
    if case.decided_on is not None:
        approved = (
            LegalReview.objects.filter(
                case=case, result=ReviewResult.APPROVED, decided_on__isnull=False, decided_on__lte=case.decided_on
            )
            .order_by("-decided_on")
            .first()
        )
    service_due, service_source = (None, "")
    if case.decided_on is not None and case.outcome in (Outcome.PENALTY, Outcome.NO_PENALTY):
        service_due, service_source = _service_due(case.decided_on)
        if service_due is None:
            notes.append(service_source)
    clocks = [
        {
            "code": c.run.limit_code,
            "name": c.name,
            "due": c.run.due_date,
            "stopped_on": c.run.stopped_on,
            "status": c.status.value,
            "status_label": c.status.label,
        }
        for c in case_selectors.clocks_of(case)
    ]
    return {
        "number": case.number,
        "kind": case.kind,
        "status": case.status,
        "decided_on": case.decided_on,
        "outcome": case.outcome,
        "basis": case.basis,
        "investigative_acts": acts,
        "short_acts": [f"{a['on'].isoformat()} {a['label']}（{len(a['officers'])} 人）" for a in short],
        "uncertified": uncertified,
        "major": major,
        "major_reasons": reasons,
        "legal_review": (
            {"decided_on": approved.decided_on, "reviewer": approved.reviewer_name} if approved is not None else None
        ),
        "served_on": case.served_on,
        "service_due": service_due,
        "service_source": service_source,
        "clocks": clocks,
        "publish_due": case.publish_due,
        "published_on": case.published_on,
        "publish_met": case.publish_met,
        "notes": notes,
    }


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def defects(facts: dict[str, Any]) -> list[Defect]:
    """The defects ``facts`` prove, one per auto-check code (with how many places and the evidence)."""
    found: list[Defect] = []
    short = facts.get("short_acts") or []
    if short:
        found.append(Defect(AutoCheck.OFFICERS_LT_TWO, len(short), "；".join(short)))
    uncertified = facts.get("uncertified") or []
    if uncertified:
        found.append(Defect(AutoCheck.OFFICER_NO_CERTIFICATE, len(uncertified), "；".join(uncertified)))
    decided_on = _date(facts.get("decided_on"))
    if decided_on is not None and facts.get("major") and not facts.get("legal_review"):
        reasons = "、".join(facts.get("major_reasons") or []) or "重大执法决定"
        found.append(
            Defect(
                AutoCheck.NO_LEGAL_REVIEW_MAJOR,
                1,
                f"{reasons}；{decided_on.isoformat()} 作出决定前没有审核通过的法制审核记录",
            )
        )
    if (
        decided_on is not None
        and facts.get("outcome") in (Outcome.PENALTY, Outcome.OTHER)
        and not str(facts.get("basis") or "").strip()
    ):
        found.append(Defect(AutoCheck.NO_LEGAL_BASIS, 1, f"{decided_on.isoformat()} 作出的决定未载明法律依据"))
    served_on, due = _date(facts.get("served_on")), _date(facts.get("service_due"))
    if due is not None and served_on is not None and served_on > due:
        found.append(
            Defect(
                AutoCheck.LATE_SERVICE,
                1,
                f"决定日期 {decided_on.isoformat() if decided_on else '—'}，应于 {due.isoformat()} 前送达，"
                f"实际 {served_on.isoformat()} 送达",
            )
        )
    for clock in facts.get("clocks") or []:
        if clock.get("code") == case_lifecycle.DECIDE_LIMIT and clock.get("status") == DeadlineStatus.DONE_LATE:
            found.append(
                Defect(
                    AutoCheck.LATE_DECISION,
                    1,
                    f"{clock.get('name')}：届满日 {clock.get('due')}，实际 {clock.get('stopped_on')} 作出决定",
                )
            )
    if facts.get("publish_met") is False:
        found.append(
            Defect(
                AutoCheck.LATE_PUBLICITY,
                1,
                f"应于 {facts.get('publish_due')} 前公示，实际 {facts.get('published_on')} 公示",
            )
        )
    return found

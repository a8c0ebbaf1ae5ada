"""The case state machine (a table we own): 立案 → 调查取证 → 告知 (→ 听证) → 法制审核 when required → 决定 → 送达 →
执行 → 结案 → 归档, with 撤销立案 and 不予处罚 as the other ways out.

``TRANSITIONS`` says, for every act, from which states it may be taken, which state it leads to (``None``: the case
stays where it is, e.g. a further 调查取证 act or the publication of the decision), which permission it needs,
whether a reason is required, whether it is an investigative act (at least two officers holding a valid certificate
on the act's date: 行政处罚法第四十二条), and which case kinds it applies to. ``services.take_action`` applies one row
at a time; nothing else changes a case's state. Everything here is pure: no database, no ``today``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from fazhi.core.errors import FieldError, ValidationFailed
from fazhi.core.permissions import CASE_HANDLE, CASE_LEGAL_REVIEW

from .choices import CaseAction as A
from .choices import CaseKind as K
from .choices import CaseStatus as S
from .choices import HearingParty, Outcome, PartyCategory

BOTH = frozenset({K.PENALTY, K.OTHER})
PENALTY_ONLY = frozenset({K.PENALTY})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]  # empty: the act creates the case
    target: str | None  # None: the state does not change
    permission: str = CASE_HANDLE
    reason_required: bool = False
    investigative: bool = False  # needs >= 2 officers with a valid certificate on the act's date
    kinds: frozenset[str] = BOTH


def _t(action: str, sources: Iterable[str], target: str | None, **kw: object) -> Transition:
    return Transition(action, frozenset(sources), target, **kw)  # type: ignore[arg-type]


_BEFORE_DECISION = (S.FILED, S.INVESTIGATING, S.NOTIFIED)
_DECIDABLE = (S.NOTIFIED, S.HEARD, S.REVIEWED)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t(A.FILE, (), S.FILED),
        _t(A.INVESTIGATE, (S.FILED, S.INVESTIGATING), S.INVESTIGATING, investigative=True),
        _t(A.NOTIFY, (S.INVESTIGATING,), S.NOTIFIED),
        _t(A.REQUEST_HEARING, (S.NOTIFIED,), S.HEARING, kinds=PENALTY_ONLY),
        _t(A.HOLD_HEARING, (S.HEARING,), S.HEARD, kinds=PENALTY_ONLY),
        _t(A.SUBMIT_REVIEW, (S.NOTIFIED, S.HEARD), S.UNDER_REVIEW),
        _t(A.APPROVE_REVIEW, (S.UNDER_REVIEW,), S.REVIEWED, permission=CASE_LEGAL_REVIEW),
        _t(A.REJECT_REVIEW, (S.UNDER_REVIEW,), S.INVESTIGATING, permission=CASE_LEGAL_REVIEW, reason_required=True),
        _t(A.DECIDE, _DECIDABLE, S.DECIDED),
        _t(A.SERVE, (S.DECIDED,), S.SERVED),
        _t(A.EXECUTE, (S.SERVED,), S.EXECUTED),
        _t(A.CLOSE, (S.SERVED, S.EXECUTED), S.CLOSED),
        _t(A.WITHDRAW, _BEFORE_DECISION, S.WITHDRAWN, reason_required=True),
        _t(A.ARCHIVE, (S.CLOSED, S.WITHDRAWN), S.ARCHIVED),
        _t(A.PUBLISH, (S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED), None),
    )
}

# The acts a page or the API offers as "steps" (立案 creates a case and has its own form).
STEPS = [a for a in TRANSITIONS if a != A.FILE]


def transition(action: str, status: str, kind: str) -> Transition:
    """The table row for ``action`` taken from ``status`` on a case of ``kind``; a Chinese error otherwise."""
    found = TRANSITIONS.get(action)
    if found is None or action == A.FILE:
        raise ValidationFailed(FieldError("action", "unknown_action", f"没有“{action}”这一办案环节"))
    if kind not in found.kinds:
        raise ValidationFailed(
            FieldError(
                "action",
                "not_for_kind",
                f"“{A(action).label}”仅适用于{'、'.join(K(k).label for k in sorted(found.kinds))}",
            )
        )
    if status not in found.sources:
        allowed = "、".join(str(S(s).label) for s in sorted(found.sources))
        raise ValidationFailed(
            FieldError(
                "action",
                "transition_not_allowed",
                f"案件当前状态为“{S(status).label}”，不能办理“{A(action).label}”（仅限：{allowed}）",
            )
        )
    return found


def actions_from(status: str, kind: str) -> list[Transition]:
    """The acts the table allows now, in table order (what the case page offers as forms)."""
    return [t for a, t in TRANSITIONS.items() if a != A.FILE and status in t.sources and kind in t.kinds]


# --- which decision is published where (the figures are clock time limits: data, versioned) ---------------------

PUBLISH_LIMIT = {
    Outcome.PENALTY: "sgs.publish",  # 行政处罚决定: 双公示, 7 个工作日
    Outcome.NO_PENALTY: "enforcement.publish_other",  # 其他执法决定: 20 个工作日 (国办发〔2018〕118号)
    Outcome.OTHER: "enforcement.publish_other",
}

DECIDE_LIMIT = "penalty.decide"  # 90 日 from 立案, in force from 2021-07-15 only
HEARING_LIMIT = "penalty.hearing_request"  # 3 日 (2017 law) / 5 个工作日 (2021 law) after 告知
PAY_LIMIT = "penalty.pay"  # 15 日 after 送达 (第六十七条): started only where the clock holds this code


# --- 听证: which proposed penalties qualify (行政处罚法2021第六十三条) ------------------------------------------------

HEARING_KINDS = frozenset(
    {
        "lower_qualification",
        "revoke_licence",
        "suspend_or_revoke",
        "order_suspension",
        "order_closure",
        "restrict_employment",
        "restrict_operation",
    }
)


def hearing_party(party_category: str) -> HearingParty:
    """A natural person is held to the citizens' standard; organisations and 个体工商户 to the organisations'."""
    return HearingParty.PERSON if party_category == PartyCategory.PERSON else HearingParty.ORGANISATION


def hearing_qualifies(kinds: Iterable[str], fine_yuan: Decimal | None, threshold: Decimal | None) -> bool:
    """Whether the penalty proposed at 告知 lets the party request a hearing (第六十三条). ``threshold`` is the
    较大数额 in force (``HearingThreshold``; None: no standard recorded, so only the listed kinds qualify)."""
    kinds = set(kinds)
    if kinds & HEARING_KINDS:
        return True
    if fine_yuan is None or threshold is None:
        return False
    return (
        "fine" in kinds or "confiscate_income" in kinds or "confiscate_property" in kinds
    ) and fine_yuan >= threshold

"""The certificate state machine (a table we own) and the validity of a certificate on any day.

``TRANSITIONS`` says, for every action, from which states it may be taken, which state it leads to and which
permission it needs; ``services.py`` applies one of them at a time (checks, event, audit, search) and nothing else
changes a certificate's state. ``validity_on`` reads a certificate's events — each with its effective date — and
says whether it was valid on a given day, and if not, why. Both are pure: no database writes, no ``today``.

Validity on day D (all must hold):

1. the certificate was issued on or before D and D is not after ``expires_on``;
2. its status on D — the ``status_after`` of its last event effective on or before D — is 有效 (not 暂扣, 吊销,
   注销, 遗失作废, 已换发新证);
3. where its rule requires annual review (年审): D is not after the review due date, i.e. the anchor (the issue
   date, or the date of the latest 年审合格 on or before D) moved on by the review interval, plus the grace days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fazhi.clock.calendar import shift_months
from fazhi.core.errors import FieldError, ValidationFailed
from fazhi.core.permissions import CERTIFICATE_MANAGE, ENFORCEMENT_MANAGE

from .choices import CertificateAction as A
from .choices import CertificateStatus as S

if TYPE_CHECKING:
    from .models import Certificate, CertificateEvent, CertificateRule


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]  # states the action may be taken from (empty: it starts a certificate)
    target: str  # the state it leads to
    permission: str
    reason_required: bool = False
    successor: bool = False  # the action also issues a new certificate that replaces this one


def _t(
    action: str, sources: Iterable[str], target: str, permission: str = CERTIFICATE_MANAGE, **kw: bool
) -> Transition:
    return Transition(action, frozenset(sources), target, permission, **kw)


_OPEN_BEFORE_ISSUE = (S.APPLIED, S.EXAM_FAILED, S.EXAM_PASSED)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t(A.APPLY, (), S.APPLIED, ENFORCEMENT_MANAGE),
        _t(A.PASS_EXAM, (S.APPLIED, S.EXAM_FAILED), S.EXAM_PASSED),
        _t(A.FAIL_EXAM, (S.APPLIED, S.EXAM_FAILED), S.EXAM_FAILED),
        _t(A.ISSUE, (S.EXAM_PASSED,), S.ACTIVE),
        _t(A.REVIEW_PASS, (S.ACTIVE,), S.ACTIVE),
        _t(A.REVIEW_FAIL, (S.ACTIVE,), S.SUSPENDED, reason_required=True),
        _t(A.SUSPEND, (S.ACTIVE,), S.SUSPENDED, reason_required=True),
        _t(A.RESTORE, (S.SUSPENDED,), S.ACTIVE, reason_required=True),
        _t(A.REVOKE, (S.ACTIVE, S.SUSPENDED), S.REVOKED, reason_required=True),
        _t(A.CANCEL, (*_OPEN_BEFORE_ISSUE, S.ACTIVE, S.SUSPENDED), S.CANCELLED),
        _t(A.REPORT_LOSS, (S.ACTIVE,), S.LOST, reason_required=True),
        _t(A.REISSUE, (S.LOST,), S.LOST, successor=True),
        _t(A.RENEW, (S.ACTIVE,), S.REPLACED, successor=True),
    )
}

# A certificate in one of these states still belongs to its officer's current certificate (no second application).
OPEN_STATES = frozenset({*_OPEN_BEFORE_ISSUE, S.ACTIVE, S.SUSPENDED})
TERMINAL_STATES = frozenset({S.REVOKED, S.CANCELLED, S.LOST, S.REPLACED})


def transition(action: str, status: str) -> Transition:
    """The table row for ``action`` taken from ``status``; a Chinese error when the table does not allow it."""
    found = TRANSITIONS.get(action)
    if found is None:
        raise ValidationFailed(FieldError("action", "unknown_action", f"没有“{action}”这一证件事项"))
    if status not in found.sources:
        allowed = "、".join(str(S(s).label) for s in sorted(found.sources)) or "（无）"
        raise ValidationFailed(
            FieldError(
                "action",
                "transition_not_allowed",
                f"证件当前状态为“{S(status).label}”，不能办理“{A(action).label}”（仅限状态：{allowed}）",
            )
        )
    return found


def actions_from(status: str) -> list[Transition]:
    """The actions the table allows from ``status``, in table order (what a page offers as forms)."""
    return [t for t in TRANSITIONS.values() if status in t.sources]


# --- validity --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Validity:
    valid: bool
    code: str  # "valid", "not_issued", "not_yet", "expired", "review_overdue", or the status that blocks it
    label: str  # Chinese, for pages: 有效 / 已过期 / 暂扣 / 未按期年审 …
    until: dt.date | None = None  # when valid: the last day it stays valid if nothing else happens


def add_years(day: dt.date, years: int) -> dt.date:
    return shift_months(day, 12 * years)


def expiry_for(rule: CertificateRule, issued_on: dt.date) -> dt.date:
    """Last valid day of a certificate issued on ``issued_on`` under ``rule``: the day before the anniversary."""
    return add_years(issued_on, rule.validity_years) - dt.timedelta(days=1)


def review_due_from(rule: CertificateRule, anchor: dt.date) -> dt.date | None:
    """Last day valid without a further 年审, counted from ``anchor`` (issue or last 年审合格); None: no 年审."""
    if not rule.annual_review:
        return None
    return shift_months(anchor, rule.review_interval_months) + dt.timedelta(days=rule.review_grace_days)


def _events_until(events: Sequence[CertificateEvent], day: dt.date) -> list[CertificateEvent]:
    return [e for e in events if e.on <= day]


def status_on(events: Sequence[CertificateEvent], day: dt.date) -> str | None:
    """The certificate's status on ``day`` (None: it did not exist yet). ``events`` in (date, id) order."""
    upto = _events_until(events, day)
    return upto[-1].status_after if upto else None


def review_anchor(events: Sequence[CertificateEvent], day: dt.date) -> dt.date | None:
    """The date the 年审 schedule counts from on ``day``: the latest 年审合格 up to it, else the issue (a reissued
    certificate keeps the schedule of the one it replaces: ``details["review_from"]``)."""
    for event in reversed(_events_until(events, day)):
        if event.action == A.REVIEW_PASS:
            return event.on
        if event.action == A.ISSUE:
            review_from = (event.details or {}).get("review_from")
            return dt.date.fromisoformat(review_from) if review_from else event.on
    return None


def validity_on(certificate: Certificate, day: dt.date, events: Sequence[CertificateEvent] | None = None) -> Validity:
    """Whether ``certificate`` was valid on ``day``, and if not, why (see the module docstring)."""
    events = list(certificate.events.all()) if events is None else list(events)
    if certificate.issued_on is None or certificate.expires_on is None or certificate.rule is None:
        return Validity(False, "not_issued", "尚未发证")
    if day < certificate.issued_on:
        return Validity(False, "not_yet", "尚未发证")
    status = status_on(events, day) or S.APPLIED
    if status != S.ACTIVE:
        return Validity(False, str(status), str(S(status).label))
    if day > certificate.expires_on:
        return Validity(False, "expired", "已过期")
    until = certificate.expires_on
    anchor = review_anchor(events, day)
    due = review_due_from(certificate.rule, anchor) if anchor is not None else None
    if due is not None:
        if day > due:
            return Validity(False, "review_overdue", "未按期年审（暂停使用）")
        until = min(until, due)
    return Validity(True, "valid", "有效", until)


def current_review_due(certificate: Certificate, events: Sequence[CertificateEvent]) -> dt.date | None:
    """The ``review_due`` to store on a certificate after its latest event (None when no 年审 applies)."""
    if certificate.rule is None or not events:
        return None
    anchor = review_anchor(events, events[-1].on)
    return review_due_from(certificate.rule, anchor) if anchor is not None else None

"""The campaign state machine, a table we own: 准备 → 抽取 → 评查 → 反馈整改 → 完成.

Every move needs ``CASEFILE_REVIEW`` over the organiser. 抽取 is ``services.sample_campaign`` (it draws the files);
the other moves are ``services.advance_campaign``. What may happen to a file in each campaign state is below: scoring
only while 评查, corrections and their acceptance only while 反馈整改; agencies see their results from 反馈整改 on.
Pure: no database.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.core.errors import FieldError, ValidationFailed

from .choices import CampaignAction as A
from .choices import CampaignState as S


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(A.SAMPLE, S.DRAFT, S.SAMPLED),
        Transition(A.START, S.SAMPLED, S.REVIEWING),
        Transition(A.RELEASE, S.REVIEWING, S.FEEDBACK),
        Transition(A.FINISH, S.FEEDBACK, S.DONE),
    )
}

SCORING_STATES = frozenset({S.REVIEWING})
CORRECTION_STATES = frozenset({S.FEEDBACK})
RESULTS_VISIBLE_TO_AGENCY = frozenset({S.FEEDBACK, S.DONE})


def transition(action: str, state: str) -> Transition:
    found = TRANSITIONS.get(action)
    if found is None:
        raise ValidationFailed(FieldError("action", "unknown_action", f"没有“{action}”这一步骤"))
    if state != found.source:
        raise ValidationFailed(
            FieldError(
                "action",
                "transition_not_allowed",
                f"评查活动当前状态为“{S(state).label}”，不能“{A(action).label}”（仅限“{S(found.source).label}”状态）",
            )
        )
    return found


def next_action(state: str) -> Transition | None:
    return next((t for t in TRANSITIONS.values() if t.source == state), None)

"""The 13710 task state machine: a table we own (house pattern: ``enforcement/lifecycle.py``).

For every action: the states it may be taken from, the state it leads to, the permission it needs, whose place
that permission must cover (the lead unit's, or the assigning office's), which milestone clock it stops, and
whether a text (报告内容 / 退回理由) is required. ``services.take_step`` applies one row at a time; nothing else
changes a task's state. Splitting (分解) does not change the parent's state: it is ``services.split_task``.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.core.errors import FieldError, ValidationFailed
from fazhi.core.permissions import SUPERVISION_ASSIGN, SUPERVISION_HANDLE

from .choices import Milestone as MS
from .choices import TaskAction as A
from .choices import TaskState as S

LEAD = "lead"  # the permission must cover the lead unit (承办单位) — the unit doing the work
ASSIGNER = "assigner"  # the permission must cover the assigning office (交办单位) — the one reviewing


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    permission: str
    acts_as: str  # LEAD or ASSIGNER
    stops: tuple[str, ...] = ()  # milestone clocks (limit codes) this step completes
    text_required: bool = False
    text_label: str = "说明"


def _t(action: str, sources: tuple[str, ...], target: str, permission: str, acts_as: str, **kw: object) -> Transition:
    return Transition(action, frozenset(sources), target, permission, acts_as, **kw)  # type: ignore[arg-type]


_WORKING = (S.DEPLOYED, S.IN_PROGRESS, S.RETURNED)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t(A.SIGN, (S.ASSIGNED,), S.SIGNED, SUPERVISION_HANDLE, LEAD),
        _t(
            A.DEPLOY,
            (S.SIGNED,),
            S.DEPLOYED,
            SUPERVISION_HANDLE,
            LEAD,
            stops=(MS.DEPLOY,),
            text_required=True,
            text_label="部署情况",
        ),
        _t(
            A.PROGRESS,
            _WORKING,
            S.IN_PROGRESS,
            SUPERVISION_HANDLE,
            LEAD,
            stops=(MS.FEEDBACK,),
            text_required=True,
            text_label="办理进展",
        ),
        _t(
            A.REQUEST_CLOSURE,
            _WORKING,
            S.CLOSURE_REQUESTED,
            SUPERVISION_HANDLE,
            LEAD,
            text_required=True,
            text_label="办结情况",
        ),
        _t(
            A.RETURN,
            (S.CLOSURE_REQUESTED,),
            S.RETURNED,
            SUPERVISION_ASSIGN,
            ASSIGNER,
            text_required=True,
            text_label="退回理由",
        ),
        _t(
            A.CLOSE,
            (S.CLOSURE_REQUESTED,),
            S.CLOSED,
            SUPERVISION_ASSIGN,
            ASSIGNER,
            stops=(MS.RESOLVE, MS.RESOLVE_MAJOR),
            text_label="评价意见",
        ),
    )
}

# States in which a task may be split into parts (it has been signed for and is not waiting for review or closed).
SPLITTABLE = frozenset({S.SIGNED, S.DEPLOYED, S.IN_PROGRESS, S.RETURNED})


def transition(action: str, state: str) -> Transition:
    """The row for ``action`` taken from ``state``; a Chinese error when the table does not allow it."""
    found = TRANSITIONS.get(action)
    if found is None:
        raise ValidationFailed(FieldError("action", "unknown_action", f"没有“{action}”这一办理事项"))
    if state not in found.sources:
        allowed = "、".join(str(S(s).label) for s in sorted(found.sources))
        raise ValidationFailed(
            FieldError(
                "action",
                "transition_not_allowed",
                f"事项当前状态为“{S(state).label}”，不能办理“{A(action).label}”（仅限状态：{allowed}）",
            )
        )
    return found


def actions_from(state: str) -> list[Transition]:
    """The actions the table allows from ``state``, in table order."""
    return [t for t in TRANSITIONS.values() if state in t.sources]

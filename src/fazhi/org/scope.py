"""Jurisdiction: which org subtrees a user may act on with a given permission.

A role granted on a division covers everything located in that division and below; a role granted on an
agency covers that agency and its subordinate agencies. Every staff read goes through :func:`restrict` (or
:func:`get_scoped_or_404`), so a record outside the user's jurisdiction is indistinguishable from a missing one.

Models declare where their division and agency paths are with a ``scope`` attribute::

    class EnforcementCase(models.Model):
        scope = ScopeSpec(division="agency__division__path", agency="agency__path")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet

from fazhi.core.errors import Forbidden, NotFound

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class ScopeSpec:
    """Lookup paths from a model to the division path and agency path that locate its rows."""

    division: str | None = None
    agency: str | None = None


@dataclass(frozen=True)
class Jurisdiction:
    everything: bool = False
    division_paths: tuple[str, ...] = ()
    agency_paths: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.everything or self.division_paths or self.agency_paths)

    def q(self, spec: ScopeSpec) -> Q:
        if self.everything:
            # Not Q(): an empty Q vanishes when OR-ed ("published, or inside my jurisdiction" became "published" for
            # superusers). This one matches every row, survives | and &, and compiles to no SQL at all.
            return ~Q(pk__in=[])
        condition = Q(pk__in=[])
        if spec.division:
            for path in self.division_paths:
                condition |= Q(**{f"{spec.division}__startswith": path})
        if spec.agency:
            for path in self.agency_paths:
                condition |= Q(**{f"{spec.agency}__startswith": path})
        return condition

    def covers(self, *, division_path: str | None = None, agency_path: str | None = None) -> bool:
        if self.everything:
            return True
        if division_path and any(division_path.startswith(p) for p in self.division_paths):
            return True
        return bool(agency_path and any(agency_path.startswith(p) for p in self.agency_paths))


def _grants(user: Any) -> list[tuple[frozenset[str], str | None, str | None]]:
    cached = getattr(user, "_fazhi_grants", None)
    if cached is None:
        from .models import RoleGrant

        cached = [
            (
                frozenset(g.role.permissions),
                g.division.path if g.division else None,
                g.agency.path if g.agency else None,
            )
            for g in RoleGrant.objects.filter(user_id=user.pk).select_related("role", "division", "agency")
        ]
        user._fazhi_grants = cached
    return cached


def forget(user: Any) -> None:
    """Drop the per-request cache of a user's grants (after granting or revoking)."""
    if hasattr(user, "_fazhi_grants"):
        del user._fazhi_grants


def jurisdiction(user: Any, permission: str) -> Jurisdiction:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Jurisdiction()
    if user.is_superuser:
        return Jurisdiction(everything=True)
    divisions: list[str] = []
    agencies: list[str] = []
    for permissions, division_path, agency_path in _grants(user):
        if permission not in permissions:
            continue
        if division_path:
            divisions.append(division_path)
        if agency_path:
            agencies.append(agency_path)
    return Jurisdiction(division_paths=tuple(sorted(set(divisions))), agency_paths=tuple(sorted(set(agencies))))


def has_permission_anywhere(user: Any, permission: str) -> bool:
    return not jurisdiction(user, permission).empty


def spec_of(model: type[models.Model]) -> ScopeSpec:
    spec = getattr(model, "scope", None)
    if not isinstance(spec, ScopeSpec):
        raise TypeError(f"{model.__name__} declares no ScopeSpec; staff reads of it cannot be scoped")
    return spec


def restrict(queryset: QuerySet[M], user: Any, permission: str) -> QuerySet[M]:
    """The rows of ``queryset`` inside the user's jurisdiction for ``permission``."""
    scope = jurisdiction(user, permission)
    if scope.empty:
        return queryset.none()
    return queryset.filter(scope.q(spec_of(queryset.model)))


def get_scoped_or_404(queryset: QuerySet[M], user: Any, permission: str, **lookup: Any) -> M:
    obj = restrict(queryset, user, permission).filter(**lookup).first()
    if obj is None:
        raise NotFound()
    return obj


def location_of(obj: models.Model) -> tuple[str | None, str | None]:
    """The division path and agency path a row lives at (``(None, None)`` for models without a ScopeSpec)."""
    spec = getattr(type(obj), "scope", None)
    if not isinstance(spec, ScopeSpec):
        return None, None

    def follow(lookup: str | None) -> str | None:
        if not lookup:
            return None
        value: Any = obj
        for part in lookup.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return str(value)

    return follow(spec.division), follow(spec.agency)


def require(user: Any, permission: str, obj: models.Model, *, visible_with: str | None = None) -> None:
    """For writes: raise unless ``user`` holds ``permission`` over ``obj``.

    ``user=None`` is the system acting on its own (commands and jobs), which may do anything.
    A user who cannot even see ``obj`` (with ``visible_with``, defaulting to ``permission``) gets
    :class:`NotFound`, exactly as for a missing record; one who sees it but may not change it gets
    :class:`Forbidden`.
    """
    if user is None:  # the system itself (set-up, demo data, scheduled jobs): audited as 系统
        return
    if not isinstance(getattr(type(obj), "scope", None), ScopeSpec):
        raise TypeError(f"{type(obj).__name__} declares no ScopeSpec; writes to it cannot be scoped")
    division_path, agency_path = location_of(obj)
    if jurisdiction(user, permission).covers(division_path=division_path, agency_path=agency_path):
        return
    viewer = jurisdiction(user, visible_with or permission)
    if visible_with and viewer.covers(division_path=division_path, agency_path=agency_path):
        raise Forbidden()
    raise NotFound()


def covers_root(user: Any, permission: str) -> bool:
    """Whether ``user`` holds ``permission`` province-wide (over a root division), or is the system/superuser.

    Some acts have no smaller jurisdiction: the working-day calendar, statutory time limits, the whole audit chain.
    """
    if user is None:
        return True
    juris = jurisdiction(user, permission)
    if juris.everything:
        return True
    from .models import Division

    roots = Division.objects.filter(parent__isnull=True).values_list("path", flat=True)
    return any(juris.covers(division_path=path) for path in roots)


def require_root(user: Any, permission: str, message: str) -> None:
    if not covers_root(user, permission):
        raise Forbidden(message)

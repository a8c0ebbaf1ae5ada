"""Reads of divisions and agencies. Staff reads are scoped through :mod:`fazhi.org.scope`; divisions and the
public facts about agencies (name, code, place) are public."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from fazhi.core.identifiers import fold
from fazhi.core.permissions import ORG_VIEW

from . import scope
from .choices import DivisionLevel
from .models import Agency, Division, DivisionCodeChange, RoleGrant, Staff


def province() -> Division | None:
    return Division.objects.filter(level=DivisionLevel.PROVINCE).order_by("code").first()


def city_overview() -> list[dict[str, Any]]:
    """Each city with how many county-level units and agencies it has (two grouped queries)."""
    cities: list[dict[str, Any]] = [
        dict(row)
        for row in Division.objects.filter(level=DivisionLevel.CITY).order_by("code").values("code", "name", "path")
    ]
    counties = dict(
        Division.objects.filter(level=DivisionLevel.COUNTY)
        .values_list("parent__code")
        .annotate(n=Count("id"))
        .values_list("parent__code", "n")
    )
    agencies: dict[str, int] = {}
    for path, n in (
        Agency.objects.values_list("division__path").annotate(n=Count("id")).values_list("division__path", "n")
    ):
        parts = path.split("/")
        if len(parts) > 2:
            agencies[parts[1]] = agencies.get(parts[1], 0) + n
    for city in cities:
        city["county_count"] = counties.get(city["code"], 0)
        city["agency_count"] = agencies.get(city["code"], 0)
    return cities


def public_agency_sample(*, limit: int) -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).select_related("division").order_by("path")[:limit]


@dataclass(frozen=True)
class ResolvedDivision:
    division: Division
    requested_code: str
    replaced: DivisionCodeChange | None = None


def normalise_division_code(raw: str) -> str:
    code = fold(raw or "")
    if re.fullmatch(r"\d{12}", code):
        # Statistical 12-digit codes: 140105000000 -> 140105, 140105001000 -> 140105001.
        if code.endswith("000000"):
            code = code[:6]
        elif code.endswith("000"):
            code = code[:9]
    return code


def resolve_division(raw: str) -> ResolvedDivision | None:
    """Find a division by its current code, a 12-digit statistical code, or an abolished code it replaced."""
    code = normalise_division_code(raw)
    division = Division.objects.filter(code=code).select_related("parent").first()
    if division is not None:
        return ResolvedDivision(division, code)
    change = DivisionCodeChange.objects.filter(old_code=code).select_related("new_division__parent").first()
    if change is not None:
        return ResolvedDivision(change.new_division, code, change)
    return None


def divisions(*, parent_code: str | None = None, level: str | None = None) -> QuerySet[Division]:
    qs = Division.objects.select_related("parent").order_by("code")
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if level:
        qs = qs.filter(level=level)
    return qs


def public_agencies(*, division: Division | None = None, q: str = "") -> QuerySet[Agency]:
    qs = Agency.objects.filter(is_active=True).select_related("division", "parent").order_by("division__code", "path")
    if division is not None:
        qs = qs.filter(division__path__startswith=division.path)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(uscc=fold(q).upper()))
    return qs


def public_agency(pk: int) -> Agency | None:
    return Agency.objects.filter(pk=pk, is_active=True).select_related("division", "parent").first()


def agencies_for(user: Any, *, q: str = "", division: Division | None = None) -> QuerySet[Agency]:
    qs = scope.restrict(Agency.objects.select_related("division", "parent"), user, ORG_VIEW)
    if division is not None:
        qs = qs.filter(division__path__startswith=division.path)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(uscc=fold(q).upper()))
    return qs.order_by("division__code", "path")


def agency_for(user: Any, pk: int) -> Agency:
    return scope.get_scoped_or_404(Agency.objects.select_related("division", "parent"), user, ORG_VIEW, pk=pk)


def staff_for(user: Any, *, agency: Agency | None = None) -> QuerySet[Staff]:
    qs = scope.restrict(Staff.objects.select_related("user", "agency__division"), user, ORG_VIEW)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("agency__path", "name")


def grants_for(user: Any, *, staff: Staff | None = None) -> QuerySet[RoleGrant]:
    qs = scope.restrict(RoleGrant.objects.select_related("role", "division", "agency", "user__staff"), user, ORG_VIEW)
    if staff is not None:
        qs = qs.filter(user_id=staff.user_id)
    return qs.order_by("user_id", "role__code")


def jurisdiction_label(user: Any) -> list[str]:
    """Human-readable list of the nodes a user's roles cover, for the page header."""
    labels = []
    for grant in RoleGrant.objects.filter(user_id=user.pk).select_related("role", "division", "agency"):
        node = grant.division or grant.agency
        labels.append(f"{grant.role.name}：{node.name if node else ''}")
    return labels

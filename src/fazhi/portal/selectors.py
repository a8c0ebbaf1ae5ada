"""Public reads the search pages need besides the search itself: the area and agency choices of the filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache

from fazhi.org.choices import DivisionLevel
from fazhi.org.models import Agency, Division

from . import registry
from .index import ALL, counts_for

AREAS_CACHE_SECONDS = 300  # a new or renamed division shows in the filter within this time


class Area(NamedTuple):
    code: str
    name: str


@dataclass
class AreaChoices:
    cities: list[Area]
    counties: list[Area]  # of the chosen city (or of the chosen county's city)
    city: str  # the chosen city's code, or ""
    county: str  # the chosen county's code, or ""

    @property
    def selected(self) -> str:
        return self.county or self.city


def _areas(level: str, parent: str = "") -> list[Area]:
    """Active divisions of one level (under one parent), by code: cached, since every search page shows them."""
    key = f"portal:areas:{level}:{parent}"
    found = cache.get(key)
    if found is None:
        rows = Division.objects.filter(level=level, is_active=True)
        if parent:
            rows = rows.filter(parent__code=parent)
        found = [Area(code, name) for code, name in rows.order_by("code").values_list("code", "name")]
        cache.set(key, found, AREAS_CACHE_SECONDS)
    return found


def area_choices(code: str) -> AreaChoices:
    code = (code or "").strip()
    city = county = ""
    if code.isdigit() and len(code) >= 4:
        six = code[:6].ljust(6, "0")
        city = six[:4] + "00"
        county = six if not six.endswith("00") else ""
    counties = _areas(DivisionLevel.COUNTY, city) if city else []
    return AreaChoices(_areas(DivisionLevel.CITY), counties, city, county)


def area_name(code: str) -> str:
    code = (code or "").strip()
    if not code.isdigit():
        return code
    six = code[:6].ljust(6, "0")
    for area in [*_areas(DivisionLevel.CITY), *(_areas(DivisionLevel.COUNTY, six[:4] + "00"))]:
        if area.code == six:
            return area.name
    return Division.objects.filter(code=six).values_list("name", flat=True).first() or code


def agency_name(agency_id: int | None) -> str:
    if agency_id is None:
        return ""
    return Agency.objects.filter(pk=agency_id).values_list("name", flat=True).first() or f"机构 {agency_id}"


def totals() -> list[tuple[registry.SearchType, int]]:
    """How many records of each type are public now (exact, from the index's own counts)."""
    return [(t, counts_for(t.number, [ALL]).get(ALL, 0)) for t in registry.all_types()]

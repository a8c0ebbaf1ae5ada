"""Public reads the search pages need besides the search itself: the area and agency choices of the filters."""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.org.choices import DivisionLevel
from fazhi.org.models import Agency, Division

from . import registry
from .index import ALL, counts_for


@dataclass
class AreaChoices:
    cities: list[Division]
    counties: list[Division]  # of the chosen city (or of the chosen county's city)
    city: str  # the chosen city's code, or ""
    county: str  # the chosen county's code, or ""

    @property
    def selected(self) -> str:
        return self.county or self.city


def area_choices(code: str) -> AreaChoices:
    code = (code or "").strip()
    cities = list(Division.objects.filter(level=DivisionLevel.CITY, is_active=True).order_by("code"))
    city = county = ""
    if code.isdigit() and len(code) >= 4:
        six = code[:6].ljust(6, "0")
        city = six[:4] + "00"
        county = six if not six.endswith("00") else ""
    counties = (
        list(Division.objects.filter(parent__code=city, level=DivisionLevel.COUNTY, is_active=True).order_by("code"))
        if city
        else []
    )
    return AreaChoices(cities, counties, city, county)


def area_name(code: str) -> str:
    code = (code or "").strip()
    if not code.isdigit():
        return code
    six = code[:6].ljust(6, "0")
    return Division.objects.filter(code=six).values_list("name", flat=True).first() or code


def agency_name(agency_id: int | None) -> str:
    if agency_id is None:
        return ""
    return Agency.objects.filter(pk=agency_id).values_list("name", flat=True).first() or f"机构 {agency_id}"


def totals() -> list[tuple[registry.SearchType, int]]:
    """How many records of each type are public now (exact, from the index's own counts)."""
    return [(t, counts_for(t.number, [ALL]).get(ALL, 0)) for t in registry.all_types()]

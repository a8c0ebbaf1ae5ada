"""The staff workspace bar: one list of the staff areas, each shown to the people who hold its permission somewhere.

Add an area here when a module gets staff pages; the bar lists, in this order, the ones the signed-in person may
use (``org.scope.has_permission_anywhere``), so a county officer sees 执法办案 but not 13710督办.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from fazhi.core import permissions as p


@dataclass(frozen=True)
class Area:
    label: str
    url_name: str
    permissions: tuple[str, ...]  # any one of them opens the area


AREAS: tuple[Area, ...] = (
    Area("双公示", "publicity:staff_records", (p.PUBLICITY_VIEW, p.PUBLICITY_SUBMIT)),
    Area("执法办案", "cases:list", (p.CASE_VIEW,)),
    Area("执法主体与人员", "enforcement:staff_home", (p.ENFORCEMENT_VIEW,)),
    Area("裁量基准", "discretion:staff_list", (p.DISCRETION_MANAGE,)),
    Area("案卷评查", "oversight:home", (p.CASEFILE_REVIEW,)),
    Area("13710督办", "supervision:home", (p.SUPERVISION_VIEW,)),
    Area("年度报告", "reports:reports", (p.REPORTS_EDIT,)),
    Area("机构与账号", "org:workspace", (p.ORG_VIEW,)),
    Area("审计留痕", "audit:events", (p.AUDIT_VIEW,)),
)


def workspace(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``workspace`` — (label, url, current) of the areas this person may use; empty for the
    public. Computed only when a template asks for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"workspace": ()}

    def areas() -> list[tuple[str, str, bool]]:
        from fazhi.org.scope import has_permission_anywhere

        found = []
        for area in AREAS:
            if user.is_superuser or any(has_permission_anywhere(user, perm) for perm in area.permissions):
                url = reverse(area.url_name)
                found.append((area.label, url, request.path.startswith(url)))
        return found

    return {"workspace": areas}

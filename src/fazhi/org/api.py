"""Org endpoints. Public: divisions and the public facts of agencies. Staff: scoped agencies, staff, grants."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from fazhi.core.api_errors import PageParams
from fazhi.core.errors import FieldError, NotFound, ValidationFailed
from fazhi.core.permissions import ORG_VIEW

from . import scope, selectors, services
from .auth import staff_auth
from .models import Agency, Division, Role, RoleGrant, Staff

router = Router(tags=["区划与机构"])

LevelName = Literal["province", "city", "county", "township", "village"]
KindName = Literal["government", "department", "institution", "other"]


class DivisionOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    parent_code: str | None

    @staticmethod
    def from_model(d: Division) -> DivisionOut:
        return DivisionOut(
            code=d.code,
            name=d.name,
            level=d.level,
            level_label=d.get_level_display(),
            parent_code=d.parent.code if d.parent_id and d.parent else None,
        )


class DivisionDetailOut(DivisionOut):
    requested_code: str
    replaced_code: str | None = Field(None, description="请求的是已撤销的旧代码时，给出旧代码")
    replaced_note: str | None = None
    children: list[DivisionOut]


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    uscc: str | None
    kind: str
    kind_label: str
    division_code: str
    division_name: str
    parent_id: int | None

    @staticmethod
    def from_model(a: Agency) -> AgencyOut:
        return AgencyOut(
            id=a.pk,
            name=a.name,
            short_name=a.short_name,
            uscc=a.uscc,
            kind=a.kind,
            kind_label=a.get_kind_display(),
            division_code=a.division.code,
            division_name=a.division.name,
            parent_id=a.parent_id,
        )


class AgencyPage(Schema):
    count: int
    items: list[AgencyOut]


class AgencyFilter(PageParams):
    division: str | None = Field(None, description="区划代码（含下级区划），可用已撤销的旧代码")
    q: str | None = Field(None, max_length=100, description="名称包含的文字或统一社会信用代码")


def _division_or_422(code: str | None) -> Division | None:
    if not code:
        return None
    resolved = selectors.resolve_division(code)
    if resolved is None:
        raise ValidationFailed(FieldError("division", "division_unknown", f"没有区划代码为 {code} 的行政区划"))
    return resolved.division


@router.get("/divisions", response=list[DivisionOut], summary="行政区划列表")
def list_divisions(
    request: HttpRequest, parent: str | None = None, level: LevelName | None = None
) -> list[DivisionOut]:
    return [DivisionOut.from_model(d) for d in selectors.divisions(parent_code=parent, level=level)]


@router.get("/divisions/{code}", response=DivisionDetailOut, summary="按代码查区划（已撤销的旧代码映射到现区划）")
def get_division(request: HttpRequest, code: str) -> DivisionDetailOut:
    resolved = selectors.resolve_division(code)
    if resolved is None:
        raise NotFound(f"没有区划代码为 {code} 的行政区划")
    d = resolved.division
    base = DivisionOut.from_model(d)
    return DivisionDetailOut(
        **base.dict(),
        requested_code=resolved.requested_code,
        replaced_code=resolved.replaced.old_code if resolved.replaced else None,
        replaced_note=(
            f"{resolved.replaced.old_name}（{resolved.replaced.old_code}）已撤销，现为{d.name}（{d.code}）：{resolved.replaced.note}"
            if resolved.replaced
            else None
        ),
        children=[DivisionOut.from_model(c) for c in selectors.divisions(parent_code=d.code)],
    )


@router.get("/agencies", response=AgencyPage, summary="机构公开信息")
def list_public_agencies(request: HttpRequest, filters: Query[AgencyFilter]) -> AgencyPage:
    qs = selectors.public_agencies(division=_division_or_422(filters.division), q=filters.q or "")
    items = list(qs[filters.offset : filters.offset + filters.limit])
    return AgencyPage(count=qs.count(), items=[AgencyOut.from_model(a) for a in items])


@router.get("/agencies/{agency_id}", response=AgencyOut, summary="机构公开信息（单个）")
def get_public_agency(request: HttpRequest, agency_id: int) -> AgencyOut:
    agency = selectors.public_agency(agency_id)
    if agency is None:
        raise NotFound()
    return AgencyOut.from_model(agency)


# --- staff -------------------------------------------------------------------------------------------------


class MeOut(Schema):
    username: str
    name: str
    agency: AgencyOut | None
    is_superuser: bool
    roles: list[str]


@router.get("/me", response=MeOut, auth=staff_auth, summary="当前登录人员及其管辖范围")
def me(request: HttpRequest) -> MeOut:
    user: Any = request.user
    staff = Staff.objects.filter(user=user).select_related("agency__division").first()
    return MeOut(
        username=user.username,
        name=staff.name if staff else user.username,
        agency=AgencyOut.from_model(staff.agency) if staff else None,
        is_superuser=user.is_superuser,
        roles=selectors.jurisdiction_label(user),
    )


@router.get("/org/agencies", response=AgencyPage, auth=staff_auth, summary="辖区内的机构（工作人员）")
def list_scoped_agencies(request: HttpRequest, filters: Query[AgencyFilter]) -> AgencyPage:
    qs = selectors.agencies_for(request.user, q=filters.q or "", division=_division_or_422(filters.division))
    items = list(qs[filters.offset : filters.offset + filters.limit])
    return AgencyPage(count=qs.count(), items=[AgencyOut.from_model(a) for a in items])


@router.get("/org/agencies/{agency_id}", response=AgencyOut, auth=staff_auth, summary="辖区内的机构（单个）")
def get_scoped_agency(request: HttpRequest, agency_id: int) -> AgencyOut:
    return AgencyOut.from_model(selectors.agency_for(request.user, agency_id))


class AgencyIn(Schema):
    name: str = Field(..., max_length=200)
    kind: KindName
    division: str = Field(..., description="所在区划代码")
    parent_id: int | None = None
    uscc: str | None = None
    short_name: str = ""


class AgencyPatch(Schema):
    name: str | None = Field(None, max_length=200)
    short_name: str | None = None
    kind: KindName | None = None
    uscc: str | None = None
    is_active: bool | None = None
    reason: str = ""


@router.post("/org/agencies", response={201: AgencyOut}, auth=staff_auth, summary="新建机构")
def create_agency(request: HttpRequest, payload: AgencyIn) -> Status[AgencyOut]:
    division = _division_or_422(payload.division)
    if division is None:
        raise ValidationFailed(FieldError("division", "required", "请填写所在区划代码"))
    parent = services.get_agency_for_write(request.user, payload.parent_id) if payload.parent_id else None
    agency = services.create_agency(
        actor=request.user,
        name=payload.name,
        kind=payload.kind,
        division=division,
        parent=parent,
        uscc=payload.uscc,
        short_name=payload.short_name,
    )
    agency.refresh_from_db()
    return Status(201, AgencyOut.from_model(agency))


@router.patch("/org/agencies/{agency_id}", response=AgencyOut, auth=staff_auth, summary="修改机构")
def update_agency(request: HttpRequest, agency_id: int, payload: AgencyPatch) -> AgencyOut:
    agency = services.get_agency_for_write(request.user, agency_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    agency = services.update_agency(actor=request.user, agency=agency, changes=changes, reason=reason)
    return AgencyOut.from_model(agency)


class StaffOut(Schema):
    id: int
    username: str
    name: str
    position: str
    agency_id: int
    agency_name: str


class StaffIn(Schema):
    username: str
    password: str
    name: str
    agency_id: int
    position: str = ""
    role: str | None = Field(None, description="可选：在本机构授予的角色代码")


def _staff_out(s: Staff) -> StaffOut:
    return StaffOut(
        id=s.pk,
        username=s.user.username,
        name=s.name,
        position=s.position,
        agency_id=s.agency_id,
        agency_name=s.agency.name,
    )


@router.get("/org/staff", response=list[StaffOut], auth=staff_auth, summary="辖区内的工作人员")
def list_staff(request: HttpRequest, agency_id: int | None = None) -> list[StaffOut]:
    agency = selectors.agency_for(request.user, agency_id) if agency_id else None
    return [_staff_out(s) for s in selectors.staff_for(request.user, agency=agency)[:1000]]


@router.post("/org/staff", response={201: StaffOut}, auth=staff_auth, summary="新建工作人员账号")
def create_staff(request: HttpRequest, payload: StaffIn) -> Status[StaffOut]:
    agency = services.get_agency_for_write(request.user, payload.agency_id)
    role = _role_or_422(payload.role) if payload.role else None
    staff = services.create_staff(
        actor=request.user,
        username=payload.username,
        password=payload.password,
        name=payload.name,
        agency=agency,
        position=payload.position,
        role=role,
    )
    return Status(201, _staff_out(staff))


class GrantOut(Schema):
    id: int
    user_id: int
    role: str
    role_name: str
    division_code: str | None
    agency_id: int | None


class GrantIn(Schema):
    staff_id: int
    role: str
    division: str | None = None
    agency_id: int | None = None


def _role_or_422(code: str) -> Role:
    role = Role.objects.filter(code=code).first()
    if role is None:
        raise ValidationFailed(FieldError("role", "role_unknown", f"没有代码为 {code} 的角色"))
    return role


def _grant_out(g: RoleGrant) -> GrantOut:
    return GrantOut(
        id=g.pk,
        user_id=g.user_id,
        role=g.role.code,
        role_name=g.role.name,
        division_code=g.division.code if g.division else None,
        agency_id=g.agency_id,
    )


@router.get("/org/grants", response=list[GrantOut], auth=staff_auth, summary="辖区内的角色授权")
def list_grants(request: HttpRequest) -> list[GrantOut]:
    return [_grant_out(g) for g in selectors.grants_for(request.user)[:2000]]


@router.post("/org/grants", response={201: GrantOut}, auth=staff_auth, summary="授予角色")
def create_grant(request: HttpRequest, payload: GrantIn) -> Status[GrantOut]:
    staff = scope.get_scoped_or_404(
        Staff.objects.select_related("user", "agency__division"), request.user, ORG_VIEW, pk=payload.staff_id
    )
    role = _role_or_422(payload.role)
    agency = services.get_agency_for_write(request.user, payload.agency_id) if payload.agency_id else None
    division = _division_or_422(payload.division)
    grant = services.grant_role(actor=request.user, user=staff.user, role=role, division=division, agency=agency)
    return Status(201, _grant_out(grant))


@router.delete("/org/grants/{grant_id}", response={204: None}, auth=staff_auth, summary="撤销角色")
def delete_grant(request: HttpRequest, grant_id: int, reason: str = "") -> Status[None]:
    grant = scope.get_scoped_or_404(RoleGrant.objects.all(), request.user, ORG_VIEW, pk=grant_id)
    services.revoke_role(actor=request.user, grant=grant, reason=reason)
    return Status(204, None)

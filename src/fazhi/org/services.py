"""The one write path for divisions, agencies, staff and role grants.

Every function: keyword-only arguments, ``actor`` first, one durable transaction, an audit event inside it.
"""

from __future__ import annotations

import csv
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.audit.services import diff, record_event, snapshot
from fazhi.core.errors import Conflict, ErrorList, FieldError, Forbidden, NotFound, ValidationFailed
from fazhi.core.identifiers import check_uscc
from fazhi.core.permissions import ORG_MANAGE, ORG_VIEW

from . import scope
from .auth import TOKEN_PREFIX, digest
from .choices import AgencyKind, DivisionLevel
from .models import Agency, ApiToken, Division, DivisionCodeChange, Role, RoleGrant, Staff

_CODE_LENGTH = {
    DivisionLevel.PROVINCE: 6,
    DivisionLevel.CITY: 6,
    DivisionLevel.COUNTY: 6,
    DivisionLevel.TOWNSHIP: 9,
    DivisionLevel.VILLAGE: 12,
}
# How many leading digits a child's code shares with its parent's code.
_PREFIX = {
    DivisionLevel.PROVINCE: 2,
    DivisionLevel.CITY: 4,
    DivisionLevel.COUNTY: 6,
    DivisionLevel.TOWNSHIP: 9,
}
_CHILD_LEVEL = {
    DivisionLevel.PROVINCE: DivisionLevel.CITY,
    DivisionLevel.CITY: DivisionLevel.COUNTY,
    DivisionLevel.COUNTY: DivisionLevel.TOWNSHIP,
    DivisionLevel.TOWNSHIP: DivisionLevel.VILLAGE,
}


def _require_superuser(actor: Any) -> None:
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise Forbidden("只有系统管理员可以维护行政区划")


# --- divisions ---------------------------------------------------------------------------------------------


def _division_errors(code: str, name: str, level: str, parent: Division | None) -> ErrorList:
    errors = ErrorList()
    if level not in _CODE_LENGTH:
        errors.add("level", "invalid_choice", "层级应为 省级、市级、县级、乡级 或 村级")
        return errors
    length = _CODE_LENGTH[DivisionLevel(level)]
    if not re.fullmatch(rf"\d{{{length}}}", code or ""):
        errors.add("code", "division_code_format", f"{DivisionLevel(level).label}区划代码应为 {length} 位数字")
    if not (name or "").strip():
        errors.add("name", "required", "请填写区划名称")
    if level == DivisionLevel.PROVINCE:
        if parent is not None:
            errors.add("parent", "division_parent", "省级区划没有上级区划")
    elif parent is None:
        errors.add("parent", "required", "请选择上级区划")
    elif _CHILD_LEVEL.get(DivisionLevel(parent.level)) != level:
        errors.add(
            "parent",
            "division_parent",
            f"{parent.name}的下级应为{_CHILD_LEVEL[DivisionLevel(parent.level)].label}区划",
        )
    elif code and code[: _PREFIX[DivisionLevel(parent.level)]] != parent.code[: _PREFIX[DivisionLevel(parent.level)]]:
        errors.add("code", "division_code_parent", f"区划代码 {code} 不属于上级区划 {parent.name}（{parent.code}）")
    return errors


def _insert_division(*, actor: Any, code: str, name: str, level: str, parent: Division | None) -> Division:
    errors = _division_errors(code, name, level, parent)
    errors.raise_if_any()
    if Division.objects.filter(code=code).exists():
        raise Conflict(f"区划代码 {code} 已存在", code="division_exists", field="code")
    division = Division.objects.create(
        code=code,
        name=name.strip(),
        level=level,
        parent=parent,
        path=f"{parent.path if parent else ''}{code}/",
    )
    record_event(actor=actor, action="org.division.create", target=division, after=snapshot(division))
    return division


def create_division(*, actor: Any, code: str, name: str, level: str, parent: Division | None) -> Division:
    """Add a division (townships and villages are added this way; cities and counties come from GB/T 2260)."""
    _require_superuser(actor)
    with transaction.atomic(durable=True):
        return _insert_division(actor=actor, code=code, name=name, level=level, parent=parent)


@dataclass
class DivisionLoadResult:
    created: int
    existing: int
    code_changes: int


def _read_data_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("fazhi.org").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


def load_shanxi_divisions(*, actor: Any) -> DivisionLoadResult:
    """Load Shanxi's province, 11 cities and 117 county-level units and the abolished codes that map to them.

    Safe to run again: existing divisions are left as they are.
    """
    _require_superuser(actor)
    created = existing = changes = 0
    with transaction.atomic(durable=True):
        known = {d.code: d for d in Division.objects.all()}
        for row in _read_data_csv("shanxi_divisions.csv"):
            if row["code"] in known:
                existing += 1
                continue
            parent = known.get(row["parent_code"]) if row["parent_code"] else None
            known[row["code"]] = _insert_division(
                actor=actor, code=row["code"], name=row["name"], level=row["level"], parent=parent
            )
            created += 1
        for row in _read_data_csv("shanxi_code_changes.csv"):
            if DivisionCodeChange.objects.filter(old_code=row["old_code"]).exists():
                continue
            change = DivisionCodeChange.objects.create(
                old_code=row["old_code"],
                old_name=row["old_name"],
                new_division=known[row["new_code"]],
                changed_year=int(row["changed_year"]) if row["changed_year"] else None,
                note=row["note"],
            )
            record_event(actor=actor, action="org.division_code_change.create", target=change, after=snapshot(change))
            changes += 1
    return DivisionLoadResult(created=created, existing=existing, code_changes=changes)


# --- agencies -----------------------------------------------------------------------------------------------


def _clean_agency_fields(data: dict[str, Any], errors: ErrorList) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "name" in data:
        name = (data["name"] or "").strip()
        if not name:
            errors.add("name", "required", "请填写机构名称")
        elif len(name) > 200:
            errors.add("name", "too_long", "机构名称不能超过 200 个字符")
        cleaned["name"] = name
    if "short_name" in data:
        cleaned["short_name"] = (data["short_name"] or "").strip()[:60]
    if "kind" in data:
        if data["kind"] not in AgencyKind.values:
            errors.add(
                "kind",
                "invalid_choice",
                "机构类别应为：" + "、".join(str(label) for label in AgencyKind.labels),
            )
        cleaned["kind"] = data["kind"]
    if "uscc" in data:
        raw = (data["uscc"] or "").strip()
        if raw:
            try:
                cleaned["uscc"] = check_uscc(raw, field_name="uscc").value
            except ValidationFailed as exc:
                errors.items.extend(exc.errors)
        else:
            cleaned["uscc"] = None
    if "is_active" in data:
        cleaned["is_active"] = bool(data["is_active"])
    return cleaned


def _ensure_unique(cleaned: dict[str, Any], division: Division, exclude_pk: int | None) -> None:
    others = Agency.objects.exclude(pk=exclude_pk) if exclude_pk is not None else Agency.objects.all()
    if cleaned.get("uscc"):
        clash = others.filter(uscc=cleaned["uscc"]).first()
        if clash is not None:
            raise Conflict(
                f"统一社会信用代码 {cleaned['uscc']} 已被“{clash.name}”使用", code="uscc_taken", field="uscc"
            )
    if cleaned.get("name") and others.filter(division=division, name=cleaned["name"]).exists():
        raise Conflict(f"{division.name}已有名为“{cleaned['name']}”的机构", code="agency_name_taken", field="name")


def validate_agency(*, data: dict[str, Any], division: Division, agency: Agency | None = None) -> dict[str, Any]:
    """Check agency fields (and uniqueness) without saving; returns the cleaned values. Used by the admin form."""
    errors = ErrorList()
    cleaned = _clean_agency_fields(data, errors)
    errors.raise_if_any()
    _ensure_unique(cleaned, division, agency.pk if agency else None)
    return cleaned


def validate_grant(*, user: Any, role: Role, division: Division | None, agency: Agency | None) -> None:
    """Check a role grant without saving (exactly one node; not already granted). Used by the admin form."""
    if (division is None) == (agency is None):
        raise ValidationFailed(FieldError("division", "grant_node", "请选择一个管辖区划或一个管辖机构（二选一）"))
    if RoleGrant.objects.filter(user=user, role=role, division=division, agency=agency).exists():
        raise Conflict("该用户在此辖区已有这个角色", code="grant_exists")


def create_agency(
    *,
    actor: Any,
    name: str,
    kind: str,
    division: Division,
    parent: Agency | None = None,
    uscc: str | None = None,
    short_name: str = "",
) -> Agency:
    """Create an agency in ``division`` (optionally under ``parent``); the actor needs 管理机构 over the place."""
    with transaction.atomic(durable=True):
        if parent is not None:
            scope.require(actor, ORG_MANAGE, parent, visible_with=ORG_VIEW)
            if not parent.division.path.startswith(division.path) and not division.path.startswith(
                parent.division.path
            ):
                raise ValidationFailed(FieldError("parent", "agency_parent_division", "上级机构与所在区划不在同一辖区"))
        else:
            scope.require(actor, ORG_MANAGE, division, visible_with=ORG_VIEW)
        cleaned = validate_agency(
            data={"name": name, "kind": kind, "uscc": uscc, "short_name": short_name}, division=division
        )
        agency = Agency.objects.create(division=division, parent=parent, path="", **cleaned)
        agency.path = f"{parent.path if parent else ''}{agency.pk}/"
        Agency.objects.filter(pk=agency.pk).update(path=agency.path)
        record_event(actor=actor, action="org.agency.create", target=agency, after=snapshot(agency))
        return agency


def update_agency(*, actor: Any, agency: Agency, changes: dict[str, Any], reason: str = "") -> Agency:
    """Change an agency's name, short name, kind, code or active flag (moving it in the tree is not allowed)."""
    unknown = set(changes) - {"name", "short_name", "kind", "uscc", "is_active"}
    if unknown:
        raise ValidationFailed(
            [
                FieldError(f, "not_editable", "该字段不能修改（机构的区划与上级机构不能直接变更）")
                for f in sorted(unknown)
            ]
        )
    with transaction.atomic(durable=True):
        agency = Agency.objects.select_for_update().select_related("division").get(pk=agency.pk)
        scope.require(actor, ORG_MANAGE, agency, visible_with=ORG_VIEW)
        cleaned = validate_agency(data=changes, division=agency.division, agency=agency)
        before = snapshot(agency)
        for key, value in cleaned.items():
            setattr(agency, key, value)
        agency.save(update_fields=[*cleaned.keys(), "updated_at"])
        old, new = diff(before, snapshot(agency))
        old.pop("updated_at", None)
        new.pop("updated_at", None)
        if new:
            record_event(actor=actor, action="org.agency.update", target=agency, before=old, after=new, reason=reason)
        return agency


# --- staff and grants ---------------------------------------------------------------------------------------


def create_staff(
    *,
    actor: Any,
    username: str,
    password: str,
    name: str,
    agency: Agency,
    position: str = "",
    is_superuser: bool = False,
    role: Role | None = None,
) -> Staff:
    """Create a login account for a person in ``agency`` (a superuser only by the system or a superuser).

    With ``role``, the new account gets that role over its own agency in the same transaction.
    """
    if is_superuser and actor is not None and not actor.is_superuser:
        raise Forbidden("只有系统管理员可以创建系统管理员账号")
    errors = ErrorList()
    username = (username or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_.@-]{3,150}", username):
        errors.add("username", "username_format", "用户名为 3–150 位字母、数字或 _ . @ -")
    if not (name or "").strip():
        errors.add("name", "required", "请填写姓名")
    try:
        validate_password(password)
    except DjangoValidationError as exc:
        errors.add("password", "password_weak", "密码不符合要求：" + "；".join(str(m) for m in exc.messages))
    errors.raise_if_any()
    user_model = get_user_model()
    with transaction.atomic(durable=True):
        scope.require(actor, ORG_MANAGE, agency, visible_with=ORG_VIEW)
        if user_model.objects.filter(username=username).exists():
            raise Conflict(f"用户名 {username} 已被使用", code="username_taken", field="username")
        if is_superuser:
            user = user_model.objects.create_superuser(username=username, password=password, email="")
        else:
            user = user_model.objects.create_user(username=username, password=password)
        staff = Staff.objects.create(user=user, agency=agency, name=name.strip(), position=(position or "").strip())
        record_event(
            actor=actor,
            action="org.staff.create",
            target=staff,
            after={"username": username, "is_superuser": is_superuser, **snapshot(staff)},
        )
        if role is not None:
            _grant(actor=actor, user=user, role=role, division=None, agency=agency)
        return staff


def _node_paths(division: Division | None, agency: Agency | None) -> tuple[str | None, str | None]:
    if agency is not None:
        return agency.division.path, agency.path
    return (division.path if division else None), None


def grant_role(
    *, actor: Any, user: Any, role: Role, division: Division | None = None, agency: Agency | None = None
) -> RoleGrant:
    """Grant ``role`` to ``user`` over a division or agency subtree.

    The actor needs 管理机构 over that node, and may only hand out permissions they hold there themselves.
    """
    with transaction.atomic(durable=True):
        return _grant(actor=actor, user=user, role=role, division=division, agency=agency)


def _grant(*, actor: Any, user: Any, role: Role, division: Division | None, agency: Agency | None) -> RoleGrant:
    """The body of :func:`grant_role`, for use inside another service's transaction."""
    validate_grant(user=user, role=role, division=division, agency=agency)
    node: Division | Agency = agency if agency is not None else division  # type: ignore[assignment]
    scope.require(actor, ORG_MANAGE, node, visible_with=ORG_VIEW)
    staff = Staff.objects.select_related("agency__division").filter(user=user).first()
    if staff is not None:
        scope.require(actor, ORG_MANAGE, staff, visible_with=ORG_VIEW)
    division_path, agency_path = _node_paths(division, agency)
    if actor is not None and not actor.is_superuser:
        missing = [
            p
            for p in role.permissions
            if not scope.jurisdiction(actor, p).covers(division_path=division_path, agency_path=agency_path)
        ]
        if missing:
            raise Forbidden("不能授予您自己在该辖区没有的权限：" + "、".join(missing))
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(user=user, role=role, division=division, agency=agency)
    except IntegrityError as exc:
        raise Conflict("该用户在此辖区已有这个角色", code="grant_exists") from exc
    record_event(actor=actor, action="org.role_grant.create", target=grant, after=snapshot(grant))
    scope.forget(user)
    return grant


def revoke_role(*, actor: Any, grant: RoleGrant, reason: str = "") -> None:
    with transaction.atomic(durable=True):
        grant = RoleGrant.objects.select_related("division", "agency__division", "role").get(pk=grant.pk)
        node: Division | Agency = grant.agency if grant.agency is not None else grant.division  # type: ignore[assignment]
        scope.require(actor, ORG_MANAGE, node, visible_with=ORG_VIEW)
        before = snapshot(grant)
        record_event(actor=actor, action="org.role_grant.revoke", target=grant, before=before, reason=reason)
        grant.delete()
        scope.forget(grant.user)


def ensure_roles(*, actor: Any, definitions: Iterable[tuple[str, str, str, list[str]]]) -> list[Role]:
    """Create or update roles from ``(code, name, description, permissions)``; used by set-up and demo."""
    _require_superuser(actor)
    roles = []
    with transaction.atomic(durable=True):
        for code, name, description, permissions in definitions:
            role = Role.objects.filter(code=code).first()
            if role is None:
                role = Role.objects.create(code=code, name=name, description=description, permissions=permissions)
                record_event(actor=actor, action="org.role.create", target=role, after=snapshot(role))
            elif sorted(role.permissions) != sorted(permissions) or role.name != name:
                before = snapshot(role)
                role.name, role.description, role.permissions = name, description, permissions
                role.save()
                old, new = diff(before, snapshot(role))
                record_event(actor=actor, action="org.role.update", target=role, before=old, after=new)
            roles.append(role)
    return roles


def get_agency_for_write(actor: Any, pk: int) -> Agency:
    """Load an agency the actor can see, or raise NotFound (the same for missing and out of scope)."""
    agency = scope.restrict(Agency.objects.select_related("division"), actor, ORG_VIEW).filter(pk=pk).first()
    if agency is None:
        raise NotFound()
    return agency


def create_api_token(*, actor: Any, user: Any, name: str) -> tuple[ApiToken, str]:
    """A personal access token for ``user``; returns the row and the token text, which is shown only this once.

    People create their own; creating one for someone else needs 管理机构 over that person.
    """
    if not (name or "").strip():
        raise ValidationFailed(FieldError("name", "required", "请填写令牌用途，例如“执法系统每日推送”"))
    with transaction.atomic(durable=True):
        if actor is not None and getattr(actor, "pk", None) != user.pk:
            staff = Staff.objects.select_related("agency__division").filter(user=user).first()
            if staff is None:
                raise NotFound()
            scope.require(actor, ORG_MANAGE, staff, visible_with=ORG_VIEW)
        text = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(user=user, name=name.strip()[:100], prefix=text[:10], digest=digest(text))
        record_event(
            actor=actor, action="org.api_token.create", target=token, after={"user_id": user.pk, "name": token.name}
        )
        return token, text


def revoke_api_token(*, actor: Any, token: ApiToken, reason: str = "") -> ApiToken:
    with transaction.atomic(durable=True):
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if actor is not None and getattr(actor, "pk", None) != token.user_id:
            scope.require(actor, ORG_MANAGE, token, visible_with=ORG_VIEW)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record_event(actor=actor, action="org.api_token.revoke", target=token, reason=reason)
        return token

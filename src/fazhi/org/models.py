"""Divisions, agencies, staff and role grants: the tree every jurisdiction check walks.

Both trees are stored as materialised paths (``path`` = codes or ids joined with ``/``, ending in ``/``), so
"everything under this node" is one indexed prefix query on both databases
(docs/decisions/0003-tree-storage.md).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from .choices import AgencyKind, DivisionLevel
from .scope import ScopeSpec


class Division(models.Model):
    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=12, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=120, editable=False)
    is_active = models.BooleanField("现行有效", default=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="path")

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [models.Index(fields=["path"], name="org_division_path_idx", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class DivisionCodeChange(models.Model):
    """An abolished or renumbered code and the division that replaced it (old records still carry old codes)."""

    old_code = models.CharField("原区划代码", max_length=12, unique=True)
    old_name = models.CharField("原名称", max_length=64)
    new_division = models.ForeignKey(
        Division, verbose_name="现区划", on_delete=models.PROTECT, related_name="former_codes"
    )
    changed_year = models.PositiveSmallIntegerField("变更年份", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "区划代码变更"
        verbose_name_plural = "区划代码变更"
        ordering = ["old_code"]

    def __str__(self) -> str:
        return f"{self.old_code} {self.old_name} → {self.new_division.code}"


class Agency(models.Model):
    name = models.CharField("机构名称", max_length=200)
    short_name = models.CharField("简称", max_length=60, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    kind = models.CharField("机构类别", max_length=16, choices=AgencyKind.choices)
    division = models.ForeignKey(Division, verbose_name="所在区划", on_delete=models.PROTECT, related_name="agencies")
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=255, editable=False)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="division__path", agency="path")

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["division__code", "path"]
        indexes = [models.Index(fields=["path"], name="org_agency_path_idx", opclasses=["varchar_pattern_ops"])]
        constraints = [models.UniqueConstraint(fields=["division", "name"], name="org_agency_unique_name_in_division")]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return self.division.get_level_display()


class Staff(models.Model):
    """A person working in an agency, with the login account they use."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff")
    agency = models.ForeignKey(Agency, verbose_name="所在机构", on_delete=models.PROTECT, related_name="staff")
    name = models.CharField("姓名", max_length=60)
    position = models.CharField("职务", max_length=60, blank=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(division="agency__division__path", agency="agency__path")

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"
        ordering = ["agency_id", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.agency.name}）"


class Role(models.Model):
    """A named set of permission codes (see ``fazhi.core.permissions``), granted on an org node."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    description = models.CharField("说明", max_length=200, blank=True)
    permissions = models.JSONField("权限", default=list)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class RoleGrant(models.Model):
    """A role for a user over a division subtree or an agency subtree (exactly one of the two)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.ForeignKey(Role, verbose_name="角色", on_delete=models.PROTECT, related_name="grants")
    division = models.ForeignKey(
        Division,
        verbose_name="管辖区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="管辖机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )
    created_at = models.DateTimeField("授予时间", auto_now_add=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(
        division="user__staff__agency__division__path", agency="user__staff__agency__path"
    )

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(division__isnull=False, agency__isnull=True))
                | (models.Q(division__isnull=True, agency__isnull=False)),
                name="org_rolegrant_one_node",
            ),
            models.UniqueConstraint(fields=["user", "role", "division", "agency"], name="org_rolegrant_unique"),
        ]

    def __str__(self) -> str:
        node = self.division or self.agency
        return f"{self.role} @ {node}"


class ApiToken(models.Model):
    """A personal access token for systems that call the API on a person's behalf (an agency's data pipeline).

    Only the SHA-256 digest is stored; the token itself is shown once, when it is created. A token acts exactly as
    its user: same roles, same jurisdiction.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("前缀", max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    scope: ClassVar[ScopeSpec] = ScopeSpec(
        division="user__staff__agency__division__path", agency="user__staff__agency__path"
    )

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"

"""``fazhi setup``: reference data every deployment needs (Shanxi divisions, abolished codes, default roles).

Safe to run again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fazhi.core.context import new_request_id, request_context
from fazhi.org import services
from fazhi.org.roles import DEFAULT_ROLES


class Command(BaseCommand):
    help = "载入山西省行政区划、已撤销代码的映射和默认角色（可重复运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        with request_context(new_request_id("cli-setup")):
            result = services.load_shanxi_divisions(actor=None)
            roles = services.ensure_roles(actor=None, definitions=DEFAULT_ROLES)
        self.stdout.write(
            f"行政区划：新增 {result.created} 个，已有 {result.existing} 个；旧代码映射新增 {result.code_changes} 条；"
            f"角色 {len(roles)} 个。"
        )

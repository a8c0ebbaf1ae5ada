"""``fazhi token create USERNAME --name …`` / ``fazhi token revoke PREFIX`` / ``fazhi token list USERNAME``."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from fazhi.core.context import new_request_id, request_context
from fazhi.core.errors import FazhiError
from fazhi.org import services
from fazhi.org.models import ApiToken


class Command(BaseCommand):
    help = "接口令牌：create 为用户创建（令牌只显示这一次）；revoke 按前缀撤销；list 列出用户的令牌。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="用途，例如“执法系统每日推送”")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix", help="令牌前缀（list 中显示）")
        show = sub.add_parser("list")
        show.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with request_context(new_request_id("cli-token")):
                getattr(self, f"_{options['action']}")(options)
        except FazhiError as exc:
            self.stderr.write(exc.message)
            sys.exit(1)

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            self.stderr.write(f"没有用户名为 {username} 的账号")
            sys.exit(1)
        return user

    def _create(self, options: dict[str, Any]) -> None:
        _, text = services.create_api_token(actor=None, user=self._user(options["username"]), name=options["name"])
        self.stdout.write(text)
        self.stderr.write("请立即保存这个令牌：它不会再显示。调用接口时使用请求头 Authorization: Bearer <令牌>。")

    def _revoke(self, options: dict[str, Any]) -> None:
        tokens = list(ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True))
        if len(tokens) != 1:
            self.stderr.write(f"找到 {len(tokens)} 个有效令牌以 {options['prefix']} 开头，应恰好一个")
            sys.exit(1)
        services.revoke_api_token(actor=None, token=tokens[0], reason="命令行撤销")
        self.stdout.write(f"已撤销 {tokens[0]}")

    def _list(self, options: dict[str, Any]) -> None:
        for token in ApiToken.objects.filter(user=self._user(options["username"])):
            state = "已撤销" if token.revoked_at else "有效"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "未使用"
            self.stdout.write(f"{token.prefix}\t{token.name}\t{state}\t最近使用：{used}")

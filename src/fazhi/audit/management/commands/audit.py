"""``fazhi audit verify``: check the whole audit chain; exit 0 when intact, 1 when not."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fazhi.audit.verify import verify_chain


class Command(BaseCommand):
    help = "审计留痕：verify 校验整条哈希链，指出第一个被修改、删除、插入或调换顺序的事件。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="verify")
        verify = sub.add_parser("verify", help="校验整条审计链")
        verify.add_argument("--quiet", action="store_true", help="只输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        quiet = options.get("quiet", False)

        def progress(n: int) -> None:
            if not quiet and n % 100_000 == 0:
                self.stderr.write(f"  已校验 {n:,} 个事件……")

        result = verify_chain(progress=progress)
        elapsed = time.perf_counter() - started
        if result.ok:
            self.stdout.write(f"{result.summary()} 用时 {elapsed:.1f} 秒。")
            return
        self.stderr.write(f"{result.summary()} 第一个问题事件：#{result.first_bad_seq}（{result.kind}）")
        sys.exit(1)

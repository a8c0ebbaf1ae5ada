"""``fazhi supervision …``: the 13710 system from the command line.

fazhi supervision sweep [--date YYYY-MM-DD]   # mark overdue items, remind, escalate (safe to repeat; run daily)
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fazhi.core.errors import FazhiError
from fazhi.supervision import services


class Command(BaseCommand):
    help = "“13710”督办：sweep 标记逾期事项、发送提醒（站内与邮件）并按规定升级督办（可重复运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="督办巡检：标记逾期、提醒、升级（重复运行不会重复提醒）")
        sweep.add_argument("--date", default="", help="按该日期巡检（默认今天，Asia/Shanghai）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except FazhiError as exc:
            self.stderr.write(exc.message)
            sys.exit(1)

    def _sweep(self, options: dict[str, Any]) -> None:
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                self.stderr.write(f"日期“{options['date']}”无效，应为 YYYY-MM-DD")
                sys.exit(2)
        result = services.sweep_overdue(actor=None, today=day)
        self.stdout.write(result.summary())

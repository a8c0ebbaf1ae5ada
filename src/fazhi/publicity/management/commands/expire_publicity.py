"""``fazhi expire_publicity``: record the penalties whose maximum publicity window has ended (run nightly).

Public reads already hide them on the day after the window; this writes the event and tells downstream copies.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fazhi.core.context import new_request_id, request_context
from fazhi.publicity.services import expire_records


class Command(BaseCommand):
    help = "将最长公示期已届满的行政处罚信息标记为“公示期满”，并写入变更订阅（建议每日运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        with request_context(new_request_id("cli-expire")):
            count = expire_records(actor=None)
        self.stdout.write(f"公示期满：{count} 条。")

"""``fazhi openapi [--write PATH]``: print the API schema, or write it to the committed snapshot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def schema_text() -> str:
    from fazhi.api import api

    return json.dumps(api.get_openapi_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "输出 OpenAPI 接口说明；--write 写入快照文件（docs/openapi.json），CI 会与之比较。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", metavar="PATH", help="写入到文件")

    def handle(self, *args: Any, **options: Any) -> None:
        text = schema_text()
        if options.get("write"):
            Path(options["write"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"已写入 {options['write']}")
        else:
            self.stdout.write(text, ending="")

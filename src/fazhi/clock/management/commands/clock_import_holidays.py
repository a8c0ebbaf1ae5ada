"""``fazhi clock_import_holidays FILE --source TEXT``: enter a year's official holiday schedule by hand.

For a year the calendar library does not cover yet (after the State Council publishes the next year's 节假日安排,
before the library is upgraded). FILE is in the holiday-cn format: ``{"year": 2027, "papers": [...],
"days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}, ...]}``. Each listed day becomes an override and
the year is marked as entered, all in one audited transaction (actor: 系统).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.clock import services
from fazhi.core.errors import FazhiError


class Command(BaseCommand):
    help = "补录某一年的节假日安排（holiday-cn JSON 格式），使该年可以计算工作日"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="holiday-cn 格式的 JSON 文件")
        parser.add_argument("--source", default="", help="依据（通知名称和文号）；默认取文件中的 papers")
        parser.add_argument("--note", default="", help="说明")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            year = int(data["year"])
            days = [(date.fromisoformat(d["date"]), not d["isOffDay"], str(d.get("name", ""))) for d in data["days"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"无法读取 {path}：{exc}") from exc
        source = options["source"] or "；".join(data.get("papers") or [])
        try:
            services.import_calendar_year(actor=None, year=year, days=days, source=source, note=options["note"])
        except FazhiError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"已补录{year}年节假日安排：{len(days)} 天"))

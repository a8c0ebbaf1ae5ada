"""``fazhi portal …``: the portal's search from the command line, and rebuilding its index.

fazhi portal search "鹏泽" [--type penalty] [--division 1401] [--limit 20] [--cursor N] [--json]
fazhi portal reindex [--type penalty] [--missing]
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from fazhi.core.errors import FazhiError
from fazhi.portal import index, registry
from fazhi.portal.query import parse_params, search


class Command(BaseCommand):
    help = "统一查询：search 查询公开信息；reindex 按各模块的公开记录重建检索索引。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        find = sub.add_parser("search", help="与 /search/ 页面和 /api/v1/search 相同的查询")
        find.add_argument("q", nargs="?", default="")
        for name in ("type", "division", "agency", "date_from", "date_to", "category", "cursor", "limit"):
            find.add_argument(f"--{name.replace('_', '-')}", dest=name, default="")
        find.add_argument("--json", action="store_true", help="输出 JSON（与 API 的 items 相同）")
        rebuild = sub.add_parser("reindex", help="清空并重建检索索引（可重复运行）")
        rebuild.add_argument("--type", choices=[t.code for t in registry.all_types()], help="只重建这一类")
        rebuild.add_argument("--missing", action="store_true", help="只处理索引为空、但有公开记录的类型")
        rebuild.add_argument("--batch", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except FazhiError as exc:
            self.stderr.write(exc.message)
            sys.exit(1)

    def _search(self, options: dict[str, Any]) -> None:
        names = ("q", "type", "division", "agency", "date_from", "date_to", "category", "cursor", "limit")
        result = search(parse_params({n: options[n] for n in names if options.get(n)}))
        if options["json"]:
            items = [
                {"type": h.type.code, "id": h.object_id, "title": h.title, "url": h.url, "summary": h.summary}
                for h in result.items
            ]
            payload = {"count": result.count, "exact": result.exact, "items": items, "next_cursor": result.next_cursor}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, default=str, indent=2))
            return
        label = f"{result.count} 条" if result.exact else f"约 {result.count} 条（估算）"
        groups = "，".join(f"{g.type.label} {'' if g.exact else '约'}{g.count}" for g in result.groups)
        self.stdout.write(f"找到 {label}（{groups}）")
        for hit in result.items:
            date = hit.date.isoformat() if hit.date else ""
            self.stdout.write(f"{hit.type.label}\t{date}\t{hit.title}\t{hit.summary.get('doc_number', '')}\t{hit.url}")
        if result.next_cursor is not None:
            self.stdout.write(f"下一页：--cursor {result.next_cursor}")

    def _reindex(self, options: dict[str, Any]) -> None:
        types = [registry.get(options["type"])] if options["type"] else registry.all_types()
        for search_type in types:
            objects = search_type.public_objects()
            if options["missing"]:
                indexed = index.counts_for(search_type.number, [index.ALL]).get(index.ALL, 0)
                if indexed or not objects.exists():
                    continue
            index.clear(search_type.code)
            done = 0
            batch: list[Any] = []
            for obj in objects.iterator(chunk_size=options["batch"]):
                batch.append(obj)
                if len(batch) >= options["batch"]:
                    done += self._index(search_type.code, batch)
                    batch = []
            done += self._index(search_type.code, batch)
            self.stdout.write(f"{search_type.label}：已建立索引 {done} 条。")

    @staticmethod
    def _index(code: str, objects: list[Any]) -> int:
        if not objects:
            return 0
        search_type = registry.get(code)
        with transaction.atomic():
            return index.add(code, list(search_type.documents(objects)))

"""``fazhi publicity …``: the 双公示 operations from the command line, through the same services as the pages.

fazhi publicity expire                       record penalties past their maximum window (run nightly)
fazhi publicity withdraw --kind penalty --doc-number 〔…〕 --agency USCC --reason … [--revoked-on DATE]
fazhi publicity export --kind penalty --format csv|json [--out FILE]
fazhi publicity changes [--after N] [--limit N]
fazhi publicity quality [--year YYYY]
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fazhi.core.context import new_request_id, request_context
from fazhi.core.docnumbers import doc_number_key
from fazhi.core.errors import FazhiError
from fazhi.core.identifiers import fold
from fazhi.publicity import opendata, selectors, services


class Command(BaseCommand):
    help = "双公示：expire 公示期满处理；withdraw 撤回；export 导出开放数据；changes 变更订阅；quality 报送质量。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("expire", help="将最长公示期已届满的处罚标记为公示期满（建议每日运行）")
        withdraw = sub.add_parser("withdraw", help="撤回一条公示（决定被变更、撤销或确认违法）")
        withdraw.add_argument("--kind", choices=["penalty", "licence"], required=True)
        withdraw.add_argument("--doc-number", required=True, help="决定书文号（括号写法不限）")
        withdraw.add_argument("--agency", required=True, help="决定机关统一社会信用代码")
        withdraw.add_argument("--reason", required=True)
        withdraw.add_argument("--revoked-on", type=dt.date.fromisoformat, help="决定被变更或撤销的日期 YYYY-MM-DD")
        export = sub.add_parser("export", help="导出当前公示的全部记录（与开放数据下载相同，已脱敏）")
        export.add_argument("--kind", choices=["penalty", "licence"], required=True)
        export.add_argument("--format", choices=["csv", "json"], default="csv")
        export.add_argument("--out", help="输出文件（默认标准输出）")
        changes = sub.add_parser("changes", help="按序号列出变更（公示、更正、撤回、修复、期满）")
        changes.add_argument("--after", type=int, default=0)
        changes.add_argument("--limit", type=int, default=100)
        quality = sub.add_parser("quality", help="按机构的报送质量")
        quality.add_argument("--year", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with request_context(new_request_id("cli-publicity")):
                getattr(self, f"_{options['action']}")(options)
        except FazhiError as exc:
            self.stderr.write(exc.message)
            sys.exit(1)

    def _expire(self, options: dict[str, Any]) -> None:
        self.stdout.write(f"公示期满：{services.expire_records(actor=None)} 条。")

    def _withdraw(self, options: dict[str, Any]) -> None:
        model = services.MODELS[options["kind"]]
        matches = list(
            model._default_manager.filter(
                doc_number_key=doc_number_key(options["doc_number"]),
                decision_agency_uscc=fold(options["agency"]).upper(),
            )
        )
        if len(matches) != 1:
            self.stderr.write(f"找到 {len(matches)} 条匹配的记录，应恰好一条：请核对文号和决定机关代码。")
            sys.exit(1)
        record = services.withdraw_record(
            actor=None, record=matches[0], reason=options["reason"], revoked_on=options.get("revoked_on")
        )
        late = "（超过 3 个工作日）" if record.withdrawn_late else ""
        self.stdout.write(f"已撤回：{record.doc_number} {record.party_name}{late}")

    def _export(self, options: dict[str, Any]) -> None:
        chunks = (
            opendata.json_chunks(options["kind"])
            if options["format"] == "json"
            else opendata.csv_chunks(options["kind"])
        )
        if not options.get("out"):
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        with open(options["out"], "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)

    def _changes(self, options: dict[str, Any]) -> None:
        for change in selectors.changes_after(options["after"], max(1, min(options["limit"], 5000))):
            self.stdout.write(f"{change.seq}\t{change.action}\t{change.record_type}:{change.record_id}")

    def _quality(self, options: dict[str, Any]) -> None:
        self.stdout.write("机构\t报送\t按期\t超期\t及时率\t撤回\t导入行数\t被拒绝")
        for r in selectors.quality_for(None, year=options.get("year"), everything=True):
            rate = f"{r.on_time_rate:.1%}" if r.on_time_rate is not None else "—"
            self.stdout.write(
                f"{r.agency_name}\t{r.submitted}\t{r.on_time}\t{r.late}\t{rate}\t{r.withdrawn}\t{r.rows_read}\t{r.rows_rejected}"
            )

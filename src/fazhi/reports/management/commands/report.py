"""``fazhi report annual --year 2020 [--division 140000] --format html|docx|pdf --output FILE``
``fazhi report rollup [--year 2020] [--division 140100] [--fresh] [--limit N]``
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fazhi.core.errors import FazhiError
from fazhi.reports import outputs, selectors, services
from fazhi.reports.models import AnnualReport
from fazhi.reports.render import render_default, render_report


class Command(BaseCommand):
    help = "指标汇总与法治政府建设年度报告"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, title="子命令")
        annual = sub.add_parser("annual", help="导出年度报告（html、docx、pdf）")
        annual.add_argument("--year", type=int, required=True, help="报告年度，例如 2020")
        annual.add_argument("--division", default="", help="区划代码（默认：全省）")
        annual.add_argument("--format", choices=outputs.FORMATS, required=True, help="输出格式")
        annual.add_argument("--output", required=True, help="输出文件路径")
        rollup = sub.add_parser("rollup", help="计算全部指标并写入汇总表（可中断后续跑）")
        rollup.add_argument("--year", type=int, default=None, help="年度（默认：上一年）")
        rollup.add_argument("--division", default="", help="只汇总该区划及其下级")
        rollup.add_argument("--fresh", action="store_true", help="不续跑未完成的任务，从头开始")
        rollup.add_argument("--limit", type=int, default=None, help="本次最多处理多少个区划（之后可续跑）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "annual":
                self._annual(options)
            else:
                self._rollup(options)
        except FazhiError as exc:
            raise CommandError(exc.message) from exc

    def _division(self, code: str) -> Any:
        if code:
            return selectors.division_by_code(code)
        division = selectors.province()
        if division is None:
            raise CommandError("尚未载入行政区划：请先运行 fazhi setup 或 fazhi demo")
        return division

    def _annual(self, options: dict[str, Any]) -> None:
        division = self._division(options["division"])
        year = options["year"]
        report = AnnualReport.objects.filter(division=division, year=year).select_related("division").first()
        rendered = render_report(report) if report is not None else render_default(division, year)
        data = outputs.export(rendered, options["format"])
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        source = f"报告 #{report.pk}（{report.get_status_display()}）" if report else "默认模板（尚未建立报告）"
        self.stdout.write(
            f"已写出 {output}（{len(data):,} 字节）：{rendered.title}，{source}，引用 {len(rendered.footnotes)} 个指标"
        )

    def _rollup(self, options: dict[str, Any]) -> None:
        year = options["year"] or timezone.localdate().year - 1
        under = selectors.division_by_code(options["division"]) if options["division"] else None
        run = services.run_rollup(
            actor=None, year=year, under=under, fresh=options["fresh"], stop_after=options["limit"]
        )
        state = run.get_status_display()
        self.stdout.write(
            f"{year} 年指标汇总{state}：已完成 {run.divisions_done} 个区划（至 {run.last_division or '—'}），"
            f"写入 {run.values_written} 个数值"
        )

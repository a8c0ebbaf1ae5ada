"""``fazhi discretion …``: discretion benchmarks from the command line, through the same services as the pages.

fazhi discretion import FILE --document 粤环发〔2021〕7号 [--errors OUT.csv]   import items (XLSX/CSV) into a version
fazhi discretion convert-guangdong TABLES.json [--no-penalty LIST.json] --out FILE.csv
                                                   the Guangdong table's extracted JSON → the import spreadsheet
fazhi discretion template --out FILE.xlsx|FILE.csv  the import template
fazhi discretion refresh-search                     index the items of versions that came into force (run daily)

Exit status of ``import``: 0 every row imported, 1 some rows rejected (see the report), 2 the file cannot be used.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fazhi.core.context import new_request_id, request_context
from fazhi.core.errors import FazhiError
from fazhi.discretion import guangdong, selectors, services
from fazhi.discretion.spreadsheet import TEMPLATE_ROWS, write_csv, write_xlsx


class Command(BaseCommand):
    help = (
        "行政裁量基准：import 导入事项；convert-guangdong 转换广东裁量表；template 导入模板；refresh-search 更新检索。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="把表格（XLSX/CSV，中文表头）中的事项导入一份裁量基准")
        load.add_argument("path", help="表格文件")
        load.add_argument("--document", required=True, help="裁量基准的文号（括号写法不限）")
        load.add_argument(
            "--errors", metavar="OUT.csv", help="问题报告（列：row, level, field, field_label, code, message）"
        )
        convert = sub.add_parser("convert-guangdong", help="把广东省生态环境罚款裁量表（提取的 JSON）转换为导入表格")
        convert.add_argument("path", help="*.tables.json")
        convert.add_argument("--no-penalty", help="不予行政处罚的轻微违法行为目录（提取的 JSON），可选")
        convert.add_argument("--out", required=True, help="输出的 CSV 文件")
        template = sub.add_parser("template", help="写出导入模板")
        template.add_argument("--out", required=True, help="FILE.xlsx 或 FILE.csv")
        sub.add_parser("refresh-search", help="把已开始施行的版本的事项加入统一查询（建议每日运行）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with request_context(new_request_id("cli-discretion")):
                getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except FazhiError as exc:
            self.stderr.write(exc.message)
            sys.exit(2)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["path"])
        if not path.is_file():
            self.stderr.write(f"找不到文件：{path}")
            sys.exit(2)
        benchmark = selectors.benchmark_by_number(options["document"])
        report = services.import_items(actor=None, benchmark=benchmark, file=str(path), filename=path.name)
        self.stdout.write(
            f"{report.filename} → {benchmark.doc_number}：读取 {report.rows_read} 行；新增事项 {report.created}，"
            f"更新 {report.updated}，未变 {report.unchanged}；"
            f"拒绝 {report.rejected_rows} 行，提示 {len(report.warnings)} 条。"
        )
        if options.get("errors"):
            with open(options["errors"], "w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["row", "level", "field", "field_label", "code", "message"])
                for p in report.problems:
                    writer.writerow(
                        [p.row, "错误" if p.level == "error" else "提示", p.field, p.label, p.code, p.message]
                    )
            self.stdout.write(f"问题报告：{options['errors']}")
        else:
            for p in report.errors[:20]:
                self.stderr.write(f"第 {p.row} 行 {p.label}：{p.message}")
        if report.exit_code:
            sys.exit(report.exit_code)

    def _convert_guangdong(self, options: dict[str, Any]) -> None:
        try:
            result = guangdong.convert_files(options["path"], options.get("no_penalty"))
        except (OSError, ValueError) as exc:
            self.stderr.write(f"无法读取：{exc}")
            sys.exit(2)
        Path(options["out"]).write_bytes(write_csv(result.rows))
        self.stdout.write(
            f"裁量表共 {result.entries} 项：转换 {len(result.codes)} 个事项、{len(result.rows)} 行"
            f"（其中 {result.no_penalty_matched} 项加入了不予处罚情形），跳过 {len(result.skipped)} 项："
        )
        for reason, count in guangdong.skipped_summary(result.skipped).items():
            self.stdout.write(f"  {count} 项：{reason}")

    def _template(self, options: dict[str, Any]) -> None:
        out = Path(options["out"])
        data = write_xlsx(TEMPLATE_ROWS) if out.suffix.lower() == ".xlsx" else write_csv(TEMPLATE_ROWS)
        out.write_bytes(data)
        self.stdout.write(f"已写出导入模板：{out}")

    def _refresh_search(self, options: dict[str, Any]) -> None:
        self.stdout.write(f"施行中的裁量事项：{services.refresh_search_index(actor=None)} 项，已更新统一查询。")

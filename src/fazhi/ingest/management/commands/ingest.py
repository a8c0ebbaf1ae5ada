"""``fazhi ingest PATH --kind penalty|licence [--errors OUT.csv]``.

Exit status: 0 every row imported, 1 some rows rejected (see the error report), 2 the file cannot be used, 3 the
database went away during the run (batches already committed stay; running the same command again completes it).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError
from tqdm import tqdm

from fazhi.core.context import new_request_id, request_context
from fazhi.core.errors import FazhiError
from fazhi.core.identifiers import fold
from fazhi.ingest.services import ingest_file
from fazhi.org.models import Agency


class Command(BaseCommand):
    help = (
        "导入双公示数据文件（CSV/XLSX/JSON）。退出码：0 全部导入；1 部分行被拒绝；2 文件无法使用；"
        "3 数据库连接中断（重新运行即可继续）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="数据文件（CSV：UTF-8、GBK、GB18030 均可；XLSX；JSON）")
        parser.add_argument(
            "--kind", required=True, choices=["penalty", "licence"], help="penalty 行政处罚；licence 行政许可"
        )
        parser.add_argument(
            "--errors", metavar="OUT.csv", help="错误报告文件（列：row, level, field, field_label, code, message）"
        )
        parser.add_argument(
            "--agency", metavar="USCC", help="报送机构的统一社会信用代码（行中没有数据来源单位代码时使用）"
        )
        parser.add_argument("--money-unit", choices=["万元", "元"], default="万元", help="金额列的单位（标准为万元）")
        parser.add_argument("--batch-size", type=int, default=2000, help="每批提交的行数（默认 2000）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            self.stderr.write(f"找不到文件：{path}")
            sys.exit(2)
        agency = None
        if options.get("agency"):
            agency = Agency.objects.filter(uscc=fold(options["agency"]).upper()).first()
            if agency is None:
                self.stderr.write(f"没有统一社会信用代码为 {options['agency']} 的机构")
                sys.exit(2)
        bar = None if options["no_progress"] else tqdm(unit="行", desc=path.name, file=sys.stderr, dynamic_ncols=True)

        def progress(rows: int) -> None:
            if bar is not None:
                bar.update(rows - bar.n)

        errors_out = open(options["errors"], "w", encoding="utf-8", newline="") if options.get("errors") else None  # noqa: SIM115
        try:
            with request_context(new_request_id("cli-ingest")):
                outcome = ingest_file(
                    actor=None,
                    path=path,
                    kind=options["kind"],
                    errors_out=errors_out,
                    default_agency=agency,
                    batch_size=max(1, options["batch_size"]),
                    money_unit=options["money_unit"],
                    progress=progress,
                )
        except FazhiError as exc:
            self.stderr.write(exc.message)
            sys.exit(2)
        except DatabaseError as exc:  # connection lost mid-run (found by bench/reliability.py): say what to do
            self.stderr.write(
                f"数据库连接中断（{type(exc).__name__}），导入未完成。已提交的批次已保存；"
                "数据库恢复后重新运行同一命令即可继续，不会重复导入。"
            )
            sys.exit(3)
        finally:
            if bar is not None:
                bar.close()
            if errors_out is not None:
                errors_out.close()
        run = outcome.run
        self.stdout.write(
            f"{run.filename}：读取 {run.rows_read} 行；新增 {run.created}，更正 {run.updated}，未变 {run.unchanged}，"
            f"拒绝 {run.rejected} 行，提示 {run.warnings} 条。"
        )
        if run.message:
            self.stderr.write(run.message)
        if options.get("errors") and (run.rejected or run.warnings or run.message):
            self.stdout.write(f"错误报告：{options['errors']}")
        if outcome.exit_code:
            sys.exit(outcome.exit_code)

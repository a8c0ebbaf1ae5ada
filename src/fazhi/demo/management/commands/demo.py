"""``fazhi demo [--scale small|medium|large|full] [--seed N] [--scenario shanxi-2020] [--fraction F]``: fill an empty
database with a synthetic Shanxi to run on."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from fazhi.core.context import new_request_id, request_context
from fazhi.demo.generate import DEMO_PASSWORD, FULL_SCENARIO, SCALES, generate
from fazhi.demo.scenario import SCENARIOS, SEED_DOCUMENT

_LABELS = {
    "bodies": "执法主体",
    "officers": "执法人员",
    "certificates": "执法证",
    "valid_certificates": "其中有效执法证",
    "power_items": "权责事项",
    "power_adjustments": "权责调整记录",
    "benchmarks": "裁量基准（版本）",
    "items": "裁量事项",
    "rules": "裁量规则",
    "supervision_tasks": "“13710”督办事项",
    "supervision_split_tasks": "其中分解交办事项",
    "supervision_closed_tasks": "已销号事项",
    "supervision_overdue_tasks": "逾期事项",
    "supervision_returned_tasks": "曾被退回事项",
    "supervision_reminders": "逾期提醒",
    "supervision_escalations": "升级督办",
    "metric_values": "汇总指标值",
    "cases": "执法案件",
    "cases_archived": "其中已归档",
    "case_records": "全过程记录",
    "case_attachments": "记录附件",
    "legal_reviews": "法制审核",
    "major_items": "重大执法决定目录事项",
    "oversight_campaigns": "案卷评查活动",
    "oversight_files": "抽取评查案卷",
    "oversight_flags": "系统自动发现的案卷问题",
    "oversight_scored": "已评分案卷",
    "oversight_corrections": "报送整改情况",
    "oversight_statistics": "年度执法统计",
    "oversight_statistics_published": "已发布年度执法统计",
}


def _fraction(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise CommandError(f"--fraction 应为 0 到 1 之间的小数，例如 0.01（收到 {text!r}）") from exc
    if not Decimal(0) < value <= Decimal(1):
        raise CommandError(f"--fraction 应大于 0 且不大于 1（收到 {text}）")
    return value


class Command(BaseCommand):
    help = (
        "生成演示数据：山西省真实区划、各级机构、乡镇与村、每个角色一个账号（已有数据时不重复生成）。"
        "small（默认）一分钟内完成；--scale full 生成“山西 2020”情景的全量数据（约 1214 万条双公示记录、"
        "50519 名执法人员），用于基准测试：请在 PostgreSQL 上运行（DATABASE_URL=postgres://…），约需一至两小时、"
        "约 75 GB 磁盘（其中检索索引约 43 GB，可用 --defer-search-index 推迟）；--fraction 0.1 生成十分之一。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="small", help="数据规模（默认 small）")
        parser.add_argument("--seed", type=int, default=2020, help="随机种子，相同种子生成相同数据")
        parser.add_argument(
            "--scenario",
            choices=sorted(SCENARIOS),
            default=None,
            help=f"另外生成使《{SEED_DOCUMENT}》中的数字在 2020 年度报告中重现的记录（--scale full 时默认启用）",
        )
        parser.add_argument(
            "--fraction",
            default="1",
            help="情景数据的比例（0–1，默认 1 即全量；例如 0.01 生成百分之一，数字按比例四舍五入）",
        )

        parser.add_argument(
            "--defer-search-index",
            action="store_true",
            help="情景数据暂不建立统一查询的检索索引（之后运行 fazhi portal reindex 重建）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fraction = _fraction(options["fraction"])
        scenario = options["scenario"] or (FULL_SCENARIO if options["scale"] == "full" else None)
        if scenario is None and fraction != 1:
            raise CommandError("--fraction 只用于情景数据（--scenario 或 --scale full）")
        call_command("setup", stdout=self.stdout)
        started = time.perf_counter()
        show = options["verbosity"] >= 1
        with request_context(new_request_id("cli-demo")):
            report = generate(
                scale=options["scale"],
                seed=options["seed"],
                scenario=scenario,
                fraction=fraction,
                progress=self._progress if show else None,
                search_index=not options["defer_search_index"],
            )
        if report.skipped:
            self.stdout.write("数据库中已有机构数据，未重复生成演示数据。")
        else:
            self.stdout.write(
                f"已生成：机构 {report.agencies} 个，乡镇 {report.townships} 个，村 {report.villages} 个，"
                f"账号 {len(report.users)} 个；双公示行政处罚 {report.penalties} 条、行政许可 {report.licences} 条。"
            )
            if report.modules:
                parts = [f"{_LABELS.get(name, name)} {count}" for name, count in report.modules.items()]
                self.stdout.write("；".join(parts) + "。")
            plan = report.scenario
            if plan is not None:
                scale = "全量" if plan.fraction == 1 else f"比例 {plan.fraction}"
                self.stdout.write(
                    f"情景“{plan.scenario.title}”（{scale}）：{plan.year} 年双公示行政处罚 "
                    f"{report.scenario_penalties:,} 条、行政许可 {report.scenario_licences:,} 条；"
                    f"用时 {time.perf_counter() - started:,.0f} 秒。{plan.year} 年度报告应得出："
                )
                for figure in plan.scenario.figures:
                    self.stdout.write(f"  {figure.metric:<36} {figure.target(plan.fraction):>12,}  （{figure.quote}）")
                self.stdout.write(
                    f"  查看：fazhi report annual --year {plan.year} --division {plan.scenario.division} "
                    "--format html --output report.html"
                )
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, description in report.users:
            self.stdout.write(f"  {username:<22} {description}")

    @staticmethod
    @contextmanager
    def _progress(title: str, total: int) -> Iterator[Callable[[int], None]]:
        """A progress bar on stderr: done/total, rows per second and the time left."""
        with tqdm(total=total, desc=title, unit="条", unit_scale=True, file=sys.stderr, mininterval=1.0) as bar:
            yield bar.update

"""``fazhi demo [--scale small] [--seed N]``: fill an empty database with a synthetic Shanxi to run on."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from fazhi.core.context import new_request_id, request_context
from fazhi.demo.generate import DEMO_PASSWORD, SCALES, generate

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
}


class Command(BaseCommand):
    help = "生成演示数据：山西省真实区划、各级机构、乡镇与村、每个角色一个账号（已有数据时不重复生成）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small", help="数据规模（默认 small）")
        parser.add_argument("--seed", type=int, default=2020, help="随机种子，相同种子生成相同数据")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("setup", stdout=self.stdout)
        with request_context(new_request_id("cli-demo")):
            report = generate(scale=options["scale"], seed=options["seed"])
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
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, description in report.users:
            self.stdout.write(f"  {username:<22} {description}")

"""``fazhi oversight …``: annual enforcement statistics from the command line.

fazhi oversight statistics --year 2025 [--agency ID] [--publish]
    compute (or recompute) each agency's figures for the year from the records and print them; with --publish, also
    publish them (on time when run by 31 January of the next year)
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from fazhi.cases.models import EnforcementCase
from fazhi.core.errors import FazhiError
from fazhi.org.models import Agency
from fazhi.publicity.models import LicenceRecord, PenaltyRecord

from ... import services
from ... import statistics as stats
from ...models import StatisticsSnapshot


class Command(BaseCommand):
    help = "年度行政执法统计：statistics 按记录计算各机关上年度的许可、处罚、强制、检查等数据（可 --publish 发布）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        st = sub.add_parser("statistics", help="计算（并可发布）年度行政执法统计")
        st.add_argument("--year", type=int, default=timezone.localdate().year - 1, help="年度（默认上一年）")
        st.add_argument("--agency", type=int, default=None, help="只计算该机关（ID）；默认所有有记录的机关")
        st.add_argument("--publish", action="store_true", help="计算后发布（已发布的跳过）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except FazhiError as exc:
            self.stderr.write(exc.message)
            sys.exit(1)

    def _statistics(self, options: dict[str, Any]) -> None:
        year = options["year"]
        if options["agency"]:
            agencies = list(Agency.objects.filter(pk=options["agency"]))
            if not agencies:
                self.stderr.write(f"没有 ID 为 {options['agency']} 的机关")
                sys.exit(2)
        else:
            start, end = stats.year_range(year)
            ids = set(
                LicenceRecord.objects.filter(decided_on__range=(start, end))
                .values_list("agency_id", flat=True)
                .distinct()
            )
            ids |= set(
                PenaltyRecord.objects.filter(decided_on__range=(start, end))
                .values_list("agency_id", flat=True)
                .distinct()
            )
            ids |= set(
                EnforcementCase.objects.filter(Q(filed_on__range=(start, end)) | Q(decided_on__range=(start, end)))
                .values_list("agency_id", flat=True)
                .distinct()
            )
            agencies = list(Agency.objects.filter(pk__in=ids).order_by("division__path", "name"))
        done = published = skipped = 0
        for agency in agencies:
            snap = StatisticsSnapshot.objects.filter(agency=agency, year=year).first()
            if snap is not None and snap.published_at is not None:
                skipped += 1
                self.stdout.write(f"{agency.name} {year}年度：已发布，跳过")
                continue
            snap = services.compute_statistics(actor=None, agency=agency, year=year)
            done += 1
            figures = "，".join(f"{r['title']} {r['value']}{r['unit']}" for r in stats.rows(snap.figures))
            self.stdout.write(f"{agency.name} {year}年度：{figures}")
            if options["publish"]:
                snap = services.publish_statistics(actor=None, snapshot=snap)
                published += 1
                self.stdout.write(f"  已发布（{'按期' if snap.on_time else '逾期'}）")
        self.stdout.write(f"共计算 {done} 个机关，发布 {published} 个，已发布跳过 {skipped} 个。")

"""Seed the publicity-window regimes (DOMAIN.md §1.6) and the credit-repair review time limit.

Rows: ``(regime, severity, special_field, published, min_months, max_months, early_repair, source, from, to)``.
Confidence is in DOMAIN.md: the 2019 rule HIGH; the 2023 and 2026 rules MEDIUM (secondary summaries). Later changes
are new rows with their own 施行日期, entered in the back office.
"""

from datetime import date

from django.db import migrations

R2019 = "发改办财金〔2019〕527号（2019年7月1日起）"
R2023 = "国家发展改革委令2023年第58号（2023年5月1日起）"
R2026 = "国家发展改革委令2025年第36号（2026年4月1日起）"
S2019 = (
    "《关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知》：一般失信行为最短3个月、"
    "最长1年；严重失信行为最短6个月、最长3年；自行政处罚决定之日起计算；涉及特定严重失信行为的按最长期限公示"
)
S2023 = (
    "《失信行为纠正后的信用信息修复管理办法（试行）》：行政处罚信息最短公示期3个月、最长3年；涉及特种设备、"
    "安全生产、消防领域的最短1年；一项决定含多种处罚的按最长期限"
)
S2026 = (
    "《信用修复管理办法》：轻微失信原则上不公示；一般失信最短3个月、最长1年；严重失信最短1年、最长3年；"
    "最短期满后可申请修复，最长期满后自动停止公示"
)
D19, D23, D26 = date(2019, 7, 1), date(2023, 5, 1), date(2026, 4, 1)
E19, E23 = date(2023, 4, 30), date(2026, 3, 31)

RULES = [
    (R2019, "minor", "", True, 3, 12, True, S2019, D19, E19),
    (R2019, "general", "", True, 3, 12, True, S2019, D19, E19),
    (R2019, "serious", "", True, 6, 36, True, S2019, D19, E19),
    (R2023, "minor", "", True, 3, 36, True, S2023, D23, E23),
    (R2023, "general", "", True, 3, 36, True, S2023, D23, E23),
    (R2023, "serious", "", True, 3, 36, True, S2023, D23, E23),
    (R2023, "minor", "special_equipment", True, 12, 36, True, S2023, D23, E23),
    (R2023, "general", "special_equipment", True, 12, 36, True, S2023, D23, E23),
    (R2023, "serious", "special_equipment", True, 12, 36, True, S2023, D23, E23),
    (R2023, "minor", "work_safety", True, 12, 36, True, S2023, D23, E23),
    (R2023, "general", "work_safety", True, 12, 36, True, S2023, D23, E23),
    (R2023, "serious", "work_safety", True, 12, 36, True, S2023, D23, E23),
    (R2023, "minor", "fire", True, 12, 36, True, S2023, D23, E23),
    (R2023, "general", "fire", True, 12, 36, True, S2023, D23, E23),
    (R2023, "serious", "fire", True, 12, 36, True, S2023, D23, E23),
    (R2026, "minor", "", False, 0, 0, True, S2026, D26, None),
    (R2026, "general", "", True, 3, 12, True, S2026, D26, None),
    (R2026, "serious", "", True, 12, 36, True, S2026, D26, None),
]

REPAIR_REVIEW = {
    "code": "credit_repair.review",
    "valid_from": date(2019, 7, 1),
    "name": "信用修复申请审核",
    "days": 5,
    "unit": "working",
    "legal_source": "未查到统一的审核时限（DOMAIN.md §1.6：2025年办法提到“个工作日”但数字未核实）；暂按5个工作日，可在后台修改。",
    "valid_to": None,
    "confidence": "low",
    "note": "GUESS：请按本省实施细则核定。",
}


def seed(apps, schema_editor):
    PublicityRule = apps.get_model("publicity", "PublicityRule")
    for regime, severity, special, published, lo, hi, early, source, start, end in RULES:
        PublicityRule.objects.update_or_create(
            valid_from=start,
            severity=severity,
            special_field=special,
            defaults={
                "regime": regime,
                "published": published,
                "min_months": lo,
                "max_months": hi,
                "early_repair": early,
                "legal_source": source,
                "valid_to": end,
            },
        )
    TimeLimit = apps.get_model("clock", "TimeLimit")
    fields = dict(REPAIR_REVIEW)
    TimeLimit.objects.update_or_create(code=fields.pop("code"), valid_from=fields.pop("valid_from"), defaults=fields)


def unseed(apps, schema_editor):
    apps.get_model("publicity", "PublicityRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("publicity", "0001_initial"), ("clock", "0002_seed_time_limits")]
    operations = [migrations.RunPython(seed, unseed)]

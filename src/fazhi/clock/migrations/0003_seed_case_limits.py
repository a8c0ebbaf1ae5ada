"""Time limits of an enforcement case after the decision (cases app): serving the decision and paying the fine.

Rows have the shape of 0002 and are written by its ``seed_rows``.
"""

from datetime import date
from importlib import import_module

from django.db import migrations

_seed = import_module("fazhi.clock.migrations.0002_seed_time_limits")
W, C = "working", "calendar"

LIMITS = [
    (
        "penalty.serve",
        "行政处罚：当事人不在场时送达行政处罚决定书",
        7, W,
        "《中华人民共和国行政处罚法》（2021年修订）第六十一条：当事人不在场的，行政机关应当在七日内依照民事诉讼法的"
        "有关规定送达；第八十五条：“七日”指工作日",
        date(2021, 7, 15), None, "high", "",
    ),
    (
        "penalty.pay",
        "行政处罚：缴纳罚款",
        15, C,
        "《中华人民共和国行政处罚法》（2021年修订）第六十七条（1996年法第四十六条）：当事人应当自收到行政处罚"
        "决定书之日起十五日内缴纳罚款",
        date(1996, 10, 1), None, "high", "自送达之日起算；“十五日”不属第八十五条所列工作日，按自然日计算。",
    ),
]  # fmt: skip


def seed(apps, schema_editor):
    _seed.seed_rows(apps, LIMITS)


def unseed(apps, schema_editor):
    _seed.unseed_rows(apps, LIMITS)


class Migration(migrations.Migration):
    dependencies = [("clock", "0002_seed_time_limits")]

    operations = [migrations.RunPython(seed, unseed)]

"""The default 较大数额 standards for 听证 (行政处罚法第六十三条): data, replaced by the province's own through the admin
(``services.create_hearing_threshold``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import migrations

SOURCE = (
    "行政处罚法第六十三条（2021）、第四十二条（1996、2017）：较大数额由各省、自治区、直辖市（或国务院部门）规定。"
    "默认值（GUESS，与多数省份及《市场监督管理行政处罚听证办法》第五条的标准相同）；本省标准不同的，请录入新版本。"
)
ROWS = [("person", Decimal("10000")), ("organisation", Decimal("100000"))]


def seed(apps: Any, schema_editor: Any) -> None:
    HearingThreshold = apps.get_model("cases", "HearingThreshold")
    for party, amount in ROWS:
        HearingThreshold.objects.get_or_create(
            party=party, valid_from=dt.date(1996, 10, 1), defaults={"amount": amount, "legal_source": SOURCE}
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("cases", "HearingThreshold").objects.filter(valid_from=dt.date(1996, 10, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_hearing_threshold")]
    operations = [migrations.RunPython(seed, unseed)]

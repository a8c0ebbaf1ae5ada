"""``fazhi publicity``: the same operations from the command line."""

import csv
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from fazhi.publicity import services
from fazhi.publicity.models import Change, PenaltyRecord
from fazhi.publicity.tests.conftest import penalty_row
from fazhi.publicity.validation import clean_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(org_world):
    market = org_world.agencies["xiaodian_market"]
    row = penalty_row(decision_agency_uscc=market.uscc, source_agency_uscc=market.uscc)
    services.import_records(
        actor=None, kind="penalty", rows=[(2, clean_row("penalty", row, today=timezone.localdate()))]
    )
    return PenaltyRecord.objects.get()


def test_export_changes_quality_and_withdraw(record, capsys, tmp_path):
    out = tmp_path / "penalties.csv"
    call_command("publicity", "export", "--kind", "penalty", "--out", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][1] == "行政相对人名称" and rows[1][1] == "太原市晋阳化工有限公司"

    call_command("publicity", "changes", "--after", "0")
    assert "\tpublish\tpenalty:" in capsys.readouterr().out

    call_command("publicity", "quality")
    assert "太原市小店区市场监督管理局\t1\t" in capsys.readouterr().out

    with pytest.raises(SystemExit):
        call_command(
            "publicity", "withdraw", "--kind", "penalty", "--doc-number", "并环罚[2020]99号",
            "--agency", record.decision_agency_uscc, "--reason", "撤销",
        )  # fmt: skip
    assert "找到 0 条" in capsys.readouterr().err
    call_command(
        "publicity", "withdraw", "--kind", "penalty", "--doc-number", "并环罚[2020]15号",
        "--agency", record.decision_agency_uscc, "--reason", "复议撤销",
        "--revoked-on", timezone.localdate().isoformat(),
    )  # fmt: skip
    record.refresh_from_db()
    assert record.status == "withdrawn"
    assert Change.objects.order_by("-seq").first().action == "withdraw"

    call_command("publicity", "expire")
    assert "公示期满：0 条" in capsys.readouterr().out

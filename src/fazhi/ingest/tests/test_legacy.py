"""Old data imports too: a 2016-era file with the 2015–2018 field codes and no agency codes."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from fazhi.ingest.services import ingest_file
from fazhi.publicity.models import PenaltyRecord

pytestmark = pytest.mark.django_db

LEGACY = ["CF_WSH", "CF_CFMC", "CF_CFLB1", "CF_CFLB2", "CF_SY", "CF_YJ", "CF_XDR_MC", "CF_XDR_SHXYM", "CF_XDR_ZDM"]
LEGACY += ["CF_XDR_GSDJ", "CF_FR", "CF_JG", "CF_JDRQ", "CF_XZJG", "CF_ZT", "DFBM", "SJC", "BZ"]


@pytest.mark.parametrize("parallel", [False, True])
def test_a_2016_era_file_with_old_codes_imports_under_the_submitting_agency(tmp_path, org_world, parallel):
    decided = timezone.localdate() - dt.timedelta(days=40)
    path = tmp_path / "old.csv"
    with path.open("w", encoding="gb18030", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(LEGACY)
        writer.writerow(
            [
                "小市监罚[2026]第0012号",
                "未按规定公示年度报告",
                "2",  # legacy code list: 2 = 罚款
                "1",  # 1 = 警告
                "未按规定报送年度报告",
                "《企业信息公示暂行条例》第十八条",
                "太原市老字号商贸有限公司",
                "",
                "66312847-8",
                "110105010247558",
                "王五",
                "警告并罚款2000元",
                decided.strftime("%Y/%m/%d"),
                "太原市小店区市场监督管理局",
                "正常",
                "140105",
                "20200101120000",
                "",
            ]
        )
    market = org_world.agencies["xiaodian_market"]
    out = io.StringIO()
    outcome = ingest_file(
        actor=None,
        path=path,
        kind="penalty",
        errors_out=out,
        default_agency=market,
        money_unit="万元",
        parallel=parallel,
    )
    assert outcome.exit_code == 0, out.getvalue()
    record = PenaltyRecord.objects.get()
    assert record.kinds == ["fine", "warning"]
    assert str(record.fine_wan) == "0.200000"  # taken from 处罚结果 with a notice
    assert record.party_org_code == "663128478" and record.party_reg_no == "110105010247558"
    assert record.doc_number_key == "小市监罚〔2026〕12号"
    assert record.decision_agency_uscc == market.uscc and record.agency == market
    notices = {line.split(",")[4] for line in out.getvalue().splitlines()[1:]}
    assert {"filled_from_agency", "fine_from_text", "category_inferred"} <= notices

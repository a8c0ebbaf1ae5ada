"""The ingest end to end: real messy files, GBK CSV, XLSX, JSON; the command, the upload page and the API."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from fazhi.audit.verify import verify_chain
from fazhi.ingest.models import ImportRun
from fazhi.ingest.services import ingest_file
from fazhi.publicity.models import Change, LicenceRecord, PenaltyRecord

pytestmark = pytest.mark.django_db

RECENT = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
HEADERS = [
    "行政相对人名称",
    "行政相对人类别",
    "行政相对人代码_1（统一社会信用代码）",
    "法定代表人",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "处罚决定日期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
]


def _row(world, n, **changes):
    market = world.agencies["xiaodian_market"]
    row = {
        "行政相对人名称": f"太原市第{n}化工有限公司",
        "行政相对人类别": "法人及非法人组织",
        "行政相对人代码_1（统一社会信用代码）": "91110000600037341L" if n == 1 else "",
        "法定代表人": "张三",
        "行政处罚决定书文号": f"小市监罚[2026]{n}号",
        "违法行为类型": "未按规定公示年度报告",
        "违法事实": "经查，当事人未按规定报送年度报告。",
        "处罚依据": "《企业信息公示暂行条例》第十八条",
        "处罚类别": "罚款",
        "处罚内容": f"罚款{n}万元",
        "罚款金额（万元）": str(n),
        "处罚决定日期": RECENT,
        "处罚机关": market.name,
        "处罚机关统一社会信用代码": market.uscc,
        "数据来源单位": market.name,
        "数据来源单位统一社会信用代码": market.uscc,
    }
    if n != 1:
        row["行政相对人代码_1（统一社会信用代码）"] = ""
        row["行政相对人类别"] = "个体工商户"
        row["行政相对人代码_1（统一社会信用代码）"] = "92330206MA2EL62660"
    row.update(changes)
    return row


def _write_csv(path: Path, rows, encoding="utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.DictWriter(f, fieldnames=HEADERS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _report(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_gbk_csv_keeps_good_rows_explains_bad_ones_and_reruns_safely(tmp_path, org_world):
    rows = [
        _row(org_world, 1),
        _row(org_world, 2, **{"行政相对人代码_1（统一社会信用代码）": "92330206MA2EL6266X"}),  # bad check character
        _row(org_world, 3, **{"处罚决定日期": "2099-01-01"}),  # in the future
        _row(org_world, 4, **{"罚款金额（万元）": "", "处罚内容": "责令改正并罚款"}),  # fine without amount
        _row(org_world, 5, **{"行政处罚决定书文号": "小市监罚【2026】5号"}),
    ]
    path = _write_csv(tmp_path / "处罚.csv", rows, encoding="gbk")
    out = io.StringIO()
    outcome = ingest_file(actor=None, path=path, kind="penalty", errors_out=out)
    assert outcome.exit_code == 1
    assert outcome.run.encoding.lower() in {"gb18030", "gbk"}
    assert PenaltyRecord.objects.count() == 2
    errors = [line for line in _report(out.getvalue()) if line["level"] == "错误"]
    by_row = {(line["row"], line["field"], line["code"]) for line in errors}
    assert ("3", "party_uscc", "uscc_checksum") in by_row
    assert ("4", "decided_on", "date_in_future") in by_row
    assert ("5", "fine_wan", "fine_required") in by_row
    assert all(line["message"] for line in errors)
    # The bracket variant of row 6's number was normalised and the record kept.
    assert PenaltyRecord.objects.filter(doc_number_key="小市监罚〔2026〕5号").exists()

    again = ingest_file(actor=None, path=path, kind="penalty")
    assert (again.run.created, again.run.updated, again.run.unchanged) == (0, 0, 2)
    assert PenaltyRecord.objects.count() == 2

    rows[0]["处罚内容"], rows[0]["罚款金额（万元）"] = "罚款1.5万元", "1.5"
    _write_csv(path, rows, encoding="gbk")
    corrected = ingest_file(actor=None, path=path, kind="penalty")
    assert (corrected.run.created, corrected.run.updated) == (0, 1)
    assert Change.objects.filter(action="correct").count() == 1
    assert verify_chain().ok


def test_command_exit_codes_and_error_report(tmp_path, org_world):
    good = _write_csv(tmp_path / "good.csv", [_row(org_world, 1)])
    call_command("ingest", str(good), "--kind", "penalty", "--no-progress")  # exit 0: no SystemExit
    bad = _write_csv(tmp_path / "bad.csv", [_row(org_world, 7, **{"处罚类别": "罚没"})])
    report = tmp_path / "errors.csv"
    with pytest.raises(SystemExit) as info:
        call_command("ingest", str(bad), "--kind", "penalty", "--errors", str(report), "--no-progress")
    assert info.value.code == 1
    lines = _report(report.read_text(encoding="utf-8"))
    assert {"row", "field", "code", "message"} <= set(lines[0])
    assert any(line["code"] == "invalid_penalty_kind" and line["row"] == "2" for line in lines)
    junk = tmp_path / "picture.csv"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    with pytest.raises(SystemExit) as unusable:
        call_command("ingest", str(junk), "--kind", "penalty", "--no-progress")
    assert unusable.value.code == 2


def test_xlsx_with_field_codes_and_yuan_amounts(tmp_path, org_world):
    market = org_world.agencies["xiaodian_market"]
    wb = Workbook()
    ws = wb.active
    codes = ["CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_WSH", "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR"]
    codes += ["CF_NR_FK", "CF_JDRQ", "CF_CFJG", "CF_CFJGDM", "CF_SJLY", "CF_SJLYDM"]
    ws.append(codes)
    decided = timezone.localdate() - dt.timedelta(days=10)
    ws.append(
        [
            "晋中某商贸有限公司",
            "法人及非法人组织",
            "91110000600037341L",
            "小市监罚〔2026〕88号",
            "无照经营",
            "经查……",
            "《无证无照经营查处办法》",
            "罚款",
            "罚款2000元",
            "2000元",
            decided,
            market.name,
            market.uscc,
            market.name,
            market.uscc,
        ]
    )
    path = tmp_path / "penalties.xlsx"
    wb.save(path)
    out = io.StringIO()
    outcome = ingest_file(actor=None, path=path, kind="penalty", errors_out=out)
    assert outcome.exit_code == 0, out.getvalue()
    record = PenaltyRecord.objects.get()
    assert str(record.fine_wan) == "0.200000"  # 2000 元 = 0.2 万元
    assert record.decided_on == decided
    assert any(line["code"] == "money_converted" for line in _report(out.getvalue()))


def test_json_wire_format_sample(shared_data, tmp_path, org_world):
    sample = json.loads(
        (shared_data / "standards" / "shuangyashan_api_shuanggongshi_wire_format_samples.json").read_text()
    )
    path = tmp_path / "licences.json"
    path.write_text(json.dumps(sample["license_response"]["rows"], ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    outcome = ingest_file(
        actor=None, path=path, kind="licence", errors_out=out, default_agency=org_world.agencies["xiaodian_market"]
    )
    lines = _report(out.getvalue())
    # The sample's agency codes are the placeholder 00000000000000000X: rejected with a clear reason, no crash.
    assert outcome.exit_code == 1
    assert any(line["field"] == "decision_agency_uscc" for line in lines if line["level"] == "错误")
    assert LicenceRecord.objects.count() == 0


def test_every_real_sample_file_imports_without_a_crash(shared_data, tmp_path, org_world):
    default = org_world.agencies["xiaodian_market"]
    for path in sorted((shared_data / "samples").glob("*.csv")):
        out = io.StringIO()
        outcome = ingest_file(actor=None, path=path, kind="penalty", errors_out=out, default_agency=default)
        run = outcome.run
        assert outcome.exit_code in (0, 1, 2), path.name
        lines = _report(out.getvalue())
        rejected_rows = {line["row"] for line in lines if line["level"] == "错误"}
        if run.status != ImportRun.Status.FAILED:
            # every row read was either imported or explained
            assert run.created + run.updated + run.unchanged + len(rejected_rows) >= run.rows_read, path.name
        assert all(line["message"] for line in lines), path.name


def test_upload_page_and_api(client, tmp_path, org_world):
    path = _write_csv(tmp_path / "up.csv", [_row(org_world, 1), _row(org_world, 2, **{"处罚决定日期": "昨天"})])
    market = org_world.agencies["xiaodian_market"]
    client.force_login(org_world.users["xiaodian_officer"])
    page = client.get("/ingest/")
    assert "上传并导入" in page.content.decode()
    response = client.post(
        "/ingest/",
        {
            "kind": "penalty",
            "agency": str(market.pk),
            "money_unit": "万元",
            "file": SimpleUploadedFile("up.csv", path.read_bytes(), content_type="text/csv"),
        },
        follow=True,
    )
    text = response.content.decode()
    assert "部分行被拒绝" in text and "处罚决定日期" in text
    assert "问题汇总" in text and "date_format" not in text  # people see the message, the code stays in the CSV
    run = ImportRun.objects.get()
    assert run.error_report
    report = client.get(f"/api/v1/ingest/runs/{run.pk}/errors.csv")
    assert report.status_code == 200 and "date_format" in report.content.decode("utf-8-sig")

    api = client.post(
        "/api/v1/ingest/upload/penalty",
        {"file": SimpleUploadedFile("up.csv", path.read_bytes()), "agency_id": market.pk},
    )
    assert api.status_code == 200
    assert api.json()["unchanged"] == 1 and api.json()["exit_code"] == 1
    # Another county's officer sees neither the run nor its report.
    client.force_login(org_world.users["shangdang_officer"])
    assert client.get(f"/api/v1/ingest/runs/{run.pk}").status_code == 404
    assert client.get(f"/ingest/runs/{run.pk}/").status_code == 404

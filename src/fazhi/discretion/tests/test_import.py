"""Importing a spreadsheet: every bad row explained (row, column, code, Chinese message), good items kept, re-running
safe, XLSX and CSV in any encoding, the template and exports re-import as they are."""

import io

import pytest

from fazhi.audit.models import AuditEvent
from fazhi.core.errors import ValidationFailed
from fazhi.core.testing import table_state
from fazhi.discretion import services
from fazhi.discretion.models import BenchmarkItem, BenchmarkRule
from fazhi.discretion.spreadsheet import HEADERS, TEMPLATE_ROWS, rule_cells, write_csv, write_xlsx
from fazhi.discretion.tests.conftest import FEES, OBSTRUCTION, csv_file
from fazhi.ingest.readers import UnusableFile

pytestmark = pytest.mark.django_db
WATCH = [BenchmarkItem, BenchmarkRule]


@pytest.fixture
def draft(make_benchmark):
    return make_benchmark(rows=OBSTRUCTION, publish=False)


def problems(report):
    return [(p.row, p.field, p.code) for p in report.errors]


def test_rows_with_errors_are_explained_and_good_items_kept(draft):
    rows = [
        *FEES,
        {
            "事项编码": "3.1",
            "违法行为": "未按规定设置标志牌",
            "处罚依据": "某条例第十条",
            "情形": "整改情况：限期内改正",
            "罚款": "1万元以下",
        },
        {"事项编码": "3.1", "情形": "整改情况：逾期未改正", "罚款": "1万元以上3万元以上"},  # typo in the fine
        {"事项编码": "3.2", "违法行为": "未建立台账", "处罚依据": "某条例第十一条", "情形": "", "罚款": "1万元"},
        {
            "事项编码": "3.3",
            "违法行为": "未公开信息",
            "处罚依据": "某条例第十二条",
            "情形": "次数：1次",
            "裁量阶次": "特别从重",
            "罚款": "1万元",
        },
        {"事项编码": "3.4", "违法行为": "未报告", "处罚依据": "某条例第十三条", "情形": "次数：1次", "罚款": "1万元"},
        {"事项编码": "3.4", "情形": "次数：1次；整改情况：逾期未改正", "罚款": "2万元"},  # overlaps the row above
        {"事项编码": "3.5", "违法行为": "擅自拆除设施", "情形": "次数：1次", "处罚种类": "训诫"},
        {"事项编码": "", "违法行为": "没有编码", "处罚依据": "x", "情形": "a", "罚款": "1万元"},
    ]
    report = services.import_items(actor=None, benchmark=draft, file=csv_file(rows, "有错的表.csv"))
    assert report.created == 1 and report.unchanged == 0  # 1.10 is good; 2.1 is untouched (not in the file)
    found = problems(report)
    assert (7, "fine", "invalid_fine") in found
    assert (6, "code", "item_rejected") in found  # the good row of the item with a bad row
    assert (8, "circumstances", "required") in found
    assert (9, "grade", "invalid_grade") in found
    assert (11, "circumstances", "overlapping_circumstances") in found and (10, "code", "item_rejected") in found
    assert (12, "kinds", "invalid_penalty_kind") in found and (12, "legal_basis", "required") not in found
    assert (13, "code", "required") in found
    messages = {p.row: p.message for p in report.errors if p.code != "item_rejected"}
    assert messages[7].startswith("无法识别罚款“1万元以上3万元以上”")
    assert messages[8] == "请填写情形"
    assert "与第 10 行“次数：1次”可能同时适用" in messages[11]
    assert "同一事项（3.1）第 7 行有误" in next(p.message for p in report.errors if p.row == 6)
    assert set(BenchmarkItem.objects.filter(benchmark=draft).values_list("code", flat=True)) == {"2.1", "1.10"}
    assert report.rejected_rows == 8 and report.exit_code == 1


def test_reimporting_the_same_file_changes_nothing(draft):
    rows = OBSTRUCTION + FEES
    first = services.import_items(actor=None, benchmark=draft, file=csv_file(rows))
    assert (first.created, first.updated, first.unchanged) == (1, 0, 1)
    before = table_state(WATCH)
    again = services.import_items(actor=None, benchmark=draft, file=csv_file(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert table_state(WATCH) == before  # no rows rewritten, no audit event
    changed = [dict(OBSTRUCTION[0], 罚款="2万元以上5万元以下"), *OBSTRUCTION[1:]]
    third = services.import_items(actor=None, benchmark=draft, file=csv_file(changed))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 0)
    event = AuditEvent.objects.filter(action="discretion.item.update").latest("seq")
    assert "2万元以上5万元以下" in str(event.after) and "2万元以上4万元以下" in str(event.before)


def test_blank_grades_are_derived_and_said_so(draft):
    report = services.import_items(actor=None, benchmark=draft, file=csv_file(OBSTRUCTION))
    warning = next(p for p in report.warnings if p.code == "grade_derived")
    assert warning.row == 2 and "已按中间值规则推定" in warning.message and "从轻处罚 2 条" in warning.message


def test_xlsx_and_gbk_csv_read_the_same(draft):
    xlsx = io.BytesIO(write_xlsx(FEES))
    xlsx.name = "基准.xlsx"
    report = services.import_items(actor=None, benchmark=draft, file=xlsx, filename="基准.xlsx")
    assert (report.created, report.errors) == (1, [])
    text = write_csv(FEES).decode("utf-8-sig").encode("gbk")
    gbk = io.BytesIO(text)
    again = services.import_items(actor=None, benchmark=draft, file=gbk, filename="基准-gbk.csv")
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 1, [])


def test_an_export_reimports_unchanged(draft):
    services.import_items(actor=None, benchmark=draft, file=csv_file(FEES))
    rows = [rule_cells(i, r) for i in BenchmarkItem.objects.filter(benchmark=draft) for r in i.rules.all()]
    report = services.import_items(actor=None, benchmark=draft, file=csv_file(rows))
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 2, [])


def test_the_template_imports(draft):
    report = services.import_items(actor=None, benchmark=draft, file=csv_file(TEMPLATE_ROWS))
    assert report.errors == [] and report.created == 2
    assert write_xlsx([])[:2] == b"PK" and write_csv([]).decode("utf-8-sig").strip() == ",".join(HEADERS)


def test_a_file_without_the_required_columns_is_refused_and_nothing_changes(draft):
    before = table_state(WATCH)
    bad = io.BytesIO("违法行为,罚款\n某行为,1万元\n".encode())
    with pytest.raises(ValidationFailed, match="文件缺少必填列“事项编码”、“情形”"):
        services.import_items(actor=None, benchmark=draft, file=bad, filename="缺列.csv")
    with pytest.raises(UnusableFile):
        services.import_items(actor=None, benchmark=draft, file=io.BytesIO(b""), filename="空.csv")
    assert table_state(WATCH) == before


def test_an_import_where_every_row_is_bad_changes_nothing(draft):
    before = table_state(WATCH)
    report = services.import_items(
        actor=None, benchmark=draft, file=csv_file([{"事项编码": "9", "情形": "a", "罚款": "很多钱"}])
    )
    assert report.created == 0 and [p.code for p in report.errors] == ["invalid_fine"]
    assert table_state(WATCH) == before


def test_item_fields_that_disagree_within_an_item(draft):
    rows = [dict(FEES[0]), dict(FEES[1], 处罚依据="另一个条文")]
    report = services.import_items(actor=None, benchmark=draft, file=csv_file(rows))
    assert problems(report) == [(2, "code", "item_rejected"), (3, "legal_basis", "item_conflict")]
    assert "事项 1.10 的处罚依据与第 2 行不一致" in report.errors[1].message

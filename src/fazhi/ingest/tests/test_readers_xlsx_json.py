"""XLSX and JSON: Excel's types become the text a person sees in Excel; JSON records keep every digit."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from fazhi.ingest.readers import UnusableFile, open_table
from fazhi.ingest.readers import json_table as json_module

ID_NUMBER = 110101199003071234


def naive(*parts: int) -> dt.datetime:
    """A date-time as an Excel cell holds it: Excel has no time zones."""
    return dt.datetime(*parts)  # noqa: DTZ001


def make_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


PENALTY_SHEET: list[list[object]] = [
    ["行政相对人名称", "法定代表人证件号码", "罚款金额（万元）", "处罚决定日期", "数据更新时间", "序号", "是否公示"],
    ["太原市某某商贸有限公司", ID_NUMBER, 0.2, naive(2023, 5, 1), naive(2023, 5, 2, 10, 30), 1.0, True],
    [None, None, None, None, None, None, None],
    ["长治市某某餐饮店", "140404199001011234", 12.5, dt.date(2023, 6, 30), naive(2023, 7, 1, 8, 0, 5), 2, False],
]


def test_xlsx_values_read_as_excel_shows_them(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "处罚.xlsx", {"处罚": PENALTY_SHEET})
    with open_table(path) as table:
        assert (table.format, table.encoding) == ("xlsx", None)
        assert table.headers == PENALTY_SHEET[0]
        rows = list(table.rows())
        warnings = table.warnings
    assert [r.number for r in rows] == [2, 4]  # the blank row 3 is skipped, numbering stays true
    first = rows[0].values
    # openpyxl, like Excel, stores the 18-digit number as a double: 1.101011990030712e+17. We show what Excel
    # shows (15 significant digits, written out, never 1.1E+17) and warn that the column lost digits.
    assert first["法定代表人证件号码"] == "110101199003071000"
    assert first["罚款金额（万元）"] == "0.2"
    assert first["处罚决定日期"] == "2023-05-01"
    assert first["数据更新时间"] == "2023-05-02T10:30:00"
    assert first["序号"] == "1"  # whole numbers without ".0"
    assert first["是否公示"] == "TRUE"
    assert rows[0].raw[3] == naive(2023, 5, 1)  # raw keeps Excel's own types
    second = rows[1].values
    assert second["法定代表人证件号码"] == "140404199001011234"
    assert second["处罚决定日期"] == "2023-06-30"
    assert second["数据更新时间"] == "2023-07-01T08:00:05"
    assert second["罚款金额（万元）"] == "12.5"
    assert [w for w in warnings if "「法定代表人证件号码」列（B 列）以数字格式保存" in w and "第 2 行" in w]
    assert len(warnings) == 1  # found while opening, once per column


def test_a_long_integer_stored_exactly_reads_exactly_with_a_warning(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "exact.xlsx", {"Sheet1": [["名称", "代码"], ["甲", 1.5]]})
    with zipfile.ZipFile(path) as archive:  # some exporters write the integer's digits, which openpyxl cannot
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<v>1.5</v>", f"<v>{ID_NUMBER}</v>".encode())
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with open_table(path) as table:
        assert [r.values["代码"] for r in table.rows()] == [str(ID_NUMBER)]
        assert "在 Excel 中打开再保存就会丢失末几位" in table.warnings[0]


def test_a_long_number_column_found_far_down_is_flagged_while_reading(tmp_path: Path) -> None:
    # Excel keeps 15 significant digits: 110101199003071234 typed into a number cell becomes 1.10101199003071E+17.
    rows: list[list[object]] = [["姓名", "身份证号"]]
    rows.extend([f"人员{i}", f"1401{i:014d}"] for i in range(60))
    rows.append(["张三", float(ID_NUMBER)])
    path = make_workbook(tmp_path / "ids.xlsx", {"Sheet1": rows})
    with open_table(path) as table:
        assert table.warnings == []
        values = [r.values["身份证号"] for r in table.rows()]
        assert values[-1] == "110101199003071000"  # what Excel shows: the last digits are gone, never 1.1E+17
        assert len(table.warnings) == 1  # found while reading: the warnings list grows
        assert "「身份证号」列（B 列）以数字格式保存" in table.warnings[0]
        assert "第 62 行" in table.warnings[0]


def test_xlsx_title_row_other_sheets_and_choosing_a_sheet(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "book.xlsx",
        {
            "说明": [["填表说明：每行一条许可信息"], ["第二行说明"]],
            "许可": [["2023年行政许可公示"], ["许可编号", "名称", "日期"], ["XK-1", "甲", naive(2023, 1, 2)]],
        },
    )
    with open_table(path) as table:
        assert table.headers == ["填表说明：每行一条许可信息"]
        assert any("2 个工作表" in w for w in table.warnings)
    with open_table(path, sheet="许可") as table:
        assert table.headers == ["许可编号", "名称", "日期"]
        rows = list(table.rows())
        assert any("标题行" in w for w in table.warnings)
    assert [(r.number, r.values) for r in rows] == [(3, {"许可编号": "XK-1", "名称": "甲", "日期": "2023-01-02"})]
    with pytest.raises(UnusableFile) as caught:
        open_table(path, sheet="处罚")
    assert "「处罚」" in caught.value.message and "许可" in caught.value.message


def test_header_only_xlsx_names_the_other_sheets(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "empty.xlsx", {"表1": [["名称", "代码"]], "表2": [["名称"], ["甲"]]})
    with pytest.raises(UnusableFile) as caught:
        open_table(path)
    assert caught.value.reason == "header_only"
    assert "表2" in caught.value.message


RECORDS = [
    {"CF_WSH": "晋市监罚〔2023〕12号", "CF_XDR_MC": "太原市某公司", "CF_NR_FK": 0.2, "CF_FR_SFZH": ID_NUMBER},
    {
        "CF_WSH": "晋市监罚〔2023〕13号",
        "CF_XDR_MC": "长治市某店",
        "CF_NR_FK": 1.0,
        "BZ": None,
        "TAGS": ["a", {"b": 2.5}],
    },
    {"CF_WSH": "晋市监罚〔2023〕14号", "CF_XDR_MC": "", "CF_NR_FK": 3, "SFGS": True, "CF_JDRQ": "2023-05-01"},
]


@pytest.mark.parametrize(
    "document",
    [
        RECORDS,
        {"data": RECORDS},
        {"code": 0, "msg": "成功", "Records": RECORDS},
        {"code": 0, "data": {"total": 3, "list": RECORDS}},
    ],
)
def test_json_records_with_headers_from_all_records(tmp_path: Path, document: object) -> None:
    path = tmp_path / "records.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    with open_table(path) as table:
        assert (table.format, table.encoding) == ("json", "utf-8")
        assert table.headers == ["CF_WSH", "CF_XDR_MC", "CF_NR_FK", "CF_FR_SFZH", "BZ", "TAGS", "SFGS", "CF_JDRQ"]
        rows = list(table.rows())
        assert table.locate(2) == "第 2 条记录"
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[0].values["CF_NR_FK"] == "0.2"
    assert rows[0].values["CF_FR_SFZH"] == "110101199003071234"
    assert rows[0].values["BZ"] is None  # absent key
    assert rows[1].values["CF_NR_FK"] == "1"
    assert rows[1].values["TAGS"] == '["a", {"b": 2.5}]'
    assert rows[2].values["CF_XDR_MC"] is None
    assert rows[2].values["SFGS"] == "true"
    assert all(r.problems == [] for r in rows)


def test_json_lines_gbk_json_and_non_object_records(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS[:2]) + "\n", encoding="utf-8")
    with open_table(path) as table:
        assert [r.values["CF_XDR_MC"] for r in table.rows()] == ["太原市某公司", "长治市某店"]
        assert any("JSON Lines" in w for w in table.warnings)

    path = tmp_path / "gbk.json"
    path.write_bytes(json.dumps(RECORDS, ensure_ascii=False).encode("gbk"))
    with open_table(path) as table:
        assert table.encoding == "gb18030"
        assert [r.values["CF_XDR_MC"] for r in table.rows()] == ["太原市某公司", "长治市某店", None]

    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([RECORDS[0], 42, {}, RECORDS[1]], ensure_ascii=False), encoding="utf-8-sig")
    with open_table(path) as table:
        assert table.encoding == "utf-8-sig"
        rows = list(table.rows())
        assert any("1 条记录不是对象" in w for w in table.warnings)
    assert [r.number for r in rows] == [1, 2, 4]  # the empty object {} (record 3) is a blank row
    assert "不是 JSON 对象" in rows[1].problems[0] and "数字" in rows[1].problems[0]


def test_json_without_ijson_falls_back_to_the_standard_library_for_small_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_module, "ijson", None)
    path = tmp_path / "records.json"
    path.write_text(json.dumps({"data": RECORDS}, ensure_ascii=False), encoding="utf-8")
    with open_table(path) as table:
        values = [r.values for r in table.rows()]
    assert values[0]["CF_FR_SFZH"] == "110101199003071234"
    assert values[1]["CF_NR_FK"] == "1"
    monkeypatch.setattr(json_module, "FALLBACK_LIMIT", 100)
    with pytest.raises(UnusableFile) as caught:
        open_table(path)
    assert caught.value.reason == "too_large"

"""CSV files as agencies really send them: UTF-8 or GBK, tabs, quoted line breaks, broken rows — read, not lost."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from fazhi.ingest.readers import Row, UnusableFile, open_table

HEADER = ["行政处罚决定书文号", "行政相对人名称", "统一社会信用代码", "罚款金额（万元）", "处罚决定日期", "违法事实"]
ROWS = [
    [
        "晋市监罚〔2023〕12号",
        "太原市小店区某某商贸有限公司",
        "91140105MA0GRXXX1X",
        "0.2",
        "2023-05-01",
        "销售过期食品，货值 1,200 元",
    ],
    [
        "晋市监罚〔2023〕13号",
        "长治市上党区某某餐饮店（个体工商户）",
        "92140404MA0K00000Y",
        "1",
        "2023-05-02",
        "未取得许可，擅自经营；责令改正",
    ],
]


def write_csv(
    path: Path, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",", newline: str = "\r\n"
) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def read_all(path_or_file: object, **kwargs: object) -> tuple[list[str], list[Row], list[str], str | None]:
    with open_table(path_or_file, **kwargs) as table:
        rows = list(table.rows())
        return table.headers, rows, table.warnings, table.encoding


def test_utf8_csv_reads_headers_values_and_line_numbers(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "处罚.csv", [HEADER, *ROWS])
    with open_table(path) as table:
        assert (table.format, table.encoding) == ("csv", "utf-8")
        assert table.headers == HEADER
        rows = list(table.rows())
        assert table.warnings == []
    assert [r.number for r in rows] == [2, 3]
    assert rows[0].values == dict(zip(HEADER, ROWS[0], strict=True))
    assert rows[0].raw == ROWS[0]
    assert rows[0].problems == []
    # the full-width comma is text, not a delimiter
    assert rows[1].values["违法事实"] == "未取得许可，擅自经营；责令改正"


def test_utf8_with_bom_is_recognised_and_the_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bom.csv", [HEADER, *ROWS], encoding="utf-8-sig")
    headers, rows, warnings, encoding = read_all(path)
    assert encoding == "utf-8-sig"
    assert headers[0] == "行政处罚决定书文号"
    assert len(rows) == 2
    assert warnings == []


def test_gbk_csv_is_detected_and_decoded_with_a_chinese_notice(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gbk.csv", [HEADER, *ROWS], encoding="gbk")
    headers, rows, warnings, encoding = read_all(path)
    assert encoding == "gb18030"
    assert headers == HEADER
    assert rows[1].values["行政相对人名称"] == "长治市上党区某某餐饮店（个体工商户）"
    assert warnings == ["文件编码为 GBK，已自动识别"]


def test_gb18030_csv_keeps_characters_outside_gbk(tmp_path: Path) -> None:
    rare = [["行政相对人名称", "法定代表人"], ["𠀀记粮油店", "王䶮"], ["太原市某公司", "李𠀀"]]
    with pytest.raises(UnicodeEncodeError):
        "王䶮".encode("gbk")
    path = write_csv(tmp_path / "gb18030.csv", rare, encoding="gb18030")
    _, rows, warnings, encoding = read_all(path)
    assert encoding == "gb18030"
    assert warnings == ["文件编码为 GB18030，已自动识别"]
    assert [r.values["法定代表人"] for r in rows] == ["王䶮", "李𠀀"]
    assert rows[0].values["行政相对人名称"] == "𠀀记粮油店"


def test_tab_separated_text_with_commas_inside_values(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "export.txt", [HEADER, *ROWS], delimiter="\t")
    with open_table(path) as table:
        assert table.delimiter == "\t"
        rows = list(table.rows())
    assert rows[0].values["违法事实"] == "销售过期食品，货值 1,200 元"
    assert rows[0].problems == []


def test_semicolon_separated_is_detected_with_a_notice(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "semi.csv", [HEADER, *ROWS], delimiter=";")
    headers, rows, warnings, _ = read_all(path)
    assert headers == HEADER
    assert rows[1].values["罚款金额（万元）"] == "1"
    assert any("分号" in w for w in warnings)


def test_full_width_commas_are_never_a_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "fullwidth.csv"
    path.write_text("名称，代码，日期\n某公司，123，2023-01-01\n", encoding="utf-8")
    headers, rows, warnings, _ = read_all(path)
    assert headers == ["名称，代码，日期"]
    assert rows[0].values == {"名称，代码，日期": "某公司，123，2023-01-01"}
    assert any("全角逗号" in w for w in warnings)


def test_quoted_cells_with_line_breaks_keep_them_and_rows_are_numbered_by_starting_line(tmp_path: Path) -> None:
    path = tmp_path / "multiline.csv"
    path.write_text(
        "文号,名称,违法事实\r\n"  # line 1
        '晋罚〔2023〕1号,甲公司,"第一行\r\n第二行\r\n第三行"\r\n'  # lines 2-4
        "\r\n"  # line 5, blank: skipped but counted
        '晋罚〔2023〕2号,"乙""丙""公司",简单\r\n'  # line 6
        '晋罚〔2023〕3号,丁公司,"跨\n行"\n',  # lines 7-8 with bare \n
        encoding="utf-8",
    )
    _, rows, _, _ = read_all(path)
    assert [r.number for r in rows] == [2, 6, 7]
    assert rows[0].values["违法事实"] == "第一行\r\n第二行\r\n第三行"
    assert rows[1].values["名称"] == '乙"丙"公司'
    assert rows[2].values["违法事实"] == "跨\n行"
    assert all(r.problems == [] for r in rows)


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_every_line_ending_counts_lines_the_same(tmp_path: Path, newline: str) -> None:
    path = write_csv(tmp_path / "endings.csv", [HEADER, ROWS[0], ["", "", "", "", "", ""], ROWS[1]], newline=newline)
    _, rows, _, _ = read_all(path)
    assert [r.number for r in rows] == [2, 4]
    assert rows[1].values["违法事实"] == ROWS[1][5]


def test_rows_with_too_few_or_too_many_cells_are_kept_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1,2,3\n4,5\n6,7,8,9,10\n11,12,13,,\n", encoding="utf-8")
    _, rows, _, _ = read_all(path)
    assert [r.number for r in rows] == [2, 3, 4, 5]
    assert rows[0].problems == []
    assert rows[1].values == {"a": "4", "b": "5", "c": None}
    assert "只有 2 个单元格，表头有 3 列" in rows[1].problems[0]
    assert rows[2].values == {"a": "6", "b": "7", "c": "8"}
    assert rows[2].raw == ["6", "7", "8", "9", "10"]
    assert "「9」、「10」" in rows[2].problems[0]
    assert rows[3].problems == []  # trailing empty cells are harmless


def test_empty_cells_are_none_and_whitespace_only_rows_are_blank(tmp_path: Path) -> None:
    path = tmp_path / "blanks.csv"
    path.write_text("a,b\n1,\n , \n,,\n2,x\n", encoding="utf-8")
    _, rows, _, _ = read_all(path)
    assert [(r.number, r.values) for r in rows] == [(2, {"a": "1", "b": None}), (5, {"a": "2", "b": "x"})]


def test_nul_bytes_are_a_row_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes("名称,代码\n甲公司,1\n乙\x00公司,2\n丙公司,3\n".encode())
    _, rows, _, _ = read_all(path)
    assert rows[0].problems == []
    assert rows[1].values["名称"] == "乙公司"
    assert "空字符（NUL）" in rows[1].problems[0]
    assert rows[2].problems == []


def test_bytes_that_do_not_decode_late_in_the_file_only_spoil_their_row(tmp_path: Path) -> None:
    lines = ["编号,名称"] + [f"{i},太原市第{i}号某某商贸有限公司" for i in range(1, 40_001)]  # ~1.4 MB > the sample
    body = ("\n".join(lines) + "\n").encode("utf-8")
    bad = "40001,长治市某公司\n".encode("gbk")  # a GBK line appended to a UTF-8 file
    path = tmp_path / "mixed.csv"
    path.write_bytes(body + bad + "40002,最后一行\n".encode())
    with open_table(path) as table:
        assert table.encoding == "utf-8"
        rows = list(table.rows())
    assert len(rows) == 40_002
    spoiled = [r for r in rows if r.problems]
    assert [r.number for r in spoiled] == [40_002]
    assert "UTF-8" in spoiled[0].problems[0]
    assert "\ufffd" in (spoiled[0].values["名称"] or "")
    assert rows[-1].values == {"编号": "40002", "名称": "最后一行"}


def test_a_very_long_cell_is_read_whole(tmp_path: Path) -> None:
    long_text = "违法事实" * 500_000  # 2,000,000 characters, far beyond csv's default 128 KB limit
    path = write_csv(tmp_path / "long.csv", [["文号", "违法事实"], ["1号", long_text], ["2号", "短"]])
    _, rows, _, _ = read_all(path)
    assert rows[0].values["违法事实"] == long_text
    assert rows[1].number == 3


def test_an_unclosed_quote_is_reported_with_the_lines_it_swallowed(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('文号,名称,事实\n1号,甲,"没有闭合\n2号,乙,事实二\n3号,丙,事实三\n', encoding="utf-8")
    _, rows, _, _ = read_all(path)
    assert rows[0].number == 2
    assert any("第 2–4 行" in p and "引号" in p for p in rows[0].problems)


def test_title_lines_above_the_header_are_skipped_and_numbering_stays_true(tmp_path: Path) -> None:
    path = tmp_path / "titled.csv"
    path.write_text("2023年行政处罚信息公示表,,\n\n文号,名称,日期\n1号,甲公司,2023-01-01\n", encoding="utf-8")
    with open_table(path) as table:
        assert table.headers == ["文号", "名称", "日期"]
        rows = list(table.rows())
        assert any("第 1 行「2023年行政处罚信息公示表」" in w for w in table.warnings)
    assert [r.number for r in rows] == [4]


def test_duplicate_and_empty_headers_get_unique_names_with_warnings(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("名称,备注,,备注,\n甲,一,x,二,\n", encoding="utf-8")
    headers, rows, warnings, _ = read_all(path)
    assert headers == ["名称", "备注", "第3列", "备注（第4列）"]
    assert rows[0].values == {"名称": "甲", "备注": "一", "第3列": "x", "备注（第4列）": "二"}
    assert any("重复" in w for w in warnings)
    assert any("没有表头" in w for w in warnings)


def test_utf16_tab_text_from_excel_unicode_export(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "unicode.txt", [HEADER, *ROWS], encoding="utf-16", delimiter="\t")
    headers, rows, warnings, encoding = read_all(path)
    assert encoding == "utf-16"
    assert headers == HEADER
    assert rows[1].values == dict(zip(HEADER, ROWS[1], strict=True))
    assert any("UTF-16" in w for w in warnings)


def test_numbers_mangled_by_excel_into_scientific_notation_are_flagged(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "sci.csv", [["名称", "身份证号"], ["张三", "1.10101E+17"]])
    _, rows, warnings, _ = read_all(path)
    assert rows[0].values["身份证号"] == "1.10101E+17"  # the reader does not invent digits
    assert any("「身份证号」列" in w and "科学计数法" in w for w in warnings)


def test_file_objects_streams_and_rereading(tmp_path: Path) -> None:
    data = io.StringIO()
    csv.writer(data).writerows([HEADER, *ROWS])
    raw = data.getvalue().encode("gbk")

    headers, rows, _, encoding = read_all(io.BytesIO(raw), filename="上传.csv")
    assert (headers, len(rows), encoding) == (HEADER, 2, "gb18030")

    class Pipe(io.RawIOBase):  # a non-seekable stream, like a socket
        def __init__(self, payload: bytes) -> None:
            self._inner = io.BytesIO(payload)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            chunk = self._inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    pipe = Pipe(raw)
    headers, rows, _, _ = read_all(pipe)
    assert rows[1].values == dict(zip(HEADER, ROWS[1], strict=True))
    assert not pipe.closed

    table = open_table(io.BytesIO(raw))
    first = [r.values for r in table.rows()]
    second = [r.values for r in table.rows()]
    assert first == second
    running = table.rows()
    next(running)
    list(table.rows())
    with pytest.raises(RuntimeError):
        next(running)
    assert table.locate(7) == "第 7 行"
    table.close()


def test_a_text_stream_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        open_table(io.StringIO("a,b\n1,2\n"))


def test_header_only_csv_is_unusable(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "header.csv", [HEADER, ["", "", "", "", "", ""]])
    with pytest.raises(UnusableFile) as caught:
        open_table(path)
    assert caught.value.reason == "header_only"
    assert "只有表头" in caught.value.message


def test_gbk_after_a_first_megabyte_of_ascii_is_still_detected(tmp_path: Path) -> None:
    ascii_rows = "".join(f"{i},91140105MA0G{i:06d},2023-01-01\r\n" for i in range(1, 40_001))  # > 1 MB of ASCII
    path = tmp_path / "codes_first.csv"
    path.write_bytes(b"xh,uscc,date\r\n" + ascii_rows.encode() + "40001,太原市某公司,2023-01-02\r\n".encode("gbk"))
    with open_table(path) as table:
        assert table.encoding == "gb18030"
        rows = list(table.rows())
    assert rows[-1].values == {"xh": "40001", "uscc": "太原市某公司", "date": "2023-01-02"}
    assert all(not r.problems for r in rows)


def test_a_legitimate_multiline_cell_with_commas_is_not_flagged(tmp_path: Path) -> None:
    path = tmp_path / "narrow.csv"
    path.write_text('文号,名称,事实\n1号,甲,"货值1,200元，\n违法所得1,300元"\n2号,乙,无\n', encoding="utf-8")
    _, rows, _, _ = read_all(path)
    assert [(r.number, r.problems) for r in rows] == [(2, []), (4, [])]

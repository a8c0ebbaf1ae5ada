"""A file that is not a usable table gets one clear Chinese ``UnusableFile`` — never a traceback, never a guess."""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest

from fazhi.core.errors import FazhiError
from fazhi.ingest.readers import UnusableFile, open_table

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def zip_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def broken_xlsx(tmp_path: Path) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["名称", "代码"])
    book.active.append(["甲", "1"])
    path = tmp_path / "ok.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name).decode() for name in archive.namelist()}
    parts["xl/workbook.xml"] = "<workbook><这不是 XML"
    return zip_bytes(parts)


CASES: list[tuple[str, str, bytes | None, str, str]] = [
    # (id, file name, content, reason, a phrase of the message)
    ("empty", "空.csv", b"", "empty", "文件为空"),
    ("blank-lines", "blank.csv", b"\r\n \r\n\t\r\n", "empty", "只有空行"),
    ("png", "处罚.csv", PNG, "binary", "PNG 图片"),
    ("pdf", "处罚.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary", "PDF"),
    ("zip-not-xlsx", "data.xlsx", zip_bytes({"a.csv": "名称\n甲\n"}), "zip", "不是 Excel"),
    ("docx", "data.docx", zip_bytes({"word/document.xml": "<w/>"}), "zip", "Word"),
    ("truncated-zip", "data.xlsx", zip_bytes({"xl/workbook.xml": "<w/>"})[:40], "xlsx", "损坏或不完整"),
    ("old-xls", "data.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "xls", "旧版 Excel"),
    ("html-xls", "export.xls", "<html><body><table><tr><td>名称</td></tr></table>".encode(), "not_table", "HTML"),
    ("json-number", "data.json", b"42", "json", "顶层是数字"),
    ("json-string", "data.json", '"处罚"'.encode(), "json", "顶层是字符串"),
    ("json-scalars", "data.json", b"[1, 2, 3]", "json", "不是对象"),
    ("json-empty-list", "data.json", b"[]", "header_only", "空的"),
    ("json-one-object", "data.json", '{"名称": "甲", "代码": 1}'.encode(), "json", "没有名为 data"),
    ("json-empty-data", "data.json", b'{"code": 0, "data": []}', "header_only", "空的"),
    ("json-invalid", "data.json", b'[{"a": 1}, {"a": ', "json", "不是有效的 JSON"),
    ("json-empty-objects", "data.json", b"[{}, {}]", "header_only", "空对象"),
    ("header-only", "h.csv", "名称,代码,日期\r\n".encode(), "header_only", "只有表头"),
    ("header-only-gbk", "h.csv", "名称,代码,日期\r\n,,\r\n".encode("gbk"), "header_only", "只有表头"),
    (
        "prose",
        "决定书.txt",
        ("行政处罚决定书\n" + "经查明，当事人存在违法行为。" * 5 + "\n").encode(),
        "not_table",
        "不是表格",
    ),
    ("utf16-no-bom-binary", "x.csv", bytes(range(256)) * 8, "binary", "二进制"),
]


@pytest.mark.parametrize(("name", "content", "reason", "phrase"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_unusable_files_raise_one_clear_error(
    tmp_path: Path, name: str, content: bytes, reason: str, phrase: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnusableFile) as caught:
        open_table(path)
    error = caught.value
    assert isinstance(error, FazhiError) and error.code == "unusable_file" and error.status == 422
    assert error.reason == reason, error.message
    assert phrase in error.message
    assert str(error) == error.message


def test_random_binary_garbage_is_unusable(tmp_path: Path) -> None:
    path = tmp_path / "garbage.csv"
    path.write_bytes(random.Random(20260101).randbytes(50_000))
    with pytest.raises(UnusableFile) as caught:
        open_table(path)
    assert caught.value.reason == "binary"


def test_broken_xlsx_is_unusable(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(broken_xlsx(tmp_path))
    with pytest.raises(UnusableFile) as caught:
        open_table(path)
    assert caught.value.reason == "xlsx"
    assert "无法读取 Excel 文件" in caught.value.message


def test_text_in_no_known_encoding_is_unusable(tmp_path: Path) -> None:
    # High bytes only, in an order no encoding makes sense of: neither UTF-8, nor GB18030, nor anything else.
    rng = random.Random(7)
    content = bytes(rng.choice(range(0x80, 0x100)) for _ in range(4000))
    path = tmp_path / "unknown.csv"
    path.write_bytes(content.replace(b"\x81\x30", b"\x81\x81"))
    with pytest.raises(UnusableFile) as caught:
        open_table(path)
    assert caught.value.reason == "encoding"
    assert "无法识别文件编码" in caught.value.message


def test_missing_path_and_directory_are_unusable(tmp_path: Path) -> None:
    with pytest.raises(UnusableFile) as caught:
        open_table(tmp_path / "不存在.csv")
    assert "找不到文件" in caught.value.message
    with pytest.raises(UnusableFile):
        open_table(tmp_path)


def test_json_object_with_the_records_deeper_than_two_levels_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(json.dumps({"a": {"b": {"data": [{"x": 1}]}}}), encoding="utf-8")
    with pytest.raises(UnusableFile):
        open_table(path)

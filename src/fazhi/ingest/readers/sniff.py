"""What kind of file this is, judged by its content first and its name only as a hint.

An XLSX is a ZIP holding ``xl/workbook.xml``; JSON starts with ``[{``, ``[]``, ``{"`` or ``{}`` (or the name ends in
``.json`` and it is not something else); anything else that is text is read as CSV. Files that are clearly
something else — a picture, a PDF, an old ``.xls``, a Word document, an HTML page saved as ``.xls`` — are refused
here with a message that says what they are and what to upload instead.
"""

from __future__ import annotations

import os
import zipfile

from .errors import UnusableFile
from .source import Source

HEAD_SIZE = 8192

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"%PDF-", "PDF 文档"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"\x7fELF", "程序文件"),
    (b"SQLite format 3\x00", "SQLite 数据库"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_SAVE_AS = "请在 Excel 或 WPS 中打开后“另存为” .xlsx 或 CSV UTF-8（逗号分隔）再上传"
_EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json"}
_EXTENSIONS.update({".jsonl": "json", ".ndjson": "json"})


def extension_of(filename: str | None) -> str:
    """The lower-cased extension of ``filename`` (with the dot), or ""."""
    return os.path.splitext(filename or "")[1].lower()


def sniff_format(source: Source) -> tuple[str, list[str]]:
    """Return ("csv" | "xlsx" | "json", warnings) for ``source``, or raise ``UnusableFile``."""
    head = source.head(HEAD_SIZE)
    if not head:
        raise UnusableFile("文件为空（0 字节）", reason="empty")
    extension = extension_of(source.filename)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise UnusableFile(f"文件是{what}，不是表格；请上传 CSV、XLSX 或 JSON 文件", reason="binary")
    if head.startswith(_OLE2):
        raise UnusableFile(
            f"文件是旧版 Excel（.xls）、WPS 表格（.et）或加密的工作簿，无法直接读取；{_SAVE_AS}", reason="xls"
        )
    if head.startswith(_ZIP):
        return "xlsx", _mismatch(extension, "xlsx") + _check_zip(source)

    text_start = _text_start(head)
    lowered = text_start[:200].lower()
    if lowered.startswith(("<!doctype html", "<html", "<table", "<?xml", "<meta")):
        what = (
            "XML 表格（Excel 2003 XML）或其他 XML" if lowered.startswith("<?xml") else "HTML 网页（系统导出的“伪 xls”）"
        )
        raise UnusableFile(f"文件内容是{what}，不是 CSV/XLSX/JSON；{_SAVE_AS}", reason="not_table")
    named_json = extension in (".json", ".jsonl", ".ndjson") and text_start[:1] not in ("", "<")
    if named_json or _looks_like_json(text_start):
        return "json", _mismatch(extension, "json")
    return "csv", _mismatch(extension, "csv")


def _check_zip(source: Source) -> list[str]:
    try:
        with zipfile.ZipFile(source.file) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnusableFile(
            "文件是损坏或不完整的 ZIP/Excel 文件（可能没有上传完整）；请重新导出后上传", reason="xlsx"
        ) from exc
    finally:
        source.file.seek(0)
    if "xl/workbook.xml" in names:
        return []
    if b"opendocument.spreadsheet" in mimetype:
        raise UnusableFile(f"文件是 OpenDocument 表格（.ods），不能直接读取；{_SAVE_AS}", reason="zip")
    if "word/document.xml" in names:
        raise UnusableFile("文件是 Word 文档（.docx），不是表格；请上传 CSV、XLSX 或 JSON 文件", reason="zip")
    if any(n.startswith("ppt/") for n in names):
        raise UnusableFile("文件是 PowerPoint 演示文稿，不是表格；请上传 CSV、XLSX 或 JSON 文件", reason="zip")
    raise UnusableFile(
        "文件是 ZIP 压缩包，但不是 Excel（.xlsx）工作簿；请解压后逐个上传其中的 CSV/XLSX/JSON 文件", reason="zip"
    )


def _text_start(head: bytes) -> str:
    """The first characters of a text file, whatever its Unicode encoding, leading whitespace and BOM removed."""
    for mark, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(mark):
            return head[len(mark) :].decode(codec, errors="ignore").lstrip()
    return head.decode("latin-1").lstrip()


def _looks_like_json(text: str) -> bool:
    """``[`` then ``{`` or ``]``, or ``{`` then ``"`` or ``}`` — no CSV header starts like that."""
    if not text or text[0] not in "[{":
        return False
    rest = text[1:].lstrip()
    return rest[:1] in ("{", "]") if text[0] == "[" else rest[:1] in ('"', "}")


def _mismatch(extension: str, actual: str) -> list[str]:
    expected = _EXTENSIONS.get(extension)
    if expected is None or expected == actual:
        return []
    return [f"文件扩展名为 {extension}，但内容是 {actual.upper()}，已按 {actual.upper()} 读取"]

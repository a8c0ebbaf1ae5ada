"""CSV (and tab- or semicolon-separated text), streamed one record at a time.

The bytes are read in 1 MB chunks cut at the last line break, decoded a chunk at a time on the fast path and a line
at a time only where a chunk fails to decode or holds a NUL, so a bad byte is pinned to its record and everything
else still reads. ``csv.reader`` gets the lines untranslated (like ``newline=""``), keeps quoted cells with line
breaks intact and counts physical lines; ``\\r\\n``, ``\\n`` and a lone ``\\r`` all end a line.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import IO

from .encoding import SAMPLE_SIZE, EncodingGuess, detect_encoding
from .errors import UnusableFile
from .sniff import extension_of
from .source import Source
from .table import GridTable, RawRecord

FIELD_SIZE_LIMIT = 10 * 1024 * 1024
MAX_LINE_BYTES = 16 * 1024 * 1024
_CHUNK = 1 << 20
_SNIFF_CHARS = 64 * 1024
_SNIFF_RECORDS = 50
_ASCII_SCAN_LIMIT = 64 * 1024 * 1024
_SCIENTIFIC = re.compile(r"\s*-?\d(?:\.\d+)?[eE]\+\d{1,3}\s*")

# csv's default (128 KB) is too small for long 违法事实 texts; the limit is process-wide, so only ever raise it.
if csv.field_size_limit() < FIELD_SIZE_LIMIT:
    csv.field_size_limit(FIELD_SIZE_LIMIT)


class CsvTable(GridTable):
    """A delimited text file. ``delimiter`` is the one found (",", "\\t" or ";"; the full-width "，" never is)."""

    format = "csv"

    def __init__(self, source: Source, *, warnings: list[str] | None = None) -> None:
        super().__init__(source, warnings=warnings)
        self._scientific_columns: set[int] = set()
        sample = source.head(SAMPLE_SIZE)
        complete = source.size is not None and len(sample) >= source.size
        self._guess: EncodingGuess = detect_encoding(_first_non_ascii(source, sample), complete=complete)
        self.encoding = self._guess.name
        if self._guess.warning:
            self.warnings.append(self._guess.warning)
        self._label = {"utf-8": "UTF-8", "gb18030": "GBK/GB18030"}.get(self._guess.codec, self._guess.codec.upper())
        text = codecs.getincrementaldecoder(self._guess.codec)("replace").decode(sample[self._guess.bom_length :])
        self.delimiter = sniff_delimiter(text, extension_of(source.filename))
        if self.delimiter == ";":
            self.warnings.append("文件以分号（;）分隔各列，已自动识别")
        self._prepare()
        if len(self.headers) == 1 and "，" in self.headers[0]:
            self.warnings.append(
                "表头只有一列，其中含有全角逗号“，”；全角逗号不是分隔符，如果各列是用它分开的，请改用半角逗号“,”"
            )

    def _probe(self, record: RawRecord) -> None:
        """Warn early about a column that went through Excel as a number (``1.10101E+17``): its digits are lost."""
        for column, cell in enumerate(record.cells[: len(self.headers)]):
            if cell and _SCIENTIFIC.fullmatch(cell) and column not in self._scientific_columns:
                self._scientific_columns.add(column)
                self.warnings.append(
                    f"「{self.headers[column]}」列的值是科学计数法（如第 {record.number} 行的 {cell.strip()}）："
                    "这一列曾在 Excel 中被当作数字保存，长的代码、证件号已丢失末几位；"
                    "请在原始数据中把该列设为“文本”格式后重新导出"
                )

    def _records(self) -> Iterator[RawRecord]:
        pending: list[str] = []
        reader = csv.reader(self._lines(pending), delimiter=self.delimiter, quotechar='"', doublequote=True)
        width = len(self.headers)
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problems = [*pending, _csv_error(exc, start, reader.line_num)]
                pending.clear()
                yield RawRecord(start, [], problems, reader.line_num)
                continue
            end = reader.line_num
            problems = pending[:] if pending else []
            pending.clear()
            if end > start and width > 2:
                problem = _swallowed_records(cells, self.delimiter, width, start, end)
                if problem:
                    problems.append(problem)
            yield RawRecord(start, cells, problems, end)

    def _lines(self, pending: list[str]) -> Iterator[str]:
        """The file's physical lines, terminators kept; problems of a line are appended to ``pending`` as it is read.

        Chunks that decode cleanly are handed over as whole ``StringIO`` objects, so the per-line work stays in C;
        only a chunk with a bad byte or a NUL is walked line by line in Python.
        """
        file = self.source.file
        file.seek(self._guess.bom_length)
        pieces = self._byte_pieces(file, pending) if self._guess.ascii_compatible else self._wide_pieces(file, pending)
        return itertools.chain.from_iterable(pieces)

    def _byte_pieces(self, file: IO[bytes], pending: list[str]) -> Iterator[Iterable[str]]:
        """Runs of lines of an ASCII-compatible encoding (UTF-8, GB18030...): ``\\r``/``\\n`` always end a line."""
        codec = self._guess.codec
        buffer = b""
        while True:
            chunk = file.read(_CHUNK)
            eof = not chunk
            buffer = buffer + chunk if buffer else chunk
            if eof:
                piece, buffer = buffer.removesuffix(b"\x1a"), b""  # a DOS end-of-file mark is not data
            else:
                cut = buffer.rfind(b"\n")
                if cut < 0:
                    cut = buffer.rfind(b"\r", 0, len(buffer) - 1)
                if cut < 0:
                    if len(buffer) > MAX_LINE_BYTES:
                        raise _line_too_long()
                    continue
                piece, buffer = buffer[: cut + 1], buffer[cut + 1 :]
            try:
                text: str | None = piece.decode(codec)
            except UnicodeDecodeError:
                text = None
            if text is not None and "\x00" not in text:
                yield io.StringIO(text, newline="")
            else:
                yield self._checked_byte_lines(piece, pending)
            if eof:
                return

    def _checked_byte_lines(self, piece: bytes, pending: list[str]) -> Iterator[str]:
        codec = self._guess.codec
        for line in piece.splitlines(keepends=True):
            try:
                text = line.decode(codec)
            except UnicodeDecodeError:
                text = line.decode(codec, errors="replace")
                pending.append(
                    f"该行含有无法按 {self._label} 编码识别的字节，已替换为“\ufffd”；"
                    "请核对该行文字（可能混入了其他编码的内容）"
                )
            yield _drop_nul(text, pending)

    def _wide_pieces(self, file: IO[bytes], pending: list[str]) -> Iterator[Iterable[str]]:
        """Runs of lines of UTF-16/UTF-32, decoded a chunk at a time (their line breaks are not single bytes)."""
        decoder = codecs.getincrementaldecoder(self._guess.codec)(errors="replace")
        carry = ""
        while True:
            chunk = file.read(_CHUNK)
            eof = not chunk
            text = carry + decoder.decode(chunk, final=eof)
            if eof:
                piece, carry = text, ""
            else:
                cut = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1))
                if cut < 0:
                    if len(text) > MAX_LINE_BYTES // 2:
                        raise _line_too_long()
                    carry = text
                    continue
                piece, carry = text[: cut + 1], text[cut + 1 :]
            if "\ufffd" in piece or "\x00" in piece:
                yield self._checked_text_lines(piece, pending)
            else:
                yield io.StringIO(piece, newline="")
            if eof:
                return

    def _checked_text_lines(self, piece: str, pending: list[str]) -> Iterator[str]:
        for line in io.StringIO(piece, newline=""):
            if "\ufffd" in line:
                pending.append(f"该行含有无法按 {self._label} 编码识别的字节，已替换为“\ufffd”；请核对该行文字")
            yield _drop_nul(line, pending)


def _first_non_ascii(source: Source, sample: bytes) -> bytes:
    """What to detect the encoding on: the sample, or if it is all ASCII, the first later stretch that is not.

    Files whose first megabyte is codes and numbers only would otherwise be taken for UTF-8 and every later GBK
    row reported as undecodable. Looks at most ``_ASCII_SCAN_LIMIT`` bytes ahead, from a line start.
    """
    if not sample.isascii() or len(sample) < SAMPLE_SIZE:
        return sample
    file = source.file
    file.seek(len(sample))
    try:
        for _ in range(_ASCII_SCAN_LIMIT // _CHUNK):
            chunk = file.read(_CHUNK)
            if not chunk:
                break
            if not chunk.isascii():
                start = chunk.find(b"\n") + 1
                return sample[:_SNIFF_CHARS] + chunk[start:] + file.read(_CHUNK)
    finally:
        file.seek(0)
    return sample


def sniff_delimiter(text: str, extension: str = "") -> str:
    """The delimiter among ",", "\\t", ";" that splits the first records into the most consistent number of columns.

    Ties go to the wider split, then to comma (tab first for a ``.tsv`` name). A file that no candidate splits
    into two or more columns is read as one column with ",".
    """
    cut = max(text.rfind("\n", 0, _SNIFF_CHARS), text.rfind("\r", 0, _SNIFF_CHARS))
    sample = text[: cut + 1] if cut > 0 else text[:_SNIFF_CHARS]
    candidates = ["\t", ",", ";"] if extension == ".tsv" else [",", "\t", ";"]
    best: tuple[float, int, int] = (0.0, 1, 0)
    chosen = candidates[0]
    for rank, delimiter in enumerate(candidates):
        widths: list[int] = []
        try:
            for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
                if any(cell.strip() for cell in record):
                    widths.append(len(record))
                    if len(widths) >= _SNIFF_RECORDS:
                        break
        except csv.Error:
            continue
        wide = [w for w in widths if w >= 2]
        if not wide:
            continue
        mode, count = Counter(wide).most_common(1)[0]
        score = (round(count / len(widths), 2), mode, -rank)
        if score > best:
            best, chosen = score, delimiter
    return chosen


def _drop_nul(text: str, pending: list[str]) -> str:
    if "\x00" in text:
        pending.append(f"该行含有 {text.count(chr(0))} 个空字符（NUL），已删除；文件可能已损坏")
        text = text.replace("\x00", "")
    return text


def _swallowed_records(cells: list[str], delimiter: str, width: int, start: int, end: int) -> str | None:
    """A quoted cell spanning lines one of which splits into exactly a whole record: a quote was probably left open.

    Without this, a missing closing quote in the last column would silently merge the following rows into one cell.
    """
    for cell in cells:
        if "\n" in cell or "\r" in cell:
            for part in cell.splitlines():
                if part.count(delimiter) >= width - 1 and len(next(csv.reader([part], delimiter=delimiter))) == width:
                    return (
                        f"该记录（第 {start}–{end} 行）的一个单元格跨越多行，其中含有像完整数据行的内容，"
                        '可能是某个引号（"）没有闭合，把后面的行并进了这个单元格；请核对这些行'
                    )
    return None


def _csv_error(exc: csv.Error, start: int, end: int) -> str:
    where = f"第 {start} 行" if end <= start else f"第 {start}–{end} 行"
    if "field larger than field limit" in str(exc):
        return (
            f"{where}无法解析：某个单元格超过 {FIELD_SIZE_LIMIT // (1024 * 1024)} MB 上限，"
            '通常是引号（"）没有闭合，把后面的行都并进了这个单元格'
        )
    return f"{where}无法按 CSV 格式解析（{exc}）"


def _line_too_long() -> UnusableFile:
    return UnusableFile(
        f"文件中有一行超过 {MAX_LINE_BYTES // (1024 * 1024)} MB 仍没有换行，不像 CSV 表格（可能已损坏）",
        reason="not_table",
    )

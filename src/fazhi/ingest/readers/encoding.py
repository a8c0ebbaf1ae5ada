"""Which text encoding a file uses, decided from its first megabyte.

Order, cheapest and surest first: a byte-order mark (UTF-8, UTF-16, UTF-32); strict UTF-8; strict GB18030 (a
superset of GBK, which is what government systems and Chinese Excel write); UTF-16 without a mark (many NULs in
a regular pattern); and only then ``charset-normalizer`` for anything else. A sample that is mostly control bytes is
binary, not text. Bytes further into the file that do not fit the chosen encoding are not an error here: the
CSV reader replaces them in that one row and reports the row.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .errors import UnusableFile

SAMPLE_SIZE = 1 << 20
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1A} | {0x7F}
_BINARY_RATIO = 0.05

_BOMS: tuple[tuple[bytes, str, str, str], ...] = (
    # (mark, name reported as Table.encoding, codec for the bytes after the mark, label for people)
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8", "UTF-8（带 BOM）"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be", "UTF-16"),
)


@dataclass(frozen=True)
class EncodingGuess:
    """``name``: what ``Table.encoding`` reports; ``codec``: how to decode the bytes after ``bom_length``."""

    name: str
    codec: str
    bom_length: int = 0
    warning: str | None = None

    @property
    def ascii_compatible(self) -> bool:
        """Whether line breaks are the bytes ``\\r``/``\\n`` and never part of another character (not UTF-16/32)."""
        try:
            return "\r\n,".encode(self.codec) == b"\r\n,"
        except (LookupError, UnicodeError):
            return False


def detect_encoding(sample: bytes, *, complete: bool) -> EncodingGuess:
    """Decide the encoding of a file from ``sample``, its first bytes (``complete``: the sample is the whole file).

    Raises ``UnusableFile`` for binary content or an encoding nothing recognises.
    """
    for mark, name, codec, label in _BOMS:
        if sample.startswith(mark):
            warning = None if codec == "utf-8" else f"文件编码为 {label}，已自动识别"
            return EncodingGuess(name, codec, len(mark), warning)

    probe = sample[: 64 * 1024]
    nuls = probe.count(0)
    if nuls > len(probe) // 10:
        guess = _utf16_without_bom(probe)
        if guess is not None:
            return guess
    control = sum(probe.count(b) for b in _CONTROL)
    if probe and control / len(probe) > _BINARY_RATIO:
        raise UnusableFile("文件不是文本表格（含有大量二进制数据）；请上传 CSV、XLSX 或 JSON 文件", reason="binary")

    if _decodes(sample, "utf-8", complete):
        return EncodingGuess("utf-8", "utf-8")
    if _decodes(sample, "gb18030", complete):
        label = "GBK" if _decodes(sample, "gbk", complete) else "GB18030"
        return EncodingGuess("gb18030", "gb18030", 0, f"文件编码为 {label}，已自动识别")
    return _last_resort(sample)


def _decodes(sample: bytes, codec: str, complete: bool) -> bool:
    """Strict decode; an incomplete character cut off at the end of a partial sample is not an error."""
    try:
        codecs.getincrementaldecoder(codec)("strict").decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(probe: bytes) -> EncodingGuess | None:
    even = probe[0::2].count(0)
    odd = probe[1::2].count(0)
    half = max(1, len(probe) // 2)
    if odd / half > 0.2 and even / half < 0.02:
        codec = "utf-16-le"
    elif even / half > 0.2 and odd / half < 0.02:
        codec = "utf-16-be"
    else:
        return None
    text = probe[: len(probe) // 2 * 2].decode(codec, errors="replace")
    if sum(1 for ch in text if ord(ch) < 0x20 and ch not in "\t\r\n") > len(text) // 100:
        return None
    return EncodingGuess(codec, codec, 0, "文件编码为 UTF-16（无 BOM），已自动识别")


def _last_resort(sample: bytes) -> EncodingGuess:
    message = (
        "无法识别文件编码（不是 UTF-8、GBK 或 GB18030）；请在 Excel 或 WPS 中“另存为”CSV UTF-8（逗号分隔）后重新上传"
    )
    try:
        from charset_normalizer import from_bytes
    except ImportError as exc:  # pragma: no cover - charset-normalizer is a dependency
        raise UnusableFile(message, reason="encoding") from exc
    best = from_bytes(sample).best()
    if best is None or not best.encoding:
        raise UnusableFile(message, reason="encoding")
    codec = codecs.lookup(best.encoding).name
    return EncodingGuess(
        codec,
        codec,
        0,
        f"文件编码不是 UTF-8 或 GBK，按 {codec} 读取；请核对导入结果中的文字是否正确，"
        "必要时另存为 CSV UTF-8 后重新上传",
    )

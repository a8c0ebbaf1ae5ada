"""JSON: a list of objects, an object holding that list (``{"data": [...]}``, ``{"data": {"list": [...]}}``), or
JSON Lines (one object per line).

With ``ijson`` (a dependency) the file is streamed twice and never held in memory: a first pass finds the list
and collects the union of the keys of all records, in first-seen order, as the headers (systems often leave out
null fields, so the first record alone is not enough) and checks the JSON is well-formed; the second pass is
``rows()``. Without ``ijson`` the standard library reads files up to ``FALLBACK_LIMIT`` whole and refuses larger
ones. Numbers are read exactly (``Decimal``), so ``0.2`` stays ``0.2`` and 18-digit numbers keep every digit.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from .encoding import SAMPLE_SIZE, EncodingGuess, detect_encoding
from .errors import UnusableFile
from .source import Source
from .table import Row, Table

try:
    import ijson
except ImportError:  # pragma: no cover - exercised by monkeypatching in the tests
    ijson = None

#: keys under which a wrapping object may hold the records (compared lower-cased), at most two levels deep
RECORD_KEYS = frozenset({"data", "records", "rows", "items", "list", "result", "results", "datas", "content"})
FALLBACK_LIMIT = 20 * 1024 * 1024
MAX_KEYS = 1000
_CHUNK = 1 << 16
_NO_LIST = "JSON 的顶层是一个对象，其中没有名为 data、records、rows、items、list 的记录列表；"
_SHAPE = 'JSON 应为对象列表 [{…}, {…}]，或 {"data": [{…}]} 这样包着列表的对象，或每行一个对象（JSON Lines）'


class JsonTable(Table):
    """Records of a JSON file; ``Row.number`` is the record's position in the list (1 = first record)."""

    format = "json"
    record_word = "条记录"

    def __init__(self, source: Source, *, warnings: list[str] | None = None) -> None:
        super().__init__(source, warnings=warnings)
        sample = source.head(SAMPLE_SIZE)
        complete = source.size is not None and len(sample) >= source.size
        self._guess: EncodingGuess = detect_encoding(sample, complete=complete)
        self.encoding = self._guess.name
        if self._guess.warning:
            self.warnings.append(self._guess.warning)
        self._loaded: list[Any] | None = None
        self._prefix = "item"
        self._multiple = False
        if ijson is not None:
            self._prefix, self._multiple = self._locate()
            records: Iterator[Any] = self._stream_records()
        else:
            self._loaded = self._load_whole()
            records = iter(self._loaded)
        self._scan(records)

    # -- reading ------------------------------------------------------------------------------------------------
    def _iterate(self, generation: int) -> Iterator[Row]:
        headers = self.headers
        records = iter(self._loaded) if self._loaded is not None else self._stream_records()
        for number, record in enumerate(records, 1):
            self._check_current(generation)
            if isinstance(record, dict):
                raw = [record.get(h) for h in headers]
                values = {h: json_text(v) for h, v in zip(headers, raw, strict=True)}
                if any(v is not None for v in values.values()):
                    yield Row(number, values, raw)
            else:
                yield Row(
                    number,
                    dict.fromkeys(headers),
                    [record],
                    [f"该条记录不是 JSON 对象（键值对），而是{_kind(record)}：{_clip(record)}"],
                )

    def _stream(self) -> IO[bytes] | _Utf8Reader:
        """The file as UTF-8 bytes from its first character (what ijson wants), re-encoded if need be."""
        file = self.source.file
        if self._guess.codec == "utf-8" and not self._guess.bom_length:
            file.seek(0)
            return file
        return _Utf8Reader(file, self._guess)

    def _stream_records(self) -> Iterator[Any]:
        if ijson is None:  # pragma: no cover - only called when ijson is there
            raise RuntimeError("ijson is not installed")
        try:
            yield from ijson.items(self._stream(), self._prefix, multiple_values=self._multiple)
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise UnusableFile(f"不是有效的 JSON：{_describe(exc)}", reason="json") from exc

    # -- finding the records ------------------------------------------------------------------------------------
    def _locate(self) -> tuple[str, bool]:
        """The ijson prefix of the records and whether the file is JSON Lines, read from as few events as needed."""
        if ijson is None:  # pragma: no cover - only called when ijson is there
            raise RuntimeError("ijson is not installed")
        events = ijson.parse(self._stream(), multiple_values=True)
        try:
            first = next(events, None)
            if first is None:
                raise UnusableFile("JSON 文件没有内容", reason="empty")
            prefix, event, value = first
            if event == "start_array":
                return _first_item("item", events, "JSON 列表"), False
            if event != "start_map":
                raise UnusableFile(f"JSON 的顶层是{_event_kind(event, value)}，不是记录列表；{_SHAPE}", reason="json")
            for prefix, event, _value in events:
                if event == "start_array" and _is_record_path(prefix):
                    return _first_item(f"{prefix}.item", events, f"「{prefix}」列表"), False
                if prefix == "" and event == "end_map":
                    following = next(events, None)
                    if following is not None and following[:2] == ("", "start_map"):
                        self.warnings.append("文件是 JSON Lines 格式（每行一个对象），已自动识别")
                        return "", True
                    raise UnusableFile(
                        _NO_LIST + _SHAPE,
                        reason="json",
                    )
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise UnusableFile(f"不是有效的 JSON：{_describe(exc)}", reason="json") from exc
        raise UnusableFile(f"JSON 不完整（文件在中途结束）；{_SHAPE}", reason="json")

    def _scan(self, records: Iterator[Any]) -> None:
        """One pass over every record: headers = all keys in first-seen order; the JSON is checked to the end."""
        keys: dict[str, None] = {}
        last: tuple[str, ...] = ()
        total = objects = 0
        for record in records:
            total += 1
            if not isinstance(record, dict):
                continue
            objects += 1
            shape = tuple(record)
            if shape != last:
                last = shape
                for key in shape:
                    keys.setdefault(key)
                if len(keys) > MAX_KEYS:
                    raise UnusableFile(f"JSON 记录的字段超过 {MAX_KEYS} 个，不像一张表", reason="not_table")
        if total == 0:
            raise UnusableFile("JSON 中的记录列表是空的，没有数据", reason="header_only")
        if objects == 0:
            raise UnusableFile(f"JSON 列表中的 {total} 个元素都不是对象（键值对）；{_SHAPE}", reason="json")
        if not keys:
            raise UnusableFile("JSON 中的记录都是空对象 {}，没有任何字段", reason="header_only")
        if objects < total:
            self.warnings.append(f"JSON 中有 {total - objects} 条记录不是对象（键值对），这些记录将逐条报错")
        self.headers = list(keys)

    def _load_whole(self) -> list[Any]:
        """Without ijson: parse a file of at most FALLBACK_LIMIT bytes in memory and find its records."""
        size = self.source.size or 0
        if size > FALLBACK_LIMIT:
            raise UnusableFile(
                f"服务器未安装 ijson，无法流式读取超过 {FALLBACK_LIMIT // (1024 * 1024)} MB 的 JSON 文件；"
                "请改用 CSV 或 XLSX 上传，或联系管理员安装 ijson",
                reason="too_large",
            )
        self.source.file.seek(self._guess.bom_length)
        try:
            text = self.source.file.read().decode(self._guess.codec)
        except UnicodeDecodeError as exc:
            raise UnusableFile(f"不是有效的 JSON：{_describe(exc)}", reason="json") from exc
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            lines = [line for line in text.splitlines() if line.strip()]
            try:
                data = [json.loads(line, parse_float=Decimal) for line in lines]
            except json.JSONDecodeError:
                raise UnusableFile(
                    f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}", reason="json"
                ) from exc
            if len(data) < 2 or not isinstance(data[0], dict):
                raise UnusableFile(
                    f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}", reason="json"
                ) from exc
            self.warnings.append("文件是 JSON Lines 格式（每行一个对象），已自动识别")
            return data
        return _records_in(data)


class _Utf8Reader:
    """A read-only binary stream that turns a file in any text encoding into UTF-8 bytes for ijson."""

    def __init__(self, file: IO[bytes], guess: EncodingGuess) -> None:
        file.seek(guess.bom_length)
        self._file = file
        self._decoder = codecs.getincrementaldecoder(guess.codec)("strict")

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson probes with read(0) to tell bytes from text
            return b""
        while True:
            chunk = self._file.read(size if size and size > 0 else _CHUNK)
            text = self._decoder.decode(chunk, final=not chunk)
            if text or not chunk:
                return text.encode("utf-8")


def json_text(value: Any) -> str | None:
    """A JSON value as cell text: null/"" -> None, numbers exact (whole ones without ".0"), nested -> JSON text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, float):
        return decimal_text(Decimal(repr(value)))
    return json.dumps(_plain(value), ensure_ascii=False)


def decimal_text(value: Decimal) -> str:
    """``Decimal`` as plain digits: ``1.0`` -> ``1``, ``1E+2`` -> ``100``, ``0.50`` -> ``0.50``, never an exponent."""
    if not value.is_finite():
        return str(value)
    if value == value.to_integral_value():
        return format(value.to_integral_value(), "f")
    return format(value, "f")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _first_item(item_prefix: str, events: Iterator[tuple[str, str, Any]], what: str) -> str:
    following = next(events, None)
    if following is None:
        raise UnusableFile(f"JSON 不完整（文件在中途结束）；{_SHAPE}", reason="json")
    prefix, event, value = following
    if prefix == item_prefix and event == "start_map":
        return item_prefix
    if event == "end_array":
        raise UnusableFile(f"{what}是空的，没有数据", reason="header_only")
    raise UnusableFile(
        f"{what}中的元素不是对象（键值对），第一个元素是{_event_kind(event, value)}；{_SHAPE}", reason="json"
    )


def _is_record_path(prefix: str) -> bool:
    parts = prefix.split(".")
    return 0 < len(parts) <= 2 and all(p.lower() in RECORD_KEYS for p in parts)


def _records_in(data: Any) -> list[Any]:
    """The record list inside already-parsed JSON (the same rules as the streaming ``_locate``)."""
    if isinstance(data, list):
        candidate: Any = data
    elif isinstance(data, dict):
        candidate = None
        for key, value in data.items():
            if key.lower() in RECORD_KEYS and isinstance(value, list):
                candidate = value
            elif key.lower() in RECORD_KEYS and isinstance(value, dict):
                candidate = next(
                    (v for k, v in value.items() if k.lower() in RECORD_KEYS and isinstance(v, list)), None
                )
            if candidate is not None:
                break
        if candidate is None:
            raise UnusableFile(_NO_LIST + _SHAPE, reason="json")
    else:
        raise UnusableFile(f"JSON 的顶层是{_kind(data)}，不是记录列表；{_SHAPE}", reason="json")
    if not candidate:
        raise UnusableFile("JSON 中的记录列表是空的，没有数据", reason="header_only")
    if not isinstance(candidate[0], dict):
        raise UnusableFile(
            f"JSON 列表中的元素不是对象（键值对），第一个元素是{_kind(candidate[0])}；{_SHAPE}", reason="json"
        )
    return candidate


def _event_kind(event: str, value: Any) -> str:
    if event == "number":
        return _kind(value if value is not None else 0)
    return {
        "string": "字符串",
        "boolean": "布尔值",
        "null": "null",
        "start_array": "列表",
        "start_map": "对象",
    }.get(event, event)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int | float | Decimal):
        return "数字"
    if isinstance(value, str):
        return "字符串"
    if isinstance(value, list):
        return "列表"
    return "对象"


def _clip(value: Any) -> str:
    text = json.dumps(_plain(value), ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"文件中有无法识别的字节（第 {exc.start} 字节附近），请确认文件是 UTF-8 编码"
    return str(exc) or type(exc).__name__

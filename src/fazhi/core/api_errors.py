"""Chinese messages for errors raised by django-ninja / pydantic when a request does not fit its schema."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

_MESSAGES = {
    "missing": "缺少必填参数",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 ISO 8601，例如 2020-09-28T09:00:00+08:00",
    "datetime_from_date_parsing": "时间格式应为 ISO 8601，例如 2020-09-28T09:00:00+08:00",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_short": "内容太短",
    "string_too_long": "内容太长",
    "string_pattern_mismatch": "格式不正确",
    "greater_than": "数值太小",
    "greater_than_equal": "数值太小",
    "less_than": "数值太大",
    "less_than_equal": "数值太大",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "请求体格式不正确",
    "dict_type": "请求体格式不正确",
    "list_type": "应为列表",
    "value_error": "取值无效",
}


def _field_name(loc: Any) -> str:
    parts = [str(p) for p in (loc or []) if p not in ("query", "body", "path", "form", "header", "cookie", "payload")]
    return ".".join(parts)


def translate(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for err in errors:
        kind = str(err.get("type", "value_error"))
        message = _MESSAGES.get(kind, "取值无效")
        ctx = err.get("ctx") or {}
        if kind in {"literal_error", "enum"} and "expected" in ctx:
            message = f"{message}，可选：{ctx['expected']}"
        elif kind in {"greater_than_equal", "greater_than"} and "ge" in ctx:
            message = f"不能小于 {ctx['ge']}"
        elif kind in {"greater_than_equal", "greater_than"} and "gt" in ctx:
            message = f"必须大于 {ctx['gt']}"
        elif kind in {"less_than_equal", "less_than"} and "le" in ctx:
            message = f"不能大于 {ctx['le']}"
        elif kind in {"less_than_equal", "less_than"} and "lt" in ctx:
            message = f"必须小于 {ctx['lt']}"
        elif kind in {"string_too_long"} and "max_length" in ctx:
            message = f"不能超过 {ctx['max_length']} 个字符"
        elif kind == "value_error" and ctx.get("error"):
            message = str(ctx["error"])
        field = _field_name(err.get("loc"))
        out.append({"field": field, "code": kind, "message": f"{field}：{message}" if field else message})
    return out


# The largest ``offset`` a list operation accepts: beyond it the database cannot even represent offset + limit
# (SQLite: "Python int too large to convert to SQLite INTEGER" -> 500; found by tests/reliability's schemathesis run).
MAX_OFFSET = 1_000_000_000


class PageParams(Schema):
    """``limit`` and ``offset`` of every list operation: one definition, one bound. Query schemas of list operations
    inherit from it."""

    limit: int = Field(50, ge=1, le=500, description="每页条数（1–500）")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")

"""``/api/v1/search``: the portal's one query method, for programs. Same query layer and same masked data as the
page ``/search/``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from . import registry
from .query import parse_params, search

router = Router(tags=["统一查询"])


class SearchParams(Schema):
    q: str = Field("", description="名称或文号的任意部分（两个字起，空格分隔多个词），或统一社会信用代码、完整文号")
    type: str = Field("", description="信息类型代码，多个用逗号分隔：见 /api/v1/search/types")
    division: str = Field("", description="区划代码（GB/T 2260）：省 14、市 1401 或 140100、县 140105")
    agency: str = Field("", description="机构编号")
    date_from: str = Field("", description="决定日期起（YYYY-MM-DD）")
    date_to: str = Field("", description="决定日期止（YYYY-MM-DD）")
    category: str = Field("", description="类别代码（如处罚种类 fine），见 /api/v1/search/types")
    cursor: str = Field("", description="翻页：上一页响应中的 next_cursor")
    limit: str = Field("20", description="每页条数，1–100")


class HitOut(Schema):
    type: str
    type_label: str
    id: str
    title: str
    date: dt.date | None
    url: str = Field(..., description="公开页面地址")
    summary: dict[str, Any] = Field(..., description="摘要（公开信息，证件号码已脱敏）")


class GroupOut(Schema):
    type: str
    label: str
    count: int
    exact: bool


class SearchOut(Schema):
    count: int = Field(..., description="结果总数")
    exact: bool = Field(..., description="count 是否为精确值；false 表示按抽样估算")
    direct: str = Field("", description="uscc 或 doc_number：查询是完整的统一社会信用代码或文号，结果为精确匹配")
    items: list[HitOut]
    groups: list[GroupOut] = Field(..., description="按类型的结果数")
    next_cursor: str | None = Field(None, description="下一页的 cursor；为空表示没有更多结果")


@router.get("/search", response=SearchOut, summary="统一查询：所有公开信息，一个入口，最新的在前")
def search_endpoint(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    query = parse_params({k: v for k, v in params.dict().items() if v not in (None, "")})
    result = search(query)
    # Plain dicts, validated once against SearchOut on the way out (building the schema objects here would
    # validate every hit twice: measured as a third of the endpoint's own time).
    return {
        "count": result.count,
        "exact": result.exact,
        "direct": result.direct,
        "items": [
            {
                "type": hit.type.code,
                "type_label": hit.type.label,
                "id": hit.object_id,
                "title": hit.title,
                "date": hit.date,
                "url": hit.url,
                "summary": hit.summary,
            }
            for hit in result.items
        ],
        "groups": [
            {"type": g.type.code, "label": g.type.label, "count": g.count, "exact": g.exact} for g in result.groups
        ],
        "next_cursor": str(result.next_cursor) if result.next_cursor is not None else None,
    }


class CategoryOut(Schema):
    code: str
    label: str


class TypeOut(Schema):
    code: str
    label: str
    categories: list[CategoryOut]


@router.get("/search/types", response=list[TypeOut], summary="可查询的信息类型及其类别")
def search_types(request: HttpRequest) -> list[TypeOut]:
    return [
        TypeOut(code=t.code, label=t.label, categories=[CategoryOut(code=v, label=lab) for v, lab in t.categories])
        for t in registry.all_types()
    ]

"""裁量基准 endpoints: public documents, items and the calculator; staff endpoints to keep benchmarks (the same services
as the pages and the command)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from fazhi.core.api_errors import PageParams
from fazhi.core.errors import NotFound
from fazhi.org.auth import staff_auth

from . import calculator, selectors, services, views
from .choices import Grade
from .models import BenchmarkItem, BenchmarkRule, DiscretionBenchmark

router = Router(tags=["行政裁量基准"])
Format = Literal["xlsx", "csv"]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


class FactorOut(Schema):
    name: str
    options: list[str]
    unit: str = Field("", description="选项均为数值区间时的单位（如“个月”“次”），此时也可直接填写数值")


class FineOut(Schema):
    kind: str = Field(..., description="range 金额幅度；fixed 定额；multiple 倍数；none 不罚款")
    text: str
    min_yuan: str | None
    max_yuan: str | None
    base: str
    multiple_min: str | None
    multiple_max: str | None
    table_text: str = Field(..., description="基准原文")


class RuleOut(Schema):
    id: int
    position: int
    grade: str
    grade_label: str
    conditions: list[dict[str, str]]
    circumstances: str
    description: str
    penalty_kinds: list[str]
    penalty_kinds_label: str
    fine: FineOut
    source: str


class ItemOut(Schema):
    id: int
    code: str
    violation: str
    provision: str
    legal_basis: str
    note: str
    factors: list[FactorOut]
    bases: list[str] = Field(..., description="倍数罚款的基数（计算时可在 figures 中填写其金额，单位元）")
    benchmark_id: int
    doc_number: str
    rules: list[RuleOut]


class BenchmarkOut(Schema):
    id: int
    title: str
    doc_number: str
    doc_key: str
    agency_id: int
    agency: str
    domain: str
    version: int
    status: str
    state: str = Field(..., description="今天的状态：现行有效、尚未施行、已被新版本替代、已废止……")
    effective_from: dt.date
    expires_on: dt.date | None
    valid_to: dt.date | None = Field(None, description="停止施行前的最后一日（被替代或废止时）")
    superseded_by_id: int | None
    previous_id: int | None
    note: str


class BenchmarkDetailOut(BenchmarkOut):
    items: list[ItemOut]


def rule_out(rule: BenchmarkRule) -> RuleOut:
    return RuleOut(
        id=rule.pk,
        position=rule.position,
        grade=rule.grade,
        grade_label=str(Grade(rule.grade).label),
        conditions=[{"factor": f, "option": o} for f, o in rule.conditions],
        circumstances=rule.circumstances,
        description=rule.description,
        penalty_kinds=list(rule.penalty_kinds),
        penalty_kinds_label=rule.kinds_label,
        fine=FineOut(
            kind=rule.fine_kind,
            text=rule.fine_text,
            min_yuan=_money(rule.fine_min),
            max_yuan=_money(rule.fine_max),
            base=rule.multiple_base,
            multiple_min=_money(rule.multiple_min),
            multiple_max=_money(rule.multiple_max),
            table_text=rule.penalty_text,
        ),
        source=rule.source,
    )


def item_out(item: BenchmarkItem) -> ItemOut:
    rules = list(item.rules.all())
    return ItemOut(
        id=item.pk,
        code=item.code,
        violation=item.violation,
        provision=item.provision,
        legal_basis=item.legal_basis,
        note=item.note,
        factors=[FactorOut(name=f["name"], options=f["options"], unit=f.get("unit", "")) for f in item.factors],
        bases=calculator.item_bases(item),
        benchmark_id=item.benchmark_id,
        doc_number=item.benchmark.doc_number,
        rules=[rule_out(r) for r in rules],
    )


def benchmark_out(benchmark: DiscretionBenchmark, *, detail: bool = False) -> Any:
    values: dict[str, Any] = {
        "id": benchmark.pk,
        "title": benchmark.title,
        "doc_number": benchmark.doc_number,
        "doc_key": benchmark.doc_key,
        "agency_id": benchmark.agency_id,
        "agency": benchmark.agency.name,
        "domain": benchmark.domain,
        "version": benchmark.version,
        "status": benchmark.status,
        "state": benchmark.state_on(timezone.localdate()),
        "effective_from": benchmark.effective_from,
        "expires_on": benchmark.expires_on,
        "valid_to": benchmark.valid_to,
        "superseded_by_id": benchmark.superseded_by_id,
        "previous_id": benchmark.previous_id,
        "note": benchmark.note,
    }
    if not detail:
        return BenchmarkOut(**values)
    items = selectors.with_rules(benchmark.items.select_related("benchmark"))
    return BenchmarkDetailOut(**values, items=[item_out(i) for i in items])


# --- public ------------------------------------------------------------------------------------------------


class PageQuery(PageParams):
    pass


@router.get("/benchmarks", response=list[BenchmarkOut], summary="已公布的裁量基准（含历史版本）")
def benchmarks(request: HttpRequest, query: Query[PageQuery]) -> list[BenchmarkOut]:
    qs = selectors.public_benchmarks()[query.offset : query.offset + query.limit]
    return [benchmark_out(b) for b in qs]


@router.get("/benchmarks/{benchmark_id}", response=BenchmarkDetailOut, summary="一份裁量基准及其全部事项和规则")
def benchmark(request: HttpRequest, benchmark_id: int) -> Any:
    return benchmark_out(selectors.public_benchmark(benchmark_id), detail=True)


class ItemQuery(Schema):
    q: str = Field("", max_length=100, description="违法行为或处罚依据中的词，多个词用空格分开")
    on: dt.date | None = Field(None, description="按这一天施行的版本查找，默认今天")


class ItemHit(Schema):
    id: int
    code: str
    violation: str
    benchmark_id: int
    doc_number: str
    agency: str


@router.get("/items", response=list[ItemHit], summary="查找施行中的裁量事项（按违法行为）")
def items(request: HttpRequest, query: Query[ItemQuery]) -> list[ItemHit]:
    found = selectors.items_in_force(query.on or timezone.localdate(), q=query.q)
    return [
        ItemHit(
            id=i.pk,
            code=i.code,
            violation=i.violation,
            benchmark_id=i.benchmark_id,
            doc_number=i.benchmark.doc_number,
            agency=i.benchmark.agency.name,
        )
        for i in found
    ]


@router.get("/items/{item_id}", response=ItemOut, summary="一个裁量事项：裁量因素及其选项、全部规则")
def item(request: HttpRequest, item_id: int) -> ItemOut:
    return item_out(selectors.public_item(item_id))


class CalculateIn(Schema):
    item_id: int = Field(..., description="裁量事项；按 on 当天施行的版本中的同一事项计算")
    on: dt.date | None = Field(None, description="适用日期，默认今天")
    answers: dict[str, str | int | float] = Field(
        default_factory=dict, description='裁量因素 → 选项（数值型因素也可填数字），如 {"违法程度": "…"}'
    )
    figures: dict[str, str | int | float] = Field(
        default_factory=dict, description='倍数罚款的基数金额（元），如 {"违法所得": 50000}'
    )


class CalculationOut(Schema):
    on: dt.date
    grade: str
    grade_label: str
    penalty_kinds: list[str]
    penalty_kinds_label: str
    fine: dict[str, Any] = Field(..., description="min_yuan / max_yuan（元，倍数罚款未填基数时为空）、text、基准原文")
    answers: list[dict[str, str]]
    rule: dict[str, Any] = Field(..., description="产生结果的规则：第几条、情形、来源")
    item: dict[str, Any]
    legal_basis: str
    benchmark: dict[str, Any] = Field(..., description="裁量基准：文号、施行日期、版本")
    explanation: list[str]


@router.post("/calculate", response=CalculationOut, summary="裁量计算：情形 → 裁量阶次、处罚种类、罚款幅度及依据")
def calculate(request: HttpRequest, payload: CalculateIn) -> dict[str, Any]:
    on = payload.on or timezone.localdate()
    current = selectors.item_in_force(selectors.public_item(payload.item_id), on)
    outcome = calculator.calculate(current, answers=payload.answers, figures=payload.figures, on=on)
    return calculator.as_dict(outcome)


@router.get("/template.{fmt}", summary="导入模板（XLSX 或 CSV，中文表头，含示例行）")
def template(request: HttpRequest, fmt: Format) -> HttpResponse:
    return views.template_download(request, fmt)


# --- staff -------------------------------------------------------------------------------------------------


class StaffQuery(PageParams):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=20)


@router.get("/staff/benchmarks", response=list[BenchmarkOut], auth=staff_auth, summary="辖区内的裁量基准（含草稿）")
def staff_benchmarks(request: HttpRequest, query: Query[StaffQuery]) -> list[BenchmarkOut]:
    qs = selectors.benchmarks_for(request.user, q=query.q, status=query.status)
    return [benchmark_out(b) for b in qs[query.offset : query.offset + query.limit]]


@router.get(
    "/staff/benchmarks/{benchmark_id}", response=BenchmarkDetailOut, auth=staff_auth, summary="辖区内的一份裁量基准"
)
def staff_benchmark(request: HttpRequest, benchmark_id: int) -> Any:
    return benchmark_out(selectors.benchmark_for(request.user, benchmark_id), detail=True)


class BenchmarkIn(Schema):
    agency_id: int = Field(..., description="制定机关")
    title: str = Field(..., max_length=300)
    doc_number: str = Field(..., max_length=200)
    domain: str = Field(..., max_length=40)
    effective_from: dt.date
    expires_on: dt.date | None = None
    note: str = Field("", max_length=5000)


@router.post("/staff/benchmarks", response={201: BenchmarkOut}, auth=staff_auth, summary="新建裁量基准（草稿）")
def create_benchmark(request: HttpRequest, payload: BenchmarkIn) -> Status[BenchmarkOut]:
    data = payload.dict()
    agency_id = data.pop("agency_id")
    agency = next((a for a in selectors.manageable_agencies(request.user) if a.pk == agency_id), None)
    if agency is None:
        raise NotFound("所选制定机关不存在，或不在您的管辖范围内")
    created = services.create_benchmark(actor=request.user, agency=agency, **data)
    return Status(201, benchmark_out(created))


class BenchmarkPatch(Schema):
    title: str | None = Field(None, max_length=300)
    doc_number: str | None = Field(None, max_length=200)
    domain: str | None = Field(None, max_length=40)
    effective_from: dt.date | None = None
    expires_on: dt.date | None = None
    note: str | None = Field(None, max_length=5000)
    reason: str = ""


@router.patch("/staff/benchmarks/{benchmark_id}", response=BenchmarkOut, auth=staff_auth, summary="修改裁量基准")
def update_benchmark(request: HttpRequest, benchmark_id: int, payload: BenchmarkPatch) -> BenchmarkOut:
    found = selectors.benchmark_for(request.user, benchmark_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    return benchmark_out(services.update_benchmark(actor=request.user, benchmark=found, changes=changes, reason=reason))


class ProblemOut(Schema):
    row: int
    field: str
    field_label: str
    code: str
    message: str
    level: str = Field(..., description="error 错误（该行未导入）；warning 提示")


class ImportOut(Schema):
    filename: str
    rows_read: int
    created: int
    updated: int
    unchanged: int
    rejected_rows: int
    problems: list[ProblemOut]


@router.post(
    "/staff/benchmarks/{benchmark_id}/import",
    response=ImportOut,
    auth=staff_auth,
    summary="导入事项（XLSX/CSV，按事项编码新增或更新，可重复导入）",
)
def import_items(request: HttpRequest, benchmark_id: int, file: File[UploadedFile]) -> ImportOut:
    found = selectors.benchmark_for(request.user, benchmark_id)
    report = services.import_items(actor=request.user, benchmark=found, file=file, filename=file.name)
    return ImportOut(
        filename=report.filename,
        rows_read=report.rows_read,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected_rows=report.rejected_rows,
        problems=[ProblemOut(**p.as_dict()) for p in report.problems],
    )


@router.post("/staff/benchmarks/{benchmark_id}/publish", response=BenchmarkOut, auth=staff_auth, summary="发布")
def publish(request: HttpRequest, benchmark_id: int) -> BenchmarkOut:
    found = selectors.benchmark_for(request.user, benchmark_id)
    return benchmark_out(services.publish_benchmark(actor=request.user, benchmark=found))


class VersionIn(Schema):
    doc_number: str = Field(..., max_length=200)
    effective_from: dt.date
    title: str = Field("", max_length=300)
    note: str = Field("", max_length=5000)


@router.post(
    "/staff/benchmarks/{benchmark_id}/versions",
    response={201: BenchmarkOut},
    auth=staff_auth,
    summary="新建下一版本（草稿，复制现行版本的事项）",
)
def new_version(request: HttpRequest, benchmark_id: int, payload: VersionIn) -> Status[BenchmarkOut]:
    found = selectors.benchmark_for(request.user, benchmark_id)
    draft = services.create_version(actor=request.user, benchmark=found, **payload.dict())
    return Status(201, benchmark_out(draft))


class RetireIn(Schema):
    retired_on: dt.date = Field(..., description="从这一天起不再施行")
    reason: str = Field(..., max_length=2000)


@router.post("/staff/benchmarks/{benchmark_id}/retire", response=BenchmarkOut, auth=staff_auth, summary="废止")
def retire(request: HttpRequest, benchmark_id: int, payload: RetireIn) -> BenchmarkOut:
    found = selectors.benchmark_for(request.user, benchmark_id)
    return benchmark_out(services.retire_benchmark(actor=request.user, benchmark=found, **payload.dict()))


@router.get("/staff/benchmarks/{benchmark_id}/export.{fmt}", auth=staff_auth, summary="导出为导入模板的格式")
def export(request: HttpRequest, benchmark_id: int, fmt: Format) -> HttpResponse:
    found = selectors.benchmark_for(request.user, benchmark_id)
    return views.spreadsheet_response(selectors.export_rows(found), fmt, found.doc_key)


class ItemPatch(Schema):
    violation: str | None = Field(None, max_length=2000)
    provision: str | None = Field(None, max_length=10000)
    legal_basis: str | None = Field(None, max_length=10000)
    note: str | None = Field(None, max_length=5000)


@router.patch("/staff/items/{item_id}", response=ItemOut, auth=staff_auth, summary="修改事项的文字")
def update_item(request: HttpRequest, item_id: int, payload: ItemPatch) -> ItemOut:
    found = selectors.item_for(request.user, item_id)
    services.update_item(actor=request.user, item=found, changes=payload.dict(exclude_unset=True))
    return item_out(selectors.item_for(request.user, item_id))


class RuleIn(Schema):
    circumstances: str = Field(..., max_length=2000, description="因素：选项；因素：选项")
    grade: str = Field(..., max_length=12, description="不予处罚、减轻处罚、从轻处罚、一般处罚、从重处罚")
    kinds: str = Field("", max_length=200, description="如“警告、罚款”")
    fine: str = Field("", max_length=500, description="如“2万元以上4万元以下”")
    description: str = Field("", max_length=2000)


@router.put("/staff/rules/{rule_id}", response=RuleOut, auth=staff_auth, summary="修改一条裁量规则")
def update_rule(request: HttpRequest, rule_id: int, payload: RuleIn) -> RuleOut:
    found = selectors.rule_for(request.user, rule_id)
    return rule_out(services.update_rule(actor=request.user, rule=found, **payload.dict()))

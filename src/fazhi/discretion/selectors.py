"""Reads of discretion benchmarks: public (published versions, old ones included; never drafts) and staff (scoped
to the issuing agencies in the user's jurisdiction for ``discretion.manage``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from fazhi.core.docnumbers import doc_number_key
from fazhi.core.errors import FieldError, NotFound, ValidationFailed
from fazhi.core.permissions import DISCRETION_MANAGE
from fazhi.org import scope
from fazhi.org.models import Agency

from .choices import BenchmarkStatus
from .models import BenchmarkItem, BenchmarkRule, DiscretionBenchmark, in_force_q
from .spreadsheet import rule_cells

MAX_RESULTS = 50


def _words(q: str) -> list[str]:
    return [w for w in (q or "").split() if w][:5]


# --- public ------------------------------------------------------------------------------------------------


def public_benchmarks() -> QuerySet[DiscretionBenchmark]:
    """Every published version, current and past (old versions stay readable); drafts are not public."""
    return (
        DiscretionBenchmark.objects.exclude(status=BenchmarkStatus.DRAFT)
        .select_related("agency", "superseded_by")
        .annotate(item_count=Count("items"))
        .order_by("-effective_from", "-id")
    )


def public_benchmark(pk: int) -> DiscretionBenchmark:
    found = (
        DiscretionBenchmark.objects.exclude(status=BenchmarkStatus.DRAFT)
        .select_related("agency__division", "superseded_by", "previous")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("未找到该裁量基准")
    return found


def versions(benchmark: DiscretionBenchmark, *, public: bool = True) -> list[DiscretionBenchmark]:
    qs = DiscretionBenchmark.objects.filter(series=benchmark.series)
    if public:
        qs = qs.exclude(status=BenchmarkStatus.DRAFT)
    return list(qs.order_by("version"))


def with_rules(items: QuerySet[BenchmarkItem]) -> QuerySet[BenchmarkItem]:
    return items.prefetch_related(Prefetch("rules", queryset=BenchmarkRule.objects.order_by("position")))


def items_in_force(on: dt.date, *, q: str = "", limit: int = MAX_RESULTS) -> list[BenchmarkItem]:
    """Items of the versions in force on ``on`` whose violation, legal basis or code holds every word of ``q``."""
    qs = BenchmarkItem.objects.filter(in_force_q(on, "benchmark__")).select_related("benchmark__agency")
    for word in _words(q):
        qs = qs.filter(Q(violation__contains=word) | Q(legal_basis__contains=word) | Q(code=word))
    return list(qs.order_by("benchmark__agency__path", "benchmark_id", "position")[:limit])


def public_item(pk: int) -> BenchmarkItem:
    found = (
        with_rules(BenchmarkItem.objects.exclude(benchmark__status=BenchmarkStatus.DRAFT))
        .select_related("benchmark__agency__division")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("未找到该裁量事项")
    return found


def version_in_force(benchmark: DiscretionBenchmark, on: dt.date) -> DiscretionBenchmark | None:
    return (
        DiscretionBenchmark.objects.filter(in_force_q(on), series=benchmark.series)
        .select_related("agency")
        .order_by("-effective_from")
        .first()
    )


def item_in_force(item: BenchmarkItem, on: dt.date) -> BenchmarkItem:
    """The same item (by 事项编码) in the version of its document in force on ``on`` — the one the calculator uses.

    Raises ValidationFailed (field ``on``) when no version was in force that day, or that version lacks the item."""
    version = version_in_force(item.benchmark, on)
    if version is None:
        raise ValidationFailed(
            FieldError("on", "not_in_force", f"{on:%Y年%-m月%-d日}没有施行中的《{item.benchmark.title}》版本")
        )
    if version.pk == item.benchmark_id:
        return item
    found = with_rules(BenchmarkItem.objects.filter(benchmark=version, code=item.code)).first()
    if found is None:
        raise ValidationFailed(
            FieldError(
                "on",
                "item_not_in_version",
                f"{on:%Y年%-m月%-d日}施行的版本（{version.doc_number}）中没有事项 {item.code}",
            )
        )
    found.benchmark = version
    return found


# --- staff -------------------------------------------------------------------------------------------------


def benchmarks_for(user: Any, *, q: str = "", status: str = "") -> QuerySet[DiscretionBenchmark]:
    qs = scope.restrict(DiscretionBenchmark.objects.select_related("agency"), user, DISCRETION_MANAGE)
    for word in _words(q):
        qs = qs.filter(Q(title__contains=word) | Q(doc_number__contains=word) | Q(doc_key__contains=word))
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(item_count=Count("items")).order_by("-effective_from", "-id")


def benchmark_for(user: Any, pk: int) -> DiscretionBenchmark:
    return scope.get_scoped_or_404(
        DiscretionBenchmark.objects.select_related("agency__division", "previous", "superseded_by"),
        user,
        DISCRETION_MANAGE,
        pk=pk,
    )


def item_for(user: Any, pk: int) -> BenchmarkItem:
    return scope.get_scoped_or_404(
        with_rules(BenchmarkItem.objects.select_related("benchmark__agency__division")), user, DISCRETION_MANAGE, pk=pk
    )


def rule_for(user: Any, pk: int) -> BenchmarkRule:
    return scope.get_scoped_or_404(
        BenchmarkRule.objects.select_related("item__benchmark__agency__division"), user, DISCRETION_MANAGE, pk=pk
    )


def manageable_agencies(user: Any) -> list[Agency]:
    """Agencies the user may issue benchmarks for."""
    agencies = scope.restrict(Agency.objects.select_related("division"), user, DISCRETION_MANAGE)
    return list(agencies.order_by("path")[:500])


def benchmark_by_number(doc_number: str) -> DiscretionBenchmark:
    """For the command line: the version with this document number (any bracket form)."""
    found = DiscretionBenchmark.objects.select_related("agency").filter(doc_key=doc_number_key(doc_number)).first()
    if found is None:
        raise NotFound(f"没有文号为 {doc_number} 的裁量基准")
    return found


def export_rows(benchmark: DiscretionBenchmark) -> list[dict[str, str]]:
    """Every rule of a version as rows of the import spreadsheet (an export re-imports unchanged)."""
    return [rule_cells(item, rule) for item in with_rules(benchmark.items.all()) for rule in item.rules.all()]

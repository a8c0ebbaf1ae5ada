"""Discretion benchmark items in the portal's search (``portal.registry``): one entry per item of a version in force
today, titled by its violation, found by its violation and legal basis, dated by the version's effective date and
leaving search after the version's last day (``public_until``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db.models import QuerySet
from django.utils import timezone

from fazhi.portal.registry import Document, SearchType, page_url, register

from .models import BenchmarkItem, in_force_q

NUMBER = 7  # stored in the index: never change or reuse


def _documents(items: Sequence[BenchmarkItem]) -> Iterator[Document]:
    today = timezone.localdate()
    for item in items:
        benchmark = item.benchmark
        if not benchmark.in_force_on(today):
            continue
        code = benchmark.agency.division.code[:6]
        yield Document(
            object_id=str(item.pk),
            title=item.violation,
            texts=(item.violation, item.legal_basis),
            date=benchmark.effective_from,
            area=int(code) if code.isdigit() else 0,
            agency_id=benchmark.agency_id,
            public_until=benchmark.last_day,
            doc_key=benchmark.doc_key,
            summary={
                "code": item.code,
                "benchmark": benchmark.title,
                "doc_number": benchmark.doc_number,
                "agency": benchmark.agency.name,
                "effective_from": benchmark.effective_from.isoformat(),
                "legal_basis": item.legal_basis[:140],
                "factors": "、".join(item.factor_names),
            },
        )


def _load(ids: Sequence[str]) -> list[BenchmarkItem]:
    pks = [int(i) for i in ids if str(i).isdigit()]
    return list(BenchmarkItem.objects.filter(pk__in=pks).select_related("benchmark__agency__division"))


def _in_force() -> QuerySet[BenchmarkItem]:
    today = timezone.localdate()
    return (
        BenchmarkItem.objects.filter(in_force_q(today, "benchmark__"))
        .select_related("benchmark__agency__division")
        .order_by("pk")
    )


register(
    SearchType(
        code="benchmark",
        number=NUMBER,
        label="裁量基准",
        documents=_documents,
        public_objects=_in_force,
        load=_load,
        url=page_url("discretion:item"),
        order=60,
        hit_template="discretion/_search_hit.html",
    )
)

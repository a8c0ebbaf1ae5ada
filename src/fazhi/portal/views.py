"""The portal's pages: one search box over everything public."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.core.errors import ValidationFailed

from . import registry, selectors
from .query import parse_params, search

_FILTERS = ("type", "division", "agency", "date_from", "date_to", "category")


def search_page(request: HttpRequest) -> HttpResponse:
    params = request.GET
    context: dict[str, object] = {
        "q": params.get("q", "")[:200],
        "params": params,
        "types": registry.all_types(),
        "areas": selectors.area_choices(params.get("division", "")),
    }
    try:
        query = parse_params(params)
    except ValidationFailed as exc:
        context["errors"] = exc.errors
        return render(request, "portal/search.html", context, status=422)
    if not query.q and not any(params.get(name) for name in _FILTERS):
        context["totals"] = selectors.totals()
        return render(request, "portal/search.html", context)
    result = search(query)
    if result.direct == "uscc" and result.items and result.items[0].type.entity_url is not None:
        return redirect(result.items[0].type.entity_url(result.terms[0]))
    if result.direct == "doc_number" and result.count == 1:
        return redirect(result.items[0].url)
    chosen = [registry.get(code) for code in query.types]
    single = chosen[0] if len(chosen) == 1 else None
    page = params.get("page", "1")
    context.update(
        {
            "query": query,
            "result": result,
            "grouped": not query.types and query.cursor is None,
            "single": single,
            "categories": single.categories if single else (),
            "agency_name": selectors.agency_name(query.agency),
            "area_name": selectors.area_name(query.area),
            "page": int(page) if page.isdigit() and int(page) < 10**6 else 1,
            "suggestions": _suggestions(result.terms) if result.count == 0 else [],
        }
    )
    return render(request, "portal/search.html", context)


def _suggestions(terms: list[str]) -> list[str]:
    """Shorter queries to try when nothing was found: each term's first two and last two characters."""
    found: list[str] = []
    for term in terms:
        for piece in (term[:2], term[-2:]):
            if len(piece) == 2 and piece != term and piece not in found:
                found.append(piece)
    return found[:4]

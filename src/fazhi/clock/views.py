"""The public deadline calculator page (计算法定期限): plain GET form, enhanced by htmx when available."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import selectors
from .calendar import CalendarDataMissing
from .deadlines import DeadlineExplanation, explain_deadline
from .forms import DeadlineForm

# The longest list of skipped rest days shown on the page (the API returns all of them).
MAX_LISTED_DAYS = 62
_FORM_KEYS = ("start", "days", "limit")


@require_safe
def calculator(request: HttpRequest) -> HttpResponse:
    bound = any(key in request.GET for key in _FORM_KEYS)
    form = DeadlineForm(request.GET if bound else None, limit_choices=selectors.time_limit_choices())
    explanation: DeadlineExplanation | None = None
    if bound and form.is_valid():
        data = form.cleaned_data
        try:
            explanation = explain_deadline(data["start"], data["days"], data["unit"])
        except CalendarDataMissing as exc:
            form.add_error(None, exc.message)
    htmx = request.headers.get("HX-Request") == "true"
    # Invalid input answers 422 to plain requests; htmx only swaps 2xx responses, so it gets 200.
    status = 422 if bound and explanation is None and not htmx else 200
    today = timezone.localdate()
    skipped = explanation.skipped_rest_days if explanation else []
    context = {
        "form": form,
        "explanation": explanation,
        "time_limit": form.time_limit if explanation else None,
        "skipped": skipped[:MAX_LISTED_DAYS],
        "skipped_hidden": max(0, len(skipped) - MAX_LISTED_DAYS),
        "today": today,
        "limits_in_force": selectors.time_limits_in_force(today),
    }
    template = "clock/_calculator.html" if htmx else "clock/calculator.html"
    return render(request, template, context, status=status)

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from fazhi.core.errors import NotFound
from fazhi.core.permissions import PUBLICITY_SUBMIT
from fazhi.org import scope

from .models import ImportRun


def runs_for(user: Any) -> QuerySet[ImportRun]:
    """Runs for agencies in the user's 报送 jurisdiction, and the user's own runs."""
    scoped = scope.restrict(ImportRun.objects.all(), user, PUBLICITY_SUBMIT)
    return ImportRun.objects.filter(Q(pk__in=scoped.values("pk")) | Q(actor_id=user.pk)).order_by("-started_at", "-id")


def run_for(user: Any, pk: int) -> ImportRun:
    """One run the user may see, or NotFound (the same for missing and out of scope)."""
    run = runs_for(user).filter(pk=pk).first()
    if run is None:
        raise NotFound()
    return run

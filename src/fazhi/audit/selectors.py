from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from fazhi.core.permissions import AUDIT_VERIFY, AUDIT_VIEW
from fazhi.org import scope
from fazhi.org.models import Agency

from .models import AuditEvent


def events_for(user: Any, *, action: str = "", target_type: str = "", target_id: str = "") -> QuerySet[AuditEvent]:
    """Events about records inside the user's 查看审计留痕 jurisdiction, and events made by staff of agencies
    inside it (everything for superusers)."""
    juris = scope.jurisdiction(user, AUDIT_VIEW)
    qs = AuditEvent.objects.all()
    if juris.empty:
        return qs.none()
    if not juris.everything:
        agencies = Agency.objects.filter(juris.q(scope.spec_of(Agency))).values("pk")
        qs = qs.filter(juris.q(scope.spec_of(AuditEvent)) | Q(agency_id__in=agencies))
    if action:
        qs = qs.filter(action__startswith=action)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    return qs.order_by("-seq")


def may_verify(user: Any) -> bool:
    """Verifying the whole chain is a province-wide act: it needs 校验审计链 over the root division."""
    return scope.covers_root(user, AUDIT_VERIFY)

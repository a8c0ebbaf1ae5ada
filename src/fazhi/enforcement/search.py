"""Enforcement bodies (4), officers (5) and power items (6) in the portal's search (``portal.registry``).

Only public facts go into the index: a body's name, code and domains; an officer's name, body and certificate number
(only while the certificate is valid — ``public_until`` is the last day it stays valid, so the portal stops showing
an officer whose certificate expires or falls due for 年审 even before anything else happens); an item of the current
power list. The services refresh these entries in the transaction that changes the records.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

from fazhi.portal.registry import Document, SearchType, page_url, register

from . import lifecycle, selectors
from .choices import PowerCategory, PowerStatus
from .models import EnforcementBody, Officer, PowerAdjustment, PowerItem


def _area(body: EnforcementBody) -> int:
    code = body.division.code[:6]
    return int(code) if code.isdigit() else 0


def _domain_names(domains: Any) -> str:
    return "、".join(d.name for d in domains.all())


def _body_documents(bodies: Sequence[EnforcementBody]) -> Iterator[Document]:
    for body in bodies:
        if not body.is_active:
            continue
        yield Document(
            object_id=str(body.pk),
            title=body.name,
            texts=(body.name,),
            date=timezone.localdate(body.created_at),
            area=_area(body),
            agency_id=body.agency_id,
            code=body.uscc,
            summary={
                "kind": body.get_kind_display(),
                "division": body.division.name,
                "domains": _domain_names(body.domains),
                "uscc": body.uscc,
            },
        )


def _officer_documents(officers: Sequence[Officer]) -> Iterator[Document]:
    today = timezone.localdate()
    valid = {
        c.officer_id: c
        for c in selectors.valid_certificates(today)
        .filter(officer__in=[o.pk for o in officers])
        .select_related("rule")
        .prefetch_related("domains", selectors.EVENTS)
    }
    for officer in officers:
        certificate = valid.get(officer.pk)
        if certificate is None or not officer.body.is_active:
            continue
        validity = lifecycle.validity_on(certificate, today)
        if not validity.valid:
            continue
        yield Document(
            object_id=str(officer.pk),
            title=officer.name,
            texts=(officer.name, certificate.number or ""),
            date=certificate.issued_on,
            area=_area(officer.body),
            agency_id=officer.body.agency_id,
            public_until=validity.until,
            summary={
                "number": certificate.number,
                "body": officer.body.name,
                "domains": _domain_names(certificate.domains),
                "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
            },
        )


def _power_documents(items: Sequence[PowerItem]) -> Iterator[Document]:
    latest: dict[int, str] = {}
    for item_id, key in (
        PowerAdjustment.objects.filter(item__in=[i.pk for i in items])
        .order_by("item_id", "effective_on", "id")
        .values_list("item_id", "doc_number_key")
    ):
        latest[item_id] = key
    for item in items:
        if item.status != PowerStatus.IN_FORCE or not item.body.is_active:
            continue
        yield Document(
            object_id=str(item.pk),
            title=item.name,
            texts=(item.name, item.code),
            date=item.effective_on,
            area=_area(item.body),
            agency_id=item.body.agency_id,
            categories=(item.category,),
            doc_key=latest.get(item.pk, ""),
            summary={
                "code": item.code,
                "category": item.get_category_display(),
                "body": item.body.name,
                "random_inspection": item.random_inspection,
                "legal_basis": item.legal_basis[:140],
            },
        )


def _loader(queryset: QuerySet[Any]) -> Any:
    def load(ids: Sequence[str]) -> list[Model]:
        return list(queryset.filter(pk__in=[int(i) for i in ids if str(i).isdigit()]))

    return load


_BODIES = EnforcementBody.objects.select_related("division").prefetch_related("domains")
_OFFICERS = Officer.objects.select_related("body__division")
_ITEMS = PowerItem.objects.select_related("body__division")


def _valid_officers() -> QuerySet[Officer]:
    return _OFFICERS.filter(pk__in=selectors.valid_certificates().values("officer_id")).order_by("pk")


register(
    SearchType(
        code="body",
        number=4,
        label="执法主体",
        documents=_body_documents,
        public_objects=lambda: _BODIES.filter(is_active=True).order_by("pk"),
        load=_loader(_BODIES),
        url=page_url("enforcement:body"),
        order=30,
        hit_template="enforcement/_hit_body.html",
    )
)
register(
    SearchType(
        code="officer",
        number=5,
        label="执法人员",
        documents=_officer_documents,
        public_objects=_valid_officers,
        load=_loader(_OFFICERS),
        url=page_url("enforcement:officer"),
        order=31,
        hit_template="enforcement/_hit_officer.html",
    )
)
register(
    SearchType(
        code="power",
        number=6,
        label="权责事项",
        documents=_power_documents,
        public_objects=lambda: _ITEMS.filter(status=PowerStatus.IN_FORCE, body__is_active=True).order_by("pk"),
        load=_loader(_ITEMS),
        url=page_url("enforcement:power"),
        categories=tuple((str(v), str(label)) for v, label in PowerCategory.choices),
        order=32,
        hit_template="enforcement/_hit_power.html",
    )
)

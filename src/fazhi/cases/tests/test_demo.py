"""The demo generator builds cases in every state through the services, quickly, and the audit chain verifies."""

from __future__ import annotations

import random
import time

import pytest

from fazhi.audit.verify import verify_chain
from fazhi.cases.choices import CaseStatus
from fazhi.cases.demo import generate_cases
from fazhi.cases.models import EnforcementCase, LegalQualification
from fazhi.enforcement.demo import generate_enforcement

pytestmark = pytest.mark.django_db


def test_demo_cases_in_every_state(org_world, client):
    from fazhi.conftest import PASSWORD
    from fazhi.org import services as org_services
    from fazhi.org.models import Role

    market = org_world.agencies["xiaodian_market"]
    staff = org_services.create_staff(actor=None, username="shenhe", password=PASSWORD, name="郑芳", agency=market)
    org_services.grant_role(actor=None, user=staff.user, role=Role.objects.get(code="reviewer"), agency=market)
    generate_enforcement(rng=random.Random(7), scale="small")
    started = time.monotonic()
    counts = generate_cases(rng=random.Random(7), scale="small")
    assert time.monotonic() - started < 20
    assert counts["cases"] == EnforcementCase.objects.count() > 0
    states = set(EnforcementCase.objects.filter(agency=market).values_list("status", flat=True))
    assert states == set(CaseStatus.values), set(CaseStatus.values) - states
    assert LegalQualification.objects.filter(user=staff.user).exists()
    assert EnforcementCase.objects.filter(penalty_record__isnull=False).exists()
    assert counts["case_attachments"] > 0 and counts["legal_reviews"] > 0 and counts["major_items"] >= 2
    assert verify_chain().ok
    client.force_login(org_world.users["xiaodian_officer"])
    case = EnforcementCase.objects.filter(agency=market, status="archived").first()
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert generate_cases(rng=random.Random(8), scale="small") == counts

"""The demo generator builds enforcement data through the services, in every state of the lifecycle."""

from __future__ import annotations

import random

import pytest

from fazhi.audit.verify import verify_chain
from fazhi.enforcement.demo import generate_enforcement
from fazhi.enforcement.models import Certificate, EnforcementBody, PowerAdjustment

pytestmark = pytest.mark.django_db


def test_demo_data_for_the_market_agencies(org_world, client):
    counts = generate_enforcement(rng=random.Random(7), scale="small")
    assert counts["bodies"] == EnforcementBody.objects.count() == 2  # the two 市场监督管理局 of org_world
    assert counts["officers"] == 40 and counts["certificates"] >= 30
    states = set(Certificate.objects.values_list("status", flat=True))
    assert {"active", "replaced", "suspended", "cancelled", "lost"} <= states
    assert 0 < counts["valid_certificates"] < counts["certificates"]
    assert counts["power_items"] == 6 and counts["power_adjustments"] >= 6
    assert set(PowerAdjustment.objects.values_list("kind", flat=True)) >= {"added"}
    assert verify_chain().ok
    # what it made is public where it should be
    assert client.get("/api/v1/enforcement/officers").json()["count"] == counts["valid_certificates"]
    # a second run adds nothing
    assert generate_enforcement(rng=random.Random(8), scale="small") == counts

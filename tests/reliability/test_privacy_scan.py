"""Crawl everything public in the demo data: no unmasked ID number, no phone number, nothing withdrawn or past its
publicity window (tests/reliability/privacy.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fazhi.core.identifiers import make_uscc
from fazhi.org.models import Agency
from fazhi.publicity import public
from fazhi.publicity.choices import RecordStatus
from fazhi.publicity.models import PenaltyRecord
from fazhi.publicity.services import withdraw_record

from .conftest import PERSON_ID, make_penalty, record_figures
from .privacy import find_ids, find_phones, scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def probes(demo: dict[str, Any]) -> dict[str, Any]:
    """A withdrawn record and one past its publicity window (both must vanish from public view)."""
    agency = Agency.objects.filter(division__code="140105", name__endswith="市场监督管理局").first()
    today = timezone.localdate()
    old = make_penalty(agency, "小店市监罚〔2020〕探针1号", dt.date(2020, 3, 2))
    withdrawn = make_penalty(agency, "小店市监罚〔2026〕探针2号", today - dt.timedelta(days=3))
    assert old.status == withdrawn.status == RecordStatus.PUBLISHED  # published, so vanishing is the system's doing
    withdraw_record(actor=demo["superuser"], record=withdrawn, reason="行政处罚决定已被撤销")
    assert old.publicity_max_end and old.publicity_max_end < today
    return {
        "markers": [old.doc_number, withdrawn.doc_number],
        "urls": [f"/credit/records/penalty/{r.pk}/" for r in (old, withdrawn)]
        + [f"/api/v1/records/penalty/{r.pk}" for r in (old, withdrawn)],
    }


def test_detectors():
    assert find_ids(f"证件号 {PERSON_ID} 与 140105********1234") == [PERSON_ID]
    assert find_ids("140105199013071234") == []  # month 13: not a real number
    assert find_phones("电话 13912345678，座机 0351-1234567，编号 213912345678") == ["13912345678"]


def test_public_pages_exports_and_api_leak_nothing(probes):
    result = scan(forbidden_markers=probes["markers"], forbidden_urls=probes["urls"])
    record_figures("privacy", result.summary())
    assert result.pages >= 100 and result.api >= 100 and result.exports >= 4, result.summary()
    assert not result.findings, "\n".join(result.findings[:50])


def test_planted_privacy_bugs_are_caught(probes, monkeypatch):
    """Each kind of finding can fire: plant an unmasked ID, then a publication layer that forgets the window."""
    import sys

    with monkeypatch.context() as m:
        m.setattr(public, "mask_id_number", lambda value: value or "")  # the publication layer's one masker
        result = scan(limit=200)
        assert any("unmasked ID number" in f for f in result.findings)

    original = public.public_penalties  # patched wherever it was imported
    for module in list(sys.modules.values()):
        if (
            getattr(module, "__name__", "").startswith("fazhi.")
            and getattr(module, "public_penalties", None) is original
        ):
            monkeypatch.setattr(module, "public_penalties", lambda today=None: PenaltyRecord.objects.all())
    result = scan(forbidden_markers=probes["markers"], forbidden_urls=probes["urls"], limit=200)
    assert any("must not be public" in f for f in result.findings)


def test_identifiers_typed_into_free_text_are_not_published(demo):
    """A clerk types a phone number and an ID number into 违法事实: the public must not see either."""
    agency = Agency.objects.filter(division__code="140105", name__endswith="市场监督管理局").first()
    record = make_penalty(
        agency,
        "小店市监罚〔2026〕探针3号",
        timezone.localdate() - dt.timedelta(days=2),
        party_category="法人及非法人组织",
        party_name="太原某某商贸有限公司",
        party_id_type="",
        party_id_number="",
        party_uscc=make_uscc("91", "140105", "MA0K0000"),
        legal_rep="李四",
        facts=f"当事人法定代表人李四（身份证号{PERSON_ID}，联系电话13912345678）未按规定公示许可证。",
    )
    leaks = []
    for url in (
        f"/credit/records/penalty/{record.pk}/",
        f"/api/v1/records/penalty/{record.pk}",
        "/api/v1/opendata/penalty.csv",
    ):
        response = Client().get(url)
        assert response.status_code == 200, (url, record.status, record.publicity_max_end, record.published_on)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        leaks += [f"{url}: {x}" for x in find_ids(text) + find_phones(text)]
    assert "未按规定公示许可证" in Client().get(f"/api/v1/records/penalty/{record.pk}").json()["facts"]
    assert not leaks, leaks

"""Annual enforcement statistics: computed from the records (a new record changes them), published on time by
31 January, shown publicly only once published and without anything private; the command and the demo."""

from __future__ import annotations

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.testing import assert_write_matrix
from fazhi.oversight import services
from fazhi.oversight.models import StatisticsSnapshot

from .conftest import closed_case

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def values(snap: StatisticsSnapshot) -> dict:
    return snap.figures["values"]


def test_figures_come_from_the_records_and_change_when_a_record_is_added(cw):
    market = cw.base.org.agencies["xiaodian_market"]
    closed_case(cw, fine="5000")
    first = values(services.compute_statistics(actor=None, agency=market, year=2023))
    assert first["penalties"] == 1 and first["penalty_cases"] == 1 and first["cases_filed"] == 1
    assert first["fines_total"] == "5000.00" and first["licences"] == 0
    assert first["coercion"] == 0 and first["hearings"] == 0 and first["legal_reviews"] == 0
    closed_case(cw, fine="1200")
    snap = services.compute_statistics(actor=None, agency=market, year=2023)
    second = values(snap)
    assert second["penalties"] == 2 and second["penalty_cases"] == 2 and second["fines_total"] == "6200.00"
    assert snap.figures["cases_by_state"] == {"已结案": 2}
    assert StatisticsSnapshot.objects.count() == 1  # one snapshot per agency and year, recomputed
    assert values(services.compute_statistics(actor=None, agency=market, year=2022))["penalties"] == 0


def test_publishing_on_31_january_is_on_time_and_on_1_february_late(cw):
    market = cw.base.org.agencies["xiaodian_market"]
    shangdang = cw.base.org.agencies["shangdang_market"]
    a = services.compute_statistics(actor=None, agency=market, year=2023)
    b = services.compute_statistics(actor=None, agency=shangdang, year=2023)
    a = services.publish_statistics(actor=None, snapshot=a, at=dt.datetime(2024, 1, 31, 23, 30, tzinfo=SH))
    b = services.publish_statistics(actor=None, snapshot=b, at=dt.datetime(2024, 2, 1, 0, 10, tzinfo=SH))
    assert a.on_time is True and b.on_time is False
    with pytest.raises(Conflict):
        services.publish_statistics(actor=None, snapshot=a)
    with pytest.raises(Conflict):
        services.compute_statistics(actor=None, agency=market, year=2023)
    early = services.compute_statistics(actor=None, agency=market, year=2022)
    with pytest.raises(ValidationFailed) as exc:
        services.publish_statistics(actor=None, snapshot=early, at=dt.datetime(2022, 12, 31, 12, 0, tzinfo=SH))
    assert "尚未结束" in exc.value.message


def test_the_public_page_shows_published_figures_only(client, cw):
    market = cw.base.org.agencies["xiaodian_market"]
    closed_case(cw)
    services.compute_statistics(actor=None, agency=cw.base.org.agencies["shangdang_market"], year=2023)
    snap = services.compute_statistics(actor=None, agency=market, year=2023)
    assert "小店区市场监督管理局" not in client.get("/oversight/statistics/").content.decode()
    services.publish_statistics(actor=None, snapshot=snap, at=dt.datetime(2024, 1, 20, 9, 0, tzinfo=SH))
    page = client.get("/oversight/statistics/").content.decode()
    assert "太原市小店区市场监督管理局 · 2023年度" in page and "上党区" not in page
    assert "本系统尚无此类记录" in page
    api = client.get("/api/v1/oversight/statistics/public?year=2023").json()
    assert [s["agency"] for s in api] == ["太原市小店区市场监督管理局"]
    penalties = next(f for f in api[0]["figures"] if f["key"] == "penalties")
    assert penalties["value"] == 1 and api[0]["on_time"] is True
    text = json.dumps(api, ensure_ascii=False)
    assert "91110000600037341L" not in text and "某某食品" not in text  # nothing about parties


def test_statistics_write_matrix(client, cw):
    market = cw.base.org.agencies["xiaodian_market"]
    assert_write_matrix(
        client,
        "post",
        "/api/v1/oversight/statistics",
        cw.users,
        {None: 401, "shangdang_supervisor": 404, "xiaodian_officer": 404, "xiaodian_supervisor": 201},
        payload=lambda who: {"agency_id": market.pk, "year": 2023},
        watch=[StatisticsSnapshot],
    )
    snap = StatisticsSnapshot.objects.get()
    assert_write_matrix(
        client,
        "post",
        f"/api/v1/oversight/statistics/{snap.pk}/publish",
        cw.users,
        {"shangdang_supervisor": 404, "xiaodian_officer": 404, "taiyuan_supervisor": 200},
        watch=[StatisticsSnapshot],
    )
    snap.refresh_from_db()
    assert snap.published_at is not None and snap.on_time is False  # published now, long after 2024-01-31
    client.force_login(cw.users["xiaodian_supervisor"])
    page = client.get("/oversight/statistics/manage/?year=2023").content.decode()
    assert "逾期" in page and "2024-01-31" in page


def test_the_command_computes_every_agency_with_records(cw):
    closed_case(cw)
    out = io.StringIO()
    call_command("oversight", "statistics", "--year", "2023", stdout=out)
    text = out.getvalue()
    assert "太原市小店区市场监督管理局 2023年度" in text and "行政处罚 1件" in text
    assert StatisticsSnapshot.objects.filter(year=2023).count() == 1
    out = io.StringIO()
    market = cw.base.org.agencies["xiaodian_market"]
    call_command("oversight", "statistics", "--year", "2023", "--agency", str(market.pk), "--publish", stdout=out)
    assert "已发布（逾期）" in out.getvalue()


def test_the_demo_builds_a_scored_campaign_a_correction_and_statistics(cw, shangdang_pair):
    import random

    from fazhi.oversight.demo import LABELS, generate_oversight

    for _ in range(3):
        closed_case(cw)
    closed_case(cw, decided=dt.date(2023, 9, 27), published=dt.date(2023, 10, 20))  # late publicity
    closed_case(cw, body=cw.base.bodies["shangdang"], officers=shangdang_pair)
    counts = generate_oversight(rng=random.Random(7), scale="small")
    assert set(counts) == set(LABELS)
    assert counts["oversight_campaigns"] >= 1 and counts["oversight_files"] >= 2
    assert counts["oversight_scored"] >= 2 and counts["oversight_corrections"] == 1
    assert generate_oversight(rng=random.Random(7), scale="small") == counts  # runs once

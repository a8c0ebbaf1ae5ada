"""Figures come from the records through the rollup, drill down to exactly those records, and respect scope."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from fazhi.core.testing import assert_read_matrix
from fazhi.org.models import Division
from fazhi.reports import registry, selectors, services
from fazhi.reports.models import MetricValue, RollupRun
from fazhi.reports.tests.conftest import add_penalties

pytestmark = pytest.mark.django_db


def value(code: str, division: str, year: int = 2020) -> Decimal | None:
    return MetricValue.objects.get(metric=code, division__code=division, year=year).value


def test_rollup_counts_each_subtree_and_the_rate(sgs_world):
    run = services.run_rollup(year=2020)
    assert (
        run.status == "done"
        and run.divisions_done == Division.objects.filter(level__in=["province", "city", "county"]).count()
    )
    assert value("publicity.penalties_published", "140105") == 4
    assert value("publicity.penalties_published", "140100") == 4  # 太原市 = its counties
    assert value("publicity.penalties_published", "140404") == 2
    assert value("publicity.penalties_published", "140000") == 6
    assert value("publicity.penalties_late", "140105") == 1
    assert value("publicity.penalties_on_time_rate", "140105") == Decimal("75.0")
    assert value("publicity.penalties_on_time_rate", "140000") == Decimal("83.3")  # 5 of 6
    assert not MetricValue.objects.filter(year=2019).exists()


def test_adding_a_record_changes_the_dashboard_after_rollup(client, sgs_world):
    page = client.get("/reports/?division=140105&year=2020").content.decode()
    assert "未汇总" in page  # nothing rolled up yet: no figure is invented
    services.run_rollup(year=2020)
    page = client.get("/reports/?division=140105&year=2020").content.decode()
    assert "4件" in page and "行政处罚信息公示数" in page
    add_penalties(sgs_world, "xiaodian_market", 2, start=20)
    assert "4件" in client.get("/reports/?division=140105&year=2020").content.decode()  # still the rollup's
    services.run_rollup(year=2020)
    page = client.get("/reports/?division=140105&year=2020").content.decode()
    assert "6件" in page and "4件" not in page
    assert value("publicity.penalties_published", "140000") == 8


def test_an_interrupted_rollup_resumes_where_it_stopped(sgs_world):
    total = Division.objects.filter(level__in=["province", "city", "county"]).count()
    first = services.run_rollup(year=2020, stop_after=5)
    assert first.status == "running" and first.divisions_done == 5
    done_codes = set(MetricValue.objects.values_list("division__code", flat=True))
    assert len(done_codes) == 5
    second = services.run_rollup(year=2020)
    assert second.pk == first.pk and second.status == "done" and second.divisions_done == total
    assert MetricValue.objects.values("division").distinct().count() == total
    assert RollupRun.objects.count() == 1


def test_drilldown_lists_exactly_the_records_counted(client, sgs_world):
    services.run_rollup(year=2020)
    client.force_login(sgs_world.users["taiyuan_supervisor"])
    page = client.get("/reports/metrics/publicity.penalties_published/140105/2020/").content.decode()
    docs = set(re.findall(r"罚〔2020〕\d+号", page))
    assert len(docs) == int(value("publicity.penalties_published", "140105")) == 4
    late = client.get("/reports/metrics/publicity.penalties_late/140105/2020/").content.decode()
    assert set(re.findall(r"罚〔2020〕\d+号", late)) == {d for d in docs if d.endswith("10号")}
    rate = client.get("/reports/metrics/publicity.penalties_on_time_rate/140105/2020/").content.decode()
    assert "75.0%" in rate and "其中 <strong>3</strong> 条计入分子" in rate


def test_a_county_user_cannot_drill_into_another_county(client, sgs_world):
    url = "/reports/metrics/publicity.penalties_published/{}/2020/"
    users = sgs_world.users
    assert_read_matrix(client, url.format("140404"), users, {"xiaodian_supervisor": 404, "taiyuan_supervisor": 404})
    assert_read_matrix(
        client, url.format("140105"), users, {"xiaodian_supervisor": 200, "taiyuan_supervisor": 200, "superuser": 200}
    )
    assert_read_matrix(client, url.format("140000"), users, {"taiyuan_supervisor": 404, "province_admin": 200})
    # an officer holds no 查看统计指标 at all; anonymous visitors are asked to sign in
    assert_read_matrix(client, url.format("140105"), users, {"xiaodian_officer": 404, None: 302})
    client.force_login(users["province_admin"])
    assert client.get("/reports/metrics/no.such_metric/140105/2020/").status_code == 404
    assert client.get(url.format("999999")).status_code == 404


def test_the_public_sees_public_metrics_only(client, sgs_world):
    services.run_rollup(year=2020)
    page = client.get("/reports/?division=140000&year=2020").content.decode()
    assert "行政处罚信息公示数" in page and "6件" in page
    assert "行政处罚信息超期公示数" not in page
    assert "/reports/metrics/publicity" not in page  # no drill-down links for the public
    catalogue = client.get("/reports/metrics/").content.decode()
    assert "publicity.penalties_published" in catalogue and "publicity.penalties_late" not in catalogue
    client.force_login(sgs_world.users["province_admin"])
    page = client.get("/reports/?division=140000&year=2020").content.decode()
    assert "行政处罚信息超期公示数" in page and "/reports/metrics/publicity.penalties_late/140000/2020/" in page


def test_dashboard_sections_come_from_the_registry(client, sgs_world):
    """A module announced but not yet running shows "尚未接入"; its first metric lights its section up."""
    registry.register_group(registry.MetricGroup(code="lawmaking", title="测试：立法与备案审查", expected=True))
    try:
        page = client.get("/reports/?division=140000&year=2020").content.decode()
        section = page.split('id="group-lawmaking"')[1].split("</section>")[0]
        assert "尚未接入" in section
        registry.register(
            registry.Metric(
                code="lawmaking.test_filed",
                title="测试备案数",
                unit="件",
                group="lawmaking",
                definition="测试用。",
                compute=lambda division, year: 42,
                public=True,
            )
        )
        services.run_rollup(year=2020)
        page = client.get("/reports/?division=140000&year=2020").content.decode()
        section = page.split('id="group-lawmaking"')[1].split("</section>")[0]
        assert "测试备案数" in section and "42件" in section and "尚未接入" not in section
    finally:
        registry._METRICS.pop("lawmaking.test_filed", None)
        registry._GROUPS.pop("lawmaking", None)


def test_the_api_gives_values_with_their_data_time(client, sgs_world):
    services.run_rollup(year=2020)
    body = client.get("/api/v1/reports/values?division=140000&year=2020").json()
    figures = {f["code"]: f for f in body["figures"]}
    assert figures["publicity.penalties_published"]["value"] in (6, "6", "6.0000")
    assert figures["publicity.penalties_published"]["computed_at"]
    assert "publicity.penalties_late" not in figures
    catalogue = client.get("/api/v1/reports/metrics").json()
    assert {"code": "publicity.penalties_published"}.items() <= catalogue[0].items() or any(
        m["code"] == "publicity.penalties_published" for m in catalogue
    )
    assert_read_matrix(
        client,
        "/api/v1/reports/staff/values?division=140404&year=2020",
        sgs_world.users,
        {None: 401, "xiaodian_supervisor": 404, "province_admin": 200},
    )


def test_staff_refresh_recomputes_one_dashboard(client, sgs_world):
    client.force_login(sgs_world.users["xiaodian_supervisor"])
    response = client.post("/reports/refresh/", {"division": "140105", "year": "2020"})
    assert response.status_code == 302
    assert value("publicity.penalties_published", "140105") == 4
    assert client.post("/reports/refresh/", {"division": "140404", "year": "2020"}).status_code == 404
    assert not MetricValue.objects.filter(division__code="140404").exists()


def test_figures_read_from_the_rollup_in_a_fixed_number_of_queries(django_assert_max_num_queries, sgs_world):
    services.run_rollup(year=2020)
    province = selectors.division_by_code("140000")
    children = list(selectors.sub_divisions(province))
    with django_assert_max_num_queries(1):
        figures = selectors.figures([province, *children], 2020, registry.all_metrics())
    assert figures[(province.pk, "publicity.penalties_published")].value == 6


def test_certificates_and_officers_count_the_enforcement_register(sgs_world):
    from fazhi.reports.registry import year_end

    assert year_end(2020) == dt.date(2020, 12, 31)
    metric = registry.get("enforcement.officers")
    assert metric is not None and metric.value(selectors.division_by_code("140000"), 2020) == 0


def test_the_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/reports/metrics", "/api/v1/reports/values", "/api/v1/reports/annual/{report_id}/download"):
        assert path in paths


def test_the_dashboard_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries, sgs_world):
    services.run_rollup(year=2020)
    client.force_login(sgs_world.users["province_admin"])
    client.get("/reports/?division=140000&year=2020")  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get("/reports/?division=140000&year=2020")
    assert response.status_code == 200 and "6件" in response.content.decode()

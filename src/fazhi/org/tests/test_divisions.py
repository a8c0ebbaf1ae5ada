import csv

import pytest

from fazhi.org.models import Division
from fazhi.org.selectors import resolve_division

pytestmark = pytest.mark.django_db


def test_shanxi_has_one_province_eleven_cities_and_117_counties(shanxi):
    assert Division.objects.filter(level="province").get().name == "山西省"
    assert Division.objects.filter(level="city").count() == 11
    assert Division.objects.filter(level="county").count() == 117
    assert shanxi["140105"].parent == shanxi["140100"]
    assert shanxi["140105"].path == "140000/140100/140105/"


def test_loading_twice_creates_nothing_new(shanxi):
    from fazhi.org import services

    result = services.load_shanxi_divisions(actor=None)
    assert result.created == 0
    assert result.existing == 129
    assert Division.objects.count() == 129


def test_current_codes_and_names_match_the_official_list(shanxi, shared_data):
    with open(shared_data / "divisions" / "shanxi_counties_modood.csv", encoding="utf-8") as f:
        official = {r["code"]: r["name"] for r in csv.DictReader(f) if not r["code"].endswith("71")}
    ours = dict(Division.objects.filter(level="county").values_list("code", "name"))
    assert ours == official


def test_every_removed_county_code_resolves_to_its_successor(shanxi, shared_data):
    with open(shared_data / "divisions" / "shanxi_county_code_changes_2017_to_2023.csv", encoding="utf-8") as f:
        removed = [r for r in csv.DictReader(f) if r["change"] == "removed"]
    assert removed
    for row in removed:
        resolved = resolve_division(row["code"])
        assert resolved is not None, f"{row['code']} {row['name_2017']} does not resolve"
        assert resolved.replaced is not None
        assert resolved.division.level == "county"
        assert resolved.division.code[:4] == row["code"][:4]  # stays in the same city


def test_old_changzhi_county_code_maps_to_shangdang(client, shanxi):
    response = client.get("/api/v1/divisions/140421")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "140404"
    assert body["name"] == "上党区"
    assert body["replaced_code"] == "140421"
    assert "长治县" in body["replaced_note"]
    page = client.get("/org/divisions/140421/", follow=True)
    assert page.status_code == 200
    assert "上党区" in page.content.decode()
    assert "长治县（140421）已撤销" in page.content.decode()


def test_twelve_digit_statistical_codes_are_understood(shanxi):
    assert resolve_division("140105000000").division.code == "140105"
    assert resolve_division(" 140105 ").division.code == "140105"


def test_unknown_division_is_a_chinese_404(client, shanxi):
    response = client.get("/api/v1/divisions/149999")
    assert response.status_code == 404
    assert "没有区划代码为 149999" in response.json()["message"]


def test_city_listing_api(client, shanxi):
    response = client.get("/api/v1/divisions?parent=140000")
    names = [d["name"] for d in response.json()]
    assert len(names) == 11
    assert names[0] == "太原市"
    bad = client.get("/api/v1/divisions?level=planet")
    assert bad.status_code == 422
    assert "取值不在允许范围内" in bad.json()["message"]


def test_townships_can_be_added_under_a_county_with_checked_codes(shanxi):
    from fazhi.core.errors import ValidationFailed
    from fazhi.org import services

    town = services.create_division(
        actor=None, code="140105001", name="坞城街道", level="township", parent=shanxi["140105"]
    )
    assert town.path == "140000/140100/140105/140105001/"
    with pytest.raises(ValidationFailed) as info:
        services.create_division(actor=None, code="140404001", name="错位镇", level="township", parent=shanxi["140105"])
    assert info.value.errors[0].code == "division_code_parent"

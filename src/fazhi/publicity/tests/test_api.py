"""Entity profiles, masking, the change feed and open data, as the public and staff see them."""

import csv
import io
import json

import pytest
from django.utils import timezone

from fazhi.publicity import services
from fazhi.publicity.tests.conftest import penalty_row
from fazhi.publicity.validation import clean_row

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def records(org_world):
    market = org_world.agencies["xiaodian_market"]
    codes = {"decision_agency_uscc": market.uscc, "source_agency_uscc": market.uscc}
    company = clean_row("penalty", penalty_row(**codes), today=TODAY)
    person = clean_row(
        "penalty",
        penalty_row(
            **codes,
            party_name="李四",
            party_category="自然人",
            party_uscc="",
            legal_rep="",
            party_id_type="身份证",
            party_id_number=ID_NUMBER,
            doc_number="并环罚〔2020〕16号",
            content="罚款2000元",
            fine_wan="0.2",
        ),
        today=TODAY,
    )
    services.import_records(actor=None, kind="penalty", rows=[(2, company), (3, person)])
    return org_world


def test_entity_profile_by_code(client, records):
    body = client.get("/api/v1/entities/91110000600037341L").json()
    assert body["name"] == "太原市晋阳化工有限公司"
    assert [p["doc_number"] for p in body["penalties"]] == ["并环罚〔2020〕15号"]
    assert body["history"] is None
    assert client.get("/api/v1/entities/91110000600037341M").status_code == 404


def test_id_numbers_are_masked_everywhere_public(client, records):
    profile = client.get("/api/v1/entities/李四").content.decode()
    feed = client.get("/api/v1/changes?after=0").content.decode()
    data_csv = client.get("/api/v1/opendata/penalty.csv")
    data_json = client.get("/api/v1/opendata/penalty.json")
    csv_text = b"".join(data_csv.streaming_content).decode("utf-8-sig")
    json_text = b"".join(data_json.streaming_content).decode()
    for text in (profile, feed, csv_text, json_text):
        assert ID_NUMBER not in text
        assert "110105********002X" in text
    page = client.get("/credit/entities/李四/").content.decode()
    assert ID_NUMBER not in page
    assert "110105********002X" in page  # the masked number tells people of the same name apart


def test_staff_of_the_owning_agency_see_the_full_number(client, records):
    client.force_login(records.users["xiaodian_officer"])
    items = client.get("/api/v1/staff/records/penalty?q=李四").json()["items"]
    assert items[0]["party_id_number"] == ID_NUMBER
    client.force_login(records.users["shangdang_officer"])
    assert client.get("/api/v1/staff/records/penalty?q=李四").json()["items"] == []
    # A city-wide supervisor oversees the record but is not its owning agency: the number stays masked.
    client.force_login(records.users["taiyuan_supervisor"])
    items = client.get("/api/v1/staff/records/penalty?q=李四").json()["items"]
    assert items[0]["party_id_number"] == "110105********002X"
    page = client.get(f"/credit/staff/penalty/{items[0]['id']}/").content.decode()
    assert ID_NUMBER not in page and "110105********002X" in page


def test_change_feed_is_ordered_and_pages(client, records):
    first = client.get("/api/v1/changes?after=0&limit=1").json()
    assert len(first["items"]) == 1
    rest = client.get(f"/api/v1/changes?after={first['next_after']}").json()
    seqs = [i["seq"] for i in first["items"] + rest["items"]]
    assert seqs == sorted(seqs) and len(seqs) == 2
    assert all(i["action"] == "publish" for i in first["items"] + rest["items"])


def test_open_data_csv_has_chinese_headers_and_every_public_record(client, records):
    response = client.get("/api/v1/opendata/penalty.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "记录编号" and "行政相对人名称" in rows[0]
    assert len(rows) == 3
    data = json.loads(b"".join(client.get("/api/v1/opendata/penalty.json").streaming_content))
    assert {d["doc_number"] for d in data} == {"并环罚〔2020〕15号", "并环罚〔2020〕16号"}

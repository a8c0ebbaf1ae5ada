"""Staff pages: who sees and changes what (a county user, another county's user, the public), and forms that refuse
bad input in Chinese without changing anything."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.testing import assert_read_matrix, table_state
from fazhi.enforcement import services
from fazhi.enforcement.models import (
    Certificate,
    CertificateEvent,
    EnforcementBody,
    Officer,
    PowerAdjustment,
    PowerItem,
)
from fazhi.enforcement.tests.conftest import ID_NUMBER, TODAY, make_id

pytestmark = pytest.mark.django_db
WATCH = [EnforcementBody, Officer, Certificate, CertificateEvent, PowerItem, PowerAdjustment]


def assert_form_matrix(client, url, users, expected, data, watch=WATCH):
    """Each user posts the form in turn; a denied post (status >= 400) changes nothing (also not the audit log)."""
    failures = []
    for key, status in expected.items():
        client.logout()
        if key:
            client.force_login(users[key])
        before = table_state(watch)
        response = client.post(url, data)
        if response.status_code != status:
            failures.append(f"{key or '匿名'}: expected {status}, got {response.status_code}")
        elif status >= 400 and table_state(watch) != before:
            failures.append(f"{key or '匿名'}: denied with {status} but data changed")
    client.logout()
    assert not failures, f"POST {url}: " + "; ".join(failures)


READ = {"xiaodian_supervisor": 200, "xiaodian_officer": 200, "shangdang_supervisor": 404, None: 302}


def test_who_reads_each_staff_page(client, setup):
    w = setup
    for url in (
        f"/enforcement/staff/bodies/{w.bodies['xiaodian'].pk}/",
        f"/enforcement/staff/officers/{w.officers['zhang'].pk}/",
        f"/enforcement/staff/certificates/{w.cert.pk}/",
        f"/enforcement/staff/certificates/{w.cert.pk}/card/",
        f"/enforcement/staff/powers/{w.item.pk}/",
    ):
        assert_read_matrix(client, url, w.users, READ)
    for url in ("/enforcement/staff/", "/enforcement/staff/officers/", "/enforcement/staff/powers/"):
        assert_read_matrix(
            client,
            url,
            w.users,
            {"xiaodian_supervisor": 200, "shangdang_supervisor": 200, "xiaodian_officer": 200, None: 302},
        )
    for url in (
        "/enforcement/staff/bodies/new/",
        "/enforcement/staff/officers/new/",
        "/enforcement/staff/officers/import/",
        "/enforcement/staff/powers/new/",
    ):
        assert_read_matrix(
            client,
            url,
            w.users,
            {"xiaodian_supervisor": 200, "shangdang_supervisor": 200, "xiaodian_officer": 403, None: 302},
        )


def test_lists_show_only_the_users_jurisdiction(client, setup):
    client.force_login(setup.users["shangdang_supervisor"])
    page = client.get("/enforcement/staff/").content.decode()
    assert "长治市上党区市场监督管理局" in page and "小店区" not in page
    officers = client.get("/enforcement/staff/officers/").content.decode()
    assert "王五" in officers and "张三" not in officers
    client.force_login(setup.users["xiaodian_officer"])
    officers = client.get("/enforcement/staff/officers/").content.decode()
    assert "张三" in officers and ID_NUMBER not in officers and "王五" not in officers


def test_who_changes_what_through_the_forms(client, setup):
    w = setup
    body_url = f"/enforcement/staff/bodies/{w.bodies['xiaodian'].pk}/"
    body_form = {
        "name": "太原市小店区市场监督管理局",
        "kind": "agency",
        "domains": [w.domains["market"].pk, w.domains["health"].pk],
        "legal_basis": "《中华人民共和国行政处罚法》（修订后）",
        "is_active": "on",
    }
    deny = {"shangdang_supervisor": 404, "xiaodian_officer": 403, None: 302}
    assert_form_matrix(client, body_url, w.users, {**deny, "xiaodian_supervisor": 302}, body_form)
    assert EnforcementBody.objects.get(pk=w.bodies["xiaodian"].pk).legal_basis.endswith("（修订后）")

    step_url = f"/enforcement/staff/certificates/{w.cert.pk}/suspend/"
    step = {"suspend-on": TODAY.isoformat(), "suspend-reason": "涉嫌违纪", "suspend-doc_number": "小司〔2026〕1号"}
    assert_form_matrix(client, step_url, w.users, {**deny, "xiaodian_supervisor": 302}, step)
    assert Certificate.objects.get(pk=w.cert.pk).status == "suspended"

    officer_url = f"/enforcement/staff/officers/{w.officers['zhang'].pk}/"
    edit = {
        "form": "edit",
        "name": "张三",
        "position": "副科长",
        "phone": "",
        "employment": "civil_servant",
        "status": "on_duty",
    }
    assert_form_matrix(client, officer_url, w.users, {**deny, "xiaodian_supervisor": 302}, edit)
    assert Officer.objects.get(pk=w.officers["zhang"].pk).position == "副科长"

    power_url = f"/enforcement/staff/powers/{w.item.pk}/"
    adjust = {
        "kind": "changed",
        "effective_on": TODAY.isoformat(),
        "doc_number": "晋政发〔2026〕3号",
        "name": "对无照经营的处罚",
        "legal_basis": "",
        "category": "penalty",
    }
    assert_form_matrix(client, power_url, w.users, {**deny, "xiaodian_supervisor": 302}, adjust)
    assert PowerItem.objects.get(pk=w.item.pk).name == "对无照经营的处罚"


def test_creating_through_the_forms_and_bad_input_in_chinese(client, setup):
    w = setup
    client.force_login(w.users["xiaodian_supervisor"])
    before = table_state(WATCH)
    bad = client.post(
        "/enforcement/staff/officers/new/",
        {
            "body": w.bodies["xiaodian"].pk,
            "name": "赵六",
            "id_number": "140105198503150015",
            "employment": "civil_servant",
        },
    )
    assert bad.status_code == 422 and "校验位错误" in bad.content.decode()
    bad = client.post(
        "/enforcement/staff/bodies/new/",
        {
            "name": "某综合执法队",
            "kind": "team",
            "division": "140105",
            "domains": [w.domains["market"].pk],
            "legal_basis": "x",
        },
    )
    assert bad.status_code == 422 and "综合行政执法队伍应跨两个以上执法领域" in bad.content.decode()
    bad = client.post(
        "/enforcement/staff/bodies/new/",
        {"name": "某队", "kind": "team", "division": "140404", "domains": [w.domains["market"].pk], "legal_basis": "x"},
    )
    assert bad.status_code == 422 and "不在您的管辖范围内" in bad.content.decode()
    assert table_state(WATCH) == before

    created = client.post(
        "/enforcement/staff/officers/new/",
        {
            "body": w.bodies["xiaodian"].pk,
            "name": "赵六",
            "id_number": make_id(dt.date(1991, 1, 1), 61),
            "employment": "temporary",
        },
    )
    assert created.status_code == 302
    zhao = Officer.objects.get(name="赵六")
    page = client.get(f"/enforcement/staff/officers/{zhao.pk}/").content.decode()
    assert "赵六为临时工，不能申领执法证" in page
    refused = client.post(
        f"/enforcement/staff/officers/{zhao.pk}/",
        {"form": "apply", "domains": [w.domains["market"].pk], "on": TODAY.isoformat()},
    )
    assert refused.status_code == 422 and "临时工、劳务派遣人员、合同工和工勤人员不得申领" in refused.content.decode()
    assert not Certificate.objects.filter(officer=zhao).exists()

    wrong_step = client.post(f"/enforcement/staff/certificates/{w.cert.pk}/issue/", {"issue-on": TODAY.isoformat()})
    assert wrong_step.status_code == 422 and "不能办理“核发”" in wrong_step.content.decode()
    missing = client.post(f"/enforcement/staff/certificates/{w.cert.pk}/revoke/", {"revoke-on": TODAY.isoformat()})
    assert missing.status_code == 422 and "办理“吊销”须说明理由" in missing.content.decode()
    assert Certificate.objects.get(pk=w.cert.pk).status == "active"


def test_a_certificate_from_application_to_card_through_the_pages(client, setup):
    w = setup
    client.force_login(w.users["xiaodian_supervisor"])
    wang_here = services.create_officer(
        actor=None,
        body=w.bodies["xiaodian"],
        name="孙八",
        id_number=make_id(dt.date(1987, 7, 7), 81),
        employment="institution",
    )
    response = client.post(
        f"/enforcement/staff/officers/{wang_here.pk}/",
        {"form": "apply", "domains": [w.domains["market"].pk, w.domains["health"].pk], "on": TODAY.isoformat()},
    )
    cert = Certificate.objects.get(officer=wang_here)
    assert response["Location"] == f"/enforcement/staff/certificates/{cert.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "登记考试结果" in page and "核发执法证" not in page  # only the steps the table allows
    client.post(f"/enforcement/staff/certificates/{cert.pk}/exam/", {"exam-on": TODAY.isoformat(), "exam-score": "88"})
    client.post(f"/enforcement/staff/certificates/{cert.pk}/issue/", {"issue-on": TODAY.isoformat()})
    cert.refresh_from_db()
    assert cert.status == "active" and cert.number.startswith("1400")
    page = client.get(f"/enforcement/staff/certificates/{cert.pk}/").content.decode()
    assert "<svg" in page and "暂扣" in page and "换发新证" in page
    assert client.get(f"/enforcement/verify/{cert.number}/").status_code == 200


def test_importing_an_officer_list_keeps_good_rows_reports_bad_ones_and_is_safe_to_repeat(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = make_id(dt.date(1986, 6, 6), 61)
    lines = [
        "姓名,身份证号码,编制,职务,联系电话",
        f"郑一,{good},公务员,科员,13800000000",
        f"王二,{make_id(dt.date(1990, 1, 2), 62)},劳务派遣,协管员,",
        "冯三,140105198503150015,参公,科员,",  # wrong check character
        f"陈四,{make_id(dt.date(1991, 2, 3), 63)},外包,科员,",  # unknown 编制
        f"郑一,{good},公务员,科员,13800000000",  # the same person again
    ]
    url = "/enforcement/staff/officers/import/"
    client.force_login(world.users["shangdang_supervisor"])
    upload = SimpleUploadedFile("名单.csv", "\n".join(lines).encode("gbk"))
    response = client.post(url, {"body": world.bodies["xiaodian"].pk, "file": upload})
    assert response.status_code == 422 and not Officer.objects.filter(name="郑一").exists()  # not their body

    client.force_login(world.users["xiaodian_supervisor"])
    upload = SimpleUploadedFile("名单.csv", "\n".join(lines).encode("gbk"))
    page = client.post(url, {"body": world.bodies["xiaodian"].pk, "file": upload}).content.decode()
    assert "新登记 <strong>2</strong> 人，已登记未变 1 人，有问题 2 处" in page
    assert "<td>4</td><td>居民身份证号码</td>" in page and "校验位错误" in page
    assert "<td>5</td><td>编制与用工类型</td><td>编制与用工类型“外包”无法识别" in page
    assert Officer.objects.get(name="王二").employment == "dispatched"

    upload = SimpleUploadedFile("名单.csv", "\n".join(lines).encode("gbk"))
    again = client.post(url, {"body": world.bodies["xiaodian"].pk, "file": upload}).content.decode()
    assert "新登记 <strong>0</strong> 人，已登记未变 3 人" in again

    upload = SimpleUploadedFile("名单.csv", "姓名,职务\n张三,科员\n".encode())
    missing = client.post(url, {"body": world.bodies["xiaodian"].pk, "file": upload})
    assert missing.status_code == 422 and "文件缺少必需的列：居民身份证号码、编制与用工类型" in missing.content.decode()

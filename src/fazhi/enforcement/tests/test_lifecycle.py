"""The certificate lifecycle: who may hold one, which steps the table allows, and validity on exact dates."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.audit.models import AuditEvent
from fazhi.clock.calendar import shift_months
from fazhi.core.errors import Forbidden, NotFound, ValidationFailed
from fazhi.enforcement import lifecycle, selectors, services
from fazhi.enforcement.models import Certificate, CertificateEvent, Officer
from fazhi.enforcement.numbers import check_number
from fazhi.enforcement.tests.conftest import TODAY, issue, make_id

pytestmark = pytest.mark.django_db
D = dt.date
ONE = dt.timedelta(days=1)


def messages(exc: pytest.ExceptionInfo[ValidationFailed]) -> str:
    return " ".join(e.message for e in exc.value.errors)


# --- eligibility -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("employment", "label"),
    [("temporary", "临时工"), ("dispatched", "劳务派遣人员"), ("contract", "劳动合同工"), ("worker", "工勤人员")],
)
def test_only_established_staff_may_apply(world, employment, label):
    officer = services.create_officer(
        actor=None,
        body=world.bodies["xiaodian"],
        name="赵六",
        id_number=make_id(D(1992, 3, 3), 45),
        employment=employment,
    )
    with pytest.raises(ValidationFailed) as caught:
        services.apply_for_certificate(actor=None, officer=officer, domains=[world.domains["market"]])
    text = messages(caught)
    assert f"赵六为{label}，不能申领执法证" in text and "只有在编在职人员" in text
    assert not Certificate.objects.filter(officer=officer).exists()


def test_an_officer_who_left_may_not_apply_and_nobody_holds_two(world):
    zhang = world.officers["zhang"]
    issue(zhang, issued=TODAY - dt.timedelta(days=30))
    with pytest.raises(ValidationFailed) as caught:
        services.apply_for_certificate(actor=None, officer=zhang, domains=[world.domains["market"]])
    assert "不能重复申领" in messages(caught)

    services.update_officer(actor=None, officer=world.officers["wang"], changes={"status": "retired"})
    with pytest.raises(ValidationFailed) as caught:
        services.apply_for_certificate(actor=None, officer=world.officers["wang"], domains=[world.domains["market"]])
    assert "王五已退休，不能申领或持有执法证" in messages(caught)


def test_domains_must_be_the_bodys_and_under_age_is_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        services.apply_for_certificate(
            actor=None, officer=world.officers["zhang"], domains=[world.domains["transport"]]
        )
    assert "没有“交通运输”执法领域" in messages(caught)
    young = services.create_officer(
        actor=None,
        body=world.bodies["xiaodian"],
        name="小明",
        id_number=make_id(TODAY.replace(year=TODAY.year - 17) - dt.timedelta(days=1), 11),
        employment="civil_servant",
    )
    with pytest.raises(ValidationFailed) as caught:
        services.apply_for_certificate(actor=None, officer=young, domains=[world.domains["market"]])
    assert "未满 18 周岁" in messages(caught)


def test_a_holder_cannot_become_contract_staff_or_leave_without_cancelling(world):
    zhang = world.officers["zhang"]
    issue(zhang, issued=TODAY - dt.timedelta(days=10))
    for changes, words in (({"employment": "contract"}, "请先注销证件"), ({"status": "transferred"}, "通过“注销”")):
        with pytest.raises(ValidationFailed) as caught:
            services.update_officer(actor=None, officer=zhang, changes=changes)
        assert words in messages(caught)
    zhang.refresh_from_db()
    assert (zhang.employment, zhang.status) == ("civil_servant", "on_duty")


# --- the table ---------------------------------------------------------------------------------------------------


def test_the_path_from_application_to_certificate(world):
    zhang = world.officers["zhang"]
    cert = services.apply_for_certificate(
        actor=None, officer=zhang, domains=[world.domains["market"]], on=TODAY - dt.timedelta(days=20)
    )
    with pytest.raises(ValidationFailed) as caught:
        services.issue_certificate(actor=None, certificate=cert, on=TODAY - dt.timedelta(days=19))
    assert "证件当前状态为“已申领（待考试）”，不能办理“核发”" in messages(caught)

    cert = services.record_exam(actor=None, certificate=cert, score=59, on=TODAY - dt.timedelta(days=15))
    assert cert.status == "exam_failed"
    cert = services.record_exam(actor=None, certificate=cert, score=72, on=TODAY - dt.timedelta(days=10))
    assert cert.status == "exam_passed"
    cert = services.issue_certificate(actor=None, certificate=cert, on=TODAY - dt.timedelta(days=5))
    assert cert.status == "active"
    assert check_number(cert.number) == cert.number and cert.number.startswith("1401")
    assert cert.rule.name == "全国统一样式《中华人民共和国行政执法证》"
    assert cert.expires_on == shift_months(cert.issued_on, 60) - ONE
    actions = list(cert.events.values_list("action", flat=True))
    assert actions == ["apply", "fail_exam", "pass_exam", "issue"]
    assert AuditEvent.objects.filter(action="enforcement.certificate.issue", target_id=str(cert.pk)).exists()


def test_numbers_count_per_province_and_domain_and_several_domains_are_00(world):
    a = issue(world.officers["zhang"], issued=TODAY - dt.timedelta(days=3))
    b = issue(
        world.officers["wang"], issued=TODAY - dt.timedelta(days=3), domains=[world.domains["market"]], reviews=False
    )
    assert a.number[:4] == b.number[:4] == "1401"
    assert int(b.number[4:11]) == int(a.number[4:11]) + 1
    team = services.create_body(
        actor=None,
        name="小店区综合行政执法大队",
        kind="team",
        division=world.org.divisions["140105"],
        legal_basis="《山西省综合行政执法条例》（推定）",
        domains=[world.domains["market"], world.domains["culture"], world.domains["transport"]],
    )
    officer = services.create_officer(
        actor=None, body=team, name="钱七", id_number=make_id(D(1980, 1, 1), 77), employment="reference_managed"
    )
    c = issue(officer, issued=TODAY - dt.timedelta(days=3), domains=list(team.domains.all()))
    assert c.number.startswith("1400")


@pytest.mark.parametrize(
    ("step", "status", "words"),
    [
        ("review", "suspended", "不能办理“年审合格”"),
        ("renew", "suspended", "不能办理“换发新证”"),
        ("report_loss", "suspended", "不能办理“遗失声明作废”"),
        ("restore", "revoked", "证件当前状态为“已吊销”，不能办理“解除暂扣”"),
        ("suspend", "cancelled", "不能办理“暂扣”"),
        ("issue", "active", "不能办理“核发”"),
    ],
)
def test_steps_the_table_does_not_allow_are_refused_and_change_nothing(world, step, status, words):
    cert = issue(world.officers["zhang"], issued=TODAY - dt.timedelta(days=40))
    before = TODAY - dt.timedelta(days=20)
    if status == "suspended":
        cert = services.suspend_certificate(actor=None, certificate=cert, reason="涉嫌违纪", on=before)
    elif status == "revoked":
        cert = services.revoke_certificate(actor=None, certificate=cert, reason="违法执法", on=before)
    elif status == "cancelled":
        cert = services.cancel_certificate(actor=None, certificate=cert, cancel_reason="other", on=before)
    events = CertificateEvent.objects.count()
    data = services.StepInput(on=TODAY, reason="理由", passed=True)
    with pytest.raises(ValidationFailed) as caught:
        services.take_certificate_step(actor=None, certificate=cert, step=step, data=data)
    assert words in messages(caught)
    cert.refresh_from_db()
    assert cert.status == status and CertificateEvent.objects.count() == events


def test_step_dates_must_follow_the_last_step_and_not_be_in_the_future(world):
    cert = issue(world.officers["zhang"], issued=TODAY - dt.timedelta(days=10))
    with pytest.raises(ValidationFailed) as caught:
        services.suspend_certificate(actor=None, certificate=cert, reason="x", on=TODAY - dt.timedelta(days=11))
    assert "不能早于该证上一事项（核发" in messages(caught)
    with pytest.raises(ValidationFailed) as caught:
        services.suspend_certificate(actor=None, certificate=cert, reason="x", on=TODAY + ONE)
    assert "不能晚于今天" in messages(caught)
    with pytest.raises(ValidationFailed) as caught:
        services.suspend_certificate(actor=None, certificate=cert, reason="  ", on=TODAY)
    assert "办理“暂扣”须说明理由" in messages(caught)


def test_an_old_exam_pass_cannot_be_used_to_issue(world):
    zhang = world.officers["zhang"]
    cert = services.apply_for_certificate(
        actor=None, officer=zhang, domains=[world.domains["market"]], on=D(2019, 1, 2)
    )
    cert = services.record_exam(actor=None, certificate=cert, score=90, on=D(2019, 1, 5))
    with pytest.raises(ValidationFailed) as caught:
        services.issue_certificate(actor=None, certificate=cert, on=D(2024, 1, 6))
    assert "已超过 60 个月的有效期" in messages(caught)
    cert = services.issue_certificate(actor=None, certificate=cert, on=D(2024, 1, 5))
    assert cert.rule.name == "全国统一样式《中华人民共和国行政执法证》"


def test_rule_version_by_issue_date(world):
    a = issue(world.officers["zhang"], issued=D(2022, 10, 31), reviews=False)
    b = issue(world.officers["wang"], issued=D(2022, 11, 1), reviews=False)
    assert a.rule.valid_to == D(2022, 10, 31) and b.rule.valid_from == D(2022, 11, 1)


def test_renewal_window_and_a_lapsed_review_block_renewal(world):
    cert = issue(world.officers["zhang"], issued=TODAY - dt.timedelta(days=30))
    with pytest.raises(ValidationFailed) as caught:
        services.renew_certificate(actor=None, certificate=cert)
    assert "到期前 90 日内）方可换证" in messages(caught)

    old = issue(world.officers["wang"], issued=D(2019, 3, 1), reviews=False)  # no 年审 since 2019
    with pytest.raises(ValidationFailed) as caught:
        services.renew_certificate(actor=None, certificate=old, on=D(2024, 2, 1))
    assert "未按期年审" in messages(caught)


def test_permissions_come_from_the_table_and_the_jurisdiction(world):
    cert = issue(world.officers["zhang"], issued=TODAY - dt.timedelta(days=5))
    users = world.users
    with pytest.raises(Forbidden):  # sees it (officer of the agency), may not act on certificates
        services.suspend_certificate(actor=users["xiaodian_officer"], certificate=cert, reason="x")
    with pytest.raises(NotFound):  # another county: looks missing
        services.suspend_certificate(actor=users["shangdang_supervisor"], certificate=cert, reason="x")
    with pytest.raises(NotFound):
        services.apply_for_certificate(
            actor=users["shangdang_supervisor"], officer=world.officers["zhang"], domains=[world.domains["market"]]
        )
    cert.refresh_from_db()
    assert cert.status == "active"
    done = services.suspend_certificate(actor=users["xiaodian_supervisor"], certificate=cert, reason="涉嫌违纪")
    assert done.status == "suspended"
    event = AuditEvent.objects.get(action="enforcement.certificate.suspend")
    assert event.actor_name == "xiaodian_supervisor" and event.reason == "涉嫌违纪"


def test_cancelling_for_retirement_ends_the_officers_service(world):
    cert = issue(world.officers["zhang"], issued=TODAY - dt.timedelta(days=100))
    services.cancel_certificate(actor=None, certificate=cert, cancel_reason="retirement", on=TODAY - ONE)
    zhang = Officer.objects.get(pk=world.officers["zhang"].pk)
    assert zhang.status == "retired"
    cert.refresh_from_db()
    assert cert.status == "cancelled" and cert.ended_on == TODAY - ONE


# --- validity on exact dates ---------------------------------------------------------------------------------------


def valid(officer, day):
    return selectors.certificate_valid_on(officer, day)


def test_valid_from_the_issue_day_until_the_review_falls_due(world):
    zhang = world.officers["zhang"]
    issued = D(2023, 3, 10)
    cert = issue(zhang, issued=issued, reviews=False)
    due = shift_months(issued, 12) + dt.timedelta(days=90)
    assert not valid(zhang, issued - ONE)
    assert valid(zhang, issued)
    assert valid(zhang, due)
    assert not valid(zhang, due + ONE)
    assert selectors.officer_validity_on(zhang, due + ONE).label == "未按期年审（暂停使用）"
    late = due + dt.timedelta(days=20)
    services.review_certificate(actor=None, certificate=cert, passed=True, on=late)
    assert not valid(zhang, late - ONE)  # the review does not mend the days before it
    assert valid(zhang, late)
    assert valid(zhang, shift_months(late, 12) + dt.timedelta(days=90))


def test_expiry_is_the_day_before_the_fifth_anniversary(world):
    zhang = world.officers["zhang"]
    cert = issue(zhang, issued=D(2019, 1, 10))
    assert cert.expires_on == D(2024, 1, 9)
    assert valid(zhang, D(2024, 1, 9))
    assert not valid(zhang, D(2024, 1, 10))
    assert selectors.officer_validity_on(zhang, D(2024, 1, 10)).label == "已过期"


def test_suspension_restoration_and_revocation_on_their_days(world):
    zhang = world.officers["zhang"]
    cert = issue(zhang, issued=D(2024, 1, 2), reviews=False)
    services.review_certificate(actor=None, certificate=cert, passed=True, on=D(2025, 1, 2))
    services.suspend_certificate(actor=None, certificate=cert, reason="涉嫌违纪", on=D(2025, 6, 1))
    services.restore_certificate(actor=None, certificate=cert, reason="处分撤销", on=D(2025, 6, 20))
    services.revoke_certificate(actor=None, certificate=cert, reason="受到开除处分", on=D(2025, 9, 1))
    assert valid(zhang, D(2025, 5, 31))
    assert not valid(zhang, D(2025, 6, 1)) and not valid(zhang, D(2025, 6, 19))
    assert selectors.officer_validity_on(zhang, D(2025, 6, 10)).label == "暂扣"
    assert valid(zhang, D(2025, 6, 20)) and valid(zhang, D(2025, 8, 31))
    assert not valid(zhang, D(2025, 9, 1)) and not valid(zhang, TODAY)
    assert selectors.officer_validity_on(zhang, D(2026, 1, 1)).label == "已吊销"


def test_renewal_hands_over_without_a_gap_and_a_lost_card_is_void_until_reissue(world):
    zhang = world.officers["zhang"]
    old = issue(zhang, issued=D(2019, 4, 1))  # expires 2024-03-31, reviewed every year
    new = services.renew_certificate(actor=None, certificate=old, on=D(2024, 3, 1))
    assert new.number != old.number and new.replaces_id == old.pk
    assert selectors.valid_certificate_on(zhang, D(2024, 2, 29)) == old
    assert selectors.valid_certificate_on(zhang, D(2024, 3, 1)) == new
    assert not lifecycle.validity_on(Certificate.objects.get(pk=old.pk), D(2024, 3, 1)).valid
    assert new.expires_on == D(2029, 2, 28)

    services.review_certificate(actor=None, certificate=new, passed=True, on=D(2025, 3, 1))
    services.report_certificate_loss(actor=None, certificate=new, reason="执法时遗失", on=D(2025, 5, 10))
    third = services.reissue_certificate(actor=None, certificate=new, on=D(2025, 5, 13))
    assert not valid(zhang, D(2025, 5, 10)) and not valid(zhang, D(2025, 5, 12))
    assert selectors.valid_certificate_on(zhang, D(2025, 5, 13)) == third
    assert third.expires_on == new.expires_on
    # the reissued card keeps the 年审 schedule of the lost one (reviewed 2025-03-01)
    assert third.review_due == shift_months(D(2025, 3, 1), 12) + dt.timedelta(days=90)
    with pytest.raises(ValidationFailed) as caught:
        services.reissue_certificate(actor=None, certificate=new, on=D(2025, 5, 14))
    assert f"已补发新证 {third.number}" in messages(caught)


def test_the_stored_state_agrees_with_the_event_replay(world):
    """``valid_certificates`` (one query, for lists and search) and ``validity_on`` (replaying events) agree today."""
    zhang, wang = world.officers["zhang"], world.officers["wang"]
    a = issue(zhang, issued=TODAY - dt.timedelta(days=500), reviews=False)  # review overdue
    b = issue(wang, issued=TODAY - dt.timedelta(days=500))
    for cert in (a, b):
        cert = Certificate.objects.get(pk=cert.pk)
        assert lifecycle.validity_on(cert, TODAY).valid == selectors.valid_certificates().filter(pk=cert.pk).exists()
    assert set(selectors.valid_certificates().values_list("officer_id", flat=True)) == {wang.pk}

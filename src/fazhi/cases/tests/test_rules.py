"""Each rule of the case workflow blocks what it must, through the services (pages and API call the same ones)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from fazhi.audit.models import AuditEvent
from fazhi.audit.verify import verify_chain
from fazhi.cases import services
from fazhi.cases.models import Attachment, CaseRecord, EnforcementCase, HearingThreshold, LegalReview
from fazhi.cases.tests.conftest import TODAY, act, decide, file, pair, to_notified
from fazhi.clock.selectors import runs_for
from fazhi.core.errors import Forbidden, NotFound, ValidationFailed
from fazhi.publicity.models import PenaltyRecord

pytestmark = pytest.mark.django_db

D2023 = dt.date(2023, 9, 20)


def codes(exc: pytest.ExceptionInfo[ValidationFailed]) -> set[str]:
    return {e.code for e in exc.value.errors}


def test_a_case_runs_from_filing_to_archive_and_the_audit_chain_verifies(cw):
    case = file(cw, on=D2023)
    case = to_notified(cw, case, D2023)
    case = decide(case, dt.date(2023, 9, 27))
    assert case.status == "decided" and case.publish_limit == "sgs.publish"
    assert case.publish_due == dt.date(2023, 10, 12)  # 7 个工作日 across the National Day holiday
    case = act(case, "serve", on=dt.date(2023, 9, 28), summary="直接送达，当事人签收")
    case = act(case, "publish", on=dt.date(2023, 10, 9))
    record = PenaltyRecord.objects.get(pk=case.penalty_record_id)
    assert record.doc_number == "并小市监罚〔2023〕1号" and record.party_name == case.party_name
    assert case.publish_met is True
    case = act(case, "execute", on=dt.date(2023, 10, 10), summary="当事人已缴纳罚款")
    case = act(case, "close", on=dt.date(2023, 10, 11), summary="结案报告")
    case = act(case, "archive", on=dt.date(2023, 10, 12))
    assert case.status == "archived"
    actions = list(case.records.values_list("action", flat=True))
    assert actions == ["file", "investigate", "notify", "decide", "serve", "publish", "execute", "close", "archive"]
    # every act is a link of the audit chain, and the chain verifies
    assert all(r.audit_seq and len(r.audit_hash) == 64 for r in case.records.all())
    result = verify_chain()
    assert result.ok, result.summary
    # the investigative act names both officers and the certificate each held that day
    investigate = case.records.get(action="investigate")
    numbers = {o.officer.name: o.certificate_number for o in investigate.officers.select_related("officer")}
    assert set(numbers) == {"钱七", "孙八"} and all(numbers.values())
    attachment = Attachment.objects.get(record=investigate)
    import hashlib

    assert attachment.sha256 == hashlib.sha256(b"%PDF-1.4 record").hexdigest()
    assert services.file_sha256(attachment) == attachment.sha256


def test_an_investigative_act_needs_two_officers_with_valid_certificates(cw):
    case = file(cw, on=TODAY)
    zhang, zhao, li = cw.officers["zhang"], cw.officers["zhao"], cw.officers["li"]
    with pytest.raises(ValidationFailed) as one:
        act(case, "investigate", on=TODAY, summary="检查", officers=[zhang])
    assert "two_officers" in codes(one) and "不得少于两人" in one.value.message
    with pytest.raises(ValidationFailed) as same:
        act(case, "investigate", on=TODAY, summary="检查", officers=[zhang, zhang])
    assert "two_officers" in codes(same)
    with pytest.raises(ValidationFailed) as uncertified:
        act(case, "investigate", on=TODAY, summary="检查", officers=[zhang, li])
    assert "certificate_invalid" in codes(uncertified)
    with pytest.raises(ValidationFailed) as other_body:
        act(case, "investigate", on=TODAY, summary="检查", officers=[zhang, cw.officers["wang"]])
    assert "other_body" in codes(other_body)
    assert not CaseRecord.objects.filter(case=case, action="investigate").exists()
    act(case, "investigate", on=TODAY, summary="检查", officers=[zhang, zhao])
    assert EnforcementCase.objects.get(pk=case.pk).status == "investigating"


def test_a_suspended_or_expired_certificate_on_the_act_date_is_refused(cw):
    from fazhi.enforcement import services as enforcement_services
    from fazhi.enforcement.selectors import valid_certificate_on

    zhang, zhao = cw.officers["zhang"], cw.officers["zhao"]
    cert = valid_certificate_on(zhao, TODAY)
    suspended_on = TODAY - dt.timedelta(days=5)
    enforcement_services.suspend_certificate(actor=None, certificate=cert, reason="涉嫌违纪", on=suspended_on)
    case = file(cw, on=TODAY - dt.timedelta(days=10))
    # before the suspension the same two officers may act; after it, not
    act(case, "investigate", on=suspended_on - dt.timedelta(days=1), summary="检查", officers=[zhang, zhao])
    with pytest.raises(ValidationFailed) as exc:
        act(case, "investigate", on=TODAY, summary="再次检查", officers=[zhang, zhao])
    assert "certificate_invalid" in codes(exc) and "暂扣" in exc.value.message
    # 钱七's certificate (issued 2019, five years) has expired by now
    with pytest.raises(ValidationFailed) as expired:
        act(case, "investigate", on=TODAY, summary="再次检查", officers=[zhang, cw.officers["qian"]])
    assert "certificate_invalid" in codes(expired) and "钱七" in expired.value.message


def test_a_major_case_cannot_be_decided_until_a_qualified_reviewer_approves(cw):
    reviewer, unqualified = cw.users["xiaodian_reviewer"], cw.users["xiaodian_reviewer_unqualified"]
    officer = cw.users["xiaodian_officer"]
    case = file(cw, on=D2023, major={"major_public_interest": True})
    case = to_notified(cw, case, D2023)
    with pytest.raises(ValidationFailed) as exc:
        decide(case, dt.date(2023, 9, 27))
    assert "legal_review_required" in codes(exc) and "第五十八条" in exc.value.message
    assert EnforcementCase.objects.get(pk=case.pk).status == "notified"
    case = act(case, "submit_review", officer, on=dt.date(2023, 9, 21), summary="提请法制审核")
    # the officer may not review; a reviewer without 法律职业资格 may not either
    with pytest.raises(Forbidden):
        act(case, "approve_review", officer, on=dt.date(2023, 9, 22), summary="同意")
    with pytest.raises(Forbidden) as no_qualification:
        act(case, "approve_review", unqualified, on=dt.date(2023, 9, 22), summary="同意")
    assert "法律职业资格" in no_qualification.value.message
    # rejection sends the case back to 调查取证 with the reasons
    case = act(case, "reject_review", reviewer, on=dt.date(2023, 9, 22), reason="证据不足：缺少进货凭证")
    assert case.status == "investigating"
    review = LegalReview.objects.get(case=case)
    assert review.result == "rejected" and review.opinion == "证据不足：缺少进货凭证"
    assert review.qualification.number == "A20141401050001"
    with pytest.raises(ValidationFailed):
        decide(case, dt.date(2023, 9, 27))
    case = to_notified(cw, case, dt.date(2023, 9, 25))
    case = act(case, "submit_review", officer, on=dt.date(2023, 9, 25))
    case = act(case, "approve_review", reviewer, on=dt.date(2023, 9, 26), summary="事实清楚，证据确凿，同意")
    case = decide(case, dt.date(2023, 9, 27), actor=officer)
    assert case.status == "decided"


def test_the_agencys_own_list_makes_a_case_major(cw):
    market = cw.base.org.agencies["xiaodian_market"]
    item = services.create_major_item(
        actor=cw.users["xiaodian_reviewer"], agency=market, title="吊销食品经营许可证", valid_from=dt.date(2020, 1, 1)
    )
    case = file(cw, on=D2023, major_items=[item])
    assert services.is_major(case)
    case = to_notified(cw, case, D2023)
    with pytest.raises(ValidationFailed) as exc:
        decide(case, dt.date(2023, 9, 27))
    assert "legal_review_required" in codes(exc)
    with pytest.raises(NotFound):  # another county's reviewer cannot touch the list of this agency
        services.create_major_item(
            actor=cw.users["shangdang_officer"], agency=market, title="x", valid_from=dt.date(2020, 1, 1)
        )


def test_the_90_day_limit_applies_only_under_the_2021_law(cw):
    old = file(cw, on=dt.date(2020, 6, 1))
    assert not runs_for(old).filter(limit_code="penalty.decide").exists()
    new = file(cw, on=dt.date(2023, 3, 1))
    run = runs_for(new).get(limit_code="penalty.decide")
    assert run.days == 90 and run.due_date == dt.date(2023, 5, 30)
    decide_on = dt.date(2023, 4, 10)
    new = to_notified(cw, new, decide_on)
    decide(new, decide_on)
    run.refresh_from_db()
    assert run.status == "stopped" and run.deadline_status().value == "done_on_time"


def test_publication_deadline_is_7_working_days_for_penalties_and_20_for_other_decisions(cw):
    penalty = to_notified(cw, file(cw, on=D2023), D2023)
    penalty = decide(penalty, dt.date(2023, 9, 27))
    no_penalty = to_notified(cw, file(cw, on=D2023, title="未按规定公示"), D2023)
    no_penalty = decide(
        no_penalty, dt.date(2023, 9, 27), n=2, outcome="no_penalty", decision_kinds=[], fine=None,
        decision_content="违法行为轻微并及时改正，没有造成危害后果，不予行政处罚",
    )  # fmt: skip
    assert penalty.publish_due == dt.date(2023, 10, 12)
    assert no_penalty.publish_limit == "enforcement.publish_other" and no_penalty.publish_due == dt.date(2023, 10, 31)
    # published on the 13th: one working day late for a penalty
    penalty = act(penalty, "publish", on=dt.date(2023, 10, 13))
    assert penalty.publish_met is False
    run = runs_for(penalty).get(limit_code="sgs.publish")
    assert run.deadline_status().value == "done_late"
    no_penalty = act(no_penalty, "serve", on=dt.date(2023, 10, 9))
    with pytest.raises(ValidationFailed) as nothing:  # no penalty: nothing to execute
        act(no_penalty, "execute", on=dt.date(2023, 10, 9))
    assert "nothing_to_execute" in codes(nothing)
    no_penalty = act(no_penalty, "close", on=dt.date(2023, 10, 10))
    with pytest.raises(ValidationFailed) as unpublished:
        act(no_penalty, "archive", on=dt.date(2023, 10, 10))
    assert "not_published" in codes(unpublished)
    with pytest.raises(ValidationFailed):
        act(no_penalty, "publish", on=dt.date(2023, 10, 13))  # where it was published is required
    no_penalty = act(no_penalty, "publish", on=dt.date(2023, 10, 13), published_where="小店区政府网站·执法决定公示")
    assert no_penalty.publish_met is True and no_penalty.penalty_record_id is None
    assert act(no_penalty, "archive", on=dt.date(2023, 10, 16)).status == "archived"


def test_hearing_only_when_requested_in_time_and_the_penalty_qualifies(cw):
    small = to_notified(cw, file(cw, on=D2023), D2023)  # 5,000 元 to a company: no hearing
    with pytest.raises(ValidationFailed) as exc:
        act(small, "request_hearing", on=dt.date(2023, 9, 21))
    assert "hearing_not_applicable" in codes(exc)
    big = to_notified(cw, file(cw, on=D2023), D2023, fine="200000")
    run = runs_for(big).get(limit_code="penalty.hearing_request")
    assert run.days == 5 and run.unit == "working" and run.due_date == dt.date(2023, 9, 27)
    with pytest.raises(ValidationFailed) as early:  # the party may still ask for a hearing
        decide(big, dt.date(2023, 9, 26), fine=Decimal("200000"))
    assert "hearing_period_running" in codes(early)
    with pytest.raises(ValidationFailed) as late:
        act(big, "request_hearing", on=dt.date(2023, 9, 28))
    assert "hearing_late" in codes(late)
    big = act(big, "request_hearing", on=dt.date(2023, 9, 25), summary="当事人书面申请听证")
    assert big.status == "hearing" and big.hearing_requested
    big = act(big, "hold_hearing", on=dt.date(2023, 10, 9), summary="听证笔录", officers=pair(cw, dt.date(2023, 10, 9)))
    assert big.major_hearing  # a heard case needs 法制审核 (第五十八条第一款第二项)
    with pytest.raises(ValidationFailed):
        decide(big, dt.date(2023, 10, 10), fine=Decimal("200000"))


def test_the_provinces_own_large_amount_standard_applies_from_its_date(cw):
    """较大数额 is data: a new provincial standard (here 5 万元 for organisations from 2023-10-01) changes which cases
    may ask for a hearing from its effective date; a case filed before keeps the standard of its filing date."""
    with pytest.raises(Forbidden):  # only a province-wide 法定时限 maintainer sets it
        services.create_hearing_threshold(
            actor=cw.users["xiaodian_officer"], party="organisation", amount=Decimal("50000"), legal_source="x",
            valid_from=dt.date(2023, 10, 1),
        )  # fmt: skip
    with pytest.raises(ValidationFailed) as bad:
        services.create_hearing_threshold(
            actor=None, party="organisation", amount=Decimal("0"), legal_source="", valid_from=dt.date(2023, 10, 1)
        )
    assert codes(bad) == {"range", "required"}
    new = services.create_hearing_threshold(
        actor=None,
        party="organisation",
        amount=Decimal("50000"),
        legal_source="山西省行政处罚听证较大数额标准（示例）",
        valid_from=dt.date(2023, 10, 1),
    )
    old = HearingThreshold.objects.get(party="organisation", valid_from=dt.date(1996, 10, 1))
    assert old.valid_to == dt.date(2023, 9, 30) and new.valid_to is None

    def may_ask(filed: dt.date) -> bool:
        case = to_notified(cw, file(cw, on=filed), filed, fine="80000")  # 8 万元 to a company
        return case.records.get(action="notify").details["hearing"]

    assert may_ask(D2023) is False  # filed under the old standard (10 万元)
    assert may_ask(dt.date(2023, 10, 9)) is True  # filed under the new one (5 万元)
    assert AuditEvent.objects.filter(action="cases.hearing_threshold.close", target_id=str(old.pk)).exists()
    assert verify_chain().ok


def test_the_2017_law_gives_three_calendar_days_to_request_a_hearing(cw):
    case = to_notified(cw, file(cw, on=dt.date(2020, 9, 1)), dt.date(2020, 9, 2), fine="200000")
    run = runs_for(case).get(limit_code="penalty.hearing_request")
    assert run.days == 3 and run.unit == "calendar" and run.due_date == dt.date(2020, 9, 7)  # 5th is a Saturday


def test_withdrawal_needs_a_reason_and_then_the_case_can_be_archived(cw):
    case = file(cw, on=D2023)
    with pytest.raises(ValidationFailed) as exc:
        act(case, "withdraw", on=D2023)
    assert "reason" in {e.field for e in exc.value.errors}
    case = act(case, "withdraw", on=D2023, reason="经核查，违法事实不能成立")
    assert case.status == "withdrawn"
    assert runs_for(case).get(limit_code="penalty.decide").status == "stopped"
    assert act(case, "archive", on=D2023).status == "archived"
    with pytest.raises(ValidationFailed) as closed:
        act(case, "investigate", on=D2023, officers=pair(cw, D2023))
    assert "transition_not_allowed" in codes(closed)


def test_bad_input_is_refused_in_chinese(cw):
    with pytest.raises(ValidationFailed) as exc:
        file(cw, on=TODAY + dt.timedelta(days=1), party_code="123", title="")
    fields = {e.field for e in exc.value.errors}
    assert {"on", "party_code", "title"} <= fields
    case = file(cw, on=TODAY)
    with pytest.raises(ValidationFailed) as bad_file:
        act(
            case, "investigate", on=TODAY, officers=pair(cw, TODAY),
            files=[services.Upload("run.exe", io.BytesIO(b"MZ"), "application/octet-stream")],
        )  # fmt: skip
    assert "file_type" in codes(bad_file)
    with pytest.raises(ValidationFailed) as unknown:
        act(case, "fly", on=TODAY)
    assert "unknown_action" in codes(unknown)


def test_a_coercion_or_inspection_case_has_no_hearing_and_publishes_within_20_working_days(cw):
    case = file(cw, on=D2023, kind="other", title="查封存在安全隐患的设备")
    assert not runs_for(case).exists()  # the 90-day limit is for penalty cases only
    case = act(case, "investigate", on=D2023, summary="现场检查", officers=pair(cw, D2023))
    case = act(case, "notify", on=D2023, summary="告知拟采取查封措施")
    with pytest.raises(ValidationFailed) as exc:
        act(case, "request_hearing", on=D2023)
    assert "not_for_kind" in codes(exc)
    with pytest.raises(ValidationFailed) as wrong:
        decide(case, dt.date(2023, 9, 27))  # a penalty outcome is not for this kind
    assert "outcome" in {e.field for e in wrong.value.errors}
    case = act(
        case, "decide", on=dt.date(2023, 9, 27), outcome="other", decision_number="并小市监封〔2023〕3号",
        decision_content="查封涉案设备三台，期限三十日",
    )  # fmt: skip
    assert case.publish_limit == "enforcement.publish_other" and case.publish_due == dt.date(2023, 10, 31)
    case = act(case, "serve", on=dt.date(2023, 9, 28))
    case = act(case, "publish", on=dt.date(2023, 10, 31), published_where="本机关门户网站")
    assert case.publish_met is True


def test_serving_starts_the_payment_clock_and_executing_stops_it(cw):
    """``penalty.pay`` (15 日, 第六十七条; seeded by the clock module): 送达 starts it, 执行 stops it."""
    case = decide(to_notified(cw, file(cw, on=D2023), D2023), dt.date(2023, 9, 27))
    case = act(case, "serve", on=dt.date(2023, 9, 28))
    run = runs_for(case).get(limit_code="penalty.pay")
    assert run.start == dt.date(2023, 9, 28) and run.due_date == dt.date(2023, 10, 13)
    act(case, "execute", on=dt.date(2023, 10, 10))
    run.refresh_from_db()
    assert run.status == "stopped" and run.deadline_status().value == "done_on_time"

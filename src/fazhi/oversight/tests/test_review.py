"""案卷评查 through the services: what the record proves is flagged at sampling (and only where it is true), sampling
is per agency, seeded and idempotent, scoring follows the template (veto, thresholds), corrections follow the
campaign's states."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.audit.models import AuditEvent
from fazhi.cases.models import CaseRecord, CaseRecordOfficer, EnforcementCase
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.oversight import facts, scoring, services
from fazhi.oversight.models import CaseFileReview, Deduction, TemplateItem

from .conftest import D, act, closed_case, decide, file, make_campaign

pytestmark = pytest.mark.django_db


def flags(case) -> set[str]:
    return {d.code for d in facts.defects(facts.case_facts(EnforcementCase.objects.get(pk=case.pk)))}


def test_a_clean_closed_case_raises_no_flag(cw):
    case = closed_case(cw)
    assert case.status == "closed"
    assert flags(case) == set()


def test_one_officer_on_an_investigative_act_is_flagged(cw):
    clean = closed_case(cw)
    case = closed_case(cw)
    record = CaseRecord.objects.get(case=case, action="investigate")
    CaseRecordOfficer.objects.filter(record=record).order_by("id").last().delete()  # a file from an older system
    assert flags(case) == {"officers_lt_two"}
    assert flags(clean) == set()


def test_an_officer_without_a_valid_certificate_on_the_day_is_flagged(cw):
    case = closed_case(cw)
    link = CaseRecordOfficer.objects.filter(record__case=case, record__action="investigate").first()
    CaseRecordOfficer.objects.filter(pk=link.pk).update(officer=cw.officers["li"], certificate=None)  # 临时工
    assert "officer_no_certificate" in flags(case)


def test_a_major_case_decided_without_legal_review_is_flagged(cw):
    case = closed_case(cw)
    EnforcementCase.objects.filter(pk=case.pk).update(major_public_interest=True)
    assert flags(case) == {"no_legal_review_major"}


def test_a_major_case_reviewed_before_the_decision_is_not_flagged(cw):
    reviewer = cw.users["xiaodian_reviewer"]
    case = act(
        __import__("fazhi.cases.tests.conftest", fromlist=["file"]).file(
            cw, on=D, major={"major_public_interest": True}
        ),
        "investigate",
        on=D,
        summary="检查",
        officers=[cw.officers["qian"], cw.officers["sun"]],
    )
    case = act(case, "notify", on=D, summary="告知", proposed_kinds=["warning"])
    case = act(case, "submit_review", on=D, summary="提请法制审核")
    case = act(case, "approve_review", reviewer, on=D, summary="同意")
    case = decide(case, dt.date(2023, 9, 27), n=900, decision_kinds=["warning"], fine=None, decision_content="警告")
    assert flags(case) == set()


def test_late_service_is_flagged_against_the_statutory_limit(cw):
    # decided 2023-09-27; 7 个工作日 run over the National Day holiday to 2023-10-12
    on_time = closed_case(cw, decided=dt.date(2023, 9, 27), served=dt.date(2023, 10, 12))
    late = closed_case(cw, decided=dt.date(2023, 9, 27), served=dt.date(2023, 10, 13))
    assert "late_service" not in flags(on_time)
    assert "late_service" in flags(late)
    found = facts.case_facts(late)
    assert found["service_due"] == dt.date(2023, 10, 12)


def test_a_decision_without_legal_basis_is_flagged(cw):
    case = closed_case(cw)
    EnforcementCase.objects.filter(pk=case.pk).update(basis="")
    assert flags(case) == {"no_legal_basis"}


def test_late_publicity_and_a_late_decision_are_flagged_from_the_case_clocks(cw):
    late_publish = closed_case(cw, decided=dt.date(2023, 9, 27), published=dt.date(2023, 10, 20))
    assert "late_publicity" in flags(late_publish)
    late_decision = closed_case(cw, filed=dt.date(2023, 3, 1), decided=dt.date(2023, 6, 30))  # 90 日 from 立案
    assert "late_decision" in flags(late_decision)


# --- sampling --------------------------------------------------------------------------------------------------


def _three_agencies_of_cases(cw, shangdang_pair):
    xiaodian = [closed_case(cw) for _ in range(5)]
    shangdang = [closed_case(cw, body=cw.base.bodies["shangdang"], officers=shangdang_pair) for _ in range(3)]
    return xiaodian, shangdang


def test_sampling_is_per_agency_only_closed_cases_in_range_reproducible_and_idempotent(
    cw, shangdang_pair, template, province
):
    xiaodian, shangdang = _three_agencies_of_cases(cw, shangdang_pair)
    outside = closed_case(cw, filed=dt.date(2022, 6, 1))  # closed in 2022: out of range
    still_open = file(cw, on=D)  # open case: never sampled
    campaign = make_campaign(province, template, per_agency=2)
    files = services.sample_campaign(actor=None, campaign=campaign)
    sampled = {f.case_id for f in files}
    assert len(files) == 4
    assert len(sampled & {c.pk for c in xiaodian}) == 2
    assert len(sampled & {c.pk for c in shangdang}) == 2
    assert outside.pk not in sampled and still_open.pk not in sampled
    campaign.refresh_from_db()
    assert campaign.state == "sampled"
    # idempotent: running it again draws nothing new and writes nothing
    events = AuditEvent.objects.count()
    again = services.sample_campaign(actor=None, campaign=campaign)
    assert {f.pk for f in again} == {f.pk for f in files}
    assert CaseFileReview.objects.count() == 4 and AuditEvent.objects.count() == events
    # reproducible: the same seed draws the same files; another seed may not
    twin = make_campaign(province, template, per_agency=2, name="复核")
    assert {f.case_id for f in services.sample_campaign(actor=None, campaign=twin)} == sampled
    draws = {tuple(services.draw(str(s), 1, list(range(50)), 3)) for s in range(10)}
    assert len(draws) > 1


def test_a_percentage_samples_at_least_one_per_agency(cw, shangdang_pair, template, province):
    _three_agencies_of_cases(cw, shangdang_pair)
    campaign = make_campaign(province, template, percent=10)
    files = services.sample_campaign(actor=None, campaign=campaign)
    by_agency = {}
    for f in files:
        by_agency[f.agency_id] = by_agency.get(f.agency_id, 0) + 1
    assert sorted(by_agency.values()) == [1, 1]
    assert services.sample_size(None, 40, 5) == 2 and services.sample_size(3, None, 2) == 2


def test_a_county_campaign_samples_only_its_county(cw, shangdang_pair, template):
    _three_agencies_of_cases(cw, shangdang_pair)
    county = cw.base.org.agencies["xiaodian_justice"]
    campaign = make_campaign(county, template, per_agency=10)
    files = services.sample_campaign(actor=cw.users["xiaodian_supervisor"], campaign=campaign)
    assert {f.agency_id for f in files} == {cw.base.org.agencies["xiaodian_market"].pk}
    assert len(files) == 5


def test_nothing_closed_in_range_is_refused_in_chinese(cw, template, province):
    campaign = make_campaign(province, template)
    with pytest.raises(ValidationFailed) as exc:
        services.sample_campaign(actor=None, campaign=campaign)
    assert "没有已结案或已归档的案件" in exc.value.message


def test_auto_flags_are_proposed_deductions_at_sampling_before_any_reviewer(cw, template, province):
    case = closed_case(cw, decided=dt.date(2023, 9, 27), served=dt.date(2023, 10, 16))
    campaign = make_campaign(province, template)
    (review,) = services.sample_campaign(actor=None, campaign=campaign)
    assert review.case_id == case.pk and review.state == "pending" and review.reviewer is None
    (proposed,) = review.deductions.all()
    assert proposed.source == "auto" and proposed.state == "proposed"
    assert proposed.item.auto_check == "late_service" and "2023-10-16" in proposed.evidence
    assert review.facts["defects"][0]["code"] == "late_service"


# --- scoring ---------------------------------------------------------------------------------------------------


def _started(cw, template, province, **case_kw):
    closed_case(cw, **case_kw)
    campaign = make_campaign(province, template)
    (review,) = services.sample_campaign(actor=None, campaign=campaign)
    services.advance_campaign(actor=None, campaign=campaign, action="start")
    return campaign, CaseFileReview.objects.get(pk=review.pk)


def test_a_veto_item_fails_the_file_whatever_the_score(cw, template, province):
    case = closed_case(cw)
    CaseRecordOfficer.objects.filter(record__case=case, record__action="investigate").order_by("id").last().delete()
    campaign = make_campaign(province, template)
    (review,) = services.sample_campaign(actor=None, campaign=campaign)
    services.advance_campaign(actor=None, campaign=campaign, action="start")
    (flag,) = review.deductions.all()
    assert flag.item.veto
    with pytest.raises(ValidationFailed) as undecided:
        services.submit_score(actor=None, review=review)
    assert "未确认或排除" in undecided.value.message
    services.decide_deduction(actor=None, deduction=flag, confirm=True)
    review = services.submit_score(actor=None, review=review)
    assert review.score == Decimal("100") and review.vetoed and review.rating == "fail"
    assert review.get_rating_display() == "不合格"


def test_dismissing_a_flag_needs_a_reason_and_then_scores_without_it(cw, template, province):
    _, review = _started(cw, template, province, decided=dt.date(2023, 9, 27), served=dt.date(2023, 10, 16))
    (flag,) = review.deductions.all()
    with pytest.raises(ValidationFailed) as exc:
        services.decide_deduction(actor=None, deduction=flag, confirm=False, reason=" ")
    assert "理由" in exc.value.message
    services.decide_deduction(actor=None, deduction=flag, confirm=False, reason="卷内有送达回证，系统记录补录较晚")
    review = services.submit_score(actor=None, review=review)
    assert review.score == Decimal("100") and review.rating == "excellent"


def test_deductions_give_the_score_and_the_rating_bands(cw, template, province):
    _, review = _started(cw, template, province, decided=dt.date(2023, 9, 27), served=dt.date(2023, 10, 16))
    (flag,) = review.deductions.all()
    services.decide_deduction(actor=None, deduction=flag, confirm=True)  # 送达: −2
    facts_item = TemplateItem.objects.get(section__template=template, text="事实清楚，证据确凿充分")  # −5 each, max 20
    services.add_deduction(actor=None, review=review, item=facts_item, count=2, note="缺少进货凭证；检验报告无盖章")
    with pytest.raises(ValidationFailed):
        services.add_deduction(actor=None, review=review, item=facts_item, count=1, note="")
    review = services.submit_score(actor=None, review=review)
    assert review.score == Decimal("88") and review.rating == "good" and not review.vetoed
    with pytest.raises(Conflict):
        services.add_deduction(actor=None, review=review, item=facts_item, count=1, note="再扣")


@pytest.mark.parametrize(
    ("value", "rating"),
    [("100", "excellent"), ("90", "excellent"), ("89.9", "good"), ("80", "good"), ("79", "pass"), ("60", "pass"),
     ("59.5", "fail"), ("0", "fail")],
)  # fmt: skip
def test_rating_thresholds_come_from_the_template(template, value, rating):
    bands = [(b.rating, b.min_score) for b in template.bands.all()]
    assert scoring.rating_for(Decimal(value), bands) == rating


def test_an_item_and_a_section_never_deduct_more_than_their_points(template):
    sections = {s.pk: Decimal(s.points) for s in template.sections.all()}
    items = {
        i.pk: scoring.ItemRule(i.pk, i.section_id, i.points, i.deduction, i.veto)
        for i in TemplateItem.objects.filter(section__template=template)
    }
    form = template.sections.get(title="案卷形式")
    many = [(i.pk, 50) for i in form.items.all()]
    result = scoring.score(sections=sections, items=items, confirmed=many, bands=[])
    assert result.score == Decimal("80") and result.lost_by_section[form.pk] == Decimal("20")


def test_template_edits_are_refused_once_a_campaign_uses_it(cw, template, province):
    item = TemplateItem.objects.filter(section__template=template).first()
    services.edit_item(actor=None, item=item, text=item.text, points=Decimal("3"), deduction=Decimal("1"), veto=False)
    make_campaign(province, template)
    with pytest.raises(Conflict):
        services.edit_item(actor=None, item=item, text="改", points=Decimal("3"), deduction=Decimal("1"), veto=False)
    new = services.create_template_version(actor=None, template=template)
    assert new.version == 2 and new.sections.count() == 2 and new.bands.count() == 3
    edited = new.sections.get(title="案卷形式")
    services.edit_section(actor=None, section=edited, title="案卷形式", points=25)
    new.refresh_from_db()
    assert new.total == 105


def test_corrections_only_in_feedback_and_accepted_by_the_reviewer(cw, template, province):
    campaign, review = _started(cw, template, province)
    with pytest.raises(ValidationFailed):
        services.advance_campaign(actor=None, campaign=campaign, action="finish")
    with pytest.raises(ValidationFailed) as pending:
        services.advance_campaign(actor=None, campaign=campaign, action="release")
    assert "未评分" in pending.value.message
    officer = cw.users["xiaodian_officer"]
    services.submit_score(actor=cw.users["xiaodian_supervisor"], review=review)
    with pytest.raises(ValidationFailed):
        services.submit_correction(actor=officer, review=review, text="已整改")
    services.advance_campaign(actor=None, campaign=campaign, action="release")
    review = services.submit_correction(actor=officer, review=review, text="已补齐送达回证")
    assert review.state == "corrected" and review.corrected_by_name == "xiaodian_officer"
    review = services.accept_correction(actor=cw.users["xiaodian_supervisor"], review=review, opinion="整改到位")
    assert review.state == "accepted"
    campaign = services.advance_campaign(actor=None, campaign=campaign, action="finish")
    assert campaign.state == "done"
    assert Deduction.objects.count() == 0

"""Import, correct, withdraw, expire and repair: each leaves the audit trail and the change feed a copy follows."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.audit.models import AuditEvent
from fazhi.audit.verify import verify_chain
from fazhi.core.errors import NotFound, ValidationFailed
from fazhi.core.testing import assert_write_matrix
from fazhi.publicity import services
from fazhi.publicity.models import Change, CreditRepair, PenaltyRecord
from fazhi.publicity.tests.conftest import penalty_row
from fazhi.publicity.validation import clean_row

pytestmark = pytest.mark.django_db
TODAY = dt.date(2020, 10, 9)
IN_2020 = {"decided_on": "2020-09-28", "valid_until": "2021-09-28"}


def _row(world, **overrides):
    """A valid row of Xiaodian's market regulator; decided 20 days ago unless ``decided_on`` says otherwise."""
    market = world.agencies["xiaodian_market"]
    base = penalty_row(decision_agency_uscc=market.uscc, source_agency_uscc=market.uscc)
    base.update(overrides)
    return clean_row("penalty", base, today=timezone.localdate())


def _import(world, rows, actor=None, today=None):
    today = today or timezone.localdate()
    return services.import_records(actor=actor, kind="penalty", rows=list(enumerate(rows, start=2)), today=today)


def test_import_creates_publishes_and_is_idempotent(org_world):
    result = _import(org_world, [_row(org_world, **IN_2020)], today=TODAY)
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    record = PenaltyRecord.objects.get()
    assert record.agency == org_world.agencies["xiaodian_market"]
    assert (
        record.kinds == ["fine"] and str(record.fine_wan) == "16.000000" and record.decided_on == dt.date(2020, 9, 28)
    )
    assert record.publish_due == dt.date(2020, 10, 14)  # 7 working days after 2020-09-28 (National Day holiday)
    assert record.published_late is False
    assert (record.publicity_min_end, record.publicity_max_end) == (dt.date(2020, 12, 28), dt.date(2021, 9, 28))
    assert [c.action for c in Change.objects.all()] == ["publish"]
    again = _import(org_world, [_row(org_world, **IN_2020)], today=TODAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert PenaltyRecord.objects.count() == 1 and Change.objects.count() == 1
    assert verify_chain().ok


def test_a_late_publication_is_flagged(org_world):
    _import(org_world, [_row(org_world, **IN_2020)], today=dt.date(2020, 10, 15))
    assert PenaltyRecord.objects.get().published_late is True


def test_a_corrected_row_updates_the_record_with_an_audit_event(org_world):
    _import(org_world, [_row(org_world)])
    result = _import(org_world, [_row(org_world, content="罚款18万元", fine_wan="18")])
    assert (result.created, result.updated) == (0, 1)
    record = PenaltyRecord.objects.get()
    assert str(record.fine_wan) == "18.000000"
    event = AuditEvent.objects.filter(action="publicity.penalty.correct").get()
    assert event.before["content"] == "罚款16万元" and event.after["content"] == "罚款18万元"
    correction = Change.objects.filter(action="correct").get()
    assert correction.public["content"] == "罚款18万元"


def test_rows_of_agencies_outside_the_submitters_scope_are_rejected(org_world):
    shangdang = org_world.agencies["shangdang_market"]
    row = _row(org_world, source_agency_uscc=shangdang.uscc, doc_number="长环罚〔2020〕1号")
    result = _import(org_world, [_row(org_world), row], actor=org_world.users["xiaodian_officer"])
    assert result.created == 1
    assert [(n, e.code) for n, e in result.rejected] == [(3, "not_in_scope")]


def test_withdrawal_takes_the_record_out_of_public_view(client, org_world):
    _import(org_world, [_row(org_world)])
    record = PenaltyRecord.objects.get()
    assert client.get(f"/api/v1/records/penalty/{record.pk}").status_code == 200
    with pytest.raises(ValidationFailed):
        services.withdraw_record(actor=org_world.users["xiaodian_officer"], record=record, reason=" ")
    assert_write_matrix(
        client,
        "post",
        f"/api/v1/staff/records/penalty/{record.pk}/withdraw",
        org_world.users,
        {None: 401, "shangdang_officer": 404, "taiyuan_supervisor": 403, "xiaodian_officer": 200},
        payload=lambda who: {"reason": "复议决定撤销原处罚决定"},
        watch=[PenaltyRecord, Change],
    )
    record.refresh_from_db()
    assert record.status == "withdrawn"
    assert client.get(f"/api/v1/records/penalty/{record.pk}").status_code == 404
    last = Change.objects.order_by("-seq").first()
    assert (last.action, last.public) == ("withdraw", None)


def test_a_withdrawal_after_three_working_days_is_flagged_late(org_world):
    _import(org_world, [_row(org_world, **IN_2020)], today=TODAY)
    record = PenaltyRecord.objects.get()
    # Revoked on Friday 2021-09-17: Saturday 9-18 was a make-up working day (1), the Mid-Autumn holiday 9-19..21
    # does not count, then 9-22 (2) and 9-23 (3).
    services.withdraw_record(
        actor=None, record=record, reason="复议撤销", on=dt.date(2021, 9, 27), revoked_on=dt.date(2021, 9, 17)
    )
    record.refresh_from_db()
    assert record.withdraw_due == dt.date(2021, 9, 23)
    assert record.withdrawn_late is True


def test_expiry_job_moves_records_past_the_maximum_and_tells_the_feed(org_world):
    _import(org_world, [_row(org_world, **IN_2020)], today=TODAY)
    assert services.expire_records(today=dt.date(2021, 9, 28)) == 0
    assert services.expire_records(today=dt.date(2021, 9, 29)) == 1
    assert PenaltyRecord.objects.get().status == "expired"
    assert Change.objects.order_by("-seq").first().action == "expire"


def test_credit_repair_after_the_minimum_period(org_world):
    _import(org_world, [_row(org_world, **IN_2020)], today=TODAY)
    record = PenaltyRecord.objects.get()
    application = {
        "applicant_name": "太原市晋阳化工有限公司",
        "applicant_contact": "王经理 0351-1234567",
        "commitment": "本公司承诺依法经营，不再发生同类违法行为。",
        "performed_statement": "已于2020年10月20日缴清罚款。",
    }
    with pytest.raises(ValidationFailed) as early:
        services.apply_for_repair(record=record, today=dt.date(2020, 12, 27), **application)
    assert early.value.errors[0].code == "too_early"
    repair = services.apply_for_repair(record=record, today=dt.date(2020, 12, 28), **application)
    assert repair.review_due == dt.date(2021, 1, 5)  # 5 working days; 2021-01-01 is a holiday
    with pytest.raises(ValidationFailed):
        services.review_repair(actor=org_world.users["xiaodian_officer"], repair=repair, approve=False, reason="")
    with pytest.raises(NotFound):
        services.review_repair(actor=org_world.users["shangdang_officer"], repair=repair, approve=True)
    services.review_repair(
        actor=org_world.users["province_admin"], repair=repair, approve=True, today=dt.date(2020, 12, 30)
    )
    record.refresh_from_db()
    assert record.status == "repaired"
    assert CreditRepair.objects.get().status == "approved"
    assert Change.objects.order_by("-seq").first().action == "repair"


def test_specific_serious_cases_cannot_be_repaired_early(org_world):
    _import(org_world, [_row(org_world, early_repair="否", **IN_2020)], today=TODAY)
    record = PenaltyRecord.objects.get()
    with pytest.raises(ValidationFailed) as info:
        services.apply_for_repair(
            record=record,
            applicant_name="甲",
            applicant_contact="乙",
            commitment="丙",
            performed_statement="丁",
            today=dt.date(2021, 6, 1),
        )
    assert info.value.errors[0].code == "no_early_repair"

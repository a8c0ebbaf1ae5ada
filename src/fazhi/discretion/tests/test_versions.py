"""Versions: a new version ends the old one the day before it takes effect; the calculator uses the version in force
on the date asked about; old versions stay readable and frozen; retiring ends a version without a successor."""

import datetime as dt

import pytest

from fazhi.audit.models import AuditEvent
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.discretion import selectors, services
from fazhi.discretion.calculator import calculate
from fazhi.discretion.choices import BenchmarkStatus
from fazhi.discretion.models import BenchmarkItem, DiscretionBenchmark
from fazhi.discretion.tests.conftest import OBSTRUCTION, csv_file

pytestmark = pytest.mark.django_db
ANSWERS = {"违法程度": "以拖延执法人员的方式阻挠监督检查", "近一年同类违法行为情况": "无同类违法行为"}


@pytest.fixture
def two_versions(make_benchmark):
    first = make_benchmark()
    draft = services.create_version(
        actor=None, benchmark=first, doc_number="并环发[2024]7号", effective_from=dt.date(2024, 7, 1)
    )
    changed = [dict(OBSTRUCTION[0], 罚款="3万元以上5万元以下"), *OBSTRUCTION[1:]]
    report = services.import_items(actor=None, benchmark=draft, file=csv_file(changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)  # the copied 1.10 is not in the file
    second = services.publish_benchmark(actor=None, benchmark=draft)
    first.refresh_from_db()
    return first, second


def test_new_version_supersedes_the_old_from_its_effective_date(two_versions):
    first, second = two_versions
    assert first.superseded_by == second and first.valid_to == dt.date(2024, 6, 30)
    assert second.previous == first and second.version == 2 and second.doc_number == "并环发[2024]7号"
    assert second.doc_key == "并环发〔2024〕7号"
    assert selectors.version_in_force(first, dt.date(2024, 6, 30)) == first
    assert selectors.version_in_force(first, dt.date(2024, 7, 1)) == second
    assert selectors.version_in_force(first, dt.date(2021, 12, 31)) is None
    assert first.state_on(dt.date(2025, 1, 1)) == "已被新版本替代"
    assert second.state_on(dt.date(2024, 1, 1)) == "尚未施行（2024年7月1日起施行）"
    assert [e.action for e in AuditEvent.objects.filter(target_id=str(first.pk)).order_by("seq")][-1] == (
        "discretion.benchmark.supersede"
    )


def test_the_calculator_uses_the_version_in_force_on_the_date(two_versions):
    first, _ = two_versions
    old_item = BenchmarkItem.objects.get(benchmark=first, code="2.1")
    before = selectors.item_in_force(old_item, dt.date(2024, 6, 30))
    after = selectors.item_in_force(old_item, dt.date(2024, 7, 1))
    assert calculate(before, answers=ANSWERS, on=dt.date(2024, 6, 30)).fine.text == "2万元至4万元"
    outcome = calculate(after, answers=ANSWERS, on=dt.date(2024, 7, 1))
    assert outcome.fine.text == "3万元至5万元"
    assert "并环发[2024]7号" in outcome.explanation[0] and "2024年7月1日起施行" in outcome.explanation[0]
    with pytest.raises(ValidationFailed, match="2021年12月31日没有施行中的"):
        selectors.item_in_force(old_item, dt.date(2021, 12, 31))


def test_old_versions_stay_readable_and_frozen(two_versions):
    first, _ = two_versions
    assert selectors.public_benchmark(first.pk) == first
    assert BenchmarkItem.objects.get(benchmark=first, code="2.1").rules.first().penalty_text == "2万元以上4万元以下"
    with pytest.raises(Conflict, match="已被新版本替代"):
        services.import_items(actor=None, benchmark=first, file=csv_file(OBSTRUCTION))
    with pytest.raises(Conflict, match="已被新版本替代"):
        services.update_benchmark(actor=None, benchmark=first, changes={"title": "改名"})
    with pytest.raises(Conflict, match="只能以现行的已发布版本为基础"):
        services.create_version(
            actor=None, benchmark=first, doc_number="并环发〔2025〕1号", effective_from=dt.date(2025, 1, 1)
        )


def test_a_new_version_must_start_after_the_old_one(make_benchmark):
    first = make_benchmark()
    with pytest.raises(ValidationFailed, match="应晚于上一版本的施行日期"):
        services.create_version(
            actor=None, benchmark=first, doc_number="并环发〔2021〕9号", effective_from=dt.date(2021, 6, 1)
        )
    services.create_version(
        actor=None, benchmark=first, doc_number="并环发〔2023〕2号", effective_from=dt.date(2023, 1, 1)
    )
    with pytest.raises(Conflict, match="已有一个未发布的新版本"):
        services.create_version(
            actor=None, benchmark=first, doc_number="并环发〔2023〕3号", effective_from=dt.date(2023, 2, 1)
        )


def test_drafts_are_not_public_and_publishing_needs_items(world, make_benchmark):
    draft = make_benchmark(publish=False)
    with pytest.raises(Exception, match="未找到"):
        selectors.public_benchmark(draft.pk)
    assert selectors.items_in_force(dt.date(2023, 1, 1), q="监督检查") == []
    empty = services.create_benchmark(
        actor=None,
        agency=world.agencies["taiyuan_env"],
        title="空的",
        doc_number="并环发〔2022〕2号",
        domain="生态环境",
        effective_from=dt.date(2022, 1, 1),
    )
    with pytest.raises(ValidationFailed, match="还没有任何事项"):
        services.publish_benchmark(actor=None, benchmark=empty)


def test_retiring_ends_a_version_without_a_successor(make_benchmark):
    benchmark = make_benchmark()
    with pytest.raises(ValidationFailed, match="请填写废止原因"):
        services.retire_benchmark(actor=None, benchmark=benchmark, retired_on=dt.date(2023, 3, 1), reason=" ")
    retired = services.retire_benchmark(
        actor=None, benchmark=benchmark, retired_on=dt.date(2023, 3, 1), reason="上位法修改，另行制定"
    )
    assert retired.status == BenchmarkStatus.RETIRED and retired.valid_to == dt.date(2023, 2, 28)
    assert retired.in_force_on(dt.date(2023, 2, 28)) and not retired.in_force_on(dt.date(2023, 3, 1))
    assert retired.state_on(dt.date(2023, 3, 1)) == "已废止"
    with pytest.raises(Conflict, match="已经废止"):
        services.retire_benchmark(actor=None, benchmark=retired, retired_on=dt.date(2023, 4, 1), reason="再次")


def test_published_versions_keep_their_number_and_effective_date(make_benchmark):
    benchmark = make_benchmark()
    with pytest.raises(ValidationFailed, match="已发布的版本不能修改文号和施行日期"):
        services.update_benchmark(actor=None, benchmark=benchmark, changes={"effective_from": dt.date(2022, 2, 1)})
    updated = services.update_benchmark(
        actor=None, benchmark=benchmark, changes={"expires_on": dt.date(2026, 12, 31), "note": "有效期五年"}
    )
    assert updated.expires_on == dt.date(2026, 12, 31)
    assert (
        not updated.in_force_on(dt.date(2027, 1, 1)) and updated.state_on(dt.date(2027, 1, 1)) == "已失效（有效期届满）"
    )


def test_document_numbers_are_unique_in_any_bracket_form(make_benchmark, world):
    make_benchmark()
    with pytest.raises(ValidationFailed) as exc_info:
        services.create_benchmark(
            actor=None,
            agency=world.agencies["taiyuan_env"],
            title="重复",
            doc_number="并环发（2022）1号",
            domain="生态环境",
            effective_from=dt.date(2022, 1, 1),
        )
    assert exc_info.value.errors[0].code == "duplicate_doc_number"
    assert DiscretionBenchmark.objects.count() == 1

"""The "Shanxi 2020" scenario at 1/1000 of its magnitude: the 2020 report of 140000 prints the seed's figures
(magnitudes / 1000, rounded half up; structural counts whole), and the bulk-written records are valid and masked."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from fazhi.audit.verify import verify_chain
from fazhi.core.identifiers import check_resident_id, check_uscc
from fazhi.demo.scenario import SHANXI_2020, Plan, SeedFigure
from fazhi.org.models import Division
from fazhi.portal import index
from fazhi.publicity.choices import PartyCategory, RecordStatus
from fazhi.publicity.models import Change, LicenceRecord, PenaltyRecord
from fazhi.publicity.public import public_view
from fazhi.reports.models import AnnualReport, MetricValue

FRACTION = Decimal("0.001")


def test_targets_are_the_seed_figures_scaled_and_rounded_half_up():
    assert SeedFigure("x", 50_519, "").target(FRACTION) == 51  # 50.519
    assert SeedFigure("x", 12_140_000, "").target(FRACTION) == 12_140
    assert SeedFigure("x", 1_500, "").target(FRACTION) == 2  # 1.5 rounds up
    assert SeedFigure("x", 32, "", scaled=False).target(FRACTION) == 32
    plan = Plan(SHANXI_2020, Decimal(1))
    assert (plan.officers, plan.records, plan.departments, plan.devolved) == (50_519, 12_140_000, 32, 57)
    assert plan.penalties + plan.licences == 12_140_000 and plan.penalties == 971_200


@pytest.mark.django_db
def test_the_2020_report_prints_the_seed_figures(tmp_path, capsys):
    call_command("demo", "--scenario", "shanxi-2020", "--fraction", "0.001", "--seed", "3", verbosity=0)
    out = capsys.readouterr().out
    assert "12,140" in out and "report annual --year 2020" in out

    province = Division.objects.get(code="140000")
    targets = SHANXI_2020.targets(FRACTION)
    stored = dict(MetricValue.objects.filter(division=province, year=2020).values_list("metric", "value"))
    assert {code: int(stored[code]) for code in targets} == targets
    assert stored["publicity.penalties_published"] == 971  # 12,140 × 8 %
    assert stored["publicity.licences_published"] == 12_140 - 971

    html = tmp_path / "2020.html"
    call_command("report", "annual", "--year", "2020", "--division", "140000", "--format", "html", "--output", html)
    text = re.sub(r"<[^>]+>", "", html.read_text())
    assert AnnualReport.objects.filter(division=province, year=2020).exists()  # the scenario's draft is exported
    for phrase in (
        "全年取消、下放省级行政审批等事项57项",
        "全年公示“双公示”信息12,140件",
        "32家相关部门建立完善了本领域执法裁量权基准制度",
        "全年颁发行政执法证件51件",
        "全省在职执法人员51人",
        "有效执法证件51件",
    ):
        assert phrase in re.sub(r"\[\d+\]", "", text), phrase

    # The bulk path wrote valid, realistic records: checksums hold, ID numbers are masked when read.
    persons = PenaltyRecord.objects.filter(decided_on__year=2020, party_category=PartyCategory.NATURAL)
    companies = LicenceRecord.objects.filter(decided_on__year=2020)
    assert persons.exists() and companies.count() == 12_140 - 971
    for record in persons[:50]:
        check_resident_id(record.party_id_number)  # raises when the check character or birth date is wrong
        assert record.party_id_number not in str(public_view(record))
    for licence in companies[:200]:
        check_uscc(licence.party_uscc)
    # 2020 penalties are past their publicity window by now; licences stay public, in the feed and the search
    assert not PenaltyRecord.objects.filter(decided_on__year=2020, status=RecordStatus.PUBLISHED).exists()
    public = companies.filter(status=RecordStatus.PUBLISHED).count()
    assert public == companies.count()
    assert Change.objects.filter(record_type="licence", record_id__in=companies.values("pk")).count() == public
    assert index.counts_for(2, [index.ALL])[index.ALL] >= public
    assert verify_chain().ok

    # Deterministic for a seed: the same random stream writes the same records (twice, each rolled back).
    assert _bulk_once(9) == _bulk_once(9) != _bulk_once(10)


class _Undo(Exception):
    pass


def _bulk_once(seed: int) -> list[tuple[str, str, str]]:
    import random

    from django.db import transaction

    from fazhi.demo.bulk import bulk_records

    written: list[tuple[str, str, str]] = []
    try:
        with transaction.atomic():
            before = LicenceRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
            bulk_records(rng=random.Random(seed), penalties=5, licences=5, year=2020)
            written = list(
                LicenceRecord.objects.filter(pk__gt=before)
                .order_by("pk")
                .values_list("natural_key", "party_name", "party_uscc")
            )
            raise _Undo
    except _Undo:
        pass
    return written

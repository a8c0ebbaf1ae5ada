"""Publicity windows follow the regime in force on the decision date (DOMAIN.md §1.6)."""

import datetime as dt

import pytest

from fazhi.publicity.windows import RuleBook, add_months

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("decided", "severity", "special", "published", "min_end", "max_end"),
    [
        # 2019 rule (发改办财金〔2019〕527号): general 3 months – 1 year, serious 6 months – 3 years
        (dt.date(2020, 9, 28), "general", "", True, dt.date(2020, 12, 28), dt.date(2021, 9, 28)),
        (dt.date(2020, 9, 28), "serious", "", True, dt.date(2021, 3, 28), dt.date(2023, 9, 28)),
        # 2023 rule (令第58号): 3 months – 3 years; special fields at least 1 year
        (dt.date(2024, 1, 31), "general", "", True, dt.date(2024, 4, 30), dt.date(2027, 1, 31)),
        (dt.date(2024, 1, 31), "general", "work_safety", True, dt.date(2025, 1, 31), dt.date(2027, 1, 31)),
        # 2026 rule (令第36号): minor not published; serious 1 – 3 years
        (dt.date(2026, 5, 6), "minor", "", False, None, None),
        (dt.date(2026, 5, 6), "serious", "", True, dt.date(2027, 5, 6), dt.date(2029, 5, 6)),
    ],
)
def test_window_by_regime(decided, severity, special, published, min_end, max_end):
    window = RuleBook().window(decided, severity, special)
    assert (window.published, window.min_end, window.max_end) == (published, min_end, max_end)


def test_the_day_before_a_new_regime_uses_the_old_one():
    book = RuleBook()
    assert book.window(dt.date(2023, 4, 30), "general").max_end == dt.date(2024, 4, 30)  # 1 year (2019 rule)
    assert book.window(dt.date(2023, 5, 1), "general").max_end == dt.date(2026, 5, 1)  # 3 years (2023 rule)


def test_specific_serious_cases_cannot_be_repaired_early():
    assert RuleBook().window(dt.date(2020, 9, 28), "serious", early_repair=False).early_repair is False


def test_month_arithmetic_clamps_to_the_end_of_the_month():
    assert add_months(dt.date(2020, 11, 30), 3) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)


def test_a_new_rule_version_in_the_back_office_applies_from_its_date(client, org_world):
    client.force_login(org_world.users["superuser"])
    form = {
        "regime": "假设的2028年新规",
        "severity": "general",
        "special_field": "",
        "published": "on",
        "min_months": "6",
        "max_months": "24",
        "early_repair": "on",
        "legal_source": "测试用依据",
        "valid_from": "2028-01-01",
    }
    bad = client.post("/admin/publicity/publicityrule/add/", {**form, "min_months": "30"})
    assert bad.status_code == 200 and "最短" in bad.content.decode()
    assert client.post("/admin/publicity/publicityrule/add/", form).status_code == 302
    book = RuleBook()
    assert book.window(dt.date(2027, 12, 31), "general").max_end == dt.date(2028, 12, 31)  # 2026 rule: 1 year
    assert book.window(dt.date(2028, 1, 1), "general").max_end == dt.date(2030, 1, 1)  # new rule: 24 months
    from fazhi.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="publicity.rule.create").exists()
    assert AuditEvent.objects.filter(action="publicity.rule.close").exists()

"""Code lists of discretion benchmarks (裁量基准, DOMAIN.md §6)."""

from __future__ import annotations

from django.db import models


class BenchmarkStatus(models.TextChoices):
    """Where a benchmark document version is in its life. Whether it is *in force* on a date also depends on its
    effective date, the day a newer version replaced it and its expiry (``DiscretionBenchmark.state_on``)."""

    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已废止"


class Grade(models.TextChoices):
    """裁量阶次: the grades 行政处罚法(2021) 第三十二、三十三条 uses, from no penalty to the heaviest."""

    NO_PENALTY = "no_penalty", "不予处罚"
    MITIGATED = "mitigated", "减轻处罚"
    LENIENT = "lenient", "从轻处罚"
    GENERAL = "general", "一般处罚"
    SEVERE = "severe", "从重处罚"


class FineKind(models.TextChoices):
    """How a rule row states its fine: an amount range in yuan, multiples of a base (违法所得、货值金额、所收费用…),
    one fixed amount, or no fine at all."""

    NONE = "none", "不罚款"
    RANGE = "range", "金额幅度"
    MULTIPLE = "multiple", "倍数"
    FIXED = "fixed", "定额"

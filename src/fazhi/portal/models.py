"""The portal's search index: derived from the modules' public records, rebuilt from them at any time.

- ``SearchEntry``: one row per public record of any registered type, with what the result list shows (public and
  masked already) and what filters need.
- ``SearchPair``: the inverted index — one row per (character pair, entry), keyed so that the entries holding a pair
  come out newest first straight from the primary key (``rank`` orders them), with the entry's area beside it so the
  city/county filter needs no other table.
- ``SearchCount``: how many entries hold each pair, and how many entries each area has, per type: kept exact at
  write time, so counts and the choice of the rarest pair cost one lookup.

``rank`` = days since 1900-01-01 of the entry's date, shifted left 40 bits, plus the entry's id: unique, and
ordering by it is "newest first, then last indexed first". ``rank & (2**40 - 1)`` is the entry id.
"""

from __future__ import annotations

from django.db import models

RANK_ID_BITS = 40
RANK_ID_MASK = (1 << RANK_ID_BITS) - 1


class SearchEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    type = models.PositiveSmallIntegerField("类型")
    object_id = models.CharField("记录标识", max_length=64)
    rank = models.BigIntegerField("排序键")
    title = models.CharField("标题", max_length=300)
    match_text = models.TextField("检索文本")
    code = models.CharField("统一社会信用代码", max_length=32, blank=True)
    doc_key = models.CharField("文号（规范）", max_length=200, blank=True)
    date = models.DateField("日期", null=True, blank=True)
    public_until = models.DateField("公示截止", null=True, blank=True)
    area = models.IntegerField("区划", default=0)
    agency_id = models.IntegerField("机构", null=True, blank=True)
    category = models.CharField("类别", max_length=200, blank=True)  # "|a|b|": one filter for one or several
    summary = models.JSONField("摘要", default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "检索条目"
        constraints = [models.UniqueConstraint(fields=["type", "object_id"], name="portal_entry_object")]
        indexes = [
            models.Index(fields=["type", "rank"], name="portal_entry_type_rank"),
            models.Index(fields=["agency_id", "type", "rank"], name="portal_entry_agency_rank"),
            models.Index(fields=["code"], name="portal_entry_code"),
            models.Index(fields=["doc_key"], name="portal_entry_doc_key"),
        ]

    def __str__(self) -> str:
        return self.title


class SearchPair(models.Model):
    pk = models.CompositePrimaryKey("gram", "type", "rank", "area")
    gram = models.BigIntegerField("字对")
    type = models.PositiveSmallIntegerField("类型")
    rank = models.BigIntegerField("排序键")
    area = models.IntegerField("区划")

    class Meta:
        verbose_name = verbose_name_plural = "检索字对"

    def __str__(self) -> str:
        return f"{self.gram}/{self.type}/{self.rank}"


class SearchCount(models.Model):
    """``key`` > 0: a character pair; 0: all entries of the type; < 0: minus an area code (city or county)."""

    pk = models.CompositePrimaryKey("key", "type")
    key = models.BigIntegerField("键")
    type = models.PositiveSmallIntegerField("类型")
    n = models.BigIntegerField("条数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "检索计数"

    def __str__(self) -> str:
        return f"{self.key}/{self.type}: {self.n}"

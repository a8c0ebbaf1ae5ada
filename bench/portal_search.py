"""The portal's search at provincial scale: fazhi's query layer against the naive pg_trgm approach, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi .venv/bin/python bench/portal_search.py [--rows 5000000]

1. Data (kept between runs in the database ``bench_portal``; ``--regenerate`` to start again): ``--rows`` synthetic
   licence and penalty records (seeded, so every run builds the same set) — company names made of a place of
   Shanxi, a two-character brand, a trade and a legal form; individual businesses; natural persons (about 15 %);
   document numbers; decision dates 2019–2026; the real Shanxi counties. They are written through the portal's own
   indexing code (``portal.index.add``), with the index's primary key and indexes built after the load.
2. The query mix (``--queries``, seeded): substrings of 2, 3 and 4 characters taken from random names (so they
   exist: common ones like 有限 and rare ones like a brand), half of them with a city filter; each asks for the first
   page, newest first, with its count. Plus exact 统一社会信用代码 and document-number lookups.
3. fazhi: ``portal.query.search`` (page + count, as the API calls it), after one warm-up pass over the mix (for
   both: a serving database keeps its working set in memory; the first pass of a fresh data set reads from disk
   and is slower for both approaches). Baseline: the same names in a table with a
   pg_trgm GIN index, ``WHERE name LIKE '%q%' [AND city] ORDER BY decided_on DESC LIMIT 20`` (no count: that would
   only make it slower).

Prints p50/p99/max per query kind for both and the ratio. Targets (issue 4): p99 ≤ 50 ms for the substring mix,
≤ 5 ms for exact lookups, at 5 million records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from _django import kept_database

PLACES_FALLBACK = ["太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁"]
BRAND_CHARS = (
    "鑫源恒达华泰晋阳昌盛鹏泽宏远兴旺德隆瑞祥丰润通安嘉和信诚永福金银龙凤天新宇星辉光明正大中国东南西北"
    "海山川河林森宝富贵荣康健乐美佳豪庆喜春秋冬夏云雨风雷电青蓝红绿白黑黄紫金玉石铁钢铜文武英雄豪杰"
    "博雅志远鸿运亨利广万千百顺发财丰收益众联合创业新源汇聚鼎立晟昊泓淼焱垚鑫磊森懿睿哲敏慧智达通畅"
)
TRADES = [
    "商贸", "煤业", "化工", "建材", "食品", "餐饮", "物流", "科技", "机械", "药业", "农业", "能源", "矿业", "运输",
    "建筑", "环保", "电子", "服装", "酒业", "醋业", "陶瓷", "钢铁", "焦化", "水泥", "养殖", "种植", "文化", "传媒",
    "置业", "物业", "医药", "超市", "酒店", "汽修", "加油", "印刷", "家具", "装饰", "五金", "电器",
]  # fmt: skip
FORMS = ["有限公司"] * 6 + ["有限责任公司"] * 2 + ["股份有限公司", "经营部", "门市部", "加工厂", "专业合作社", "店"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志明海燕小龙晓东文斌鹏泽宇浩然"
KINDS = ["fine", "warning", "confiscate_income", "order_suspension"]


def _places() -> list[tuple[str, int]]:
    """(short place name, county code) for every county of the real Shanxi divisions."""
    from fazhi.org import services
    from fazhi.org.models import Division

    services.load_shanxi_divisions(actor=None)
    found = []
    for division in Division.objects.filter(level="county"):
        name = division.name
        short = name[:-1] if len(name) > 2 and name[-1] in "县区市" else name
        found.append((short, int(division.code[:6])))
    return found or [(p, 140105) for p in PLACES_FALLBACK]


def documents(rows: int, seed: int) -> Iterator[tuple[str, Any]]:
    """(type code, Document) for ``rows`` synthetic records, always the same for the same seed."""
    from fazhi.core.identifiers import make_uscc
    from fazhi.portal.registry import Document

    rng = random.Random(seed)
    places = _places()
    start = dt.date(2019, 1, 1)
    span = (dt.date(2026, 11, 20) - start).days
    for n in range(rows):
        place, area = rng.choice(places)
        decided = start + dt.timedelta(days=rng.randrange(span))
        kind = "penalty" if rng.random() < 0.45 else "licence"
        person = rng.random() < 0.15
        if person:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            code = ""
        else:
            brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
            name = f"{place}{'县' if rng.random() < 0.3 else ''}{brand}{rng.choice(TRADES)}{rng.choice(FORMS)}"
            code = make_uscc("91", str(area), f"{n:08d}"[-8:])
        abbr = place[:1] + ("市监罚" if kind == "penalty" else "审批许")
        doc_number = f"{abbr}〔{decided.year}〕{n % 9000 + 1}号"
        doc_key = f"{abbr}〔{decided.year}〕{n % 9000 + 1}号"
        summary = {
            "party": name,
            "party_uscc": code,
            "party_id_number": "140105********1234" if person else "",
            "doc_number": doc_number,
            "agency": f"{place}市场监督管理局",
            "decided_on": decided.isoformat(),
            "content": "罚款2万元" if kind == "penalty" else "准予许可",
        }
        yield (
            kind,
            Document(
                object_id=str(n + 1),
                title=name,
                texts=(name, doc_key),
                date=decided,
                area=area,
                agency_id=None,
                categories=(rng.choice(KINDS),) if kind == "penalty" else ("ordinary",),
                code=code,
                doc_key=doc_key,
                summary=summary,
            ),
        )


def _indexes(tables: list[str]) -> list[str]:
    """The statements that rebuild the indexes and primary keys of ``tables`` (PostgreSQL), for a fast bulk load."""
    from django.db import connection

    statements = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "WHERE conrelid = %s::regclass AND contype IN ('p', 'u')",
                [table],
            )
            for name, definition in cursor.fetchall():
                statements.append(
                    (
                        f'ALTER TABLE {table} DROP CONSTRAINT "{name}"',
                        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}',
                    )
                )
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
            for name, definition in cursor.fetchall():
                statements.append((f'DROP INDEX "{name}"', definition))
    return statements


def generate(rows: int, seed: int) -> None:
    from django.db import connection

    from fazhi.portal import index

    postgres = connection.vendor == "postgresql"
    rebuild = _indexes(["portal_searchpair", "portal_searchentry"]) if postgres else []
    keep_pk = [s for s in rebuild if "portal_searchentry_pkey" in s[0]]
    rebuild = [s for s in rebuild if s not in keep_pk]
    with connection.cursor() as cursor:
        for drop, _create in rebuild:
            cursor.execute(drop)
    started = time.perf_counter()
    batch: dict[str, list[Any]] = {"penalty": [], "licence": []}
    done = 0
    for code, doc in documents(rows, seed):
        batch[code].append(doc)
        if len(batch[code]) >= 20000:
            done += index.add(code, batch[code])
            batch[code] = []
            rate = done / (time.perf_counter() - started)
            print(f"\r  indexed {done:,} / {rows:,} ({rate:,.0f}/s)", end="", flush=True)
    for code, docs in batch.items():
        done += index.add(code, docs)
    print(f"\r  indexed {done:,} records in {time.perf_counter() - started:.0f} s" + " " * 20)
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for _drop, create in rebuild:
            cursor.execute(create)
        if postgres:
            cursor.execute("VACUUM ANALYZE portal_searchpair")
            cursor.execute("VACUUM ANALYZE portal_searchentry")
            cursor.execute("VACUUM ANALYZE portal_searchcount")
    print(f"  indexes and statistics built in {time.perf_counter() - t0:.0f} s")


def build_baseline() -> None:
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("DROP TABLE IF EXISTS bench_naive")
        cursor.execute(
            "CREATE TABLE bench_naive AS SELECT id, title AS name, date AS decided_on, area FROM portal_searchentry"
        )
        cursor.execute("CREATE INDEX bench_naive_name ON bench_naive USING gin (name gin_trgm_ops)")
        cursor.execute("VACUUM ANALYZE bench_naive")
    print(f"  baseline table with pg_trgm GIN index built in {time.perf_counter() - t0:.0f} s")


def query_mix(count: int, seed: int) -> list[tuple[str, str, str]]:
    """(kind, q, division) triples: substrings of real names, half with the name's city."""
    from django.db import connection

    rng = random.Random(seed + 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM portal_searchentry")
        top = cursor.fetchone()[0] or 0
        ids = [rng.randrange(1, top + 1) for _ in range(count * 2)]
        wanted = ",".join(str(i) for i in ids)
        cursor.execute(f"SELECT title, area FROM portal_searchentry WHERE id IN ({wanted})")
        names = cursor.fetchall()
    mix = []
    for title, area in names:
        if len(mix) >= count:
            break
        length = rng.choices([2, 3, 4], weights=[40, 35, 25])[0]
        if len(title) < length:
            continue
        at = rng.randrange(len(title) - length + 1)
        city = str(area // 100 * 100) if rng.random() < 0.5 else ""
        mix.append((f"{length} chars{' + city' if city else ''}", title[at : at + length], city))
    return mix


def exact_mix(count: int, seed: int) -> list[tuple[str, str, str]]:
    from django.db import connection

    rng = random.Random(seed + 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM portal_searchentry")
        top = cursor.fetchone()[0] or 0
        ids = ",".join(str(rng.randrange(1, top + 1)) for _ in range(count * 3))
        cursor.execute(f"SELECT code, doc_key FROM portal_searchentry WHERE id IN ({ids})")
        rows = cursor.fetchall()
    mix = []
    for code, doc_key in rows:
        if code and len([m for m in mix if m[0] == "exact code"]) < count // 2:
            mix.append(("exact code", code, ""))
        elif len([m for m in mix if m[0] == "exact doc number"]) < count // 2:
            mix.append(("exact doc number", doc_key, ""))
    return mix


def timed(mix: list[tuple[str, str, str]], run: Callable[[str, str], Any]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for kind, q, division in mix:
        t0 = time.perf_counter()
        run(q, division)
        elapsed = (time.perf_counter() - t0) * 1000
        times.setdefault(kind, []).append(elapsed)
        times.setdefault("all substring" if not kind.startswith("exact") else "all exact", []).append(elapsed)
    return times


def p(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if q < 100 else max(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--baseline-queries", type=int, default=150, help="the naive approach is slow: fewer")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    with kept_database("portal") as (db, created):
        from django.db import connection

        from fazhi.portal.models import SearchEntry
        from fazhi.portal.query import Query, search

        postgres = connection.vendor == "postgresql"
        have = SearchEntry.objects.count() if not created else 0
        if args.regenerate or have != args.rows:
            print(f"database {db}: generating {args.rows:,} records (seed {args.seed}) ...")
            from django.core.management import call_command

            call_command("flush", interactive=False, verbosity=0)
            generate(args.rows, args.seed)
            if postgres:
                build_baseline()
        else:
            print(f"database {db}: reusing {have:,} records (--regenerate to rebuild)")
        mix = query_mix(args.queries, args.seed)
        exact = exact_mix(200, args.seed)

        def fazhi(q: str, division: str) -> Any:
            return search(Query(q=q, area=division))

        # Warm up: run the whole mix once (a serving database has its working set in memory), then measure.
        timed(mix + exact, fazhi)
        ours = timed(mix + exact, fazhi)
        results = [fazhi(q, d) for _, q, d in mix[:200]]
        estimated = sum(1 for r in results if not r.exact)
        theirs: dict[str, list[float]] = {}
        if postgres:

            def naive(q: str, division: str) -> Any:
                sql = "SELECT id, name, decided_on FROM bench_naive WHERE name LIKE %s"
                params: list[Any] = [f"%{q}%"]
                if division:
                    sql += " AND area BETWEEN %s AND %s"
                    params += [int(division), int(division) + 99]
                with connection.cursor() as cursor:
                    cursor.execute(sql + " ORDER BY decided_on DESC LIMIT 20", params)
                    return cursor.fetchall()

            sample = mix[: args.baseline_queries]
            timed(sample, naive)
            theirs = timed(sample, naive)

        print()
        head = f"{'query kind':<22}{'n':>6}{'fazhi p50':>11}{'p99':>9}{'max':>9}"
        print(f"{head}{'naive p50':>11}{'p99':>9}{'p99 ratio':>11}")
        for kind in sorted(ours, key=lambda k: (k.startswith("all"), k)):
            mine = ours[kind]
            line = f"{kind:<22}{len(mine):>6}{p(mine, 50):>9.1f}ms{p(mine, 99):>7.1f}ms{max(mine):>7.1f}ms"
            base = theirs.get(kind)
            if base:
                line += f"{p(base, 50):>9.0f}ms{p(base, 99):>7.0f}ms{p(base, 99) / p(mine, 99):>10.0f}×"
            print(line)
        sub, ex = ours.get("all substring", [0.0]), ours.get("all exact", [0.0])
        print()
        print(f"substring mix p99 {p(sub, 99):.1f} ms (target ≤ 50 ms): {'PASS' if p(sub, 99) <= 50 else 'FAIL'}")
        print(f"exact lookups p99 {p(ex, 99):.1f} ms (target ≤ 5 ms): {'PASS' if p(ex, 99) <= 5 else 'FAIL'}")
        print(f"counts: {len(results) - estimated} of {len(results)} exact, {estimated} estimated (and labelled so)")


if __name__ == "__main__":
    main()

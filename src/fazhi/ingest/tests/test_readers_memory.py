"""Memory stays bounded whatever the file size: a 300,000-row file streams in a few megabytes of Python objects.

A property check, not a timing test: ``tracemalloc`` counts what Python allocates while the rows stream, and the
peak must stay far below what holding the file (tens of MB of bytes, several times that as objects) would take.
"""

from __future__ import annotations

import csv
import json
import tracemalloc
from pathlib import Path

from fazhi.ingest.readers import open_table

ROWS = 300_000
HEADER = [
    "行政处罚决定书文号",
    "行政相对人名称",
    "统一社会信用代码",
    "违法事实",
    "罚款金额（万元）",
    "处罚决定日期",
    "处罚机关",
]
LIMIT = 50 * 1024 * 1024


def penalty_row(i: int) -> list[str]:
    return [
        f"晋市监罚〔2023〕{i}号",
        f"太原市小店区第{i}号商贸有限公司",
        f"91140105MA0G{i:06d}",
        f"经查，当事人于2023年{i % 12 + 1}月销售过期食品，货值金额{i % 997}元，违反了《中华人民共和国食品安全法》。",
        f"{i % 50}.{i % 10}",
        f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
        "太原市小店区市场监督管理局",
    ]


def test_streaming_300k_csv_rows_stays_under_50_mb(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="gb18030", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i in range(1, ROWS + 1):
            writer.writerow(penalty_row(i))
    assert path.stat().st_size > LIMIT  # the file alone would not fit

    tracemalloc.start()
    try:
        count = 0
        last = None
        with open_table(path) as table:
            for row in table.rows():
                count += 1
                last = row
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == ROWS
    assert last is not None and last.number == ROWS + 1
    assert last.values["行政相对人名称"] == f"太原市小店区第{ROWS}号商贸有限公司"
    assert peak < LIMIT, f"peak {peak / 1e6:.1f} MB"


def test_streaming_a_large_json_list_stays_bounded(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("w", encoding="utf-8") as f:
        f.write('{"code": 0, "data": [')
        for i in range(1, 60_001):
            f.write(
                ("," if i > 1 else "") + json.dumps(dict(zip(HEADER, penalty_row(i), strict=True)), ensure_ascii=False)
            )
        f.write("]}")
    size = path.stat().st_size

    tracemalloc.start()
    try:
        with open_table(path) as table:
            count = sum(1 for _ in table.rows())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 60_000
    assert peak < size / 4, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"

"""How fast ``open_table(...).rows()`` streams a big CSV, against Python's plain ``csv.reader`` over the same file.

    .venv/bin/python bench/readers.py [--rows 1000000] [--encoding utf-8|gb18030] [--dir DIR]

Writes a CSV of ``--rows`` penalty-like rows with the 28 columns of the 2021 双公示 penalty standard (Chinese
text, dates, amounts, codes; a few quoted cells with commas and line breaks) into a temporary directory, then reads
it in separate child processes, so that each figure has its own peak RSS:

- baseline: ``csv.reader`` over ``open(path, encoding=..., newline="")``, rows counted (the least any reader does);
- csv.DictReader: the naive equivalent that also builds a dict per row;
- open_table: ``fazhi.ingest.readers.open_table(path).rows()`` — encoding and delimiter detection, line numbers,
  a ``Row`` with a values dict and a problems list per record.

Prints rows, seconds, rows/s and peak RSS per reader, and the ratio open_table / baseline.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

HEADER = [
    "行政相对人名称",
    "行政相对人类别",
    "行政相对人代码_1(统一社会信用代码)",
    "行政相对人代码_2(工商注册号)",
    "行政相对人代码_3(组织机构代码)",
    "行政相对人代码_4(税务登记号)",
    "行政相对人代码_5(事业单位证书号)",
    "行政相对人代码_6(社会组织登记证号)",
    "法定代表人",
    "法定代表人证件类型",
    "法定代表人证件号码",
    "自然人证件类型",
    "自然人证件号码",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "没收违法所得、没收非法财物的金额（万元）",
    "暂扣或吊销证照名称及编号",
    "处罚决定日期",
    "处罚有效期",
    "公示截止期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
]
CITIES = [
    "太原市小店区",
    "太原市迎泽区",
    "大同市平城区",
    "长治市上党区",
    "晋中市榆次区",
    "运城市盐湖区",
    "临汾市尧都区",
]
TRADES = ["商贸有限公司", "餐饮店", "建筑工程有限公司", "食品超市", "机动车维修部", "化工有限责任公司"]
FACTS = [
    "经查，当事人销售超过保质期的食品，货值金额{n}元，违法所得{m}元。",
    "当事人未取得食品经营许可从事食品经营活动，违反了《中华人民共和国食品安全法》第三十五条第一款的规定。",
    '当事人在"{c}"经营场所内使用未经检定的计量器具，共计{n}台，\n现场检查笔录、询问笔录等证据在案。',
]


def penalty_row(rng: random.Random, i: int) -> list[str]:
    city = rng.choice(CITIES)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    fine = rng.choice(["0.2", "0.5", "1", "2.35", "10", ""])
    return [
        f"{city}{rng.choice('鑫华盛源恒泰丰瑞')}{rng.choice('达通隆兴')}{rng.choice(TRADES)}",
        rng.choice(["法人及非法人组织", "个体工商户"]),
        f"9114{rng.randint(0, 99):02d}{rng.randint(0, 10**9):09d}{rng.choice('0123456789ABCDEFGHJKLMNPQRTUWXY')}X",
        f"1401{rng.randint(10**10, 10**11):011d}",
        "",
        "",
        "",
        "",
        rng.choice(["王建国", "李秀英", "张伟", "刘洋", "赵敏"]),
        "身份证",
        f"1401{rng.randint(10**13, 10**14 - 1)}",
        "",
        "",
        f"晋市监罚〔2023〕{i}号",
        rng.choice(["销售过期食品", "无证经营", "计量违法", "虚假宣传"]),
        rng.choice(FACTS).format(n=rng.randint(1, 9999), m=rng.randint(0, 999), c=city),
        "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
        rng.choice(["罚款", "警告", "罚款,没收违法所得"]),
        f"罚款{fine or 0}万元",
        fine,
        rng.choice(["", "0.012", "0.3"]),
        "",
        f"2023-{month:02d}-{day:02d}",
        f"2024-{month:02d}-{day:02d}",
        f"2026-{month:02d}-{day:02d}",
        f"{city}市场监督管理局",
        f"11140105{rng.randint(10**8, 10**9 - 1)}X",
        f"{city}市场监督管理局",
    ]


def generate(path: Path, rows: int, encoding: str) -> None:
    rng = random.Random(2026)
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i in range(1, rows + 1):
            writer.writerow(penalty_row(rng, i))


def read(reader: str, path: Path, encoding: str) -> dict[str, float]:
    """Run one reader over the file (in this process) and report rows, seconds and this process's peak RSS."""
    t0 = time.perf_counter()
    count = 0
    if reader == "baseline":
        with path.open(encoding=encoding, newline="") as f:
            rows = csv.reader(f)
            next(rows)
            for _ in rows:
                count += 1
    elif reader == "dictreader":
        with path.open(encoding=encoding, newline="") as f:
            for _ in csv.DictReader(f):
                count += 1
    else:
        from fazhi.ingest.readers import open_table

        with open_table(path) as table:
            for row in table.rows():
                count += 1
                if row.problems:
                    raise SystemExit(f"unexpected problem in row {row.number}: {row.problems}")
    seconds = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {"rows": count, "seconds": seconds, "peak_mb": peak_kb / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--encoding", default="utf-8", choices=["utf-8", "gb18030"])
    parser.add_argument("--dir", type=Path, help="where to write the CSV (default: a temporary directory, removed)")
    parser.add_argument("--child", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(read(args.child[0], Path(args.child[1]), args.encoding)))
        return

    workdir = args.dir or Path(tempfile.mkdtemp(prefix="fazhi-bench-readers-"))
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"penalties_{args.rows}_{args.encoding}.csv"
    try:
        t0 = time.perf_counter()
        generate(path, args.rows, args.encoding)
        print(
            f"generated {path.name}: {args.rows:,} rows x {len(HEADER)} columns, "
            f"{path.stat().st_size / 1e6:,.0f} MB, {time.perf_counter() - t0:.1f} s"
        )
        results = {}
        for reader in ("baseline", "dictreader", "open_table"):
            command = [sys.executable, __file__, "--encoding", args.encoding, "--child", reader, str(path)]
            done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603 - our own script
            results[reader] = json.loads(done.stdout)
            assert results[reader]["rows"] == args.rows, results[reader]

        print(f"{'reader':<28}{'rows':>12}{'seconds':>10}{'rows/s':>12}{'peak RSS MB':>14}")
        names = {
            "baseline": "baseline: csv.reader",
            "dictreader": "csv.DictReader",
            "open_table": "open_table().rows()",
        }
        for reader, result in results.items():
            rate = result["rows"] / result["seconds"]
            print(
                f"{names[reader]:<28}{result['rows']:>12,}{result['seconds']:>10.2f}{rate:>12,.0f}{result['peak_mb']:>14.1f}"
            )
        ratio = results["open_table"]["seconds"] / results["baseline"]["seconds"]
        print(f"ratio open_table / csv.reader: {ratio:.2f}x the time")
    finally:
        if args.dir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

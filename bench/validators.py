"""How fast the per-row validators are, against ``str.strip`` over the same values in the same run.

    .venv/bin/python bench/validators.py [--calls 200000] [--data ../shared/data]

The 双公示 ingest calls these for every row of files with millions of rows. The values are the real samples in
``shared/data`` (credit codes from clean and OCR'd lists, document numbers from the Shanxi list, penalty texts from
信用中国) plus generated 居民身份证号码 (no real ones are shipped), repeated to about ``--calls`` calls per function.
Prints calls per second for each function and for the baseline, and the ratio function time / baseline time.
No database, no Django settings needed.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fazhi.core.docnumbers import normalise_doc_number
from fazhi.core.errors import ValidationFailed
from fazhi.core.identifiers import check_resident_id, check_uscc, resident_id_check_char
from fazhi.core.money import amounts_in_text

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _column(path: Path, *names: str) -> list[str]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    key = next(k for k in rows[0] if k.replace(" ", "") in names)
    return [row[key] for row in rows]


def sample_values(data: Path) -> dict[str, list[str]]:
    samples = data / "samples"
    codes = _column(samples / "uscc_stdnum_found_online.csv", "code")
    codes += _column(samples / "uscc_ningbo_beilun_market_entities.csv", "uni_social_crd_cd")
    for path in sorted(samples.glob("gansu_credit_blacklist_*.csv")):
        codes += _column(path, "统一社会信用代码", "统一信用代码")
    rng = random.Random(11643)
    ids = []
    for _ in range(2000):
        body = f"{rng.choice(['140105', '140421', '110105', '330212'])}{rng.randint(1940, 2010)}"
        body += f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
        number = body + resident_id_check_char(body)
        ids.append(number.lower() if rng.random() < 0.05 else number)
    docs = _column(data / "regulations" / "shanxi_provincial_gov_doc_numbers_2023scrape.csv", "doc_number")
    texts = _column(samples / "creditchina_2017_env_key_polluters_penalties.csv", "处罚结果")
    return {"check_uscc": codes, "check_resident_id": ids, "normalise_doc_number": docs, "amounts_in_text": texts}


def _repeat(values: list[str], calls: int) -> list[str]:
    return (values * (calls // len(values) + 1))[:calls]


def _time(func: Callable[[str], Any], values: list[str]) -> float:
    start = time.perf_counter()
    for value in values:
        try:  # noqa: SIM105 - cheaper than contextlib.suppress in a timed loop
            func(value)
        except ValidationFailed:
            pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"参考数据目录 {args.data} 不存在；用 --data 指定 shared/data 的位置")
    functions: dict[str, Callable[[str], Any]] = {
        "check_uscc": check_uscc,
        "check_resident_id": check_resident_id,
        "normalise_doc_number": normalise_doc_number,
        "amounts_in_text": amounts_in_text,
    }
    print(f"{'function':<22}{'values':>8}{'calls':>10}{'seconds':>9}{'calls/s':>12}{'str.strip/s':>13}{'ratio':>8}")
    for name, values in sample_values(args.data).items():
        workload = _repeat(values, args.calls)
        baseline = _time(str.strip, workload)
        elapsed = _time(functions[name], workload)
        print(
            f"{name:<22}{len(values):>8}{len(workload):>10}{elapsed:>9.3f}{len(workload) / elapsed:>12,.0f}"
            f"{len(workload) / baseline:>13,.0f}{elapsed / baseline:>8.1f}"
        )


if __name__ == "__main__":
    main()

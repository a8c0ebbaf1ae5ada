"""A mixed load on the portal and the API under gunicorn: searches, record pages, entity pages and downloads.

    FAZHI_DATA_DIR=/tmp/loaddemo .venv/bin/python bench/load_mix.py [--seconds 10] [--levels 1,2,4,8,16,32]

The server, the closed-loop client, the CPU accounting and the saturation report are bench/http_load.py's (imported,
not copied); only the mix differs. Out of every 10 requests: 5 searches (http_load's mix: API and page in turn),
2 public record pages (page and API in turn), 1 entity profile (page or API), 1 download (open-data CSV or JSON of
the licences or penalties, the certificate-signing key, or the discretion template) and 1 record page that is not
public (a withdrawn or missing id: a 404 is the right answer and is counted as success). ``--json PATH`` also writes
each level's figures for bench/reliability.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
from pathlib import Path

import http_load as hl  # bench/http_load.py: server, client, CPU meter and report

DOWNLOADS = [
    "/api/v1/opendata/licence.json",
    "/api/v1/opendata/penalty.csv",
    "/enforcement/verify/public-key.pem",
    "/discretion/template.xlsx",
]


def record_paths(rng: random.Random, size: int) -> tuple[list[str], list[str]]:
    """Public record ids and party codes, read from the database the environment selects."""
    import django

    django.setup()
    from fazhi.publicity.public import public_penalties

    ids = list(public_penalties().order_by("pk").values_list("pk", flat=True)[:5000])
    codes = [c for c in public_penalties().values_list("party_uscc", flat=True)[:5000] if c]
    if not ids:
        sys.exit("no public penalty records: load the demo data first (" + hl.LOAD_HINT + ")")
    records, entities = [], []
    for n in range(size):
        pk = rng.choice(ids)
        records.append(f"/credit/records/penalty/{pk}/" if n % 2 else f"/api/v1/records/penalty/{pk}")
        code = rng.choice(codes) if codes else ""
        entities.append(f"/credit/entities/{code}/" if n % 2 else f"/api/v1/entities/{code}")
    return records, entities


def build(seed: int) -> list[str]:
    rng = random.Random(seed)
    _, entries = hl.sample_index(rng)
    searches, _ = hl.build_mix(entries, rng, hl.MIX_SIZE)
    records, entities = record_paths(rng, hl.MIX_SIZE)
    paths = []
    for n in range(hl.MIX_SIZE):
        slot = n % 10
        if slot < 5:
            paths.append(searches[n % len(searches)])
        elif slot < 7:
            paths.append(records[n])
        elif slot == 7:
            paths.append(entities[n])
        elif slot == 8:
            paths.append(DOWNLOADS[(n // 10) % len(DOWNLOADS)])
        else:
            paths.append(f"/credit/records/penalty/{900_000_000 + n}/")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2 * hl.CORES)
    parser.add_argument("--levels", default="1,2,4,8,16,32")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, help="write each level's figures here")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    paths = build(args.seed)
    # http_load counts every status >= 400 as an error, so the missing records (which must answer 404) are checked
    # on their own, and the timed mix holds only requests that should succeed.
    missing = [p for p in paths if "/9000" in p or "/9001" in p]
    paths = [p for p in paths if p not in set(missing)]
    print(f"mix (seed {args.seed}): {len(paths):,} requests — searches, record pages, entity profiles, downloads")
    with hl.gunicorn(args.workers, "sync", 1) as target:
        print(f"server: {target.label}; machine: {hl.CORES} cores")
        asyncio.run(hl.run_level(target, paths, max(levels), warmup=2.0, seconds=0.0, timeout=args.timeout))
        not_found = _check_missing(target, missing[:20])
        meter = hl.CpuMeter(target.pid, None)
        shown: list[str] = []
        results = []
        print(hl.HEADER)
        for users in levels:
            level = asyncio.run(
                hl.run_level(
                    target,
                    paths,
                    users,
                    warmup=args.warmup,
                    seconds=args.seconds,
                    timeout=args.timeout,
                    meter=meter,
                    shown=shown,
                )
            )
            results.append(level)
            print(hl.row(level), flush=True)
    for line in shown:
        print(f"  {line}")
    best = max(results, key=lambda lv: lv.rate)
    saturated = hl.saturation(results)
    print(f"missing records answered 404: {not_found}/{min(20, len(missing))}")
    print(
        f"best: {best.rate:.0f} answers/s at {best.users} users (p50 {best.ms(50)} ms, p99 {best.ms(99)} ms);"
        f" saturates at {saturated.users if saturated else '-'} users"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "levels": [
                        {
                            "users": lv.users,
                            "rate": round(lv.rate, 1),
                            "p50_ms": lv.ms(50),
                            "p99_ms": lv.ms(99),
                            "errors": lv.errors,
                            "requests": lv.requests,
                            "server_cpu": round(lv.cpu.server, 2) if lv.cpu and lv.cpu.server is not None else None,
                            "machine_cpu": round(lv.cpu.machine, 2) if lv.cpu else None,
                        }
                        for lv in results
                    ],
                    "best_users": best.users,
                    "best_rate": round(best.rate, 1),
                    "saturates_at": saturated.users if saturated else None,
                    "errors": sum(lv.errors for lv in results),
                    "missing_404": not_found,
                    "cores": hl.CORES,
                    "workers": args.workers,
                },
                indent=1,
            )
        )


def _check_missing(target: hl.Target, paths: list[str]) -> int:
    import urllib.error
    import urllib.request

    found = 0
    for path in paths:
        try:
            urllib.request.urlopen(f"http://{target.host}:{target.port}{path}", timeout=5)
        except urllib.error.HTTPError as exc:
            found += exc.code == 404
    return found


if __name__ == "__main__":
    main()

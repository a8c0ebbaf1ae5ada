"""How fast `fazhi audit verify` checks the chain, against a plain read of the same rows in the same run.

    .venv/bin/python bench/audit_verify.py [--events 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi .venv/bin/python bench/audit_verify.py

Prints events, seconds and events per second for: writing the chain (bulk, same hash function as the
services), a plain ordered scan of the hashed columns (the baseline: the I/O verify cannot avoid), and the full
verification; and the ratio verify / baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from _django import scratch_database


def build_chain(n: int, batch: int = 10_000) -> None:
    from fazhi.audit.chain import event_hash
    from fazhi.audit.models import GENESIS_HASH, AuditEvent, ChainHead

    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    prev = GENESIS_HASH
    rows: list[AuditEvent] = []
    for seq in range(1, n + 1):
        fields = {
            "seq": seq,
            "occurred_at": start + dt.timedelta(seconds=seq),
            "actor_id": seq % 500,
            "actor_name": f"执法人员{seq % 500}",
            "agency_id": seq % 300,
            "agency_name": f"太原市第{seq % 300}执法局",
            "request_id": f"req-{seq:016x}",
            "action": "publicity.penalty.publish",
            "target_type": "publicity.penaltyrecord",
            "target_id": str(seq),
            "target_label": f"晋市监罚〔2020〕{seq}号",
            "target_division_path": f"140000/1401{seq % 10:02d}00/",
            "target_agency_path": f"{seq % 300}/",
            "before": None,
            "after": {"status": "published", "amount_wan": f"{seq % 97}.5", "decided_on": "2020-09-28"},
            "reason": "",
            "prev_hash": prev,
        }
        prev = event_hash(**fields)
        rows.append(AuditEvent(hash=prev, **fields))
        if len(rows) == batch:
            AuditEvent.objects.bulk_create(rows)
            rows.clear()
    if rows:
        AuditEvent.objects.bulk_create(rows)
    ChainHead.objects.update_or_create(pk=1, defaults={"seq": n, "hash": prev})


def plain_scan() -> int:
    from fazhi.audit.chain import HASHED_FIELDS
    from fazhi.audit.models import AuditEvent

    count = 0
    for _ in AuditEvent.objects.order_by("seq").values_list(*HASHED_FIELDS, "hash").iterator(chunk_size=5000):
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()

    with scratch_database() as db:
        from fazhi.audit.verify import verify_chain

        t0 = time.perf_counter()
        build_chain(args.events)
        t_build = time.perf_counter() - t0

        t0 = time.perf_counter()
        scanned = plain_scan()
        t_scan = time.perf_counter() - t0

        t0 = time.perf_counter()
        result = verify_chain()
        t_verify = time.perf_counter() - t0
        assert result.ok and result.checked == scanned == args.events, result

        print(f"database: {db}")
        print(f"{'step':<34}{'events':>12}{'seconds':>10}{'events/s':>12}")
        for name, secs in [
            ("write chain (bulk, hashed)", t_build),
            ("baseline: plain ordered scan", t_scan),
            ("fazhi audit verify", t_verify),
        ]:
            print(f"{name:<34}{args.events:>12,}{secs:>10.2f}{args.events / secs:>12,.0f}")
        print(f"ratio verify / plain scan: {t_verify / t_scan:.2f}x")


if __name__ == "__main__":
    main()

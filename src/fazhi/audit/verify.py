"""Verifying the whole chain: recompute every hash in order and name the first event that does not fit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .chain import HASHED_FIELDS, event_hash
from .models import GENESIS_HASH, AuditEvent, ChainHead


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    kind: str = ""  # modified | deleted | reordered | inserted | head

    def summary(self) -> str:
        if self.ok:
            return f"审计链完整：共校验 {self.checked} 个事件。"
        return f"审计链被破坏：{self.problem}（已校验 {self.checked} 个事件）"


def verify_chain(*, chunk_size: int = 5000, progress: Callable[[int], None] | None = None) -> VerifyResult:
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    rows = AuditEvent.objects.order_by("seq").values_list(*HASHED_FIELDS, "hash").iterator(chunk_size=chunk_size)
    for row in rows:
        values = dict(zip(HASHED_FIELDS, row[:-1], strict=True))
        stored_hash = row[-1]
        seq = values["seq"]
        if seq != expected_seq:
            if seq > expected_seq:
                missing = f"#{expected_seq}" if seq == expected_seq + 1 else f"#{expected_seq}–#{seq - 1}"
                return VerifyResult(
                    False,
                    checked,
                    expected_seq,
                    f"事件 {missing} 缺失（被删除），链在 #{seq} 处断开",
                    "deleted",
                )
            return VerifyResult(False, checked, seq, f"事件 #{seq} 的序号重复或倒退", "reordered")
        if event_hash(**values) != stored_hash:
            return VerifyResult(
                False, checked, seq, f"事件 #{seq} 的内容与其哈希不符：事件被修改或被调换了顺序", "modified"
            )
        if values["prev_hash"] != prev_hash:
            return VerifyResult(
                False,
                checked,
                seq,
                f"事件 #{seq} 记录的前序哈希与 #{seq - 1} 不符：之前的事件被删除、插入或调换了顺序",
                "reordered",
            )
        prev_hash = stored_hash
        expected_seq += 1
        checked += 1
        if progress is not None and checked % chunk_size == 0:
            progress(checked)
    head = ChainHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS_HASH
    last_seq = expected_seq - 1
    if head_seq != last_seq or head_hash != prev_hash:
        if last_seq > head_seq:
            return VerifyResult(
                False, checked, head_seq + 1, f"事件 #{head_seq + 1} 起的事件在链头之外被插入", "inserted"
            )
        return VerifyResult(
            False,
            checked,
            last_seq + 1,
            f"链头记录到 #{head_seq}，但最后一个事件是 #{last_seq}：末尾的事件被删除或链头被改动",
            "head",
        )
    return VerifyResult(True, checked)

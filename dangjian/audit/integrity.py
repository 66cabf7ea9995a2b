"""Verifying the audit hash chain: every chain walked in seq order, in batches, each hash recomputed.

Reports the first broken link of each chain: an edited event (its hash does not match its content), a
deleted one (a gap in seq), an inserted or reordered one (it does not point at the previous event), a
deleted tail (the chain's head has seen more events than remain), and events in no chain at all. Days
before the retention purge's watermark (``AuditPurge``) were removed on purpose and are not checked.

Used by ``manage.py verify_audit`` (everything, or ``--since``) and the nightly check (the last days).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from dangjian.audit.chain import chain_secret, event_hash
from dangjian.audit.models import AuditChainHead, AuditEvent, AuditPurge
from dangjian.audit.retention import AUDIT_RETENTION_MIN_DAYS

BATCH_SIZE = 2000

# kind: (Chinese, English); {first}/{last} are seq numbers, {id} an event id.
MESSAGES = {
    "edited": (
        "第 {first} 条事件的内容与其哈希不符(被修改)",
        "event {first}: content does not match its hash (edited)",
    ),
    "deleted": ("第 {first}–{last} 条事件缺失(被删除)", "events {first}-{last} are missing (deleted)"),
    "inserted": (
        "第 {first} 条事件没有接在上一条之后(被插入或调换顺序)",
        "event {first} does not follow the previous event (inserted or reordered)",
    ),
    "tail_deleted": (
        "链尾第 {first}–{last} 条事件缺失(被删除)",
        "events {first}-{last} at the end are missing (deleted)",
    ),
    "head_mismatch": (
        "链头与第 {first} 条(最后一条)事件不符",
        "the chain head does not match event {first}, the last one",
    ),
    "head_missing": ("链头记录缺失(被删除)", "the chain head is missing (deleted)"),
    "unchained": ("事件 #{id} 不属于任何链(被插入)", "event #{id} belongs to no chain (inserted)"),
    "watermark": (
        "清理记录声称已清理到保留期限之内(伪造)，已忽略",
        "a purge record claims days still within retention were purged (forged); ignored",
    ),
}


@dataclass(frozen=True)
class ChainBreak:
    day: dt.date | None
    key: str
    kind: str
    first: int = 0
    last: int = 0
    event_id: int | None = None

    @property
    def chain(self) -> str:
        return f"{self.day.isoformat() if self.day else '-'}/{self.key or '-'}"

    def _text(self, language: int) -> str:
        return MESSAGES[self.kind][language].format(first=self.first, last=self.last, id=self.event_id)

    @property
    def zh(self) -> str:
        return f"审计链 {self.chain}：{self._text(0)}"

    @property
    def en(self) -> str:
        return f"audit chain {self.chain}: {self._text(1)}"


@dataclass
class Verification:
    chains: int = 0
    events: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def purge_watermark() -> dt.date | None:
    """Chains of days before this date were removed by the retention purge."""
    return AuditPurge.objects.aggregate(before=Max("before"))["before"]


def _events(start: dt.date | None, batch_size: int) -> Iterator[AuditEvent]:
    """Chained events ordered by (day, key, seq), read in keyset batches: memory stays bounded."""
    base = AuditEvent.objects.filter(seq__isnull=False)
    if start is not None:
        base = base.filter(chain_day__gte=start)
    after: tuple[dt.date, str, int] | None = None
    while True:
        qs = base
        if after is not None:
            day, key, seq = after
            qs = qs.filter(
                Q(chain_day__gt=day)
                | Q(chain_day=day, chain_key__gt=key)
                | Q(chain_day=day, chain_key=key, seq__gt=seq)
            )
        batch = list(qs.order_by("chain_day", "chain_key", "seq")[:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        last = batch[-1]
        assert last.chain_day is not None and last.seq is not None
        after = (last.chain_day, last.chain_key, last.seq)


class _Chain:
    """The walk along one chain: what the next event must look like, and its first break."""

    def __init__(self, day: dt.date, key: str) -> None:
        self.day, self.key = day, key
        self.seq, self.hash = 0, ""
        self.broken: ChainBreak | None = None

    def step(self, event: AuditEvent, secret: bytes) -> None:
        if self.broken is not None:
            return
        assert event.seq is not None
        expected = self.seq + 1
        if event.seq > expected:
            self.broken = ChainBreak(self.day, self.key, "deleted", expected, event.seq - 1)
        elif event.seq < expected or event.prev_hash != self.hash:
            self.broken = ChainBreak(self.day, self.key, "inserted", event.seq)
        elif event_hash(event, secret) != event.hash:
            self.broken = ChainBreak(self.day, self.key, "edited", event.seq)
        self.seq, self.hash = event.seq, event.hash

    def end(self, head: tuple[int, str] | None) -> ChainBreak | None:
        if self.broken is not None:
            return self.broken
        if head is None:
            return ChainBreak(self.day, self.key, "head_missing")
        last_seq, last_hash = head
        if last_seq > self.seq:
            return ChainBreak(self.day, self.key, "tail_deleted", self.seq + 1, last_seq)
        if last_seq != self.seq or last_hash != self.hash:
            return ChainBreak(self.day, self.key, "head_mismatch", self.seq)
        return None


def _verify(since: dt.date | None, batch_size: int) -> Verification:
    result = Verification()
    watermark = purge_watermark()
    # No purge can remove days younger than the legal minimum: a later watermark would hide tampering.
    latest_possible = timezone.localdate() - dt.timedelta(days=AUDIT_RETENTION_MIN_DAYS)
    if watermark is not None and watermark > latest_possible:
        result.breaks.append(ChainBreak(None, "", "watermark"))
        watermark = latest_possible
    start = max(d for d in (since, watermark) if d is not None) if since or watermark else None
    heads_qs = AuditChainHead.objects.all()
    if start is not None:
        heads_qs = heads_qs.filter(day__gte=start)
    heads = {
        (day, key): (seq, h)
        for day, key, seq, h in heads_qs.values_list("day", "key", "last_seq", "last_hash")
    }
    secret = chain_secret()
    chain: _Chain | None = None

    def close(current: _Chain) -> None:
        result.chains += 1
        broken = current.end(heads.pop((current.day, current.key), None))
        if broken is not None:
            result.breaks.append(broken)

    for event in _events(start, batch_size):
        assert event.chain_day is not None
        if chain is None or (chain.day, chain.key) != (event.chain_day, event.chain_key):
            if chain is not None:
                close(chain)
            chain = _Chain(event.chain_day, event.chain_key)
        chain.step(event, secret)
        result.events += 1
    if chain is not None:
        close(chain)
    for (day, key), (last_seq, _hash) in sorted(heads.items()):  # heads whose every event is gone
        result.chains += 1
        if last_seq:
            result.breaks.append(ChainBreak(day, key, "tail_deleted", 1, last_seq))
    for event_id in AuditEvent.objects.filter(seq__isnull=True).values_list("id", flat=True).order_by("id"):
        result.breaks.append(ChainBreak(None, "", "unchained", event_id=event_id))
    return result


def verify_chains(*, since: dt.date | None = None, batch_size: int = BATCH_SIZE) -> Verification:
    """Verify every chain from ``since`` (all of them without it) on one consistent snapshot."""
    if connection.in_atomic_block:
        return _verify(since, batch_size)
    with transaction.atomic():
        if connection.vendor == "postgresql":  # heads and events read as of one instant
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return _verify(since, batch_size)

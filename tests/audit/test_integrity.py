"""verify_audit finds every edited, deleted, inserted or re-signed event, even with the trigger dropped."""

from __future__ import annotations

import hashlib
import hmac
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from dangjian import audit
from dangjian.audit.chain import canonical
from dangjian.audit.integrity import verify_chains
from dangjian.audit.models import AuditChainHead, AuditEvent
from tests.audit.tampering import drop_the_guard


def _record_five(world, actor) -> list[AuditEvent]:
    with transaction.atomic():
        return [
            audit.record(
                actor=actor,
                action="test.chain",
                target=world.cs_branch,
                org=world.cs_branch,
                changes={"n": n},
            )
            for n in range(5)
        ]


def _breaks(**kwargs) -> list[tuple[str, int]]:
    return [(b.kind, b.first) for b in verify_chains(**kwargs).breaks]


def test_events_of_one_college_and_day_form_one_chain_linked_by_hashes(world, school_admin) -> None:
    events = _record_five(world, school_admin)
    first = events[0].seq or 0
    assert [e.seq for e in events] == [first + n for n in range(5)]
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))
    assert {e.chain_key for e in events} == {world.cs.path}
    head = AuditChainHead.objects.get(day=timezone.localdate(events[0].occurred_at), key=world.cs.path)
    assert (head.last_seq, head.last_hash) == (events[-1].seq, events[-1].hash)


def test_another_college_and_system_events_have_chains_of_their_own(world, school_admin) -> None:
    with transaction.atomic():
        cs = audit.record(actor=school_admin, action="test.chain", org=world.cs_branch)
        fl = audit.record(actor=school_admin, action="test.chain", org=world.fl_branch)
        system = audit.record(actor=None, action="test.chain")
    assert (cs.chain_key, fl.chain_key, system.chain_key) == (world.cs.path, world.fl.path, "")


def test_a_clean_log_verifies(world, school_admin, capsys) -> None:
    _record_five(world, school_admin)
    with transaction.atomic():
        audit.record_many(
            actor=school_admin,
            action="test.bulk",
            items=[
                (world.fl_branch, world.fl_branch, {"n": 1}),
                (world.cs_branch, world.cs_branch, {"n": 2}),
            ],
        )
    assert verify_chains().ok
    call_command("verify_audit")
    assert "审计链完整" in capsys.readouterr().out


def test_an_edited_event_is_found(world, school_admin) -> None:
    events = _record_five(world, school_admin)
    drop_the_guard()
    AuditEvent.objects.filter(pk=events[2].pk).update(changes={"n": 99})
    assert _breaks() == [("edited", events[2].seq)]


def test_a_deleted_event_in_the_middle_is_found(world, school_admin) -> None:
    events = _record_five(world, school_admin)
    drop_the_guard()
    AuditEvent.objects.filter(pk=events[2].pk).delete()
    assert _breaks() == [("deleted", events[2].seq)]


def test_a_deleted_last_event_is_found(world, school_admin) -> None:
    events = _record_five(world, school_admin)
    drop_the_guard()
    AuditEvent.objects.filter(pk=events[-1].pk).delete()
    assert _breaks() == [("tail_deleted", events[-1].seq)]


def test_two_events_swapped_are_found(world, school_admin) -> None:
    events = _record_five(world, school_admin)
    drop_the_guard()
    first, second = events[1], events[2]
    AuditEvent.objects.filter(pk=first.pk).update(seq=None)
    AuditEvent.objects.filter(pk=second.pk).update(seq=first.seq)
    AuditEvent.objects.filter(pk=first.pk).update(seq=second.seq)
    assert _breaks() == [("inserted", first.seq)]


def test_an_event_inserted_by_hand_is_found(world, school_admin) -> None:
    _record_five(world, school_admin)
    AuditEvent.objects.bulk_create([AuditEvent(action="test.forged", org_path=world.cs_branch.path)])
    assert [b.kind for b in verify_chains().breaks] == ["unchained"]


def test_a_chain_recomputed_with_another_key_is_found(world, school_admin) -> None:
    """The forger edits an event and re-signs the rest of the chain and its head, without our key."""
    events = _record_five(world, school_admin)
    drop_the_guard()
    forged_key = b"what the superuser guessed"
    prev = events[1].hash
    for event in AuditEvent.objects.filter(pk__in=[e.pk for e in events[2:]]).order_by("seq"):
        if event.pk == events[2].pk:
            event.changes = {"n": 99}
        event.prev_hash = prev
        event.hash = hmac.new(forged_key, canonical(event), hashlib.sha256).hexdigest()
        AuditEvent.objects.filter(pk=event.pk).update(changes=event.changes, prev_hash=prev, hash=event.hash)
        prev = event.hash
    AuditChainHead.objects.filter(key=world.cs.path).update(last_hash=prev)
    assert _breaks() == [("edited", events[2].seq)]


def test_the_command_names_the_break_in_both_languages_and_fails(world, school_admin, capsys) -> None:
    events = _record_five(world, school_admin)
    drop_the_guard()
    AuditEvent.objects.filter(pk=events[1].pk).update(actor_name="someone else")
    with pytest.raises(CommandError, match="篡改"):
        call_command("verify_audit")
    out = capsys.readouterr().out
    assert f"第 {events[1].seq} 条事件的内容与其哈希不符" in out
    assert f"event {events[1].seq}: content does not match its hash (edited)" in out


def test_since_skips_older_days(world, school_admin) -> None:
    events = _record_five(world, school_admin)
    drop_the_guard()
    AuditEvent.objects.filter(pk=events[2].pk).update(changes={"n": 99})
    day = events[0].chain_day
    assert day is not None
    assert _breaks(since=day) != []
    assert _breaks(since=day.replace(year=day.year + 1)) == []


def test_verification_reads_in_batches(world, school_admin) -> None:
    events = _record_five(world, school_admin)
    drop_the_guard()
    AuditEvent.objects.filter(pk=events[4].pk).update(changes={"n": 99})
    assert _breaks(batch_size=2) == [("edited", events[4].seq)]


def test_a_deleted_chain_head_is_found(world, school_admin) -> None:
    events = _record_five(world, school_admin)
    AuditChainHead.objects.filter(day=events[0].chain_day, key=world.cs.path).delete()
    assert _breaks() == [("head_missing", 0)]

"""Writes of the study-hour ledger: rows from org life (through the ``study_attended`` event), 专题培训
recorded by an organizer, and the monthly reminder to people behind the year's pace.

The ledger is append-only: a row is never changed or deleted. A source's rows carry its ``batch`` key;
keeping a batch in step with its source adds a row for each person newly counted and a reversing row
(the negative, ``reverses`` the original, on its date) for each person no longer counted or counted
with other hours. The caller locks the source (the meeting, the training), so one batch is synced at a
time; the unique (source, ref) of each row makes a replay write nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, Person
from dangjian.hooks.events import StudyAttendance
from dangjian.kit.bulk import copy_rows
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.learning.ledger import totals
from dangjian.learning.models import SourceKind, StudyHours, TopicTraining

P = Permission
MAX_TOPIC_HOURS = Decimal("200")


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


@dataclass(frozen=True)
class Synced:
    added: list[int]
    reversed: list[int]


FIELDS = (
    "person_id",
    "on",
    "hours",
    "days",
    "source_kind",
    "source_ref",
    "batch",
    "reverses_id",
    "topic_id",
    "note",
    "actor_id",
)
BATCHES_PER_QUERY = 500  # under SQLite's bound on parameters


def _plan(
    rows: list[tuple[int, int, date, Decimal, Decimal, int | None]],
    *,
    kind: str,
    batch: str,
    on: date,
    hours: Decimal,
    wanted: set[int],
    note: str,
    topic_id: int | None,
    actor_id: int | None,
) -> tuple[list[tuple[Any, ...]], Synced]:
    """The rows (as ``FIELDS`` tuples) that bring ``batch`` in step with ``wanted``, given its rows now
    as (id, person id, on, hours, days, reverses id)."""
    reversed_ids = {r[5] for r in rows if r[5]}
    credits: Counter[int] = Counter()
    standing: dict[int, tuple[int, int, date, Decimal, Decimal, int | None]] = {}
    for row in rows:
        if row[5] is None:
            credits[row[1]] += 1
            if row[0] not in reversed_ids:
                standing[row[1]] = row
    new: list[tuple[Any, ...]] = []
    gone: list[int] = []
    correction = (_("更正：%(n)s") % {"n": note})[:200]
    for person_id, (pk, _p, was_on, was_hours, was_days, _r) in standing.items():
        if person_id in wanted and was_hours == hours and was_on == on:
            continue
        gone.append(person_id)
        new.append(
            (
                person_id,
                was_on,
                -was_hours,
                -was_days,
                SourceKind.CORRECTION.value,
                f"reverses:{pk}",
                batch,
                pk,
                topic_id,
                correction,
                actor_id,
            )
        )
    kept = {p for p in standing if p not in gone}
    added = sorted(wanted - kept)
    for person_id in added:
        n = credits[person_id]
        ref = f"{batch}:{person_id}" if n == 0 else f"{batch}:{person_id}:{n + 1}"
        new.append(
            (person_id, on, hours, Decimal("0"), kind, ref, batch, None, topic_id, note[:200], actor_id)
        )
    return new, Synced(added=added, reversed=sorted(gone))


def _rows_of(batches: list[str]) -> dict[str, list[tuple[int, int, date, Decimal, Decimal, int | None]]]:
    found: dict[str, list[tuple[int, int, date, Decimal, Decimal, int | None]]] = {b: [] for b in batches}
    for pk, batch, person_id, on, hours, days, reverses_id in StudyHours.objects.filter(
        batch__in=batches
    ).values_list("id", "batch", "person_id", "on", "hours", "days", "reverses_id"):
        found[batch].append((pk, person_id, on, hours, days, reverses_id))
    return found


def _write(new: list[tuple[Any, ...]]) -> None:
    if new:
        copy_rows(StudyHours, FIELDS, new)
        totals.refresh({(row[0], row[1].year) for row in new})


def _sync_one(
    *,
    actor: Any,
    kind: str,
    batch: str,
    on: date,
    hours: Decimal,
    wanted: set[int],
    note: str,
    topic: TopicTraining | None = None,
) -> Synced:
    """Bring one ``batch`` in step: ``hours`` on ``on`` for each person in ``wanted``, none for the rest."""
    new, synced = _plan(
        _rows_of([batch])[batch],
        kind=kind,
        batch=batch,
        on=on,
        hours=hours,
        wanted=wanted,
        note=note,
        topic_id=topic.pk if topic else None,
        actor_id=getattr(_actor(actor), "pk", None),
    )
    _write(new)
    return synced


def attendance_sync(*, actor: Any, attendances: list[StudyAttendance]) -> int:
    """Org life that counts toward the hours (the ``study_attended`` receiver): each meeting's batch in
    step with who was present, set-based (a query per 500 meetings; the demo sends a year of them).
    Returns the rows written; one audit event per meeting that changed."""
    actor_id = getattr(_actor(actor), "pk", None)
    written: list[tuple[Any, ...]] = []
    events: list[tuple[Any, Any, dict[str, Any]]] = []
    with transaction.atomic():
        for start in range(0, len(attendances), BATCHES_PER_QUERY):
            chunk = attendances[start : start + BATCHES_PER_QUERY]
            existing = _rows_of([a.batch for a in chunk])
            for attendance in chunk:
                new, synced = _plan(
                    existing[attendance.batch],
                    kind=SourceKind.ORGLIFE.value,
                    batch=attendance.batch,
                    on=attendance.on,
                    hours=attendance.hours,
                    wanted=set(attendance.person_ids),
                    note=attendance.note,
                    topic_id=None,
                    actor_id=actor_id,
                )
                if new:
                    written += new
                    events.append(
                        (
                            None,
                            attendance.org,
                            {
                                "batch": attendance.batch,
                                "hours": str(attendance.hours),
                                "added": synced.added,
                                "reversed": synced.reversed,
                            },
                        )
                    )
        _write(written)
        if events:
            audit.record_many(actor=actor, action="learning.hours_orglife", items=events)
    return len(written)


# ---------------------------------------------------------------- 专题培训


def may_record(scope: Scope, org: Organization) -> bool:
    return scope.covers(P.RECORD_STUDY, org.path)


def _check_topic(title: str, on: date, hours: Decimal, today: date) -> None:
    if not title.strip():
        raise RuleViolation(_("请填写培训名称"), field="title")
    if on > today:
        raise RuleViolation(_("培训日期不能晚于今天：培训结束后再登记学时"), field="on")
    if hours <= 0 or hours > MAX_TOPIC_HOURS:
        raise RuleViolation(_("学时应大于 0 且不超过 %(m)s") % {"m": MAX_TOPIC_HOURS}, field="hours")


def topic_create(
    *,
    actor: Any,
    scope: Scope,
    organizer: Organization,
    title: str,
    on: date,
    hours: Decimal,
    today: date,
    place: str = "",
    note: str = "",
    idempotency_key: str | None = None,
) -> TopicTraining:
    """Record a 专题培训 held by ``organizer`` (its people are added next)."""
    if not may_record(scope, organizer):
        raise NotFound(_("未找到该专题培训"))
    if idempotency_key:
        replayed = TopicTraining.objects.filter(idempotency_key=idempotency_key).first()
        if replayed is not None:
            return replayed
    _check_topic(title, on, hours, today)
    try:
        with transaction.atomic():
            topic = TopicTraining.objects.create(
                title=title.strip()[:120],
                organizer=organizer,
                on=on,
                hours=hours,
                place=place.strip()[:120],
                note=note.strip()[:300],
                created_by=_actor(actor),
                idempotency_key=idempotency_key or None,
            )
            audit.record(
                actor=actor,
                action="learning.topic_create",
                target=topic,
                org=organizer,
                changes={"title": topic.title, "on": on, "hours": str(hours)},
            )
    except IntegrityError:
        replayed = TopicTraining.objects.filter(idempotency_key=idempotency_key).first()
        if replayed is None:
            raise
        return replayed
    return topic


def _locked_topic(scope: Scope, topic: TopicTraining) -> TopicTraining:
    locked = TopicTraining.objects.select_for_update().select_related("organizer").filter(pk=topic.pk).first()
    if locked is None or not may_record(scope, locked.organizer):
        raise NotFound(_("未找到该专题培训"))
    return locked


def _topic_people(topic: TopicTraining) -> set[int]:
    """Who the training counts now: people with a standing (not reversed) row in its batch."""
    return set(
        StudyHours.objects.filter(
            batch=topic.batch, reverses__isnull=True, reversed_by__isnull=True
        ).values_list("person_id", flat=True)
    )


def eligible_people(scope: Scope, topic: TopicTraining) -> Any:
    """The people a training may count: active, in the organizer's subtree and the recorder's scope."""
    return Person.objects.filter(
        scope.q(P.RECORD_STUDY, "organization__path"),
        organization__path__startswith=topic.organizer.path,
        is_active=True,
    )


def topic_people_add(*, actor: Any, scope: Scope, topic: TopicTraining, person_ids: list[int]) -> int:
    """Count the training's hours for these people (those already counted are left as they are)."""
    with transaction.atomic():
        locked = _locked_topic(scope, topic)
        allowed = set(eligible_people(scope, locked).filter(pk__in=person_ids).values_list("pk", flat=True))
        outside = set(person_ids) - allowed
        if outside:
            raise RuleViolation(
                _("有 %(n)s 人不在“%(o)s”或您的管理范围内，不能登记")
                % {"n": len(outside), "o": locked.organizer.name},
                code="out_of_scope",
            )
        current = _topic_people(locked)
        synced = _sync_one(
            actor=actor,
            kind=SourceKind.TOPIC,
            batch=locked.batch,
            on=locked.on,
            hours=locked.hours,
            wanted=current | allowed,
            note=_("专题培训：%(t)s") % {"t": locked.title},
            topic=locked,
        )
        if synced.added:
            audit.record(
                actor=actor,
                action="learning.topic_people_add",
                target=locked,
                org=locked.organizer,
                changes={"added": synced.added, "hours": str(locked.hours)},
            )
    return len(synced.added)


def topic_person_remove(*, actor: Any, scope: Scope, topic: TopicTraining, person_id: int) -> bool:
    """Take a person off the training: their hours are reversed by a correction row."""
    with transaction.atomic():
        locked = _locked_topic(scope, topic)
        current = _topic_people(locked)
        if person_id not in current:
            return False
        synced = _sync_one(
            actor=actor,
            kind=SourceKind.TOPIC,
            batch=locked.batch,
            on=locked.on,
            hours=locked.hours,
            wanted=current - {person_id},
            note=_("专题培训：%(t)s") % {"t": locked.title},
            topic=locked,
        )
        audit.record(
            actor=actor,
            action="learning.topic_person_remove",
            target=locked,
            org=locked.organizer,
            changes={"reversed": synced.reversed},
        )
    return bool(synced.reversed)


# ---------------------------------------------------------------- the monthly reminder


def reminders_send(*, today: date) -> int:
    """Remind each member behind the year's pace, once a month from the policy's day on (a run that
    missed the day catches up; a second run the same month sends nothing). Members without an account
    are counted by their secretary's list only. Returns the people reminded; audited once."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef
    from django.urls import reverse

    from dangjian.learning.ledger.selectors import Targets, behind_members
    from dangjian.learning.models import StudyReminder
    from dangjian.policy import get_policy
    from dangjian.workbench.services import notify

    if today.day < get_policy().study_reminder_day:
        return 0
    month = today.replace(day=1)
    targets = Targets.of(today.year, today)
    pending = (
        behind_members(targets)
        .exclude(Exists(StudyReminder.objects.filter(person_id=OuterRef("person_id"), month=month)))
        .values_list("person_id", "hours", "cadre")  # type: ignore[misc]
        .order_by("person_id")
    )
    link = reverse("learning:me")
    users = get_user_model()
    sent = 0
    rows = list(pending.iterator(chunk_size=2000))
    for start in range(0, len(rows), 2000):
        chunk = rows[start : start + 2000]
        with transaction.atomic():
            StudyReminder.objects.bulk_create(
                [
                    StudyReminder(
                        person_id=pid,
                        month=month,
                        hours=hours,
                        expected=targets.cadre_expected if cadre else targets.member_expected,
                    )
                    for pid, hours, cadre in chunk
                ],
                ignore_conflicts=True,
            )
            cadres = {pid: cadre for pid, _hours, cadre in chunk}
            recipients = list(
                users.objects.filter(person_id__in=list(cadres), is_active=True).only("pk", "person_id")
            )
            for cadre in (False, True):
                notify(
                    [u for u in recipients if cadres[u.person_id] is cadre],
                    "learning",
                    _("学习学时落后于进度"),
                    body=_("按全年进度，到今天应完成 %(e)s 学时，请查看“我的学习”。")
                    % {"e": targets.cadre_expected if cadre else targets.member_expected},
                    link=link,
                )
            sent += len(chunk)
    if sent:
        with transaction.atomic():
            audit.record(
                actor=None,
                action="learning.study_reminders",
                target=None,
                org=None,
                changes={"month": month, "people": sent},
            )
    return sent

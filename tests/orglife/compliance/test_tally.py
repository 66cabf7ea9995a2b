"""The attendance tally (AttendanceTally, ADR 0009) equals the live aggregate after any sequence of the
meeting services; the rebuild equals the rows kept by the services and is idempotent; the repair finds
drift, fixes it and audits it; the statistics read the tally for whole months and stay live otherwise;
the school's attendance page costs the same queries whatever the number of branches and meetings."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.celery import beat_schedule
from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.core.models import Organization, OrgKind, Person
from dangjian.kit.errors import DomainError
from dangjian.orglife.compliance import stats
from dangjian.orglife.compliance.tally import (
    refresh_if_held,
    tally_drift,
    tally_rebuild,
    tally_refresh,
    tally_repair,
)
from dangjian.orglife.meetings import checkin, services
from dangjian.orglife.models import (
    Attendance,
    AttendanceTally,
    Attendee,
    LeaveRequest,
    LeaveStatus,
    Meeting,
)
from tests import factories as f

SYSTEM = Scope.system()
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
# Spans the tally answers (whole months) and spans it does not (answered live either way).
SPANS = [
    YEAR,
    (date(2026, 3, 1), date(2026, 3, 31)),
    (date(2026, 2, 1), date(2026, 4, 30)),
    (date(2026, 3, 2), date(2026, 3, 31)),
    (date(2026, 1, 1), date(2026, 3, 29)),
]
DAYS = [date(2026, 2, 26), date(2026, 3, 3), date(2026, 3, 30), date(2026, 4, 14)]
KINDS = ["theme_day", "assembly", "committee"]
PLANNING = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)  # early January: every meeting is ahead


def live_rate(org: Organization, start: date, end: date) -> stats.Rate:
    row = (
        stats.held_attendees(start, end)
        .filter(meeting__organization__path__startswith=org.path)
        .aggregate(**stats._counts())
    )
    return stats.Rate(**{k: row[k] or 0 for k in stats._counts()})


def live_by_branch(ids: list[int], start: date, end: date) -> dict[int, stats.Rate]:
    return stats.rates_grouped(
        stats.held_attendees(start, end).filter(meeting__organization_id__in=ids), "meeting__organization_id"
    )


def assert_tally_agrees() -> None:
    """The maintained rows are what the source says, and every reader answers the live aggregate."""
    assert tally_drift() == []
    orgs = list(Organization.objects.order_by("path"))
    ids = [o.pk for o in orgs]
    for start, end in SPANS:
        for org in orgs:
            assert stats.rate_of(org, start, end) == live_rate(org, start, end), (org.code, start, end)
        assert stats.rates_by_branch(ids, start, end) == live_by_branch(ids, start, end), (start, end)


def tally_rows() -> list[dict[str, Any]]:
    return list(AttendanceTally.objects.order_by("branch_id", "month").values(*_columns()))


def _columns() -> list[str]:
    return ["branch_id", "month", *stats._counts()]


@pytest.fixture
def branches(world) -> list[Organization]:
    """Three branches with members: the CS teachers (3, a secretary), the CS students (2), FL (3)."""
    f.member(world.cs_branch2, "周同学")
    f.member(world.cs_branch2, "吴同学", female=True)
    return [world.cs_branch, world.cs_branch2, world.fl_branch]


# ---------------------------------------------------------------- every service, in any order

OPERATIONS = [
    "create",
    "notify",
    "invite",
    "move",
    "cancel",
    "leave",
    "decide",
    "scan",
    "manual",
    "mark",
    "minutes",
    "close",
    "correct",
]


class Picker:
    """Choices drawn up front as integers (the strategy must not depend on the database's state)."""

    def __init__(self, numbers: list[int]) -> None:
        self.numbers = iter(numbers)

    def __call__(self, values: list) -> Any:
        return values[next(self.numbers, 0) % len(values)]


def _people_of(meeting: Meeting) -> list[Person]:
    ids = Attendee.objects.filter(meeting=meeting).order_by("person_id").values_list("person_id", flat=True)
    return list(Person.objects.filter(pk__in=list(ids)).order_by("pk")) or list(Person.objects.order_by("pk"))


def _apply(op: str, numbers: list[int], branches: list[Organization]) -> None:
    choose = Picker(numbers)
    meetings = list(Meeting.objects.order_by("pk"))
    if op == "create" or not meetings:
        with time_machine.travel(PLANNING, tick=False):
            services.meeting_create(
                actor=None,
                scope=SYSTEM,
                org=choose(branches),
                kind=choose(KINDS),
                topic="测试会议",
                day=choose(DAYS),
                start_time=time(14, 30),
            )
        return
    meeting = choose(meetings)
    people = _people_of(meeting)
    starts, ends = meeting.starts_at, meeting.ends_at
    if op == "notify":
        with time_machine.travel(PLANNING, tick=False):
            services.meeting_notify(actor=None, scope=SYSTEM, meeting=meeting)
    elif op == "invite":
        with time_machine.travel(PLANNING, tick=False):
            services.meeting_invite(
                actor=None,
                scope=SYSTEM,
                meeting=meeting,
                people=[choose(list(Person.objects.order_by("pk")))],
                role=choose(["invited", "dual_life"]),
            )
    elif op == "move":
        with time_machine.travel(PLANNING, tick=False):
            services.meeting_update(actor=None, scope=SYSTEM, meeting=meeting, date=choose(DAYS))
    elif op == "cancel":
        with time_machine.travel(PLANNING, tick=False):
            services.meeting_cancel(actor=None, scope=SYSTEM, meeting=meeting, reason="测试")
    elif op == "leave":
        with time_machine.travel(starts - timedelta(days=1), tick=False):
            services.leave_request(actor=None, person=choose(people), meeting=meeting, reason="出差")
    elif op == "decide":
        pending = list(LeaveRequest.objects.filter(status=LeaveStatus.PENDING).order_by("pk"))
        if pending:
            leave = choose(pending)
            # Decided before the meeting, or late — once it is held, the decision changes its figures.
            at = choose(
                [leave.meeting.starts_at - timedelta(hours=2), leave.meeting.ends_at + timedelta(hours=1)]
            )
            with time_machine.travel(at, tick=False):
                services.leave_decide(actor=None, scope=SYSTEM, leave=leave, approve=choose([True, False]))
    elif op == "scan":
        now = starts + timedelta(minutes=5)
        with time_machine.travel(now, tick=False):
            services.checkin_scan(
                actor=None, person=choose(people), token=checkin.make_token(meeting, now), now=now
            )
    elif op == "manual":
        with time_machine.travel(starts + timedelta(minutes=5), tick=False):
            services.checkin_manual(
                actor=None, scope=SYSTEM, meeting=meeting, people=[choose(people), choose(people)]
            )
    elif op == "mark":
        with time_machine.travel(starts + timedelta(minutes=10), tick=False):
            services.attendance_mark(
                actor=None,
                scope=SYSTEM,
                meeting=meeting,
                person_ids=[choose(people).pk, choose(people).pk],
                attendance=choose([Attendance.PRESENT, Attendance.LEAVE, Attendance.ABSENT]),
            )
    elif op == "minutes":
        # During the meeting (the expected stay expected) or after its end (they become absent).
        with time_machine.travel(
            choose([starts + timedelta(minutes=10), ends + timedelta(minutes=1)]), tick=False
        ):
            services.minutes_record(
                actor=None,
                scope=SYSTEM,
                meeting=meeting,
                host=choose([None, *people]),
                recorder=None,
                content="会议纪要",
            )
    elif op == "close":
        with time_machine.travel(ends + timedelta(hours=1), tick=False):
            services.meeting_close(actor=None, scope=SYSTEM, meeting=meeting)
    elif op == "correct":
        with time_machine.travel(ends + timedelta(days=2), tick=False):
            services.minutes_correct(
                actor=None,
                scope=SYSTEM,
                meeting=meeting,
                reason="更正出勤",
                changes={},
                attendance={
                    choose(people).pk: choose([Attendance.PRESENT, Attendance.ABSENT, Attendance.LEAVE])
                },
            )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(
        st.tuples(st.sampled_from(OPERATIONS), st.lists(st.integers(0, 50), min_size=6, max_size=6)),
        min_size=1,
        max_size=25,
    )
)
def test_the_tally_equals_the_live_aggregate_after_any_sequence_of_meeting_services(
    world, branches, ops
) -> None:
    with transaction.atomic():  # every example starts from the same world
        for op, numbers in ops:
            with contextlib.suppress(DomainError), transaction.atomic():
                _apply(op, numbers, branches)  # refused in this state: nothing changed
        assert_tally_agrees()
        transaction.set_rollback(True)


# ---------------------------------------------------------------- a year held through the services


def _held_meeting(org: Organization, day: date, kind: str = "theme_day", *, close: bool = True) -> Meeting:
    """A meeting through the services: created, notified, the first attendee checked in, minuted during
    the meeting (the others still expected), archived (the others absent) unless ``close`` is False."""
    with time_machine.travel(PLANNING, tick=False):
        meeting = services.meeting_create(
            actor=None, scope=SYSTEM, org=org, kind=kind, topic="学习", day=day, start_time=time(14, 30)
        )
        services.meeting_notify(actor=None, scope=SYSTEM, meeting=meeting)
    people = _people_of(meeting)
    with time_machine.travel(meeting.starts_at + timedelta(minutes=5), tick=False):
        services.checkin_manual(actor=None, scope=SYSTEM, meeting=meeting, people=people[:1])
        services.minutes_record(
            actor=None, scope=SYSTEM, meeting=meeting, host=None, recorder=None, content="纪要"
        )
    if close:
        with time_machine.travel(meeting.ends_at + timedelta(hours=1), tick=False):
            services.meeting_close(actor=None, scope=SYSTEM, meeting=meeting)
    return meeting


@pytest.fixture
def year_of_meetings(world, branches) -> list[Meeting]:
    meetings = []
    for org in branches:
        for month in (2, 3, 5):
            meetings.append(_held_meeting(org, date(2026, month, 10)))
            meetings.append(_held_meeting(org, date(2026, month, 20), "assembly", close=month != 5))
    return meetings


def test_the_services_keep_one_row_per_branch_and_month(world, branches, year_of_meetings) -> None:
    rows = {(r["branch_id"], r["month"]): r for r in tally_rows()}
    assert set(rows) == {(b.pk, date(2026, m, 1)) for b in branches for m in (2, 3, 5)}
    cs_march = rows[(world.cs_branch.pk, date(2026, 3, 1))]
    # Two meetings of the three members: one present at each, the rest absent (or still expected).
    assert (cs_march["total"], cs_march["present"], cs_march["leave"], cs_march["absent"]) == (6, 2, 0, 4)
    assert (cs_march["theme_total"], cs_march["theme_present"]) == (3, 1)
    assert_tally_agrees()


def test_the_rebuild_equals_the_rows_the_services_kept_and_is_idempotent(year_of_meetings) -> None:
    maintained = tally_rows()
    assert maintained
    assert tally_rebuild() == len(maintained)
    assert tally_rows() == maintained
    assert tally_rebuild() == len(maintained)
    assert tally_rows() == maintained
    out = StringIO()
    call_command("rebuild_attendance_tally", stdout=out)
    assert f"{len(maintained)} in" in out.getvalue()
    assert tally_rows() == maintained


def test_the_rebuild_equals_a_refresh_of_every_key_from_scratch(year_of_meetings) -> None:
    tally_rebuild()
    rebuilt = tally_rows()
    keys = [(r["branch_id"], r["month"]) for r in rebuilt]
    AttendanceTally.objects.all().delete()
    with transaction.atomic():
        tally_refresh([*keys, (keys[0][0], date(2026, 7, 1))])  # a key with nothing held: no row
    assert tally_rows() == rebuilt


def test_the_migration_fills_the_table_as_the_rebuild_does(year_of_meetings) -> None:
    """Migration 0010 keeps its own frozen copy of the aggregate: today it must agree with the code's."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("dangjian.orglife.migrations.0010_attendance_tally")
    tally_rebuild()
    rebuilt = tally_rows()
    AttendanceTally.objects.all().delete()
    migration.fill_tally(apps, SimpleNamespace(connection=connection))
    assert tally_rows() == rebuilt


def test_a_date_move_refreshes_the_old_and_the_new_month(world, branches) -> None:
    held = _held_meeting(world.cs_branch, date(2026, 3, 10))
    # The March row was written past the services (a restore, a script), and April has a stray row: a
    # held meeting's refresh with its old key (as a move does) puts both right.
    AttendanceTally.objects.filter(branch=world.cs_branch).update(present=0)
    AttendanceTally.objects.create(branch=world.cs_branch, month=date(2026, 4, 1), total=5)
    held.refresh_from_db()
    refresh_if_held(held, old_key=(world.cs_branch.pk, date(2026, 4, 1)))
    assert [(r["month"], r["present"]) for r in tally_rows()] == [(date(2026, 3, 1), 1)]
    assert_tally_agrees()


def test_services_on_open_meetings_leave_the_tally_alone(world, branches) -> None:
    _held_meeting(world.cs_branch, date(2026, 3, 10))
    before = tally_rows()
    with time_machine.travel(PLANNING, tick=False):
        planned = services.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=world.cs_branch,
            kind="assembly",
            topic="待开",
            day=date(2026, 3, 12),
            start_time=time(14, 30),
        )
        with CaptureQueriesContext(connection) as ctx:
            services.meeting_update(actor=None, scope=SYSTEM, meeting=planned, date=date(2026, 4, 8))
    assert not [q for q in ctx.captured_queries if "orglife_attendancetally" in q["sql"]]
    assert tally_rows() == before
    assert_tally_agrees()


def test_the_repair_finds_drift_fixes_it_and_audits_it(world, year_of_meetings) -> None:
    tampered = (world.cs_branch.pk, date(2026, 3, 1))
    missing = (world.fl_branch.pk, date(2026, 5, 1))
    stray = (world.cs.pk, date(2026, 6, 1))
    AttendanceTally.objects.filter(branch_id=tampered[0], month=tampered[1]).update(present=99)
    AttendanceTally.objects.filter(branch_id=missing[0], month=missing[1]).delete()
    AttendanceTally.objects.create(branch_id=stray[0], month=stray[1], total=3, absent=3)
    assert tally_drift() == sorted([tampered, missing, stray])
    with transaction.atomic():
        assert tally_repair(actor=None) == sorted([tampered, missing, stray])
    event = AuditEvent.objects.get(action="orglife.tally_repair")
    assert event.changes["count"] == 3
    assert sorted(event.changes["keys"]) == sorted([[o, f"{m:%Y-%m}"] for o, m in (tampered, missing, stray)])
    assert tally_drift() == []
    assert tally_repair(actor=None) == []  # nothing drifted: nothing written, nothing audited
    assert AuditEvent.objects.filter(action="orglife.tally_repair").count() == 1
    assert_tally_agrees()


def test_the_nightly_task_repairs_drift_and_is_in_the_beat_schedule(world, year_of_meetings) -> None:
    from dangjian.orglife.tasks import repair_attendance_tally

    AttendanceTally.objects.filter(branch=world.fl_branch).update(leave=7)
    assert repair_attendance_tally() == 3  # the FL branch's three months
    assert repair_attendance_tally() == 0
    assert beat_schedule()["orglife-repair-tally"]["task"] == "dangjian.orglife.tasks.repair_attendance_tally"


def test_whole_months_read_the_tally_and_other_spans_stay_live(world, year_of_meetings) -> None:
    """Proved by a row written past the services: only the whole-month reads see it."""
    AttendanceTally.objects.filter(branch=world.cs_branch, month=date(2026, 3, 1)).update(present=0)
    assert stats.rate_of(world.cs, *YEAR) != live_rate(world.cs, *YEAR)
    assert stats.rates_by_branch([world.cs_branch.pk], *YEAR) != live_by_branch([world.cs_branch.pk], *YEAR)
    part = (date(2026, 1, 2), date(2026, 12, 31))
    assert stats.rate_of(world.cs, *part) == live_rate(world.cs, *part)
    assert stats.rate_of(world.fl, *YEAR) == live_rate(world.fl, *YEAR)  # another subtree: untouched
    assert stats.rate_of(world.school, *YEAR).total == live_rate(world.school, *YEAR).total > 0


# ---------------------------------------------------------------- the school's page


def _count(client: Any, url: str) -> int:
    client.get(url)  # warms the user's scope and bell (ADR 0004)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_branches(world: Any, n: int) -> None:
    for i in range(n):
        branch = f.org(world.fl, OrgKind.BRANCH, f"外国语学院第{i}党支部")
        f.member(branch, f"成员{i}")
        for month in (2, 3):
            _held_meeting(branch, date(2026, month, 10), close=False)


@time_machine.travel("2026-06-15 10:00 +0800", tick=False)
def test_the_schools_attendance_page_costs_the_same_queries_whatever_the_branches_and_meetings(
    world, branches, school_admin, login, django_assert_max_num_queries
) -> None:
    client = login(school_admin)
    url = reverse("orglife:stats_attendance") + f"?org={world.school.pk}&year=2026"
    _more_branches(world, 1)
    small = _count(client, url)
    _more_branches(world, 6)
    with django_assert_max_num_queries(15):
        page = client.get(url)
    assert page.status_code == 200
    assert page.context["total"] == live_rate(world.school, *YEAR)
    assert _count(client, url) == small


# ---------------------------------------------------------------- concurrent writers (PostgreSQL)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_check_ins_of_one_month_are_all_counted(world) -> None:
    """Each scan counts its branch's month again under the tally row's lock: none overwrites another's."""
    import threading

    from django.db import connections

    people = [f.member(world.cs_branch, f"党员{i}") for i in range(8)]
    with time_machine.travel(PLANNING, tick=False):
        first = services.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=world.cs_branch,
            kind="assembly",
            topic="t",
            day=date(2026, 3, 10),
            start_time=time(14, 30),
        )
        second = services.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=world.cs_branch,
            kind="theme_day",
            topic="t",
            day=date(2026, 3, 10),
            start_time=time(14, 30),
        )
    now = first.starts_at + timedelta(minutes=5)
    barrier = threading.Barrier(len(people))
    errors: list[Exception] = []

    def scan(meeting: Meeting, person: Person) -> None:
        try:
            barrier.wait()
            services.checkin_scan(actor=None, person=person, token=checkin.make_token(meeting, now), now=now)
        except Exception as exc:  # the test inspects what each worker met
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=scan, args=(first if i % 2 else second, p)) for i, p in enumerate(people)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert tally_drift() == []
    row = AttendanceTally.objects.get(branch=world.cs_branch, month=date(2026, 3, 1))
    assert row.present == 8

"""The maintained attendance tally (``AttendanceTally``, ADR 0009): per organization and month, the
figures of ``stats._counts()`` over ``stats.held_attendees`` for that organization's meetings dated in
that month (issue 20: the school's attendance page no longer aggregates a province's 25 million
attendee rows of a year).

Every meeting service that changes a meeting (its status, date, organization) or its attendees calls
``tally_refresh`` with the meeting's (organization, month) key — old and new when the date moved —
inside its transaction: it recomputes those rows from the source with one grouped query and upserts
them (a key with nothing counted loses its row). No signal, nothing in ``save()``: the writer names
what it touched. Bulk writers (the demo seeds, the province stage, the benchmark) call
``tally_rebuild`` once at the end: one INSERT … SELECT … GROUP BY. ``tally_repair`` — nightly
(``orglife-repair-tally``) — finds rows that drifted from the source, month by month, recomputes them
and audits it as ``orglife.tally_repair``.

The figures are defined once, as the live readers' own aggregate (``stats._counts`` grouped by the
meeting's organization and month): the refresh, the rebuild and the drift check share
``grouped_figures``, so they cannot disagree with each other or with the live path of the readers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import TruncMonth

from dangjian import audit
from dangjian.kit.dates import add_months
from dangjian.orglife.compliance.stats import _counts, held_attendees
from dangjian.orglife.models import HELD_STATUSES, AttendanceTally, Attendee, Meeting

Key = tuple[int, date]  # (organization id, first day of the month)
ORG = "org"  # the meeting's organization, as the grouped rows name it


def figures() -> list[str]:
    """The tally's counted columns, in the order of ``stats._counts``."""
    return list(_counts())


def month_of(day: date) -> date:
    return day.replace(day=1)


def meeting_key(meeting: Meeting) -> Key:
    """The tally row a meeting counts in: its organization and the first day of its month."""
    return (meeting.organization_id, month_of(meeting.date))


def grouped_figures(attendees: QuerySet[Attendee]) -> QuerySet[Any]:
    """The figures of these attendees by (meeting's organization, month): rows of ``org``, ``month``
    and the counted columns, one per group with anything in it. Every column is a named annotation,
    so the rebuild can select them by name from this query as a derived table."""
    return (
        attendees.annotate(**{ORG: F("meeting__organization_id"), "month": TruncMonth("meeting__date")})
        .values(ORG, "month")
        .annotate(**_counts())
        .order_by()
    )


def source(first: date = date.min, last: date = date.max) -> QuerySet[Attendee]:
    """The attendees the tally counts (the readers' ``held_attendees``), of meetings dated from
    ``first`` to ``last`` (inclusive; by default all)."""
    return held_attendees(first, last)


def computed(keys: Iterable[Key]) -> dict[Key, dict[str, int]]:
    """The figures of these keys from the source (keys with nothing counted absent): one grouped query
    over the keys' organizations and the span of their months."""
    wanted = set(keys)
    if not wanted:
        return {}
    months = sorted({m for _o, m in wanted})
    last = add_months(months[-1], 1) - timedelta(days=1)
    rows = grouped_figures(
        source(months[0], last).filter(meeting__organization_id__in=sorted({o for o, _m in wanted}))
    )
    result: dict[Key, dict[str, int]] = {}
    for row in rows:
        key = (row.pop(ORG), row.pop("month"))
        if key in wanted and row["total"]:
            result[key] = row
    return result


def refresh_if_held(meeting: Meeting, *, was: str | None = None, old_key: Key | None = None) -> None:
    """``tally_refresh`` of the meeting's key (and ``old_key``) when the meeting is held now or was
    (status ``was``) before the change: an open or cancelled meeting counts in no tally, so the services
    that plan, notify, move, invite to or cancel one pay nothing for it."""
    if meeting.status in HELD_STATUSES or was in HELD_STATUSES:
        tally_refresh([meeting_key(meeting), *([old_key] if old_key else [])])


def tally_refresh(keys: Iterable[tuple[int | None, date | None]]) -> None:
    """Recompute the tally rows of these (organization id, any day of the month) keys from the source,
    in the caller's transaction (keys with a None ignored). Called by every service that changes a
    meeting or its attendees, with the meeting's key — old and new when its date or org moved.

    The rows are locked first (created when missing), in key order: a concurrent writer of the same
    organization and month waits here until this transaction commits and then counts what it
    committed — counting first and locking at the write would let the later writer overwrite the
    earlier one's change with a count that missed it. Then one grouped query, one upsert of the keys
    with anything counted and one delete of those without (a month with nothing counted has no row).
    Five queries for a meeting's key; call it last in the transaction, so the lock is held briefly."""
    wanted = sorted({(o, month_of(d)) for o, d in keys if o is not None and d is not None})
    if not wanted:
        return
    if not connection.in_atomic_block:  # a caller outside a transaction (a script): its own
        with transaction.atomic():
            tally_refresh(wanted)
        return
    AttendanceTally.objects.bulk_create(
        [AttendanceTally(branch_id=o, month=m) for o, m in wanted], ignore_conflicts=True
    )
    # Locked: the rows of the keys' orgs and months (exactly the keys for one meeting's refresh).
    locked = {
        (o, m): pk
        for pk, o, m in AttendanceTally.objects.select_for_update()
        .filter(branch_id__in={o for o, _m in wanted}, month__in={m for _o, m in wanted})
        .order_by("branch_id", "month")
        .values_list("pk", "branch_id", "month")
    }
    found = computed(wanted)
    if found:
        AttendanceTally.objects.bulk_create(
            [AttendanceTally(branch_id=o, month=m, **row) for (o, m), row in sorted(found.items())],
            update_conflicts=True,
            unique_fields=["branch", "month"],
            update_fields=figures(),
        )
    empty = [locked[k] for k in wanted if k not in found and k in locked]
    if empty:
        AttendanceTally.objects.filter(pk__in=empty).delete()


def tally_rebuild() -> int:
    """Every tally row from the source, set-based: the table emptied and refilled by one
    INSERT … SELECT … GROUP BY — the readers' own aggregate compiled by the ORM (SQLite and PostgreSQL
    alike) and read as a derived table by its column names — in one transaction. Idempotent. Returns
    the row count."""
    grouped = grouped_figures(source())
    select, params = grouped.query.get_compiler(using=grouped.db).as_sql()
    qn = connection.ops.quote_name
    names = [(ORG, "branch_id"), ("month", "month"), *((n, n) for n in figures())]
    into = ", ".join(qn(column) for _name, column in names)
    # PostgreSQL's DATE_TRUNC of a date answers a timestamp with time zone: back to a date, explicitly.
    cast = connection.vendor == "postgresql"
    picked = ", ".join(
        f"CAST(src.{qn(name)} AS date)" if cast and name == "month" else f"src.{qn(name)}"
        for name, _column in names
    )
    table = qn(AttendanceTally._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"INSERT INTO {table} ({into}) SELECT {picked} FROM ({select}) src", params)
    if connection.vendor == "postgresql":  # the planner's row estimates, before the first page
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return AttendanceTally.objects.count()


def _months() -> list[date]:
    """Every month with a tally row or a held meeting."""
    stored = set(AttendanceTally.objects.values_list("month", flat=True).distinct())
    held = set(
        Meeting.objects.filter(status__in=HELD_STATUSES)
        .annotate(month=TruncMonth("date"))
        .values_list("month", flat=True)
        .distinct()
    )
    return sorted(stored | held)


def tally_drift(*, limit: int = 100) -> list[Key]:
    """Keys (organization id, month) whose tally row disagrees with the source, is missing, or should
    not be there, in key order: month by month (two queries each), so memory holds one month's rows —
    at province size 39,000 a month, not the year's 25 million attendees."""
    names = figures()
    drift: list[Key] = []
    for month in _months():
        last = add_months(month, 1) - timedelta(days=1)
        want = {
            (row.pop(ORG), month): tuple(row[n] for n in names)
            for row in grouped_figures(source(month, last))
        }
        have = {
            (o, month): tuple(values)
            for o, *values in AttendanceTally.objects.filter(month=month).values_list("branch_id", *names)
        }
        drift += [key for key in set(want) | set(have) if want.get(key) != have.get(key)]
        if len(drift) >= limit:
            break
    return sorted(drift)[:limit]  # in key order, whatever order the database computed the rows in


def tally_repair(*, actor: Any) -> list[Key]:
    """Find the tally rows that drifted from the source and recompute them (audited as one event with
    the keys). Returns the keys repaired; nothing is written when there is no drift."""
    drift = tally_drift(limit=10_000)
    if drift:
        with transaction.atomic():
            tally_refresh(drift)
            audit.record(
                actor=actor,
                action="orglife.tally_repair",
                changes={
                    "keys": [[o, f"{m:%Y-%m}"] for o, m in drift],
                    "count": len(drift),
                },
            )
    return drift

"""组织生活 for the province data set (`seed_demo --size province`, PostgreSQL): a year, set-based.

As the university demo (``orglife.meetings.demo``) for every branch of the province: month plans (approved
up to this month; next month's submitted, returned or still a draft), 11 past months, this one and the
next of meetings — 主题党日 monthly, 支委会 most months (gaps on purpose), 党员大会 and 党课 (given by the
secretary) each quarter, 组织生活会 and 民主评议 in January — with their status by date, every member
expected, 86% present (checked in), 9% on approved leave, the rest absent, the minutes of minuted and
closed meetings, and last the attendance tally counted from them (``compliance.tally.tally_rebuild``).
Stage by stage (attendance month by month), deterministic from the ids.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from dangjian.core.demo.province import columns, indexes_deferred, stage, stage_unless
from dangjian.core.models import Membership, Organization, Position, PositionTitle, Standing
from dangjian.kit.dates import add_months
from dangjian.orglife.compliance.tally import tally_rebuild
from dangjian.orglife.meetings.demo import PLACES, TOPICS
from dangjian.orglife.models import (
    Attendance,
    AttendanceTally,
    Attendee,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    Plan,
    PlanStatus,
)

# (number, kind, when): which month index i (0–12) of which branch b has the meeting.
PLAN = (
    (0, MeetingKind.THEME_DAY, "true"),
    (1, MeetingKind.COMMITTEE, "mod(b.id + i, 7) <> 0"),
    (2, MeetingKind.ASSEMBLY, "extract(month FROM mo) IN (3, 6, 9, 12)"),
    (3, MeetingKind.LECTURE, "extract(month FROM mo) IN (3, 6, 9, 12)"),
    (4, MeetingKind.LIFE_MEETING, "extract(month FROM mo) = 1"),
    (5, MeetingKind.EVALUATION, "extract(month FROM mo) = 1"),
)
TZ = "'Asia/Shanghai'"


def _first_month(today: date) -> date:
    return add_months(today.replace(day=1), -11)


def generate(log: Callable[[str], None] = print, *, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    first, this_month = _first_month(today), today.replace(day=1)
    org, member, position = (m._meta.db_table for m in (Organization, Membership, Position))
    plan, meeting, attendee, leave, minutes, tally = (
        m._meta.db_table for m in (Plan, Meeting, Attendee, LeaveRequest, Minutes, AttendanceTally)
    )
    months = (
        "(SELECT i, (%(first)s::date + make_interval(months => i))::date AS mo "
        "FROM generate_series(0, 12) i) s"
    )
    params: dict[str, Any] = {"first": first, "today": today, "this_month": this_month, "now": timezone.now()}

    status = (
        f"CASE WHEN s.mo <= %(this_month)s THEN '{PlanStatus.APPROVED}' WHEN mod(b.id, 5) = 0 "
        f"THEN '{PlanStatus.SUBMITTED}' WHEN mod(b.id, 5) = 1 THEN '{PlanStatus.RETURNED}' "
        f"ELSE '{PlanStatus.DRAFT}' END"
    )
    cols, vals = columns(
        Plan,
        {
            "organization": "b.id",
            "period_kind": "'month'",
            "period_start": "s.mo",
            "status": status,
            "submitted_at": f"CASE WHEN {status} <> '{PlanStatus.DRAFT}' THEN %(now)s END",
            "reviewed_at": f"CASE WHEN {status} IN ('{PlanStatus.APPROVED}', '{PlanStatus.RETURNED}') "
            "THEN %(now)s END",
            "review_note": f"CASE WHEN {status} = '{PlanStatus.RETURNED}' "
            "THEN '请补充党小组会安排' ELSE '' END",
        },
    )
    branches = f"FROM {org} b CROSS JOIN {months} WHERE b.kind = 'branch' AND b.is_active"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {branches}", params)
        plans = cursor.fetchone()[0]
    stage(
        "orglife month plans",
        f"SELECT count(*) FROM {plan}",
        plans,
        f"INSERT INTO {plan} ({cols}) SELECT {vals} {branches}",
        params,
        log=log,
    )

    kinds = ", ".join(f"({n}, '{kind}')" for n, kind, _when in PLAN)
    when = " ".join(f"WHEN {n} THEN {cond}" for n, _kind, cond in PLAN)
    h = "abs(hashint8(b.id * 64 + s.i * 8 + k.n))"
    day = f"(s.mo + (2 + mod({h}, 24))::int)"
    start = (
        f"make_time(CASE mod({h}, 4) WHEN 0 THEN 9 WHEN 1 THEN 14 WHEN 2 THEN 15 ELSE 19 END, "
        f"(30 * mod({h} / 4, 2))::int, 0)"
    )
    at = f"(({day} + {start}) AT TIME ZONE {TZ})"
    meeting_status = (
        f"CASE WHEN {day} < %(today)s::date - 30 THEN '{MeetingStatus.CLOSED}' "
        f"WHEN {day} < %(today)s::date - 7 THEN '{MeetingStatus.MINUTED}' "
        f"WHEN {day} < %(today)s THEN '{MeetingStatus.HELD}' "
        f"WHEN {day} < %(today)s::date + 14 THEN '{MeetingStatus.NOTIFIED}' "
        f"ELSE '{MeetingStatus.PLANNED}' END"
    )
    topic = (
        "CASE k.kind "
        + " ".join(
            f"WHEN '{kind}' THEN (%(topics_{kind})s::text[])"
            f"[1 + mod({h} / 8, {len(TOPICS[MeetingKind(kind)])})]"
            for _n, kind, _w in PLAN
        )
        + " END"
    )
    ad_hoc = f"mod({h} / 16, 100) < 8"
    cols, vals = columns(
        Meeting,
        {
            "organization": "b.id",
            "plan": f"CASE WHEN {ad_hoc} THEN NULL ELSE pl.id END",
            "ad_hoc": ad_hoc,
            "kind": "k.kind",
            "topic": topic,
            "date": day,
            "start_time": start,
            "duration_minutes": "90",
            "place": f"(%(places)s::text[])[1 + mod({h} / 32, {len(PLACES)})]",
            "speaker": f"CASE WHEN k.kind = '{MeetingKind.LECTURE}' THEN sec.person_id END",
            "status": meeting_status,
            "notified_at": f"CASE WHEN {meeting_status} <> '{MeetingStatus.PLANNED}' "
            f"THEN {at} - interval '3 days' END",
            "held_at": f"CASE WHEN {day} < %(today)s THEN {at} END",
            "closed_at": f"CASE WHEN {meeting_status} = '{MeetingStatus.CLOSED}' "
            f"THEN {at} + interval '20 days' END",
        },
    )
    source = (
        f"FROM {org} b CROSS JOIN {months} CROSS JOIN (VALUES {kinds}) AS k(n, kind) "
        f"JOIN {position} sec ON sec.organization_id = b.id AND sec.title = '{PositionTitle.SECRETARY}' "
        "AND sec.ended_on IS NULL "
        f"LEFT JOIN {plan} pl ON pl.organization_id = b.id AND pl.period_kind = 'month' "
        "AND pl.period_start = s.mo "
        f"WHERE b.kind = 'branch' AND b.is_active AND CASE k.n {when} END"
    )
    meeting_params: dict[str, Any] = {
        **params,
        "places": list(PLACES),
        **{f"topics_{kind}": list(TOPICS[MeetingKind(kind)]) for _n, kind, _w in PLAN},
    }
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {source}", meeting_params)
        meetings = cursor.fetchone()[0]
    with indexes_deferred([meeting], log):
        stage(
            "orglife meetings",
            f"SELECT count(*) FROM {meeting}",
            meetings,
            f"INSERT INTO {meeting} ({cols}) SELECT {vals} {source}",
            meeting_params,
            log=log,
        )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {plan}, {meeting}")

    # Attendance, month by month: every member of the branch (the secretary alone at a 支委会).
    ah = "abs(hashint8(mt.id * 64 + x.person_id))"
    held = "mt.date < %(today)s"
    attendance = (
        f"CASE WHEN NOT {held} THEN '{Attendance.EXPECTED}' "
        f"WHEN x.person_id = sec.person_id OR mod({ah}, 100) < 86 THEN '{Attendance.PRESENT}' "
        f"WHEN mod({ah}, 100) < 95 THEN '{Attendance.LEAVE}' ELSE '{Attendance.ABSENT}' END"
    )
    starts = f"((mt.date + mt.start_time) AT TIME ZONE {TZ})"
    present = f"{attendance} = '{Attendance.PRESENT}'"
    cols, vals = columns(
        Attendee,
        {
            "meeting": "mt.id",
            "person": "x.person_id",
            "role": "'member'",
            "attendance": attendance,
            "checked_in_at": f"CASE WHEN {present} THEN {starts} "
            f"- make_interval(mins => mod({ah} / 100, 26)::int) END",
            "checkin_method": f"CASE WHEN {present} THEN CASE WHEN mod({ah} / 100, 10) < 9 THEN 'qr' "
            "ELSE 'manual' END ELSE '' END",
            "absence_reason": f"CASE WHEN {attendance} = '{Attendance.ABSENT}' THEN '未说明原因' ELSE '' END",
        },
    )
    expected = (
        f"JOIN {position} sec ON sec.organization_id = mt.organization_id AND sec.title = "
        f"'{PositionTitle.SECRETARY}' AND sec.ended_on IS NULL "
        "CROSS JOIN LATERAL (SELECT ms.person_id FROM "
        f"{member} ms WHERE ms.organization_id = mt.organization_id AND ms.standing = '{Standing.NORMAL}' "
        f"AND mt.kind <> '{MeetingKind.COMMITTEE}' UNION ALL SELECT sec.person_id "
        f"WHERE mt.kind = '{MeetingKind.COMMITTEE}') x"
    )
    cols_leave, vals_leave = columns(
        LeaveRequest,
        {
            "meeting": "a.meeting_id",
            "person": "a.person_id",
            "reason": "(ARRAY['出差', '授课冲突', '病假', '外出调研'])[1 + mod(a.id, 4)::int]",
            "status": f"'{LeaveStatus.APPROVED}'",
            "decided_at": f"((mt.date + mt.start_time) AT TIME ZONE {TZ}) - interval '1 day'",
        },
    )
    with indexes_deferred([attendee, leave], log):
        for i in range(13):
            month = add_months(first, i)
            window: dict[str, Any] = {**params, "lo": month, "hi": add_months(month, 1)}

            def attend(window: dict[str, Any] = window) -> None:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"INSERT INTO {attendee} ({cols}) SELECT {vals} FROM {meeting} mt {expected} "
                        "WHERE mt.date >= %(lo)s AND mt.date < %(hi)s",
                        window,
                    )
                    cursor.execute(
                        f"INSERT INTO {leave} ({cols_leave}) SELECT {vals_leave} FROM {attendee} a "
                        f"JOIN {meeting} mt ON mt.id = a.meeting_id "
                        "WHERE mt.date >= %(lo)s AND mt.date < %(hi)s "
                        f"AND a.attendance = '{Attendance.LEAVE}'",
                        window,
                    )

            stage_unless(
                f"orglife attendance {month:%Y-%m}",
                f"SELECT EXISTS (SELECT 1 FROM {meeting} mt JOIN {attendee} a ON a.meeting_id = mt.id "
                "WHERE mt.date >= %(lo)s AND mt.date < %(hi)s)",
                attend,
                window,
                log=log,
            )
    cols, vals = columns(
        Minutes,
        {
            "meeting": "mt.id",
            "host": "sec.person_id",
            "recorder": "sec.person_id",
            "content": "'会议围绕“' || mt.topic || '”进行学习和讨论，与会党员结合实际发言。'",
            "resolutions": f"CASE WHEN mt.kind IN ('{MeetingKind.ASSEMBLY}', '{MeetingKind.COMMITTEE}') "
            "THEN '会议形成一致意见。' ELSE '' END",
            # Written 0–9 days after the meeting (8 in 10 within the 7 days of the minutes indicator).
            "recorded_at": "LEAST(now(), ((mt.date + mt.start_time) AT TIME ZONE 'Asia/Shanghai') "
            "+ (mt.id % 10) * interval '1 day')",
        },
    )
    minuted = f"WHERE mt.status IN ('{MeetingStatus.MINUTED}', '{MeetingStatus.CLOSED}')"
    # Done when any minutes exist (a stage is one transaction), not when they number the minuted
    # meetings: the org-life benchmark adds a year of closed meetings of its own, so a resumed seed
    # after a `make bench-province` would count those and stop.
    stage_unless(
        "orglife minutes",
        f"SELECT EXISTS (SELECT 1 FROM {minutes})",
        f"INSERT INTO {minutes} ({cols}) SELECT {vals} FROM {meeting} mt "
        f"JOIN {position} sec ON sec.organization_id = mt.organization_id AND sec.title = "
        f"'{PositionTitle.SECRETARY}' AND sec.ended_on IS NULL {minuted}",
        log=log,
    )
    # Last: the attendance tally of everything above, in one INSERT … SELECT … GROUP BY.
    stage_unless(
        "orglife attendance tally",
        f"SELECT EXISTS (SELECT 1 FROM {tally})",
        tally_rebuild,
        log=log,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {attendee}), (SELECT count(*) FROM {leave}), "
            f"(SELECT count(*) FROM {tally}), (SELECT count(*) FROM {minutes})"
        )
        attendees, leaves, tallies, minuted_count = cursor.fetchone()
    return {
        "orglife_plans": plans,
        "meetings": meetings,
        "attendees": attendees,
        "leave requests": leaves,
        "minutes": minuted_count,
        "attendance tally rows": tallies,
    }

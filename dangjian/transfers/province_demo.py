"""组织关系转接 for the province data set (`seed_demo --size province`, PostgreSQL): a year, set-based.

About 2% of the members on the roll asked for a transfer this year (the demo logins never move): 40% out
of the school within the province, 40% elsewhere in the country, 20% to another university of the
province (校内 here: between committees). Half are done (the 回执 came back and the member left the
roll), the rest wait at the branch or the committee, wait for the receipt with their 介绍信 out, or were
sent back or withdrawn — each with the events of its way and, once the committee approved, a 介绍信 with
the next serial of the committee for the year (and the serial counters to match).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.demo import province
from dangjian.core.demo.province import columns, stage, stage_unless
from dangjian.core.models import Membership, Organization, Standing
from dangjian.policy import get_policy
from dangjian.transfers.demo import DESTINATIONS, REASONS
from dangjian.transfers.models import (
    OUT_KINDS,
    Letter,
    SerialCounter,
    Transfer,
    TransferEvent,
    TransferKind,
    TransferStatus,
)

S = TransferStatus
SHARE_PER_MILLE = 20
# The events on the way to each final status: (final status, order, action, from status, to status).
WAYS = [
    (final, seq, action, before, after)
    for final, steps in {
        S.REQUESTED: [("start", "", S.REQUESTED)],
        S.BRANCH_APPROVED: [("start", "", S.REQUESTED), ("approve", S.REQUESTED, S.BRANCH_APPROVED)],
        S.COLLEGE_APPROVED: [
            ("start", "", S.REQUESTED),
            ("approve", S.REQUESTED, S.BRANCH_APPROVED),
            ("approve", S.BRANCH_APPROVED, S.COLLEGE_APPROVED),
        ],
        S.COMPLETED: [
            ("start", "", S.REQUESTED),
            ("approve", S.REQUESTED, S.BRANCH_APPROVED),
            ("approve", S.BRANCH_APPROVED, S.COLLEGE_APPROVED),
            ("complete", S.COLLEGE_APPROVED, S.COMPLETED),
        ],
        S.REJECTED: [("start", "", S.REQUESTED), ("reject", S.REQUESTED, S.REJECTED)],
        S.WITHDRAWN: [("start", "", S.REQUESTED), ("withdraw", S.REQUESTED, S.WITHDRAWN)],
    }.items()
    for seq, (action, before, after) in enumerate(steps)
]


def generate(log: Callable[[str], None] = print, *, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    member, org, user = Membership._meta.db_table, Organization._meta.db_table, User._meta.db_table
    transfer, letter, counter, event = (
        m._meta.db_table for m in (Transfer, Letter, SerialCounter, TransferEvent)
    )
    h = "abs(hashint8(m.person_id * 7 + 3))"
    kind = (
        f"CASE WHEN mod({h} / 1000, 10) < 4 THEN '{TransferKind.OUT_PROVINCE}' WHEN mod({h} / 1000, 10) < 8 "
        f"THEN '{TransferKind.OUT_NATIONAL}' ELSE '{TransferKind.IN_SCHOOL}' END"
    )
    roll = f"mod({h} / 10000, 100)"
    status = (
        f"CASE WHEN {roll} < 50 THEN CASE WHEN {kind} = '{TransferKind.IN_SCHOOL}' "
        f"THEN '{S.COLLEGE_APPROVED}' "
        f"ELSE '{S.COMPLETED}' END WHEN {roll} < 60 THEN '{S.REQUESTED}' WHEN {roll} < 70 "
        f"THEN '{S.BRANCH_APPROVED}' WHEN {roll} < 85 THEN '{S.COLLEGE_APPROVED}' WHEN {roll} < 93 "
        f"THEN '{S.REJECTED}' ELSE '{S.WITHDRAWN}' END"
    )
    # Older requests are further on: the open ones were asked within the last 40 days.
    days_ago = f"(CASE WHEN {status} IN ('{S.REQUESTED}', '{S.BRANCH_APPROVED}', '{S.COLLEGE_APPROVED}') "
    days_ago += f"THEN 1 + mod({h} / 100, 40) ELSE 41 + mod({h} / 100, 320) END)"
    asked = f"(%(today)s::date - {days_ago}::int)"
    done = f"least({asked} + 21, %(today)s::date)"
    # The next university of the province (the committees' paths are the root's and a 4-digit number).
    next_committee = (
        "substr(b.path, 1, 4) || "
        f"lpad((mod(substr(b.path, 5, 4)::int, {province.COMMITTEES}) + 1)::text, 4, '0')"
    )
    cols, vals = columns(
        Transfer,
        {
            "person": "m.person_id",
            "kind": kind,
            "status": status,
            "from_org": "m.organization_id",
            "to_college": f"CASE WHEN {kind} = '{TransferKind.IN_SCHOOL}' THEN c2.id END",
            "external_org": f"CASE WHEN {kind} = '{TransferKind.IN_SCHOOL}' THEN '' "
            f"ELSE (%(destinations)s::text[])[1 + mod({h}, {len(DESTINATIONS)})] END",
            "reason": f"(%(reasons)s::text[])[1 + mod({h} / 7, {len(REASONS)})]",
            "created_at": f"({asked} + time '10:00') AT TIME ZONE 'Asia/Shanghai'",
            "completed_on": f"CASE WHEN {status} = '{S.COMPLETED}' THEN {done} END",
            "receipt_returned_on": f"CASE WHEN {status} = '{S.COMPLETED}' THEN {done} END",
        },
    )
    source = (
        f"FROM {member} m JOIN {org} b ON b.id = m.organization_id "
        f"LEFT JOIN {org} c2 ON c2.depth = 2 AND c2.path = {next_committee} "
        f"WHERE m.standing = '{Standing.NORMAL}' AND mod({h}, 1000) < {SHARE_PER_MILLE} "
        f"AND NOT EXISTS (SELECT 1 FROM {user} u WHERE u.person_id = m.person_id)"
    )
    params: dict[str, Any] = {"today": today, "destinations": list(DESTINATIONS), "reasons": list(REASONS)}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {source}", params)
        transfers = cursor.fetchone()[0]
    stage(
        "transfers",
        f"SELECT count(*) FROM {transfer}",
        transfers,
        f"INSERT INTO {transfer} ({cols}) SELECT {vals} {source}",
        params,
        log=log,
    )
    ways = ", ".join(f"('{f}', {seq}, '{a}', '{b}', '{t}')" for f, seq, a, b, t in WAYS)
    cols, vals = columns(
        TransferEvent,
        {
            "transfer": "t.id",
            "action": "w.action",
            "from_status": "w.before",
            "to_status": "w.after",
            "note": "CASE w.action WHEN 'reject' THEN '接收党组织名称不完整，请核对后重新申请' ELSE '' END",
            "at": "t.created_at + w.seq * interval '3 days'",
        },
    )
    events_source = (
        f"FROM {transfer} t JOIN (VALUES {ways}) AS w(final, seq, action, before, after) "
        "ON w.final = t.status"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {events_source}")
        events = cursor.fetchone()[0]
    stage(
        "transfer events",
        f"SELECT count(*) FROM {event}",
        events,
        f"INSERT INTO {event} ({cols}) SELECT {vals} {events_source} ORDER BY t.id, w.seq",
        log=log,
    )
    # 介绍信: issued by the sending branch's committee when it approved (out of the school only).
    issued_on = "least((t.created_at AT TIME ZONE 'Asia/Shanghai')::date + 6, %(today)s::date)"
    outs = ", ".join(f"'{k}'" for k in OUT_KINDS)
    numbered = (
        f"SELECT t.id AS transfer_id, c.id AS issuer, c.code, {issued_on} AS issued_on, "
        f"row_number() OVER (PARTITION BY c.id, extract(year FROM {issued_on}) ORDER BY t.id) AS number "
        f"FROM {transfer} t JOIN {org} b ON b.id = t.from_org_id "
        f"JOIN {org} c ON c.depth = 2 AND c.path = substr(b.path, 1, 8) "
        f"WHERE t.kind IN ({outs}) AND t.status IN ('{S.COLLEGE_APPROVED}', '{S.COMPLETED}')"
    )
    cols, vals = columns(
        Letter,
        {
            "transfer": "n.transfer_id",
            "issuing_org": "n.issuer",
            "year": "extract(year FROM n.issued_on)::int",
            "number": "n.number",
            "serial": "n.code || '-' || extract(year FROM n.issued_on)::int || '-' "
            "|| lpad(n.number::text, greatest(4, length(n.number::text)), '0')",
            "issued_on": "n.issued_on",
            "valid_days": str(get_policy().transfer_letter_valid_days),
        },
    )

    def letters() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {letter} ({cols}) SELECT {vals} FROM ({numbered}) n", params)
            cursor.execute(
                f"INSERT INTO {counter} (organization_id, year, last) "
                "SELECT issuing_org_id, year, max(number) "
                f"FROM {letter} GROUP BY issuing_org_id, year"
            )

    stage_unless(
        "transfer letters (介绍信) and serial counters",
        f"SELECT EXISTS (SELECT 1 FROM {letter})",
        letters,
        log=log,
    )
    stage_unless(
        "transfers done: the members left the roll",
        f"SELECT EXISTS (SELECT 1 FROM {member} WHERE standing = '{Standing.TRANSFERRED_OUT}')",
        f"UPDATE {member} m SET standing = '{Standing.TRANSFERRED_OUT}', standing_since = t.completed_on, "
        "standing_note = '组织关系转出至' || t.external_org "
        f"FROM {transfer} t WHERE t.person_id = m.person_id AND t.status = '{S.COMPLETED}'",
        log=log,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT count(*) FROM {transfer}), (SELECT count(*) FROM {letter})")
        transfers, letter_count = cursor.fetchone()
    return {"transfers": transfers, "transfer_events": events, "transfer_letters": letter_count}

"""组织生活 at province scale on PostgreSQL (`python -m bench.orglife`, part of `make bench`).

1. The compliance matrix (and the attendance and 党课 pages) of the largest college of the province data
   set (`seed_demo --size province` in BENCH_PROVINCE_DATABASE_URL, seeded here when missing), after a
   year of meetings for every branch of the province is generated in SQL (about 1.4M meetings; attendees
   for the largest college). Target: ≤ 15 queries and p95 ≤ 150 ms.
2. QR check-in under load through the real HTTP stack: one meeting with 1,000 member attendees (each with
   a user and a personal access token), `gunicorn` (gthread) on a free loopback port against the same
   database, and 50 client threads POSTing `/api/v1/meetings/{id}/check-in` with the screen's code — the
   1,000 members once each, then 100 of them again (a repeated scan answers 200 "already"). Target: all
   within 10 s, 0 errors, and the present count equals the number of distinct members.

Prints the figures; asserts only correctness (errors, counts), never time.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import secrets
import subprocess
import sys
import threading
import time
from datetime import timedelta
from statistics import median, quantiles
from typing import Any

from bench.env import with_keys
from bench.serve import free_port, serve

URL = os.environ.get("BENCH_PROVINCE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_province")
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
MEMBERS = int(os.environ.get("BENCH_CHECKIN_MEMBERS", "1000"))
REPEATS = 100
TOPIC = "基准测试会议"
CLIENTS = int(os.environ.get("BENCH_CHECKIN_CLIENTS", "50"))
# The bench's keys (bench.env), given explicitly so that gunicorn runs with DEBUG off (as in production)
# and still signs and reads the same check-in codes as this process, and reads what the seed encrypted.
KEYS = with_keys({k: v for k, v in os.environ.items() if k in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY")})


def _env(debug: bool = True) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": URL,
            "DEBUG": "1" if debug else "0",
            "DEMO_MODE": "1",
            "OTP_REQUIRED_FOR_ADMIN_ROLES": "0",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback; production sits behind HTTPS
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **KEYS,
        }
    )
    return env


def _prepare() -> None:
    name, base = URL.rsplit("/", 1)[1], URL.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", base, "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", base, "-q", "-c", f'CREATE DATABASE "{name}"'], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], check=True, env=_env())
    subprocess.run([sys.executable, "manage.py", "seed_demo", "--size", "province"], check=True, env=_env())


# ---- seed -----------------------------------------------------------------------------------------------


def largest_college() -> Any:
    from django.db import connection

    from dangjian.core.models import Organization

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id FROM core_organization c JOIN core_organization b "
            "ON b.path LIKE c.path || '%%' AND b.kind = 'branch' AND b.is_active "
            "WHERE c.depth = 2 GROUP BY c.id, c.path ORDER BY count(*) DESC, c.path LIMIT 1"
        )
        return Organization.objects.get(pk=cursor.fetchone()[0])


def seed_meetings(year: int, last_month: int) -> None:
    """A year of held meetings for every branch (set-based SQL, resumable), with gaps so that some cells
    are red: 主题党日 in 9 months of 10, 支委会 in 6 of 7, 党员大会 and 党课 once a quarter in most
    branches, 组织生活会 and 民主评议 in December."""
    from django.db import connection

    from dangjian.core.demo.province import columns, stage
    from dangjian.orglife.models import Meeting

    table = Meeting._meta.db_table
    plan = [
        ("theme_day", "mod(b.id + m, 10) <> 0"),
        ("committee", "mod(b.id + m, 7) <> 0"),
        ("assembly", "m IN (2, 5, 8, 11) AND mod(b.id, 5) <> 0"),
        ("lecture", "m IN (3, 6, 9, 12) AND mod(b.id, 4) <> 0"),
        ("life_meeting", "m = 12"),
        ("evaluation", "m = 12"),
    ]
    conditions = " ".join(f"WHEN '{kind}' THEN {cond}" for kind, cond in plan)
    kinds = ", ".join(f"({i}, '{kind}')" for i, (kind, _cond) in enumerate(plan))
    source = (
        f"FROM core_organization b CROSS JOIN generate_series(1, {last_month}) m "
        f"CROSS JOIN (VALUES {kinds}) AS k(i, kind) "
        f"WHERE b.kind = 'branch' AND CASE k.kind {conditions} END"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {source}")
        expected = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM {table} WHERE topic = %s", [TOPIC])
        if 0 < cursor.fetchone()[0] != expected:  # seeded in an earlier month: start again
            cursor.execute(
                f"DELETE FROM orglife_attendee WHERE meeting_id IN (SELECT id FROM {table} WHERE topic = %s)",
                [TOPIC],
            )
            cursor.execute(f"DELETE FROM {table} WHERE topic = %s", [TOPIC])
    cols, vals = columns(
        Meeting,
        {
            "organization": "b.id",
            "ad_hoc": "false",
            "kind": "k.kind",
            "topic": f"'{TOPIC}'",
            "date": f"make_date({year}, m, 3 + k.i * 3)",
            "start_time": "time '14:30'",
            "duration_minutes": "90",
            "status": "'closed'",
        },
    )
    stage(
        "meetings",
        f"SELECT count(*) FROM {table} WHERE topic = '{TOPIC}'",
        expected,
        f"INSERT INTO {table} ({cols}) SELECT {vals} {source}",
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


def seed_attendees(college: Any) -> None:
    """Attendees for the meetings of one college: every member of the branch, 80% present, 10% leave."""
    from django.db import connection

    from dangjian.core.demo.province import columns, stage
    from dangjian.orglife.models import Attendee

    table = Attendee._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM orglife_meeting mt JOIN core_organization o ON o.id = mt.organization_id "
            "JOIN core_membership ms ON ms.organization_id = o.id WHERE o.path LIKE %s AND mt.topic = %s",
            [college.path + "%", TOPIC],
        )
        expected = cursor.fetchone()[0]
    cols, vals = columns(
        Attendee,
        {
            "meeting": "mt.id",
            "person": "ms.person_id",
            "role": "'member'",
            "attendance": "CASE mod(mt.id + ms.person_id, 10) WHEN 0 THEN 'absent' WHEN 1 THEN 'leave' "
            "ELSE 'present' END",
            "checkin_method": "''",
        },
    )
    path = college.path.replace("'", "")
    stage(
        f"attendees of {college.code}",
        f"SELECT count(*) FROM {table} a JOIN orglife_meeting mt ON mt.id = a.meeting_id "
        f"JOIN core_organization o ON o.id = mt.organization_id WHERE o.path LIKE '{path}%%' "
        f"AND mt.topic = '{TOPIC}'",
        expected,
        f"INSERT INTO {table} ({cols}) SELECT {vals} FROM orglife_meeting mt "
        f"JOIN core_organization o ON o.id = mt.organization_id "
        f"JOIN core_membership ms ON ms.organization_id = o.id WHERE o.path LIKE '{path}%%' "
        f"AND mt.topic = '{TOPIC}'",
    )


def refresh_tally(college: Any, year: int) -> None:
    """The attendance tally of the college's branches for the year: the attendees above were written in
    SQL, past the services that keep it (only this college's meetings have attendees)."""
    from datetime import date

    from django.db import transaction

    from dangjian.core.models import Organization
    from dangjian.orglife.compliance.tally import tally_refresh

    orgs = Organization.objects.filter(path__startswith=college.path).values_list("pk", flat=True)
    with transaction.atomic():
        tally_refresh((pk, date(year, m, 1)) for pk in orgs for m in range(1, 13))


# ---- pages -------------------------------------------------------------------------------------------


def _first_branch(college: Any) -> Any:
    from dangjian.core.models import Organization

    return Organization.objects.filter(path__startswith=college.path, kind="branch").order_by("path").first()


def time_pages(college: Any, year: int) -> list[tuple[str, float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dangjian.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="school_admin"))
    branch = _first_branch(college)
    pages = [
        ("matrix of the largest college", f"/orglife/stats/?org={college.pk}&year={year}"),
        ("attendance of the largest college", f"/orglife/stats/attendance/?org={college.pk}&year={year}"),
        ("attendance per member of a branch", f"/orglife/stats/attendance/?org={branch.pk}&year={year}"),
        ("党课 by secretaries of the college", f"/orglife/stats/lectures/?org={college.pk}&year={year}"),
    ]
    rows = []
    for label, path in pages:
        assert client.get(path).status_code == 200, path  # warm-up
        timings, queries = [], 0
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(path)
                timings.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, response.status_code)
            queries = len(ctx.captured_queries)
        p95 = quantiles(timings, n=20)[-1]
        rows.append((label, median(timings), p95, queries))
    return rows


# ---- check-in load ---------------------------------------------------------------------------------


def checkin_meeting(college: Any) -> tuple[Any, list[str]]:
    """A meeting starting now with ``MEMBERS`` member attendees, each with a user and a token."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from dangjian.accounts.models import ApiToken, User
    from dangjian.accounts.services import token_hash
    from dangjian.core.models import Membership
    from dangjian.orglife.models import Attendee, Meeting, MeetingStatus

    now = timezone.localtime()
    branch = _first_branch(college)
    meeting = Meeting.objects.create(
        organization=branch,
        kind="assembly",
        topic="基准测试：千人签到",
        date=now.date(),
        start_time=(now - timedelta(minutes=5)).time().replace(microsecond=0),
        status=MeetingStatus.NOTIFIED,
    )
    person_ids = list(
        Membership.objects.filter(standing="normal")
        .order_by("person_id")
        .values_list("person_id", flat=True)[:MEMBERS]
    )
    existing = dict(User.objects.filter(person_id__in=person_ids).values_list("person_id", "id"))
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(username=f"bench_ci_{pid}", person_id=pid, password=unusable)
            for pid in person_ids
            if pid not in existing
        ]
    )
    users = dict(User.objects.filter(person_id__in=person_ids).values_list("person_id", "id"))
    ApiToken.objects.filter(user_id__in=users.values(), name="bench").delete()
    raws = {pid: "dj_" + secrets.token_urlsafe(32) for pid in person_ids}
    expires = timezone.now() + timedelta(days=1)
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=users[pid], name="bench", prefix=raw[:10], token_hash=token_hash(raw), expires_at=expires
        )
        for pid, raw in raws.items()
    )
    Attendee.objects.bulk_create(Attendee(meeting=meeting, person_id=pid) for pid in person_ids)
    return meeting, [raws[pid] for pid in person_ids]


def _serve(port: int) -> subprocess.Popen[bytes]:
    return serve(port, _env(debug=False))


def checkin_load(meeting: Any, tokens: list[str], port: int) -> dict[str, Any]:
    from dangjian.orglife.meetings.checkin import make_token

    code = make_token(meeting)  # the code on the host's screen (valid for the whole run)
    body = json.dumps({"token": code})
    work: queue.Queue[str | None] = queue.Queue()
    for raw in tokens + tokens[:REPEATS]:
        work.put(raw)
    for _ in range(CLIENTS):
        work.put(None)
    results: list[tuple[int, bool, float]] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while (token := work.get()) is not None:
            start = time.perf_counter()
            try:
                conn.request(
                    "POST",
                    f"/api/v1/meetings/{meeting.pk}/check-in",
                    body=body,
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                )
                response = conn.getresponse()
                data = response.read()
                status = response.status
                already = status == 200 and json.loads(data).get("already", False)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    errors.append(repr(exc))
                continue
            with lock:
                results.append((status, already, time.perf_counter() - start))
                if status != 200:
                    errors.append(f"{status} {data[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies = [r[2] for r in results]
    return {
        "requests": len(tokens) + REPEATS,
        "seconds": elapsed,
        "errors": errors,
        "already": sum(1 for r in results if r[1]),
        "median_ms": median(latencies) * 1000 if latencies else 0,
        "p95_ms": quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 1 else 0,
    }


def main() -> None:
    os.environ.update(_env())
    if "--no-seed" not in sys.argv:
        _prepare()
    else:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], check=True, env=_env())
    import django

    django.setup()
    from django.utils import timezone

    from dangjian.audit.models import AuditEvent
    from dangjian.orglife.models import Attendance, Attendee

    today = timezone.localdate()
    college = largest_college()
    print(f"orglife: largest college {college.code} ({college.name})")
    if "--checkin-only" not in sys.argv:
        start = time.perf_counter()
        seed_meetings(today.year, today.month)
        seed_attendees(college)
        refresh_tally(college, today.year)
        print(f"  seed: {time.perf_counter() - start:.1f} s")
        print(
            f"{'request':48} {'median ms':>9} {'p95 ms':>8} {'queries':>7}"
            "   target ≤ 15 queries, p95 ≤ 150 ms"
        )
        from bench import summary

        for label, med, p95, queries in time_pages(college, today.year):
            print(f"{label:48} {med * 1000:9.1f} {p95 * 1000:8.1f} {queries:7d}")
            summary.add_page(
                "orglife", label, kind="list", median_ms=med * 1000, p95_ms=p95 * 1000, queries=queries
            )
    if "--pages-only" in sys.argv:
        return
    meeting, tokens = checkin_meeting(college)
    port = free_port()
    server = _serve(port)
    try:
        result = checkin_load(meeting, tokens, port)
    finally:
        server.terminate()
        server.wait(timeout=30)
    present = Attendee.objects.filter(meeting=meeting, attendance=Attendance.PRESENT)
    distinct = present.values("person_id").distinct().count()
    audited = AuditEvent.objects.filter(action="orglife.check_in", changes__meeting=meeting.pk).count()
    print(
        f"check-in: {result['requests']} requests ({len(tokens)} members + {REPEATS} repeated scans) from "
        f"{CLIENTS} clients via gunicorn in {result['seconds']:.2f} s (target ≤ 10 s); "
        f"median {result['median_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms per request"
    )
    print(
        f"  errors: {len(result['errors'])}; present: {present.count()}, distinct members: {distinct}, "
        f"repeats answered 'already': {result['already']}, audited check-ins: {audited}"
    )
    for line in result["errors"][:5]:
        print("   ", line)
    from bench import summary

    summary.add_seconds(
        "orglife", f"check-in of {len(tokens)} members from {CLIENTS} clients", result["seconds"], 10
    )
    assert not result["errors"], "check-in errors"
    assert present.count() == distinct == len(tokens), "present count != distinct members"
    assert result["already"] == REPEATS


if __name__ == "__main__":
    main()

"""Province scale on PostgreSQL: 1,000,000 members, set-based (INSERT … SELECT generate_series).

`python -m bench.province` (or `make bench-province`) builds the data set in BENCH_PROVINCE_DATABASE_URL
(default: a `dangjian_province` database on the local PostgreSQL), stage by stage: a stage whose rows are
already there is skipped, so an interrupted run resumes. Then it times the dues work the issue targets:
one month's bills for every member (≤ 60 s), a second run (idempotent: nothing new), and the
reconciliation pages at school, college and branch level.

The people are synthetic (name 党员N, no ID numbers): this measures the database work, not the UI data.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from statistics import median

URL = os.environ.get("BENCH_PROVINCE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_province")
COLLEGES = int(os.environ.get("BENCH_COLLEGES", "100"))
BRANCHES_PER_COLLEGE = int(os.environ.get("BENCH_BRANCHES_PER_COLLEGE", "250"))
MEMBERS_PER_BRANCH = int(os.environ.get("BENCH_MEMBERS_PER_BRANCH", "40"))
MONTH = date(2026, 11, 1)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": URL, "DEBUG": "1", "DEMO_MODE": "1", "OTP_REQUIRED_FOR_ADMIN_ROLES": "0"})
    return env


def _ensure_database() -> None:
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


def _columns(model: object, given: dict[str, str]) -> tuple[str, str]:
    """Every concrete column of the model: the given SQL expression, or a neutral value for blanks."""
    from django.db import models

    names, values = [], []
    for f in model._meta.concrete_fields:  # type: ignore[attr-defined]
        if f.primary_key:
            continue
        names.append(f.column)
        if f.name in given:
            values.append(given[f.name])
        elif f.null:
            values.append("NULL")
        elif isinstance(f, models.BooleanField):
            values.append("true")
        elif isinstance(f, models.DateTimeField):
            values.append("now()")
        elif isinstance(f, models.JSONField):
            values.append("'{}'::jsonb")
        elif isinstance(f, models.IntegerField | models.DecimalField):
            values.append("0")
        else:
            values.append("''")
    return ", ".join(names), ", ".join(values)


def _stage(cursor: object, label: str, count_sql: str, expected: int, sql: str) -> None:
    cursor.execute(count_sql)  # type: ignore[attr-defined]
    have = cursor.fetchone()[0]  # type: ignore[attr-defined]
    if have >= expected:
        print(f"  {label}: {have} rows, skipped")
        return
    start = time.perf_counter()
    cursor.execute(sql)  # type: ignore[attr-defined]
    print(f"  {label}: {expected} rows in {time.perf_counter() - start:.1f} s")


def seed() -> None:
    from django.db import connection, transaction

    from dangjian.core.models import Membership, Organization, Person
    from dangjian.dues.models import Assessment

    branches = COLLEGES * BRANCHES_PER_COLLEGE
    members = branches * MEMBERS_PER_BRANCH
    org, person, member, assess = (m._meta.db_table for m in (Organization, Person, Membership, Assessment))
    print(f"province data set: {COLLEGES} colleges, {branches} branches, {members} members")
    with transaction.atomic(), connection.cursor() as cursor:
        cols, vals = _columns(
            Organization,
            {
                "path": "'0001'",
                "depth": "1",
                "numchild": str(COLLEGES),
                "kind": "'committee'",
                "code": "'P'",
                "name": "'省委教育工委(基准)'",
            },
        )
        _stage(
            cursor,
            "root",
            f"SELECT count(*) FROM {org} WHERE depth = 1",
            1,
            f"INSERT INTO {org} ({cols}) VALUES ({vals})",
        )
        cols, vals = _columns(
            Organization,
            {
                "path": "'0001' || lpad(c::text, 4, '0')",
                "depth": "2",
                "numchild": str(BRANCHES_PER_COLLEGE),
                "kind": "'committee'",
                "code": "'P-' || c",
                "name": "'高校党委' || c",
            },
        )
        _stage(
            cursor,
            "colleges",
            f"SELECT count(*) FROM {org} WHERE depth = 2",
            COLLEGES,
            f"INSERT INTO {org} ({cols}) SELECT {vals} FROM generate_series(1, {COLLEGES}) c",
        )
        cols, vals = _columns(
            Organization,
            {
                "path": "'0001' || lpad(c::text, 4, '0') || lpad(b::text, 4, '0')",
                "depth": "3",
                "numchild": "0",
                "kind": "'branch'",
                "code": "'P-' || c || '-' || b",
                "name": "'党支部' || c || '-' || b",
            },
        )
        _stage(
            cursor,
            "branches",
            f"SELECT count(*) FROM {org} WHERE depth = 3",
            branches,
            f"INSERT INTO {org} ({cols}) SELECT {vals} FROM generate_series(1, {COLLEGES}) c, "
            f"generate_series(1, {BRANCHES_PER_COLLEGE}) b",
        )
        cols, vals = _columns(
            Person,
            {
                "name": "'党员' || n",
                "gender": "CASE WHEN n % 2 = 0 THEN 'female' ELSE 'male' END",
                "ethnicity": "'汉族'",
                "birth_date": "date '1970-01-01' + (n % 12000)::int",
                "person_type": "'staff'",
                "political_status": "'full'",
                "staff_number": "'B' || n",
                "organization": "o.id",
            },
        )
        _stage(
            cursor,
            "people",
            f"SELECT count(*) FROM {person}",
            members,
            f"INSERT INTO {person} ({cols}) SELECT {vals} FROM "
            f"(SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM {org} WHERE depth = 3) o, "
            f"LATERAL (SELECT o.k * {MEMBERS_PER_BRANCH} + g AS n "
            f"FROM generate_series(1, {MEMBERS_PER_BRANCH}) g) s",
        )
        cols, vals = _columns(
            Membership,
            {
                "person": "p.id",
                "organization": "p.organization_id",
                "membership_type": "'full'",
                "joined_on": "date '2010-07-01'",
                "full_on": "date '2011-07-01'",
                "standing": "'normal'",
            },
        )
        _stage(
            cursor,
            "memberships",
            f"SELECT count(*) FROM {member}",
            members,
            f"INSERT INTO {member} ({cols}) SELECT {vals} FROM {person} p",
        )
        base = "(3000 + (p.id % 9000))::numeric(12,2)"
        rate = (
            f"CASE WHEN {base} <= 3000 THEN 0.005 WHEN {base} <= 5000 THEN 0.01 "
            f"WHEN {base} <= 10000 THEN 0.015 ELSE 0.02 END"
        )
        cols, vals = _columns(
            Assessment,
            {
                "person": "p.id",
                "from_month": "date '2026-01-01'",
                "category": "'employee'",
                "base_method": "'direct'",
                "base": base,
                "rate": rate,
                "amount": f"round({base} * ({rate}), 2)",
                "rule_code": "'2008/E'",
            },
        )
        _stage(
            cursor,
            "dues standards",
            f"SELECT count(*) FROM {assess}",
            members,
            f"INSERT INTO {assess} ({cols}) SELECT {vals} FROM {person} p",
        )
        cursor.execute("ANALYZE")


def _users() -> dict[str, object]:
    from dangjian.accounts.models import RoleAssignment, User
    from dangjian.accounts.roles import Role
    from dangjian.core.models import Organization

    root = Organization.objects.get(depth=1)
    college = Organization.objects.filter(depth=2).order_by("path").first()
    users = {}
    for username, role, org in (
        ("p_school", Role.SCHOOL_ADMIN, root),
        ("p_college", Role.COLLEGE_ORGANIZER, college),
    ):
        user, created = User.objects.get_or_create(username=username)
        if created:
            RoleAssignment.objects.create(user=user, role=role, organization=org)
        users[username] = user
    return {
        "users": users,
        "root": root,
        "college": college,
        "branch": Organization.objects.filter(depth=3, path__startswith=college.path)
        .order_by("path")
        .first(),
    }  # type: ignore[union-attr]


def time_dues() -> list[tuple[str, float, str]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dangjian.dues.billing import bills_generate
    from dangjian.dues.models import Bill

    rows: list[tuple[str, float, str]] = []
    Bill.objects.filter(month=MONTH).delete()
    start = time.perf_counter()
    created = bills_generate(MONTH)
    rows.append(
        (
            "bills_generate (one month, all members)",
            time.perf_counter() - start,
            f"{created} bills; target ≤ 60 s",
        )
    )
    start = time.perf_counter()
    again = bills_generate(MONTH)
    rows.append(("bills_generate again (idempotent)", time.perf_counter() - start, f"{again} new"))
    ctx = _users()
    for label, username, org in (
        ("school reconciliation page", "p_school", ctx["root"]),
        ("college reconciliation page", "p_school", ctx["college"]),
        ("branch reconciliation page", "p_college", ctx["branch"]),
        ("school annual report", "p_school", None),
    ):
        client = Client()
        client.force_login(ctx["users"][username])  # type: ignore[index]
        path = (
            f"/dues/org/{org.pk}/?month={MONTH:%Y-%m}"
            if org
            else f"/dues/org/{ctx['root'].pk}/annual/?year=2026"
        )  # type: ignore[attr-defined]
        timings, queries = [], 0
        for _ in range(5):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(path)
                timings.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, response.status_code)
            queries = len(captured.captured_queries)
        rows.append((label, median(timings), f"{queries} queries (median of 5)"))
    return rows


def main() -> None:
    os.environ.update(_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    _ensure_database()
    import django

    django.setup()
    start = time.perf_counter()
    seed()
    print(f"seed: {time.perf_counter() - start:.1f} s")
    print(f"{'dues at province scale':50} {'seconds':>9}")
    for name, seconds, detail in time_dues():
        print(f"{name:50} {seconds:9.2f}  {detail}")


if __name__ == "__main__":
    main()

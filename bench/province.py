"""Dues at province scale on PostgreSQL (`make bench-province`).

Builds (or resumes) the province data set of `seed_demo --size province` in BENCH_PROVINCE_DATABASE_URL
(default: a `dangjian_province` database on the local PostgreSQL), adds a dues standard for every member,
then times what the dues issue targets: one month's bills for every member (≤ 60 s), a second run
(idempotent: nothing new), and the reconciliation pages at school, college and branch level.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from statistics import median

from bench.env import with_keys

URL = os.environ.get("BENCH_PROVINCE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_province")
MONTH = date(2026, 11, 1)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": URL, "DEBUG": "1", "DEMO_MODE": "1", "OTP_REQUIRED_FOR_ADMIN_ROLES": "0"})
    return with_keys(env)


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


def seed() -> None:
    """The province data set (`seed_demo --size province`, resumable) plus a dues standard per member."""
    subprocess.run([sys.executable, "manage.py", "seed_demo", "--size", "province"], check=True, env=_env())
    from dangjian.core.demo.province import columns, stage
    from dangjian.core.models import Membership
    from dangjian.dues.models import Assessment

    member, assess = Membership._meta.db_table, Assessment._meta.db_table
    base = "(3000 + mod(m.person_id, 9000))::numeric(12,2)"
    rate = (
        f"CASE WHEN {base} <= 3000 THEN 0.005 WHEN {base} <= 5000 THEN 0.01 "
        f"WHEN {base} <= 10000 THEN 0.015 ELSE 0.02 END"
    )
    cols, vals = columns(
        Assessment,
        {
            "person": "m.person_id",
            "from_month": "date '2026-01-01'",
            "category": "'employee'",
            "base_method": "'direct'",
            "base": base,
            "rate": rate,
            "amount": f"round({base} * ({rate}), 2)",
            "rule_code": "'2008/E'",
        },
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {member}")
        members = cursor.fetchone()[0]
    stage(
        "dues standards",
        f"SELECT count(*) FROM {assess}",
        members,
        f"INSERT INTO {assess} ({cols}) SELECT {vals} FROM {member} m",
    )


def _users() -> dict[str, object]:
    from dangjian.accounts.models import User
    from dangjian.core.models import Organization

    root = Organization.objects.get(depth=1)
    college = Organization.objects.filter(depth=2).order_by("path").first()
    assert college is not None
    users = {name: User.objects.get(username=name) for name in ("school_admin", "college_organizer")}
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
        ("school reconciliation page", "school_admin", ctx["root"]),
        ("college reconciliation page", "school_admin", ctx["college"]),
        ("branch reconciliation page", "college_organizer", ctx["branch"]),
        ("school annual report", "school_admin", None),
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
    print(f"seed (resumed where it stopped): {time.perf_counter() - start:.1f} s")
    from bench import summary

    print(f"{'dues at province scale':50} {'seconds':>9}")
    for name, seconds, detail in time_dues():
        print(f"{name:50} {seconds:9.2f}  {detail}")
        if name.startswith("bills_generate (one month"):
            summary.add_seconds("dues", name, seconds, 60, detail.split(";")[0])
        elif "page" in name or "report" in name:
            summary.add_value("dues", f"{name} (median ms)", round(seconds * 1000), 100, "ms")
    from bench.graduates import run as run_graduates

    for name, seconds, detail in run_graduates():
        print(f"{name:50} {seconds:9.2f}  {detail}")
        summary.add_seconds("transfers", name, seconds, 300, detail)


if __name__ == "__main__":
    main()

"""Benchmarks (`make bench`): seed the `university` data set on PostgreSQL and time the main reads.

Uses the database in BENCH_DATABASE_URL (default: a `dangjian_bench` database on the local PostgreSQL,
dropped and created afresh). Prints a table of timings and query counts; never part of `make test`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from statistics import median

BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_bench")


def _recreate_database() -> None:
    name = BENCH_URL.rsplit("/", 1)[1]
    base = BENCH_URL.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", base, "-q", "-c", sql], check=True)


def _manage(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], check=True, env=_env())
    return time.perf_counter() - start


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {"DATABASE_URL": BENCH_URL, "DEBUG": "1", "DEMO_MODE": "1", "OTP_REQUIRED_FOR_ADMIN_ROLES": "0"}
    )
    return env


def _time_pages() -> list[tuple[str, float, int]]:
    os.environ.update(_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dangjian.accounts.models import User

    rows = []
    for username, paths in {
        "school_admin": [
            "/",
            "/orgs/",
            "/orgs/rule-checks/",
            "/people/",
            "/people/?q=zw",
            "/people/?page=200",
            "/audit/",
        ],
        "college_organizer": ["/", "/people/", "/people/?q=l", "/orgs/rule-checks/"],
        "branch_secretary": ["/", "/people/"],
    }.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for path in paths:
            timings = []
            queries = 0
            for _ in range(5):
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = client.get(path)
                    timings.append(time.perf_counter() - start)
                assert response.status_code == 200, (username, path, response.status_code)
                queries = len(ctx.captured_queries)
            rows.append((f"{username} GET {path}", median(timings), queries))
    return rows


def main() -> None:
    if "--pages-only" not in sys.argv:
        _recreate_database()
        migrate = _manage("migrate", "-v", "0")
        seed = _manage("seed_demo", "--size", "university")
        print(f"migrate: {migrate:.1f} s   seed_demo --size university: {seed:.1f} s (target ≤ 300 s)")
    print(f"{'request':60} {'median ms':>10} {'queries':>8}")
    for name, seconds, queries in _time_pages():
        print(f"{name:60} {seconds * 1000:10.1f} {queries:8d}")
    if "--no-imports" not in sys.argv:
        from bench.imports import run as run_imports

        print(f"{'excel':60} {'seconds':>10}")
        for name, seconds, detail in run_imports():
            print(f"{name:60} {seconds:10.1f}  {detail}")


if __name__ == "__main__":
    main()

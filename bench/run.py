"""Benchmarks (`make bench`): seed a data set on PostgreSQL and time the main reads and the Excel engine.

    python -m bench.run                      # university size in BENCH_DATABASE_URL (dropped and re-seeded)
    python -m bench.run --size province      # 1.3M people in BENCH_PROVINCE_DATABASE_URL (resumes the seed)
    python -m bench.run --pages-only         # skip the seed; --no-imports skips the Excel part

Prints median and p95 time and the SQL query count of each request, and beside some of them the time
of hand-written SQL returning the same numbers, with the ratio; every figure also goes to the summary
table (bench/summary.py) with its target (issue 20: a detail page ≤ 8 queries and p95 ≤ 60 ms, a list
≤ 12 queries, p95 ≤ 100 ms and within 30 ms + 3× its raw SQL, the dashboard cold ≤ 500 ms; the seed of
the university ≤ 120 s, the small demo ≤ 15 s; no table left without planner statistics after the seed).
Never part of `make test`: no asserts on time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from statistics import median, quantiles
from typing import Any

from bench.env import with_keys

SIZE = (
    "province"
    if "--size" in sys.argv and sys.argv[sys.argv.index("--size") + 1] == "province"
    else "university"
)
URLS = {
    "university": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_bench"),
    "province": os.environ.get(
        "BENCH_PROVINCE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangjian_province"
    ),
}
BENCH_URL = URLS[SIZE]
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
# Seconds the seed may take: the university ≤ 120 s (issue 20); the province "in minutes" (≤ 15).
SEED_LIMITS = {"university": 120.0, "province": 900.0}


def _psql(sql: str) -> str:
    base = BENCH_URL.rsplit("/", 1)[0] + "/postgres"
    return subprocess.run(
        ["psql", base, "-tAq", "-c", sql], check=True, capture_output=True, text=True
    ).stdout


def _prepare_database() -> None:
    name = BENCH_URL.rsplit("/", 1)[1]
    if SIZE == "university":
        _psql(f'DROP DATABASE IF EXISTS "{name}"')
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname='{name}'").strip():
        _psql(f'CREATE DATABASE "{name}"')


def _manage(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], check=True, env=_env())
    return time.perf_counter() - start


def _env(url: str = BENCH_URL) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "0",  # production settings: cached templates, no debug query log
            "DEMO_MODE": "1",
            "OTP_REQUIRED_FOR_ADMIN_ROLES": "0",
            "SECURE_SSL_REDIRECT": "0",
        }
    )
    return with_keys(env)


def _small_seed_seconds() -> float:
    """`seed_demo --size small` into a scratch SQLite database (the embedded default of `make demo`)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(f"sqlite:///{tmp}/small.sqlite3")
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], check=True, env=env)
        start = time.perf_counter()
        subprocess.run([sys.executable, "manage.py", "seed_demo", "--size", "small"], check=True, env=env)
        return time.perf_counter() - start


def _timed(call: Callable[[], Any]) -> tuple[float, float, int, float]:
    """Median and p95 seconds over RUNS calls after one warm-up, the query count of the last call, and the
    time of the warm-up (cold caches: the dashboard's cached digest is computed then)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    call()
    first = time.perf_counter() - start
    from bench.modules import freeze_heap

    freeze_heap()
    timings, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            call()
            timings.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    p95 = quantiles(timings, n=20)[-1] if len(timings) >= 2 else timings[0]
    return median(timings), p95, queries, first


def _raw(sql: str, params: tuple[Any, ...] = ()) -> Callable[[], Any]:
    from django.db import connection

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def _requests() -> list[tuple[str, str, float, float, int, float | None, float]]:
    """(label, kind, median, p95, queries, raw SQL median or None, first call) for each request; kind is
    the summary's page kind: "detail", "list" or "dashboard"."""
    from django.test import Client

    from dangjian.accounts.models import User
    from dangjian.core.models import Organization, Person, Position

    root = Organization.objects.get(depth=1)
    college = Organization.objects.filter(depth=2, kind="committee").order_by("path").first()
    assert college is not None
    from bench.orglife import largest_college

    largest = largest_college()  # most branches
    secretary = User.objects.get(username="branch_secretary")
    position = Position.objects.filter(person_id=secretary.person_id or 0, ended_on__isnull=True).first()
    branch = position.organization if position else college
    person = Person.objects.filter(organization=branch).order_by("pk").first() or Person.objects.first()
    assert person is not None
    clients = {}
    for username in ("school_admin", "college_organizer", "branch_secretary"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    # The first call of each page is its cold figure: the page with empty caches and templates not yet
    # compiled. Not the process's first request: a worker has imported every URL module at start-up
    # (config/wsgi.py) and its first request, whatever page, opens the connection — done here first.
    from bench.modules import freeze_heap

    freeze_heap()
    assert clients["school_admin"].get("/healthz").status_code == 200

    def get(username: str, path: str) -> Callable[[], Any]:
        def call() -> Any:
            response = clients[username].get(path)
            assert response.status_code == 200, (username, path, response.status_code)
            return response

        return call

    people_sql = (
        "SELECT p.id FROM core_person p JOIN core_organization o ON o.id = p.organization_id "
        "WHERE o.path LIKE %s {extra} ORDER BY p.name_pinyin, p.id LIMIT 30 OFFSET {offset}"
    )
    stats_sql = (
        "SELECT count(*), count(*) FILTER (WHERE p.gender = 'female'), "
        "count(*) FILTER (WHERE p.political_status = 'full') FROM core_person p "
        "JOIN core_organization o ON o.id = p.organization_id WHERE o.path LIKE %s AND p.is_active "
        "GROUP BY p.political_status, p.gender, p.education"
    )
    cases: list[tuple[str, str, Callable[[], Any], Callable[[], Any] | None]] = [
        ("school_admin GET / (dashboard, to-dos)", "dashboard", get("school_admin", "/"), None),
        ("school_admin GET /orgs/ (tree, first level)", "list", get("school_admin", "/orgs/"), None),
        (
            f"school_admin GET /orgs/{college.pk}/ (college detail)",
            "detail",
            get("school_admin", f"/orgs/{college.pk}/"),
            None,
        ),
        (
            "school_admin GET /people/?political_status=full",
            "list",
            get("school_admin", "/people/?political_status=full"),
            _raw(people_sql.format(extra="AND p.political_status = 'full'", offset=0), (root.path + "%",)),
        ),
        (
            "school_admin GET /people/?political_status=full&page=500",
            "list",
            get("school_admin", "/people/?political_status=full&page=500"),
            _raw(
                people_sql.format(extra="AND p.political_status = 'full'", offset=499 * 30),
                (root.path + "%",),
            ),
        ),
        (
            "school_admin GET /people/?q=zw (pinyin initials)",
            "list",
            get("school_admin", "/people/?q=zw"),
            _raw(people_sql.format(extra="AND p.name_initials LIKE 'zw%%'", offset=0), (root.path + "%",)),
        ),
        (
            "school_admin GET /api/v1/orgs/{root}/stats",
            "list",
            get("school_admin", f"/api/v1/orgs/{root.pk}/stats"),
            _raw(stats_sql, (root.path + "%",)),
        ),
        (
            "college_organizer GET /api/v1/orgs/{college}/stats",
            "list",
            get("college_organizer", f"/api/v1/orgs/{college.pk}/stats"),
            _raw(stats_sql, (college.path + "%",)),
        ),
        (
            "college_organizer GET /orgs/rule-checks/",
            "list",
            get("college_organizer", "/orgs/rule-checks/"),
            None,
        ),
        ("college_organizer GET /people/", "list", get("college_organizer", "/people/"), None),
        ("branch_secretary GET /", "dashboard", get("branch_secretary", "/"), None),
        ("branch_secretary GET /people/", "list", get("branch_secretary", "/people/"), None),
        (
            f"school_admin GET /dues/org/{root.pk}/",
            "list",
            get("school_admin", f"/dues/org/{root.pk}/"),
            None,
        ),
        (
            "school_admin GET /recruitment/?org=<largest college> (pipeline board)",
            "list",
            get("school_admin", f"/recruitment/?org={largest.pk}"),
            None,
        ),
        (
            "school_admin GET /recruitment/alerts/ (the school's overdue list)",
            "list",
            get("school_admin", "/recruitment/alerts/"),
            None,
        ),
        (
            "school_admin GET /recruitment/alerts/?kind=violations",
            "list",
            get("school_admin", "/recruitment/alerts/?kind=violations"),
            None,
        ),
        (
            "college_organizer GET /orglife/meetings/",
            "list",
            get("college_organizer", "/orglife/meetings/"),
            None,
        ),
        (
            "college_organizer GET /orglife/stats/ (matrix)",
            "list",
            get("college_organizer", "/orglife/stats/"),
            None,
        ),
        ("branch_secretary GET /orglife/ (my meetings)", "list", get("branch_secretary", "/orglife/"), None),
        ("college_organizer GET /learning/", "list", get("college_organizer", "/learning/"), None),
        (
            f"school_admin GET /people/{person.pk}/ (person detail)",
            "detail",
            get("school_admin", f"/people/{person.pk}/"),
            None,
        ),
        (
            f"branch_secretary GET /people/{person.pk}/ (person detail)",
            "detail",
            get("branch_secretary", f"/people/{person.pk}/"),
            None,
        ),
        (
            f"college_organizer GET /orgs/{branch.pk}/ (branch detail)",
            "detail",
            get("college_organizer", f"/orgs/{branch.pk}/"),
            None,
        ),
    ]
    rows = []
    for label, kind, call, raw in cases:
        med, p95, queries, first = _timed(call)
        raw_median = _timed(raw)[0] if raw else None
        rows.append((label, kind, med, p95, queries, raw_median, first))
    return rows


def main() -> None:
    from bench import summary

    summary.start_run()
    if "--pages-only" not in sys.argv:
        _prepare_database()
    migrate = _manage("migrate", "-v", "0")  # also on --pages-only: the code may have new tables
    if "--pages-only" not in sys.argv:
        seed = _manage("seed_demo", "--size", SIZE)
        print(f"migrate: {migrate:.1f} s   seed_demo --size {SIZE}: {seed:.1f} s")
        summary.add_seconds("seed", f"seed_demo --size {SIZE} (PostgreSQL)", seed, SEED_LIMITS[SIZE])
        # No ANALYZE here: the seed analyses what it filled, and the check below says if it did not.
    os.environ.update(_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if "--pages-only" not in sys.argv:
        from dangjian.kit.planner import never_analysed

        missing = never_analysed()
        print(f"tables never analysed after the seed: {', '.join(missing) or 'none'}")
        summary.add_value(
            "planner", "non-empty tables never analysed after the seed", len(missing), 0, "tables"
        )
        if SIZE == "university":
            small = _small_seed_seconds()
            print(f"seed_demo --size small (SQLite): {small:.1f} s")
            summary.add_seconds("seed", "seed_demo --size small (SQLite)", small, 15)
    print(f"{SIZE}: {RUNS} runs per request after a warm-up")
    print(
        f"{'request':62} {'median ms':>9} {'p95 ms':>8} {'queries':>7} {'raw SQL ms':>10} {'ratio':>6}"
        f" {'first ms':>9}"
    )
    for name, kind, med, p95, queries, raw, first in _requests():
        raw_text = f"{raw * 1000:10.1f} {med / raw:6.1f}" if raw else f"{'':10} {'':6}"
        print(f"{name:62} {med * 1000:9.1f} {p95 * 1000:8.1f} {queries:7d} {raw_text} {first * 1000:9.1f}")
        summary.add_page(
            "pages",
            name,
            kind=kind,
            median_ms=med * 1000,
            p95_ms=p95 * 1000,
            queries=queries,
            raw_ms=raw * 1000 if raw else None,
            cold_ms=first * 1000,
        )
    if SIZE == "province":  # every module's main pages on the province's year of data
        from bench.modules import print_rows
        from bench.modules import run as run_modules

        print_rows(run_modules())
    if "--no-imports" not in sys.argv:
        from bench.imports import run as run_imports

        if SIZE == "province":  # about 100,000 people, as the export target
            os.environ.setdefault("BENCH_EXPORT_QUERY", "political_status=activist")

        print(f"{'excel':62} {'seconds':>9}")
        for name, seconds, detail in run_imports():
            print(f"{name:62} {seconds:9.1f}  {detail}")


if __name__ == "__main__":
    main()

"""The statistics engine at province size (part of `make bench-province`; issue 15).

On the province data set: the full-tree snapshot of last year's end and of yesterday (target ≤ 60 s
each: 1M members, 42,000 organizations), then the root's statistics page and
`GET /api/v1/statistics/<root>` for the school admin, and a college's for its organizer (target ≤ 10
queries, p95 ≤ 50 ms, read from the snapshot), added to the summary table."""

from __future__ import annotations

import os
import time
from datetime import date, timedelta
from typing import Any

SNAPSHOT_LIMIT_S = 60.0


def run() -> None:
    from django.test import Client
    from django.utils import timezone

    from bench import summary
    from bench.modules import _timed, scope_roots
    from dangjian.accounts.models import User
    from dangjian.accounts.scope import Scope
    from dangjian.reporting.selectors import snapshot_on
    from dangjian.reporting.services import snapshot_compute

    today = timezone.localdate()
    reuse = os.environ.get("BENCH_STATISTICS_REUSE") == "1"  # pages only, on the snapshots already there
    for on in (date(today.year - 1, 12, 31), today - timedelta(days=1)):
        if reuse and snapshot_on(on) is not None:
            continue
        start = time.perf_counter()
        snapshot = snapshot_compute(on=on, actor=None, scope=Scope.system())
        seconds = time.perf_counter() - start
        print(f"snapshot {on}: {snapshot.people} people, {snapshot.organizations} orgs, {seconds:.1f} s")
        summary.add_seconds(
            "statistics",
            f"full-tree snapshot {on} ({snapshot.people} people, {snapshot.organizations} orgs)",
            seconds,
            SNAPSHOT_LIMIT_S,
        )
    _annual_return(summary, date(today.year - 1, 12, 31).year)
    for username, org in scope_roots().items():
        if org is None or username == "branch_secretary":
            continue
        client = Client()
        client.force_login(User.objects.get(username=username))
        for label, path in (
            ("statistics page", f"/statistics/{org.pk}/"),
            ("statistics API", f"/api/v1/statistics/{org.pk}"),
        ):
            assert client.get(path).status_code == 200, path

            def call(path: str = path, client: Client = client) -> None:
                assert client.get(path).status_code == 200

            med, p95, queries = _timed(call)
            print(f"{username} {label} ({path}): median {med:.1f} ms, p95 {p95:.1f} ms, {queries} queries")
            summary.add_page(
                "statistics",
                f"{username} {label} ({path})",
                kind="statistics",
                median_ms=med,
                p95_ms=p95,
                queries=queries,
            )


def _annual_return(summary: Any, year: int) -> None:
    """Open the annual return of ``year`` pre-filled for every college (target: within the snapshot's
    60 s) and time the school's review page of it (target ≤ 15 queries, p95 ≤ 150 ms)."""
    from django.test import Client

    from bench.modules import _timed
    from dangjian.accounts.models import User
    from dangjian.accounts.scope import Scope
    from dangjian.returns.annual import annual_open
    from dangjian.returns.models import Return, ReturnKind

    ret = Return.objects.filter(kind=ReturnKind.ANNUAL, year=year).first()
    if ret is None:
        start = time.perf_counter()
        ret = annual_open(actor=None, scope=Scope.system(), year=year)
        seconds = time.perf_counter() - start
        count = ret.assignments.count()
        print(f"annual return {year} opened for {count} organizations in {seconds:.1f} s")
        summary.add_seconds(
            "returns", f"annual return {year} pre-filled for {count} orgs", seconds, SNAPSHOT_LIMIT_S
        )
    client = Client()
    client.force_login(User.objects.get(username="school_admin"))
    path = f"/returns/{ret.pk}/"
    assert client.get(path).status_code == 200, path

    def call() -> None:
        assert client.get(path).status_code == 200

    med, p95, queries = _timed(call)
    print(f"school review page ({path}): median {med:.1f} ms, p95 {p95:.1f} ms, {queries} queries")
    total = f"/returns/{ret.pk}/total/"
    start = time.perf_counter()
    assert client.get(total).status_code == 200, total
    seconds = time.perf_counter() - start
    print(f"school total and its checks ({total}): {seconds:.2f} s")
    summary.add_seconds("returns", f"annual return school total and checks ({total})", seconds, 2.0)
    summary.add_page(
        "returns",
        f"school_admin annual return review ({path})",
        kind="review",
        median_ms=med,
        p95_ms=p95,
        queries=queries,
    )


if __name__ == "__main__":  # python -m bench.statistics: on the province database (bench.run's settings)
    from bench.run import URLS, _env

    os.environ.update(_env(URLS["province"]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    run()

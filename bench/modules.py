"""Every module's main pages at province size (part of `python -m bench.run --size province`).

On the province data set (`seed_demo --size province`: a year of every module for 1.3M people), times the
main list and detail pages of 组织生活, 党费, 发展党员, 组织关系转接 and 党校 for the school admin, a college
organizer and a branch secretary through ``django.test.Client``: median and p95 over BENCH_RUNS requests
after a warm-up, and the query count; each page is added to the summary table (``bench.summary``). The
detail pages open an object inside the persona's scope. A page a persona may not open (or an object their
scope does not hold) is reported and skipped, never timed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from statistics import median, quantiles
from typing import Any

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
PERSONAS = ("school_admin", "college_organizer", "branch_secretary")

Row = tuple[str, str, str, float, float, int]  # area, what, kind, median ms, p95 ms, queries


def freeze_heap() -> None:
    """As a gunicorn worker does after start-up (config/wsgi.py, dangjian/kit/heap.py): what is alive
    now — here also the harness's and the seed's objects — leaves the collector's full passes, so a
    pass in the middle of a timed call costs what it costs in a worker (5–10 ms, not 150–240)."""
    from dangjian.kit.heap import freeze_startup_heap

    freeze_startup_heap()


def _timed(call: Callable[[], Any]) -> tuple[float, float, int]:
    """Median and p95 in ms over RUNS calls after one warm-up, and the query count of the last call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    freeze_heap()
    timings, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            call()
            timings.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    p95 = quantiles(timings, n=20)[-1] if len(timings) >= 2 else timings[0]
    return median(timings), p95, queries


def scope_roots() -> dict[str, Any]:
    """The organization each persona works on: the root, the organizer's college, the secretary's branch."""
    from dangjian.accounts.models import RoleAssignment, User
    from dangjian.core.models import Organization, Position

    roots: dict[str, Any] = {"school_admin": Organization.objects.get(depth=1)}
    assignment = (
        RoleAssignment.objects.filter(user__username="college_organizer")
        .select_related("organization")
        .first()
    )
    roots["college_organizer"] = assignment.organization if assignment else None
    secretary = User.objects.get(username="branch_secretary")
    position = (
        Position.objects.filter(person_id=secretary.person_id or 0, title="secretary", ended_on__isnull=True)
        .select_related("organization")
        .first()
    )
    roots["branch_secretary"] = position.organization if position else None
    return roots


def _objects(path: str) -> dict[str, int | None]:
    """One object of each module inside the org path ``path`` (a closed meeting, a member, an open case,
    a transfer, a training class), or None where the scope holds none."""
    from dangjian.core.models import Membership, Organization
    from dangjian.learning.models import TrainingClass
    from dangjian.orglife.models import Meeting
    from dangjian.recruitment.models import Case
    from dangjian.transfers.models import Transfer

    inside = Organization.objects.filter(path__startswith=path)
    branch = inside.filter(kind="branch").order_by("path").values_list("pk", flat=True).first()
    return {
        "meeting": Meeting.objects.filter(organization_id=branch, status="closed")
        .order_by("-date")
        .values_list("pk", flat=True)
        .first(),
        "person": Membership.objects.filter(organization_id=branch, standing="normal")
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .first(),
        "case": Case.objects.filter(branch__path__startswith=path, status="open")
        .order_by("branch__path", "pk")
        .values_list("pk", flat=True)
        .first(),
        "transfer": Transfer.objects.filter(from_org__path__startswith=path)
        .order_by("from_org__path", "pk")
        .values_list("pk", flat=True)
        .first(),
        "class": TrainingClass.objects.filter(organizer__path__startswith=path, status="closed")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first(),
    }


def pages(org: Any, objects: dict[str, int | None]) -> list[tuple[str, str, str, str | None]]:
    """(area, label, kind, path or None when the scope holds no such object) for one persona."""

    def detail(key: str, template: str) -> str | None:
        value = objects[key]
        return template.format(value) if value is not None else None

    return [
        ("orglife", "meetings", "list", "/orglife/meetings/"),
        ("orglife", "month plans", "list", "/orglife/plans/"),
        ("orglife", "compliance matrix", "list", f"/orglife/stats/?org={org.pk}"),
        ("orglife", "attendance", "list", f"/orglife/stats/attendance/?org={org.pk}"),
        ("orglife", "meeting", "detail", detail("meeting", "/orglife/meetings/{}/")),
        ("dues", "reconciliation of the scope", "list", f"/dues/org/{org.pk}/"),
        ("dues", "reports to confirm", "list", "/dues/reports/"),
        ("dues", "annual report", "list", f"/dues/org/{org.pk}/annual/"),
        ("dues", "member's dues", "detail", detail("person", "/dues/person/{}/")),
        ("recruitment", "pipeline board", "list", f"/recruitment/?org={org.pk}"),
        ("recruitment", "overdue list", "list", "/recruitment/alerts/"),
        ("recruitment", "case", "detail", detail("case", "/recruitment/case/{}/")),
        ("transfers", "transfers", "list", "/transfers/"),
        ("transfers", "transfer", "detail", detail("transfer", "/transfers/{}/")),
        ("learning", "training classes", "list", "/learning/"),
        ("learning", "certificates", "list", "/learning/certificates/"),
        ("learning", "training class", "detail", detail("class", "/learning/{}/")),
    ]


def run(clients: dict[str, Any] | None = None) -> list[Row]:
    """Time every module's main pages for each persona; add them to ``bench.summary``; return the rows."""
    from django.test import Client

    from bench import summary
    from dangjian.accounts.models import User

    if clients is None:
        clients = {}
    for username in PERSONAS:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
    rows: list[Row] = []
    for username, org in scope_roots().items():
        if org is None:
            print(f"  {username}: no organization to work on, skipped")
            continue
        client = clients[username]
        for area, label, kind, path in pages(org, _objects(org.path)):
            what = f"{username} {label}"
            if path is None:
                print(f"  {area}: {what}: nothing of the kind in the scope, skipped")
                continue
            target: str = path
            status = client.get(target).status_code
            if status != 200:
                print(f"  {area}: {what} GET {path}: answers {status}, skipped")
                continue

            def call(path: str = target, client: Any = client, who: str = username) -> None:
                response = client.get(path)
                assert response.status_code == 200, (who, path, response.status_code)

            med, p95, queries = _timed(call)
            summary.add_page(area, f"{what} ({path})", kind=kind, median_ms=med, p95_ms=p95, queries=queries)
            rows.append((area, f"{what} ({path})", kind, med, p95, queries))
    return rows


def print_rows(rows: list[Row]) -> None:
    print(f"{'modules at province size':80} {'median ms':>9} {'p95 ms':>8} {'queries':>7}")
    for area, what, kind, med, p95, queries in rows:
        print(f"{area + ': ' + what + ' [' + kind + ']':80} {med:9.1f} {p95:8.1f} {queries:7d}")


if __name__ == "__main__":  # python -m bench.modules: on DATABASE_URL, as it is (no seed)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print_rows(run())

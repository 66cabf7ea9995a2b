"""Graduates' letters at scale: one background job for 2,000 transfers with their letters (target ≤ 5 min).

Run by `python -m bench.province` on the province data set: 2,000 members across the province get an
outgoing transfer approved for the batch, a letter each, one merged PDF, one PDF per letter and a register.
"""

from __future__ import annotations

import time
from typing import Any


def run(count: int = 2000) -> list[tuple[str, float, str]]:
    from django.db.models import Exists, OuterRef

    from dangjian.accounts.models import User
    from dangjian.core.models import Membership, Organization
    from dangjian.transfers.models import Letter, Transfer, TransferEvent

    root = Organization.objects.get(depth=1)
    admin = User.objects.get(username="school_admin")
    # Members with no transfer of the seed's: what the job makes is removed again at the end, so the
    # seed's transfers stay as the seed wrote them (its resume counts them) and a second run starts clean.
    people = list(
        Membership.objects.filter(standing="normal")
        .exclude(Exists(Transfer.objects.filter(person_id=OuterRef("person_id"))))
        .order_by("-id")
        .values_list("person_id", flat=True)[:count]
    )
    try:
        return _run(people, root, admin, count)
    finally:
        made = Transfer.objects.filter(person_id__in=people)
        Letter.objects.filter(transfer__in=made).delete()
        TransferEvent.objects.filter(transfer__in=made).delete()
        made.delete()


def _run(people: list[int], root: Any, admin: Any, count: int) -> list[tuple[str, float, str]]:
    from dangjian.jobs.models import Job
    from dangjian.jobs.services import job_run

    rows = [{"person": pid, "destination": "中共某市某公司委员会", "kind": "out_national"} for pid in people]
    job = Job.objects.create(
        kind="graduate_letters", title="bench", created_by=admin, params={"college": root.pk, "rows": rows}
    )
    start = time.perf_counter()
    job = job_run(job.pk)
    elapsed = time.perf_counter() - start
    summary: Any = dict(job.result.get("summary", []))
    size = job.result_file.size if job.result_file else 0
    return [
        (
            f"graduates' letters job ({count})",
            elapsed,
            f"{job.status} {summary} ZIP {size / 1e6:.1f} MB; target ≤ 300 s",
        )
    ]

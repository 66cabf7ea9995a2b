"""Benchmark of the Excel engine on the bench database: export all people, dry-run and commit an import."""

from __future__ import annotations

import io
import os
import resource
import time
from datetime import date, timedelta
from typing import Any


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _people_file(rows: int, branch_codes: list[str]) -> bytes:
    from openpyxl import Workbook

    from dangjian.core.idnumbers import make_id_number
    from dangjian.core.imports import PEOPLE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(PEOPLE.headers)
    for i in range(rows):
        birth = date(1970, 1, 1) + timedelta(days=i // 400)  # 400 sequence numbers per birth date
        number = make_id_number(
            "650102", birth, (i % 400) * 2 + 1, female=False
        )  # a region the seed never uses
        sheet.append(
            [
                f"基准{i}",
                f"B{i:07d}",
                number,
                "男",
                None,
                "汉族",
                "教职工",
                branch_codes[i % len(branch_codes)],
                "基准单位",
                "13800000000",
                "研究生",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(rows: int = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))) -> list[tuple[str, float, str]]:
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.test import Client

    from dangjian.accounts.models import User
    from dangjian.core.models import Organization
    from dangjian.jobs.models import Job
    from dangjian.jobs.services import job_run

    settings.DEBUG = False  # no query log: measure memory as in production
    results: list[tuple[str, float, str]] = []
    admin = User.objects.get(username="school_admin")
    client = Client()
    client.force_login(admin)
    query = os.environ.get("BENCH_EXPORT_QUERY", "")
    start = time.perf_counter()
    response = client.get(f"/people/export.xlsx?{query}")
    size = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - start
    from dangjian.accounts.scope import resolve_scope
    from dangjian.core.selectors import person_list

    exported = person_list(
        resolve_scope(admin), political_status=query.partition("political_status=")[2]
    ).count()
    results.append((f"export {exported} people (.xlsx) {query}", elapsed, f"{size / 1e6:.1f} MB"))
    results.append(("peak RSS after the export", 0.0, f"{_rss_mb():.0f} MB"))

    codes = list(
        Organization.objects.filter(kind="branch", is_active=True)
        .order_by("path")
        .values_list("code", flat=True)[:20]
    )
    content = _people_file(rows, codes)
    for mode in ("dry_run", "commit"):
        job = Job(kind="people_import", title=f"bench {mode}", created_by=admin, params={"mode": mode})
        job.input_file.save("bench.xlsx", ContentFile(content), save=False)
        job.save()
        start = time.perf_counter()
        job = job_run(job.pk)
        elapsed = time.perf_counter() - start
        summary: Any = dict(job.result.get("summary", []))
        results.append((f"import {rows} rows: {mode}", elapsed, f"{job.status} {summary}"))
        results.append((f"peak RSS after the {mode}", 0.0, f"{_rss_mb():.0f} MB"))
    return results

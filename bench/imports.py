"""Benchmark of the Excel engine on the bench database: export all people (masked and in full), dry-run
and commit an import — each beside its floor, measured in the same run.

The floors are the same work with no per-row logic:

- export: the same rows and columns read with a server-side cursor (``values_list().iterator()``) and
  appended as they come to an openpyxl write-only sheet — the masked column as stored, the ciphertext
  of the ID number as stored (no decryption), choice codes instead of their labels;
- import commit: the same file read by calamine and its rows inserted into ``core_person`` with COPY,
  in a transaction that is rolled back (no validation, no history, no audit, no encryption).

    python -m bench.imports        # against DATABASE_URL (a seeded database), no re-seed

Targets (issue 20): export ≤ 2× its floor, import commit ≤ 3× its floor, memory flat (peak RSS).
"""

from __future__ import annotations

import io
import os
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Any

from bench import summary as bench_summary

AREA = "excel"
PEAK_RSS_MB = 500


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _people_file(rows: int, branch_codes: list[str], offset: int = 0, phone: str = "13800000000") -> bytes:
    """``rows`` new people; ``offset`` shifts staff and ID numbers past those of an earlier run."""
    from openpyxl import Workbook

    from dangjian.core.idnumbers import make_id_number
    from dangjian.core.imports import PEOPLE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(PEOPLE.headers)
    for n in range(rows):
        i = n + offset
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
                phone,
                "研究生",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The export's columns as stored (the floor reads these; the export turns them into the file's cells).
_EXPORT_COLUMNS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number_masked",
    "staff_number",
    "person_type",
    "political_status",
    "organization__name",
    "unit",
    "education",
    "phone",
)


def export_floor(people: Any, *, ciphertext: bool) -> tuple[float, int]:
    """Seconds to read ``people``'s export columns with a server-side cursor and append them untouched to
    a write-only workbook saved to a spooled file (as the export does); and the row count."""
    from openpyxl import Workbook

    from dangjian.core.exports import person_export_headers

    columns = [
        "id_number_encrypted" if c == "id_number_masked" and ciphertext else c for c in _EXPORT_COLUMNS
    ]
    start = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(person_export_headers())
    count = 0
    for row in people.values_list(*columns).iterator(chunk_size=2000):
        sheet.append(row)
        count += 1
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        workbook.save(spool)
    return time.perf_counter() - start, count


_COPY_COLUMNS = (
    "name",
    "name_pinyin",
    "name_initials",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number_encrypted",
    "id_number_masked",
    "phone",
    "staff_number",
    "person_type",
    "unit",
    "education",
    "title",
    "grade",
    "major",
    "class_name",
    "home_address",
    "political_status",
    "organization_id",
    "is_active",
    "created_at",
    "updated_at",
)


def import_floor(content: bytes, *, scratch: bool = False) -> float:
    """Seconds to read the file with calamine and COPY its rows into core_person as they are (the ID
    number as given, gender and type as their labels, the org by a dict look-up of its code), in a
    transaction that is rolled back. ``scratch``: into a copy of core_person with its indexes (for rows
    that are already in core_person: an import of updates)."""
    from django.db import connection, transaction
    from django.utils import timezone
    from python_calamine import CalamineWorkbook

    from dangjian.core.models import Organization

    start = time.perf_counter()
    values = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    orgs = dict(Organization.objects.values_list("code", "id"))
    now = timezone.now()
    with transaction.atomic():
        connection.ensure_connection()
        raw: Any = connection.connection
        with raw.cursor() as cursor:
            table = "core_person"
            if scratch:
                table = "bench_person_floor"
                cursor.execute(f"CREATE TEMP TABLE {table} (LIKE core_person INCLUDING ALL) ON COMMIT DROP")
            sql = f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for name, staff, number, gender, birth, ethnicity, kind, code, unit, phone, edu in values[1:]:
                    copy.write_row(
                        (
                            name,
                            "",
                            "",
                            gender,
                            ethnicity,
                            birth or date(1970, 1, 1),
                            number,
                            "",
                            phone,
                            staff,
                            kind,
                            unit,
                            edu,
                            "",
                            "",
                            "",
                            "",
                            "",
                            "masses",
                            orgs.get(code),
                            True,
                            now,
                            now,
                        )
                    )
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def run(rows: int = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))) -> list[tuple[str, float, str]]:
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.test import Client

    from dangjian.accounts.models import User
    from dangjian.accounts.roles import Permission
    from dangjian.accounts.scope import resolve_scope
    from dangjian.core.models import Organization, Person
    from dangjian.core.selectors import person_list
    from dangjian.jobs.models import Job
    from dangjian.jobs.services import job_run

    settings.DEBUG = False  # no query log: measure memory as in production
    # One commit of the whole file, as the issue measures it (the platform's cap is 20,000 rows).
    settings.IMPORT_COMMIT_MAX_ROWS = max(rows, int(getattr(settings, "IMPORT_COMMIT_MAX_ROWS", 0)))
    results: list[tuple[str, float, str]] = []
    admin = User.objects.get(username="school_admin")
    client = Client()
    client.force_login(admin)
    query = os.environ.get("BENCH_EXPORT_QUERY", "")
    status = query.partition("political_status=")[2]
    scope = resolve_scope(admin)
    people = person_list(scope, political_status=status).filter(
        scope.q(Permission.EXPORT, "organization__path")
    )

    def export(unmasked: bool) -> int:
        response: Any
        if unmasked:
            url = f"/people/export-unmasked/?{query}"
            response = client.post(url, {"reason": "基准测试：导出耗时"})
        else:
            response = client.get(f"/people/export.xlsx?{query}")
        assert response.status_code == 200, response.status_code
        return sum(len(chunk) for chunk in response.streaming_content)

    for unmasked in (False, True):
        label = "in full (ID numbers decrypted)" if unmasked else "masked"
        floor, exported = export_floor(people, ciphertext=unmasked)
        elapsed, size = _timed(partial(export, unmasked))
        floor = min(floor, export_floor(people, ciphertext=unmasked)[0])  # before and after: the lower
        detail = f"{exported} rows, {exported / elapsed:,.0f} rows/s, floor {exported / floor:,.0f} rows/s"
        results.append((f"export {exported} people {label} (.xlsx) {query}", elapsed, f"{size / 1e6:.1f} MB"))
        results.append((f"  floor: values_list + write-only, {label}", floor, f"ratio {elapsed / floor:.2f}"))
        bench_summary.add_floor(
            AREA,
            f"export {exported} people, {label}",
            elapsed,
            floor,
            bench_summary.EXPORT_FLOOR_FACTOR,
            detail,
        )
    results.append(("peak RSS after the exports", 0.0, f"{_rss_mb():.0f} MB"))

    codes = list(
        Organization.objects.filter(kind="branch", is_active=True)
        .order_by("path")
        .values_list("code", flat=True)[:20]
    )
    offset = Person.objects.filter(staff_number__startswith="B").count()  # past an earlier run's rows
    content = _people_file(rows, codes, offset)
    floor = import_floor(content)
    results.append((f"  floor: calamine read + COPY of {rows} rows (rolled back)", floor, ""))
    for mode in ("dry_run", "commit"):
        job = Job(kind="people_import", title=f"bench {mode}", created_by=admin, params={"mode": mode})
        job.input_file.save("bench.xlsx", ContentFile(content), save=False)
        job.save()
        elapsed, job = _timed(partial(job_run, job.pk))
        summary: Any = dict(job.result.get("summary", []))
        detail = f"{job.status} {summary}"
        if mode == "commit":
            detail += f"; ratio {elapsed / floor:.2f}"
            bench_summary.add_floor(
                AREA,
                f"import commit of {rows} new people (validation, history, audit)",
                elapsed,
                floor,
                bench_summary.IMPORT_FLOOR_FACTOR,
                f"{rows / elapsed:,.0f} rows/s, {job.status}",
            )
        results.append((f"import {rows} rows: {mode}", elapsed, detail))
        results.append((f"peak RSS after the {mode}", 0.0, f"{_rss_mb():.0f} MB"))

    # The same people again with another phone number: every row an update (the platform's cap of rows).
    updates = min(rows, int(os.environ.get("BENCH_UPDATE_ROWS", "20000")))
    content = _people_file(updates, codes, offset, phone="13900000000")
    floor = import_floor(content, scratch=True)
    results.append((f"  floor: calamine read + COPY of {updates} rows (scratch table)", floor, ""))
    job = Job(kind="people_import", title="bench updates", created_by=admin, params={"mode": "commit"})
    job.input_file.save("bench-updates.xlsx", ContentFile(content), save=False)
    job.save()
    elapsed, job = _timed(partial(job_run, job.pk))
    summary = dict(job.result.get("summary", []))
    results.append((f"import {updates} rows: commit of updates", elapsed, f"{job.status} {summary}"))
    bench_summary.add_floor(
        AREA,
        f"import commit of {updates} updated people (validation, history, audit)",
        elapsed,
        floor,
        bench_summary.IMPORT_FLOOR_FACTOR,
        f"{updates / elapsed:,.0f} rows/s, {job.status}",
    )
    results.append(("peak RSS after the updates", 0.0, f"{_rss_mb():.0f} MB"))
    bench_summary.add_value(AREA, "peak RSS (exports and import)", round(_rss_mb()), PEAK_RSS_MB, "MB")
    return results


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print(f"{'excel':62} {'seconds':>9}")
    for name, seconds, detail in run():
        print(f"{name:62} {seconds:9.1f}  {detail}")
    bench_summary.print_table(bench_summary.ROWS)


if __name__ == "__main__":
    main()

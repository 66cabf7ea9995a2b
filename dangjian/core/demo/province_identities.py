"""ID numbers and phones for every person of the province data set, as the ORM would store them.

Each number is valid (GB 11643 checksum), unique, and agrees with the person's birth date and gender; it
is stored encrypted with the newest field key, with its blind index and its masked form, exactly as
``core.services.people`` writes them. Encryption is Python work (Fernet), so the people are split into
batches of ids handed to worker processes; each batch is one transaction (COPY into a temporary table,
then one UPDATE … FROM), so an interrupted run resumes with the rows whose encrypted column is still
empty.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from datetime import date

from django.db import connection, connections, transaction

from dangjian.core import crypto
from dangjian.core.idnumbers import check_digit, mask_id_number
from dangjian.core.models import Person

BATCH = 10_000
# Region codes 500000–599999 (fictional): the region and the sequence number come from the person's id,
# so two people never share a number (unique for ids below 45M).
PER_REGION = 450


def id_number_for(person_id: int, birth: date, *, female: bool) -> str:
    region = f"5{(person_id // PER_REGION) % 100_000:05d}"
    seq = 2 * (person_id % PER_REGION) + (0 if female else 1)  # odd 17th digit: male
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def phone_for(person_id: int) -> str:
    return f"1{'3578'[person_id % 4]}{(person_id * 7919 + 12345) % 10**9:09d}"


def _fill(bounds: tuple[int, int]) -> int:
    """One batch (ids ``lo``..``hi``) in one transaction; returns the rows written."""
    lo, hi = bounds
    table = Person._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, birth_date, gender FROM {table} "
            "WHERE id BETWEEN %s AND %s AND id_number_encrypted = '' ORDER BY id",
            [lo, hi],
        )
        rows = []
        for pk, birth, gender in cursor.fetchall():
            number = id_number_for(pk, birth, female=gender == "female")
            rows.append(
                (
                    pk,
                    crypto.encrypt(number),
                    crypto.blind_index(number),
                    mask_id_number(number),
                    phone_for(pk),
                )
            )
        if not rows:
            return 0
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS province_identity "
            "(id bigint, enc text, idx varchar(64), masked varchar(18), phone varchar(20)) "
            "ON COMMIT DELETE ROWS"
        )
        raw = cursor.cursor  # the psycopg cursor: COPY is the fastest way in
        with raw.copy("COPY province_identity (id, enc, idx, masked, phone) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"UPDATE {table} p SET id_number_encrypted = t.enc, id_number_index = t.idx, "
            "id_number_masked = t.masked, phone = t.phone FROM province_identity t "
            "WHERE p.id = t.id AND p.id_number_encrypted = ''"
        )
        return len(rows)


def fill_identities(
    log: Callable[[str], None] = print,
    *,
    workers: int | None = None,
    batch: int = BATCH,
    before: Callable[[], None] | None = None,
) -> dict[str, float]:
    """Encrypt an ID number and set a phone for every person who has none; returns rows, seconds and
    rows per second. ``workers`` defaults to the CPU count (PROVINCE_WORKERS overrides it); ``before`` runs
    first when there is work."""
    table = Person._meta.db_table
    workers = workers or int(os.environ.get("PROVINCE_WORKERS") or 0) or os.cpu_count() or 1
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id), count(*) FROM {table} WHERE id_number_encrypted = ''")
        lo, hi, pending = cursor.fetchone()
    if not pending:
        log("  ID numbers and phones: every person has them, skipped")
        return {"rows": 0, "seconds": 0.0, "rows_per_second": 0.0}
    if before is not None:  # e.g. drop indexes that are built again after the load
        before()
    ranges = [(start, min(start + batch - 1, hi)) for start in range(lo, hi + 1, batch)]
    start = time.perf_counter()
    done = 0
    if workers == 1:
        for bounds in ranges:
            done += _fill(bounds)
    else:
        connections.close_all()  # the workers are forked: none may inherit an open connection
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for written in pool.imap_unordered(_fill, ranges):
                done += written
    seconds = time.perf_counter() - start
    rate = done / seconds if seconds else 0.0
    log(
        f"  ID numbers and phones: {done} rows in {seconds:.1f} s ({rate:,.0f} rows/s, "
        f"{workers} workers, batches of {batch})"
    )
    return {"rows": done, "seconds": seconds, "rows_per_second": rate}

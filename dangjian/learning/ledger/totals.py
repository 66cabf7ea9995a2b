"""Each person's yearly total of the ledger (``StudyYear``), recomputed from the rows: after every write
for the people and years it touched (``refresh``), and for a whole year at once after a bulk load
(``rebuild``). A total is always the sum of its rows, never adjusted by a delta, so it cannot drift."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import connection
from django.db.models import Sum

from dangjian.learning.models import StudyHours, StudyYear

CHUNK = 900  # people per query (SQLite's bound on parameters)


def refresh(touched: Iterable[tuple[int, int]]) -> None:
    """Recompute the totals of these (person id, year) pairs (two queries per year and chunk)."""
    by_year: dict[int, set[int]] = defaultdict(set)
    for person_id, year in touched:
        by_year[year].add(person_id)
    for year, people in by_year.items():
        ids = sorted(people)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            sums = (
                StudyHours.objects.filter(
                    person_id__in=chunk, on__gte=date(year, 1, 1), on__lt=date(year + 1, 1, 1)
                )
                .values_list("person_id")
                .order_by()
                .annotate(total=Sum("hours"))
            )
            StudyYear.objects.filter(year=year, person_id__in=chunk).delete()
            StudyYear.objects.bulk_create(
                [StudyYear(person_id=p, year=year, hours=h) for p, h in sums if h is not None]
            )


def rebuild(year: int) -> int:
    """Every total of ``year`` from the rows, in one statement (after a bulk load). Returns the count."""
    totals, rows = StudyYear._meta.db_table, StudyHours._meta.db_table
    on = connection.ops.quote_name("on")
    StudyYear.objects.filter(year=year).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {totals} (person_id, year, hours) SELECT person_id, %s, SUM(hours) FROM {rows} "
            f"WHERE {on} >= %s AND {on} < %s GROUP BY person_id",
            [year, date(year, 1, 1), date(year + 1, 1, 1)],
        )
        return cursor.rowcount

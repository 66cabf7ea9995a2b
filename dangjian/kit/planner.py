"""Planner statistics after bulk writes.

PostgreSQL's autovacuum analyses a table only after a share of its rows changed and some time passed; a
fresh install, a big import or a yearly bill run would serve its first stretch with plans guessed from no
statistics (1 row estimated for a path prefix that matches 1,061 organizations). A bulk operation calls
``analyze(...)`` on the tables it filled, at its end, outside its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction

# A bulk operation that wrote at least this many rows analyses its tables (below it, autovacuum's own
# threshold of 50 rows + 10 % is met soon enough and an ANALYZE would only add latency).
ANALYZE_MIN_ROWS_DEFAULT = 1_000


def analyze_min_rows() -> int:
    return int(getattr(settings, "ANALYZE_MIN_ROWS", ANALYZE_MIN_ROWS_DEFAULT))


def _table(model_or_table: Any) -> str:
    return model_or_table if isinstance(model_or_table, str) else model_or_table._meta.db_table


def analyze(*models: Any, rows: int | None = None) -> list[str]:
    """ANALYZE the tables of the given models (or table names); skipped when ``rows`` (the number of rows
    the operation wrote) is below ANALYZE_MIN_ROWS. Deferred to the commit when inside a transaction, so
    the statistics see the new rows. Returns the tables analysed (or to be)."""
    if rows is not None and rows < analyze_min_rows():
        return []
    tables = sorted({_table(m) for m in models})
    transaction.on_commit(lambda: _run(tables))  # runs at once outside a transaction
    return tables


def analyze_now(*models: Any) -> list[str]:
    """ANALYZE at once, even inside a transaction: for a bulk operation that queries the rows it has just
    written (PostgreSQL samples the transaction's own new rows), so those queries are planned from them."""
    tables = sorted({_table(m) for m in models})
    _run(tables)
    return tables


def _run(tables: list[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


# Django's own bookkeeping, filled by migrate and read by primary key only: no plan depends on them.
FRAMEWORK_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})


def never_analysed(tables: Iterable[str] | None = None) -> list[str]:
    """PostgreSQL: the project's non-empty tables that have no planner statistics (never analysed by hand
    or by autovacuum). Empty on other databases."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NULL AND last_autoanalyze IS NULL"
            " AND n_live_tup > 0 ORDER BY relname"
        )
        found = [row[0] for row in cursor.fetchall()]
    wanted = set(tables) if tables is not None else None
    return [t for t in found if (wanted is None and t not in FRAMEWORK_TABLES) or (wanted and t in wanted)]

"""Exports: the list on screen as a file, audited with what left the platform (filters, row count, reason).

``export_response`` is the one door for an Excel export of a page's rows (PIPL 第五十一条: access to
personal data is recorded); ``export_recorded`` is the underlying step for other file writers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import transaction
from django.http import FileResponse, HttpRequest

from dangjian.audit.services import record
from dangjian.kit.xlsx import xlsx_response

R = TypeVar("R")


def live_filters(request: HttpRequest) -> dict[str, str]:
    """The page's filters as the export got them (for the audit event): the query without the page."""
    return {k: str(v) for k, v in request.GET.items() if k not in ("page", "partial") and v}


def export_recorded(
    *,
    actor: Any,
    action: str,
    filters: dict[str, str],
    rows: Iterable[Sequence[Any]],
    write: Callable[[Iterator[Sequence[Any]]], R],
    reason: str = "",
    org: Any = None,
    target: Any = None,
) -> R:
    """Write the file with ``write(rows)``, then audit the export with its filters and row count (and the
    reason, for an unmasked one): the event says exactly what left the platform. The file is built
    outside the transaction — a long export must not hold SQLite's write lock — and is handed out only
    once its audit event is committed."""
    counted = 0

    def counting() -> Iterator[Sequence[Any]]:
        nonlocal counted
        for row in rows:
            counted += 1
            yield row

    result = write(counting())
    with transaction.atomic():
        changes: dict[str, Any] = {"filters": filters, "rows": counted}
        if reason:
            changes["reason"] = reason
        record(actor=actor, action=action, target=target, org=org, changes=changes)
    return result


def export_response(
    request: HttpRequest,
    *,
    action: str,
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    reason: str = "",
    org: Any = None,
    target: Any = None,
) -> FileResponse:
    """The rows as a streamed .xlsx (text starting with "=" kept as text), audited as ``action``."""
    return export_recorded(
        actor=request.user,
        action=action,
        filters=live_filters(request),
        rows=rows,
        write=lambda counted: xlsx_response(filename, headers, counted),
        reason=reason,
        org=org,
        target=target,
    )

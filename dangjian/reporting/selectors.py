"""Reads of the statistics snapshots: whole figures of organizations as of a date, in one query.

Callers check who may see an organization (``access``) before asking for its figures; these functions
take organization ids the caller has already scoped."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from dangjian.core.models import Organization
from dangjian.reporting.definitions import definitions
from dangjian.reporting.models import OrgFact, OrgFigures, PersonFact, Snapshot, SnapshotStatus


def snapshot_on(on: date) -> Snapshot | None:
    """The finished snapshot of exactly ``on``, if one was computed."""
    return Snapshot.objects.filter(on=on, status=SnapshotStatus.READY).first()


def latest_snapshot(*, on_or_before: date | None = None) -> Snapshot | None:
    """The most recent finished snapshot (no later than ``on_or_before`` when given)."""
    snapshots = Snapshot.objects.filter(status=SnapshotStatus.READY)
    if on_or_before is not None:
        snapshots = snapshots.filter(on__lte=on_or_before)
    return snapshots.order_by("-on").first()


def figures_of(
    snapshot: Snapshot, org_ids: Iterable[int], *, direct: bool = False
) -> dict[int, dict[str, int]]:
    """``{org_id: {figure key: value}}`` of the organizations' subtrees (or their own people only, with
    ``direct``) in ``snapshot``; an organization the snapshot does not hold maps to ``{}``."""
    ids = list(org_ids)
    column = "direct" if direct else "subtree"
    found = dict(
        OrgFigures.objects.filter(snapshot=snapshot, organization_id__in=ids).values_list(
            "organization_id", column
        )
    )
    return {i: dict(found.get(i) or {}) for i in ids}


def latest_figures(org_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """The subtree figures of the organizations in the most recent snapshot (``{}`` each if none yet):
    what a table designed by an upper organization pre-fills."""
    snapshot = latest_snapshot()
    ids = list(org_ids)
    if snapshot is None:
        return {i: {} for i in ids}
    return figures_of(snapshot, ids)


def snapshots_for_choice(limit: int = 40) -> list[Snapshot]:
    """The finished snapshots a viewer can pick: every year-end and the recent daily ones, newest first."""
    return list(
        Snapshot.objects.filter(status=SnapshotStatus.READY)
        .order_by("-on")
        .only("id", "on", "kind", "finished_at")[:limit]
    )


def pick_snapshot(on: date | None) -> Snapshot | None:
    """The snapshot of ``on`` if there is one, else the latest before it (without a date: the latest)."""
    if on is None:
        return latest_snapshot()
    return snapshot_on(on) or latest_snapshot(on_or_before=on)


def counted(snapshot: Snapshot, org: Organization, key: str) -> QuerySet[Any]:
    """The fact rows a cell of ``org``'s subtree counts, for its explanation: people (with the person
    and the organization then) or organizations. Raises KeyError for an unknown figure."""
    rule = definitions()[key]
    if rule.side == "org":
        return (
            OrgFact.objects.filter(snapshot=snapshot, organization__path__startswith=org.path)
            .filter(rule.q)
            .select_related("organization")
            .order_by("organization__path")
        )
    column = "org_close" if rule.side == "close" else "org_open"
    return (
        PersonFact.objects.filter(snapshot=snapshot, **{f"{column}__path__startswith": org.path})
        .filter(rule.q)
        .select_related("person", column)
        .order_by(f"{column}__path", "person__name_pinyin", "person_id")
    )


def children_figures(snapshot: Snapshot, org: Organization) -> list[tuple[Organization, dict[str, int]]]:
    """The organizations right under ``org`` with their subtree figures (two queries)."""
    children = list(
        Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True).order_by(
            "path"
        )
    )
    values = figures_of(snapshot, [c.pk for c in children])
    return [(c, values[c.pk]) for c in children]


def subtree_figures_on(org: Organization, on: date) -> dict[str, int] | None:
    """The organization's subtree figures in the finished snapshot of ``on`` (one query), or None when
    that snapshot holds no row for it."""
    row = (
        OrgFigures.objects.filter(snapshot__on=on, snapshot__status=SnapshotStatus.READY, organization=org)
        .values_list("subtree", flat=True)
        .first()
    )
    return None if row is None else {k: int(v) for k, v in row.items()}


def children_page(
    snapshot: Snapshot, org: Organization, page_number: Any, per_page: int = 50
) -> tuple[Page[Organization], list[tuple[Organization, dict[str, int]]]]:
    """One page of the organizations right under ``org`` with their subtree figures (two queries when
    they fit on one page; three otherwise: the count, the page, its figures): a school of 3,000
    colleges is read a page at a time."""
    children = Organization.objects.filter(
        path__startswith=org.path, depth=org.depth + 1, is_active=True
    ).order_by("path")
    first = list(children[: per_page + 1]) if str(page_number or "1") == "1" else None
    if first is not None and len(first) <= per_page:
        page = Paginator(first, per_page).get_page(1)  # all of them: no count query
    elif first is not None:
        page = Page(first[:per_page], 1, Paginator(children, per_page))  # counted when shown
    else:
        page = Paginator(children, per_page).get_page(page_number)
    values = figures_of(snapshot, [c.pk for c in page.object_list])
    return page, [(c, values[c.pk]) for c in page.object_list]


def year_end_closing(org: Organization, year: int) -> int | None:
    """The organization's closing figure in the finished snapshot of 12-31 of ``year`` (one query), or
    None when that snapshot was not computed."""
    row = (
        OrgFigures.objects.filter(
            snapshot__on=date(year, 12, 31), snapshot__status=SnapshotStatus.READY, organization=org
        )
        .values_list("subtree", flat=True)
        .first()
    )
    if row is None:
        return None if not snapshot_on(date(year, 12, 31)) else 0
    return int(row.get("closing", 0))

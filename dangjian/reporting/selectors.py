"""Reads of the statistics snapshots: whole figures of organizations as of a date, in one query.

Callers check who may see an organization (``access``) before asking for its figures; these functions
take organization ids the caller has already scoped."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dangjian.reporting.models import OrgFigures, Snapshot, SnapshotStatus


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

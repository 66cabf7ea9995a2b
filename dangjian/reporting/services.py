"""Writes of the statistics: computing (or recomputing) the snapshot of a date, pruning old ones."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.audit import services as audit
from dangjian.core.models import Organization
from dangjian.kit.errors import RuleViolation
from dangjian.kit.planner import analyze
from dangjian.policy import get_policy
from dangjian.reporting import engine
from dangjian.reporting.models import (
    OrgFact,
    OrgFigures,
    PersonFact,
    Snapshot,
    SnapshotKind,
    SnapshotStatus,
)

# Daily snapshots older than this are removed (their figures; facts are kept only for the latest one).
DAILY_KEEP_DAYS = 31


def kind_of(on: date) -> str:
    month, day = get_policy().statistics_year_end
    return SnapshotKind.YEAR_END if (on.month, on.day) == (month, day) else SnapshotKind.DAILY


def snapshot_compute(*, on: date, actor: object, scope: Scope) -> Snapshot:
    """Compute every organization's figures as of ``on`` and store them, replacing an earlier
    computation of the same date. A call that waited for another computation of the same date to
    finish returns that one instead of computing again (a double click, two nightly runs)."""
    if not scope.covers(Permission.VIEW_STATISTICS, _root_path()):
        raise RuleViolation(_("只有学校党委的组织员可以重新计算统计"), code="forbidden")
    if on > timezone.localdate():
        raise RuleViolation(_("统计时点不能晚于今天"), code="date_in_future", field="on")
    asked_at = timezone.now()
    with transaction.atomic():
        snapshot, _created = Snapshot.objects.select_for_update().get_or_create(
            on=on, defaults={"kind": kind_of(on), "started_at": asked_at}
        )
        if (
            snapshot.status == SnapshotStatus.READY
            and snapshot.finished_at
            and snapshot.finished_at >= asked_at
        ):
            return snapshot
        before = {
            "status": snapshot.status,
            "people": snapshot.people,
            "organizations": snapshot.organizations,
        }
        for model in (PersonFact, OrgFact, OrgFigures):
            model.objects.filter(snapshot=snapshot).delete()
        snapshot.started_at = timezone.now()
        people, orgs = engine.build_facts(snapshot)
        rows = engine.write_figures(snapshot)
        snapshot.status = SnapshotStatus.READY
        snapshot.finished_at = timezone.now()
        snapshot.people, snapshot.organizations = people, orgs
        snapshot.error = ""
        snapshot.save()
        analyze(PersonFact, OrgFact, OrgFigures, rows=people + rows)
        audit.record(
            actor=actor,
            action="reporting.snapshot_compute",
            target=snapshot,
            changes={
                "status": [before["status"], snapshot.status],
                "people": [before["people"], people],
                "organizations": [before["organizations"], orgs],
            },
        )
        _prune(keep=snapshot)
    return snapshot


def _root_path() -> str:
    root = Organization.objects.get_first_root_node()  # type: ignore[attr-defined]
    return root.path if root else ""


def _prune(*, keep: Snapshot) -> None:
    """Daily snapshots older than DAILY_KEEP_DAYS go; facts stay only for year-end snapshots and the
    newest daily one (the figures of the others stay for trends)."""
    cutoff = keep.on - timedelta(days=DAILY_KEEP_DAYS)
    Snapshot.objects.filter(kind=SnapshotKind.DAILY, on__lt=cutoff).delete()
    newest_daily = (
        Snapshot.objects.filter(kind=SnapshotKind.DAILY).order_by("-on").values_list("pk", flat=True).first()
    )
    stale = Snapshot.objects.filter(kind=SnapshotKind.DAILY).exclude(pk=newest_daily or 0).values("pk")
    PersonFact.objects.filter(snapshot__in=stale).delete()
    OrgFact.objects.filter(snapshot__in=stale).delete()

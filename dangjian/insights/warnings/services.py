"""Writes of the 预警 centre: the nightly run that stores what the warning sources find, and the two
steps people take (我来处理, close with a note).

``alerts_sync`` keeps one alert per case (``source``, ``key``) while the case lasts:
- a case found for the first time, or found again after its alert was closed, raises a new alert
  (待处理, ``raised_on`` today);
- a case found again while its alert is open or being handled refreshes what the alert says (summary,
  level, rule, link, detail, the organization and person), ``last_seen_on`` today, and clears a
  ``cleared_on`` set earlier (the case came back);
- an open or handled alert whose case is no longer found gets ``cleared_on`` today: it stays in the
  list, marked 已消除, until a person closes it with a note — the run never closes anything.
Each source is stored in its own transaction, set-based (a few statements per 1,000 alerts), and
audited once per run with its counts; a source that raises is logged and skipped, the others go on.
After the run, each organization with new alerts is told once (its secretary for a branch, its
organizers for a committee), with a link to the centre filtered to it — never one notice per alert.

Nothing here touches a membership, a status or a person's record: a warning informs, people decide.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit, hooks
from dangjian.accounts.scope import Scope
from dangjian.audit.services import diff
from dangjian.core.models import Organization, OrgKind, Person
from dangjian.hooks.points import Finding, WarningSource
from dangjian.insights.models import Alert, AlertLevel, AlertStatus
from dangjian.insights.warnings import access
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.kit.planner import analyze
from dangjian.kit.transitions import expect_state

logger = logging.getLogger(__name__)

CHUNK = 500  # ids per statement: under SQLite's bound on parameters
NOTE_MAX = 2000
REFRESHED_FIELDS = ("organization_id", "person_id", "level", "rule", "summary", "url", "detail")
ACTIVE = (AlertStatus.OPEN, AlertStatus.HANDLING)


@dataclass
class SourceRun:
    found: int = 0
    new: int = 0
    refreshed: int = 0
    cleared: int = 0
    dropped: int = 0  # findings naming an organization (or person) that does not exist


@dataclass
class SyncResult:
    sources: dict[str, SourceRun] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    new_by_org: dict[int, int] = field(default_factory=dict)
    notified: int = 0  # organizations told

    @property
    def new(self) -> int:
        return sum(r.new for r in self.sources.values())


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _clean(findings: Iterable[Finding]) -> dict[str, Finding]:
    """One finding per key (the last one wins), with an unknown level read as 预警."""
    by_key: dict[str, Finding] = {}
    for finding in findings:
        key = str(finding.key)[:120]
        if key:
            by_key[key] = finding
    return by_key


def _values(finding: Finding) -> dict[str, Any]:
    level = finding.level if finding.level in AlertLevel.values else AlertLevel.WARNING
    url = str(finding.url or "")
    return {
        "organization_id": int(finding.organization_id),
        "person_id": int(finding.person_id) if finding.person_id is not None else None,
        "level": level,
        "rule": str(finding.rule)[:300],
        "summary": str(finding.summary)[:300],
        # a path of the platform only: nothing else is drawn as the drill-down link
        "url": url[:300] if url.startswith("/") and not url.startswith("//") else "",
        "detail": dict(finding.detail or {}),
    }


def _existing_ids(model: type[Any], ids: set[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(sorted(ids)):
        found.update(model.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def _sync_source(
    source: WarningSource, findings: Mapping[str, Finding], today: date
) -> tuple[SourceRun, Counter[int]]:
    run = SourceRun(found=len(findings))
    wanted = {key: _values(f) for key, f in findings.items()}
    orgs = _existing_ids(Organization, {v["organization_id"] for v in wanted.values()})
    people = _existing_ids(Person, {v["person_id"] for v in wanted.values() if v["person_id"] is not None})
    for key in [k for k, v in wanted.items() if v["organization_id"] not in orgs]:
        logger.warning("warning source %s: %s names no organization", source.code, key)
        del wanted[key]
        run.dropped += 1
    for values in wanted.values():
        if values["person_id"] is not None and values["person_id"] not in people:
            values["person_id"] = None
    new_by_org: Counter[int] = Counter()
    with transaction.atomic():
        active = {
            a.key: a
            for a in Alert.objects.select_for_update()
            .filter(source=source.code, status__in=ACTIVE)
            .only("pk", "key", "cleared_on", "last_seen_on", *REFRESHED_FIELDS)
        }
        changed: list[Alert] = []
        seen_ids: list[int] = []
        new: list[Alert] = []
        for key, values in wanted.items():
            alert = active.get(key)
            if alert is None:
                new.append(
                    Alert(
                        source=source.code,
                        key=key,
                        status=AlertStatus.OPEN,
                        raised_on=today,
                        last_seen_on=today,
                        **values,
                    )
                )
                new_by_org[values["organization_id"]] += 1
                continue
            if any(getattr(alert, name) != values[name] for name in REFRESHED_FIELDS):
                for name in REFRESHED_FIELDS:
                    setattr(alert, name, values[name])
                alert.last_seen_on, alert.cleared_on = today, None
                changed.append(alert)
            else:
                seen_ids.append(alert.pk)
        Alert.objects.bulk_create(new, batch_size=CHUNK)
        Alert.objects.bulk_update(
            changed, [*REFRESHED_FIELDS, "last_seen_on", "cleared_on"], batch_size=CHUNK
        )
        for chunk in _chunks(seen_ids):
            Alert.objects.filter(pk__in=chunk).update(last_seen_on=today, cleared_on=None)
        gone = [a.pk for key, a in active.items() if key not in wanted and a.cleared_on is None]
        for chunk in _chunks(gone):
            Alert.objects.filter(pk__in=chunk).update(cleared_on=today)
        run.new, run.refreshed, run.cleared = len(new), len(changed) + len(seen_ids), len(gone)
        audit.record(
            actor=None,
            action="insights.warnings_sync",
            target=None,
            org=None,
            changes={
                "source": source.code,
                "on": today,
                "found": run.found,
                "new": run.new,
                "refreshed": run.refreshed,
                "cleared": run.cleared,
                "dropped": run.dropped,
            },
        )
    return run, new_by_org


def _recipients(org: Organization) -> list[Any]:
    """Who must act for ``org``: the secretary of a branch, the organizers of a committee; when there
    is none (a branch without a secretary is itself a warning), the organizers above."""
    from dangjian.accounts import recipients

    users = recipients.secretary_users(org) if org.kind == OrgKind.BRANCH else recipients.organizers_at(org)
    return users or recipients.upper_organizers(org)


def centre_link(org: Organization) -> str:
    """The centre filtered to ``org``'s warnings (a college as the college filter, others as the branch)."""
    param = "college" if org.depth == 2 else "branch"
    return f"{reverse('insights:warnings')}?{param}={org.pk}"


def _notify(new_by_org: Mapping[int, int]) -> int:
    from dangjian.workbench.services import notify

    told = 0
    for org in Organization.objects.filter(pk__in=list(new_by_org)).order_by("path"):
        n = new_by_org[org.pk]
        sent = notify(
            _recipients(org),
            "insights",
            _("%(org)s 有 %(n)s 条新预警") % {"org": org.display_name, "n": n},
            body=_("请在预警中心了解情况、认领并记录处理结果。预警仅作提醒，不会自动作出任何处理。"),
            link=centre_link(org),
        )
        told += 1 if sent else 0
    return told


def sources_with_findings() -> list[WarningSource]:
    return [s for s in hooks.warnings.all() if s.findings is not None]


def alerts_sync(*, today: date, sources: Iterable[WarningSource] | None = None) -> SyncResult:
    """Store what each source with findings finds on ``today`` (see the module's docstring). Safe to run
    any number of times a day: a second run finds the alerts already there and raises nothing new."""
    result = SyncResult()
    new_by_org: Counter[int] = Counter()
    for source in list(sources) if sources is not None else sources_with_findings():
        if source.findings is None:
            continue
        try:
            findings = _clean(source.findings(today))
            run, raised = _sync_source(source, findings, today)
        except Exception:  # one broken source must not stop the others' warnings
            logger.exception("warning source %s failed; skipped", source.code)
            result.failed.append(source.code)
            continue
        result.sources[source.code] = run
        new_by_org.update(raised)
    result.new_by_org = dict(new_by_org)
    # A first run raises a province's 200,000 warnings at once: the centre's and the dashboard's plans
    # need statistics that know it (dangjian/kit/planner.py).
    analyze(Alert, rows=sum(run.new for run in result.sources.values()))
    if new_by_org:
        result.notified = _notify(new_by_org)
    return result


# ---------------------------------------------------------------- people handle a warning


def _locked(scope: Scope, alert: Alert) -> Alert:
    locked = Alert.objects.select_for_update(of=("self",)).select_related("organization").get(pk=alert.pk)
    if not access.may_handle(scope, locked):
        raise NotFound(_("未找到该预警"))
    return locked


def alert_take(*, actor: Any, scope: Scope, alert: Alert, expected_status: str | None) -> Alert:
    """我来处理: an open warning is being handled by ``actor`` (待处理 → 处理中)."""
    with transaction.atomic():
        alert = _locked(scope, alert)
        expect_state(alert.status, expected_status)
        if alert.status != AlertStatus.OPEN:
            raise RuleViolation(_("只有待处理的预警可以认领"), code="alert_not_open")
        before = {"status": alert.status, "handled_by": alert.handled_by_id}
        alert.status = AlertStatus.HANDLING
        alert.handled_by = actor if getattr(actor, "pk", None) else None
        alert.handled_at = timezone.now()
        alert.save(update_fields=["status", "handled_by", "handled_at"])
        audit.record(
            actor=actor,
            action="insights.alert_take",
            target=alert,
            org=alert.organization,
            changes=diff(before, {"status": alert.status, "handled_by": alert.handled_by_id}),
        )
    return alert


def alert_close(*, actor: Any, scope: Scope, alert: Alert, note: str, expected_status: str | None) -> Alert:
    """Close a warning with what was done about it (待处理 or 处理中 → 已关闭); the note is required. A
    case still found after this raises a new warning on the next run."""
    note = (note or "").strip()
    with transaction.atomic():
        alert = _locked(scope, alert)
        expect_state(alert.status, expected_status)
        if alert.status not in ACTIVE:
            raise RuleViolation(_("该预警已关闭"), code="alert_closed")
        if not note:
            raise RuleViolation(_("请填写处理情况：做了什么、结果如何"), field="note")
        if len(note) > NOTE_MAX:
            raise RuleViolation(_("处理情况不能超过 %(n)s 字") % {"n": NOTE_MAX}, field="note")
        before = {"status": alert.status, "handled_by": alert.handled_by_id, "note": alert.note}
        alert.status = AlertStatus.CLOSED
        alert.note = note
        alert.handled_by = actor if getattr(actor, "pk", None) else None
        alert.handled_at = timezone.now()
        alert.save(update_fields=["status", "note", "handled_by", "handled_at"])
        audit.record(
            actor=actor,
            action="insights.alert_close",
            target=alert,
            org=alert.organization,
            changes=diff(before, {"status": alert.status, "handled_by": alert.handled_by_id, "note": note}),
        )
    return alert

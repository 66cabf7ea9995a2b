"""Writes and reads of the annual return (党内统计年报, ../shared/DOMAIN.md §7) on the assignment machinery.

The school opens year Y's return once; every college-level organization (the root's children that are
committees or general branches) gets an assignment holding its figures from the year-end snapshot
(``computed``). A college may adjust a figure only with a reason per cell (``adjustments``); the
statistics' checks (``reporting.rules.check``, against last year's accepted closing) block a submission
and name the failing cells. The school returns or accepts each, then locks the year; a locked return
refuses every write (409, ``Locked``) until it is reopened with a reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.kit.errors import RuleViolation
from dangjian.kit.transitions import expect_state
from dangjian.policy import get_policy
from dangjian.returns import access
from dangjian.returns.models import (
    FILLABLE,
    Assignment,
    AssignmentStatus,
    Return,
    ReturnKind,
    ReturnStatus,
)
from dangjian.returns.services import _actor, _fillers, _refuse, refuse_if_locked


def label_of(key: str) -> str:
    from dangjian.reporting.figures import figures, tables

    figure = figures().get(key)
    if figure is None:
        return key
    table = next((t for t in tables() if key in t.keys), None)
    return f"{table.title} · {figure.label}" if table else str(figure.label)


def values_of(assignment: Assignment) -> dict[str, int]:
    """The figures as handed in: the snapshot's, with the adjusted cells replaced."""
    values = {k: int(v) for k, v in (assignment.computed or {}).items()}
    for key, adjustment in (assignment.adjustments or {}).items():
        values[key] = int(adjustment["value"])
    return values


def last_closing(org: Organization, year: int) -> int | None:
    """The closing figure of ``org`` in last year's accepted annual return, if there is one."""
    previous = (
        Assignment.objects.filter(
            ret__kind=ReturnKind.ANNUAL,
            ret__year=year - 1,
            organization=org,
            status=AssignmentStatus.ACCEPTED,
        )
        .only("computed", "adjustments")
        .first()
    )
    return values_of(previous).get("closing", 0) if previous is not None else None


def colleges(root: Organization) -> list[Organization]:
    return list(
        Organization.objects.filter(
            path__startswith=root.path,
            depth=root.depth + 1,
            kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH],
            is_active=True,
        ).order_by("path")
    )


def annual_open(*, actor: Any, scope: Scope, year: int, today: date | None = None) -> Return:
    """Open year ``year``'s return at the school: once a year, only when the year-end snapshot exists."""
    from dangjian.reporting.selectors import figures_of, snapshot_on
    from dangjian.workbench.services import notify

    root = Organization.objects.get_root_nodes().first()
    if root is None or not access.may_design(scope, root):
        raise _refuse()
    today = today or timezone.localdate()
    if year > today.year:
        raise RuleViolation(_("%(y)s年尚未结束，不能发起年报") % {"y": year}, field="year")
    snapshot = snapshot_on(date(year, 12, 31))
    if snapshot is None:
        raise RuleViolation(
            _("%(y)s年12月31日的统计快照尚未生成，请先生成年终统计后再发起年报") % {"y": year},
            code="no_snapshot",
            field="year",
        )
    if Return.objects.filter(kind=ReturnKind.ANNUAL, year=year).exists():
        raise RuleViolation(_("%(y)s年的党内统计年报已经发起") % {"y": year}, code="exists", field="year")
    targets = colleges(root)
    if not targets:
        raise RuleViolation(_("学校党委下没有院系党组织"))
    figures = figures_of(snapshot, [o.pk for o in targets])
    try:
        with transaction.atomic():
            ret = Return.objects.create(
                kind=ReturnKind.ANNUAL,
                year=year,
                title=_("%(y)s年党内统计年报") % {"y": year},
                designer=root,
                # Filed in January (DOMAIN §7): the school's deadline is a policy setting (31 January).
                deadline=date(year + 1, *get_policy().returns_annual_deadline),
                status=ReturnStatus.OPEN,
                opened_at=timezone.now(),
                created_by=_actor(actor),
            )
            assignments = Assignment.objects.bulk_create(
                [Assignment(ret=ret, organization=o, computed=figures.get(o.pk, {})) for o in targets]
            )
            audit.record(
                actor=actor,
                action="returns.annual_open",
                target=ret,
                org=root,
                changes={"year": year, "snapshot": snapshot.on, "organizations": [o.pk for o in targets]},
            )
            title = _("请填报%(y)s年党内统计年报") % {"y": year}
            notices = [(a.organization, reverse("returns:fill", args=[a.pk])) for a in assignments]

            def tell() -> None:
                for org, link in notices:
                    notify(_fillers(org), "returns", title, link=link)

            transaction.on_commit(tell)
    except IntegrityError:
        # A concurrent twin opened the year first (one annual return a year, a unique constraint).
        raise RuleViolation(_("%(y)s年的党内统计年报已经发起") % {"y": year}, code="exists") from None
    return ret


def annual_fill(
    *,
    actor: Any,
    scope: Scope,
    assignment: Assignment,
    cells: Mapping[str, tuple[str, str]],
    expected_status: str | None,
    submit: bool = False,
) -> Assignment:
    """Save the adjusted cells (``cells``: figure key → (value typed, reason)); a value equal to the
    snapshot's is no adjustment. With ``submit``, the statistics' checks run first and block it."""
    from dangjian.reporting.figures import figures
    from dangjian.reporting.rules import check

    catalogue = figures()
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update()
            .select_related("ret", "ret__designer", "organization")
            .get(pk=assignment.pk)
        )
        if not access.fills_at(scope, locked.organization):
            raise _refuse()
        refuse_if_locked(locked.ret)
        expect_state(locked.status, expected_status)
        if locked.ret.status != ReturnStatus.OPEN:
            raise RuleViolation(_("年报已结束填报"), code="closed")
        if locked.status not in FILLABLE:
            raise RuleViolation(_("已提交，不能再修改"), code="submitted")
        problems: list[str] = []
        adjustments = dict(locked.adjustments or {})
        for key, (raw, reason) in cells.items():
            if key not in catalogue:
                continue
            text, reason = (raw or "").strip(), (reason or "").strip()
            computed = int((locked.computed or {}).get(key, 0))
            if text == "":
                adjustments.pop(key, None)
                continue
            try:
                value = int(text)
            except ValueError:
                problems.append(_("“%(c)s”应填写整数") % {"c": label_of(key)})
                continue
            if value < 0:
                problems.append(_("“%(c)s”不能为负数") % {"c": label_of(key)})
                continue
            if value == computed:
                adjustments.pop(key, None)
                continue
            if not reason:
                problems.append(
                    _("“%(c)s”由 %(a)s 调整为 %(b)s，请填写调整原因")
                    % {"c": label_of(key), "a": computed, "b": value}
                )
                continue
            adjustments[key] = {"value": value, "reason": reason[:200]}
        if problems:
            raise RuleViolation("；".join(problems), code="invalid_cells")
        before = {"status": locked.status, "adjustments": locked.adjustments}
        locked.adjustments = adjustments
        if submit:
            failures = check(
                values_of(locked), last_closing=last_closing(locked.organization, locked.ret.year or 0)
            )
            if failures:
                raise RuleViolation(
                    _("未通过检查：%(f)s") % {"f": "；".join(f.message for f in failures)},
                    code="checks_failed",
                )
            locked.status = AssignmentStatus.SUBMITTED
            locked.submitted_at = timezone.now()
            locked.submitted_by = _actor(actor)
            locked.late = bool(locked.ret.deadline and timezone.localdate() > locked.ret.deadline)
            locked.returned_reason = ""
        else:
            locked.status = AssignmentStatus.DRAFT
        locked.saved_at = timezone.now()
        locked.save()
        audit.record(
            actor=actor,
            action="returns.annual_submit" if submit else "returns.annual_save",
            target=locked,
            org=locked.organization,
            changes={
                "status": [before["status"], locked.status],
                "adjustments": [before["adjustments"], adjustments],
            },
        )
    return locked


def annual_lock(*, actor: Any, scope: Scope, ret: Return, expected_status: str | None) -> Return:
    """Lock the year once every organization's return is accepted."""
    if not access.may_review(scope, ret):
        raise _refuse()
    with transaction.atomic():
        locked = Return.objects.select_for_update().select_related("designer").get(pk=ret.pk)
        refuse_if_locked(locked)
        expect_state(locked.status, expected_status)
        if not locked.is_annual:
            raise RuleViolation(_("只有党内统计年报可以锁定"))
        waiting = locked.assignments.exclude(status=AssignmentStatus.ACCEPTED).count()
        if waiting:
            raise RuleViolation(_("还有 %(n)s 个组织的年报未通过审核，不能锁定") % {"n": waiting})
        locked.status = ReturnStatus.LOCKED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        audit.record(
            actor=actor,
            action="returns.lock",
            target=locked,
            org=locked.designer,
            changes={"status": [ReturnStatus.OPEN, ReturnStatus.LOCKED]},
        )
    return locked


def annual_reopen(
    *, actor: Any, scope: Scope, ret: Return, reason: str, expected_status: str | None
) -> Return:
    """Open a locked return again (to correct it): a reason is required and audited."""
    if not access.may_review(scope, ret):
        raise _refuse()
    reason = reason.strip()
    if not reason:
        raise RuleViolation(_("请填写重新开放的原因"), field="reason")
    with transaction.atomic():
        locked = Return.objects.select_for_update().select_related("designer").get(pk=ret.pk)
        expect_state(locked.status, expected_status)
        if locked.status != ReturnStatus.LOCKED:
            raise RuleViolation(_("只有已锁定的年报可以重新开放"))
        locked.status = ReturnStatus.OPEN
        locked.closed_at = None
        locked.save(update_fields=["status", "closed_at"])
        audit.record(
            actor=actor,
            action="returns.reopen",
            target=locked,
            org=locked.designer,
            changes={"status": [ReturnStatus.LOCKED, ReturnStatus.OPEN], "reason": reason[:300]},
        )
    return locked


@dataclass(frozen=True)
class SchoolTotal:
    """The school's figures for the year: the colleges' returns as handed in plus the school's own part
    (the people and organizations under no college: the committee's directly held branches)."""

    values: dict[str, int]
    own: dict[str, int]
    failures: list[Any]  # the statistics' checks on the school's figures (reporting.rules.Failure)
    rollup: list[Any]  # cells where the colleges' adjusted figures no longer add up to the snapshot's


def school_total(
    ret: Return, assignments: Sequence[Assignment], *, check_last: bool = True
) -> SchoolTotal | None:
    """Consolidate an annual return at the school and check it (two or three queries); None when the
    year-end snapshot holds no figures for the school. The school's own part is the snapshot's school
    figure less its colleges' snapshot figures; the colleges' adjustments show as roll-up differences."""
    from dangjian.reporting.rules import check, check_children
    from dangjian.reporting.selectors import subtree_figures_on

    year = ret.year or 0
    school = subtree_figures_on(ret.designer, date(year, 12, 31))
    if school is None:
        return None
    computed = [{k: int(v) for k, v in (a.computed or {}).items()} for a in assignments]
    handed_in = [values_of(a) for a in assignments]
    keys = set(school) | {k for c in computed for k in c} | {k for h in handed_in for k in h}
    own = {k: school.get(k, 0) - sum(c.get(k, 0) for c in computed) for k in sorted(keys)}
    values = {k: own[k] + sum(h.get(k, 0) for h in handed_in) for k in sorted(keys)}
    last = school_last_closing(ret.designer, year - 1) if check_last else None
    return SchoolTotal(
        values=values,
        own=own,
        failures=check(values, last_closing=last),
        rollup=check_children(school, handed_in, own=own),
    )


def school_last_closing(root: Organization, year: int) -> int | None:
    """The school's closing of ``year``: its locked annual return's consolidated figure, else the
    year-end snapshot's, else None."""
    from dangjian.reporting.selectors import year_end_closing

    previous = Return.objects.filter(
        kind=ReturnKind.ANNUAL, year=year, status=ReturnStatus.LOCKED, designer=root
    ).first()
    if previous is not None:
        previous.designer = root  # the same row: no query
        total = school_total(previous, list(previous.assignments.all()), check_last=False)
        if total is not None:
            return total.values.get("closing", 0)
    return year_end_closing(root, year)


def comparison(assignment: Assignment) -> list[tuple[str, str, list[tuple[str, int, int | None]]]]:
    """This year against last year per figure of the organization: [(table, section, [(label, this,
    last or None)])]. Last year is last year's annual return of the same organization (any state)."""
    from dangjian.reporting.figures import figures, tables

    previous = (
        Assignment.objects.filter(
            ret__kind=ReturnKind.ANNUAL,
            ret__year=(assignment.ret.year or 0) - 1,
            organization=assignment.organization,
        )
        .only("computed", "adjustments")
        .first()
    )
    now, then = values_of(assignment), values_of(previous) if previous else None
    catalogue = figures()
    out = []
    for table in tables():
        for section in table.sections:
            out.append(
                (
                    str(table.title),
                    str(section.title),
                    [
                        (str(catalogue[k].label), now.get(k, 0), then.get(k, 0) if then is not None else None)
                        for k in section.keys
                    ],
                )
            )
    return out

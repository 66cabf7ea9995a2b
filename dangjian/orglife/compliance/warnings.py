"""连续未参加组织生活预警: members absent from organizational life for ``orglife_absence_warning_months``
(6, 党章 第九条) months in a row without leave — a warning to their branch, never an automatic action
(the membership is not touched; the branch looks into it and records what it did).

The rule (``raise_absence_warnings(today)``), with N the policy's months:
- The window is the N full calendar months before ``today``'s month (run on 2026-07-03 with N = 6:
  2026-01-01 to 2026-06-30). A month still running is never judged.
- Considered: members in normal standing (流动, 出国(境), 失联 have their own procedures) who had joined
  the Party by the window's first day, at the held meetings (held, minuted or closed) of the branch
  where their membership is now, where they were listed as a member.
- Raised when in **each** of the N months the member was expected at at least one such meeting and in
  **none** of the window's meetings they were present or on leave (an absence with a reason written in
  the minutes is still an absence: leave is asked for beforehand). A month in which the branch held no
  meeting for them breaks the run — the member missed nothing then, and the branch's own shortfall is
  red in the compliance matrix. A member who moved in during the window has fewer months here and is
  not raised.
- Idempotent: one warning per member and window start (a unique constraint), and none while the member
  still has an open warning (so a continuing absence is not raised again every month until the branch
  has handled the first). Each new warning is audited (actor None) and the branch's secretaries are
  notified, once per branch and run.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import PositionTitle, Standing
from dangjian.kit.dates import add_months
from dangjian.kit.errors import RuleViolation
from dangjian.kit.transitions import expect_state
from dangjian.orglife import access
from dangjian.orglife.models import (
    HELD_STATUSES,
    AbsenceWarning,
    Attendance,
    Attendee,
    AttendeeRole,
    WarningStatus,
)
from dangjian.policy import get_policy

P = Permission
NOTIFY_TITLES = (PositionTitle.SECRETARY, PositionTitle.DEPUTY_SECRETARY)


def window_for(today: date, months: int) -> tuple[date, date]:
    """The ``months`` full calendar months before ``today``'s month: (first day, last day)."""
    this_month = today.replace(day=1)
    return add_months(this_month, -months), this_month - timedelta(days=1)


def absent_members(today: date) -> list[dict[str, Any]]:
    """Who the rule raises for the window ending before ``today``'s month (one grouped query):
    dicts with person, branch and missed (meetings missed in the window)."""
    months = get_policy().orglife_absence_warning_months
    start, end = window_for(today, months)
    return list(
        Attendee.objects.filter(
            meeting__status__in=HELD_STATUSES,
            meeting__date__gte=start,
            meeting__date__lte=end,
            role=AttendeeRole.MEMBER,
            person__membership__standing=Standing.NORMAL,
            person__membership__joined_on__lte=start,
            meeting__organization_id=F("person__membership__organization_id"),
        )
        .values("person_id", "meeting__organization_id")
        .annotate(
            months=Count(TruncMonth("meeting__date"), distinct=True),
            attended=Count("id", filter=Q(attendance__in=[Attendance.PRESENT, Attendance.LEAVE])),
            missed=Count("id"),
        )
        .filter(months__gte=months, attended=0)
        .values("person_id", "meeting__organization_id", "missed")
        .order_by("meeting__organization_id", "person_id")
    )


def raise_absence_warnings(today: date | None = None) -> int:
    """Raise the warnings of the rule above; returns how many were new. Safe to run any number of times."""
    from dangjian.accounts.models import User
    from dangjian.workbench.services import notify

    today = today or timezone.localdate()
    months = get_policy().orglife_absence_warning_months
    start, end = window_for(today, months)
    found = absent_members(today)
    if not found:
        return 0
    open_ids = set(
        AbsenceWarning.objects.filter(
            Q(status=WarningStatus.OPEN) | Q(window_start=start),
            person_id__in=[r["person_id"] for r in found],
        ).values_list("person_id", flat=True)
    )
    new_by_branch: dict[int, int] = {}
    for row in found:
        if row["person_id"] in open_ids:
            continue
        with transaction.atomic():
            warning, created = AbsenceWarning.objects.get_or_create(
                person_id=row["person_id"],
                window_start=start,
                defaults={
                    "branch_id": row["meeting__organization_id"],
                    "window_end": end,
                    "missed": min(row["missed"], 32767),
                },
            )
            if not created:
                continue
            audit.record(
                actor=None,
                action="orglife.absence_warning.raise",
                target=warning,
                org=warning.branch,
                changes={
                    "person": warning.person_id,
                    "window": [start.isoformat(), end.isoformat()],
                    "missed": warning.missed,
                },
            )
        new_by_branch[warning.branch_id] = new_by_branch.get(warning.branch_id, 0) + 1
    if new_by_branch:
        recipients: dict[int, list[Any]] = {}
        users = User.objects.filter(
            is_active=True,
            person__positions__organization_id__in=list(new_by_branch),
            person__positions__title__in=NOTIFY_TITLES,
            person__positions__ended_on__isnull=True,
        ).annotate(branch_id=F("person__positions__organization_id"))
        for user in users:
            recipients.setdefault(user.branch_id, []).append(user)  # type: ignore[attr-defined]
        link = reverse("orglife:stats_warnings")
        for branch_id, n in new_by_branch.items():
            notify(
                recipients.get(branch_id, []),
                "orglife",
                _("%(n)s 名党员连续 %(m)s 个月未参加组织生活") % {"n": n, "m": months},
                body=_("请了解情况、做好教育提醒，并在预警列表中记录处理情况。"),
                link=f"{link}?org={branch_id}",
            )
    return sum(new_by_branch.values())


# ---- the branch's list and handling ----------------------------------------------------------------


def warnings_visible_to(scope: Scope, perm: Permission = P.VIEW_ORGLIFE) -> QuerySet[AbsenceWarning]:
    return AbsenceWarning.objects.filter(scope.q(perm, "branch__path")).select_related(
        "person", "branch", "handled_by"
    )


def get_warning_for(scope: Scope, warning_id: Any, perm: Permission = P.MANAGE_ORGLIFE) -> AbsenceWarning:
    try:
        return warnings_visible_to(scope, perm).get(pk=int(warning_id))
    except (AbsenceWarning.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def absence_warning_handle(
    *, actor: Any, scope: Scope, warning: AbsenceWarning, note: str, expected_status: str | None = None
) -> AbsenceWarning:
    """The branch records what it did about a warning (talked to the member, asked for the reason ...).
    Only the note and the status change: the membership is untouched."""
    note = note.strip()
    with transaction.atomic():
        warning = (
            AbsenceWarning.objects.select_for_update(of=("self",)).select_related("branch").get(pk=warning.pk)
        )
        if not access.may_handle_warning(scope, warning):
            raise RuleViolation(_("只有本支部（或上级组织员）可以办理本支部的组织生活"), code="not_your_side")
        expect_state(warning.status, expected_status)
        if not note:
            raise RuleViolation(_("请填写处理情况"), field="note")
        if warning.status != WarningStatus.OPEN:
            raise RuleViolation(_("该预警已处理"), code="warning_handled")
        warning.status = WarningStatus.HANDLED
        warning.note = note
        warning.handled_by = actor
        warning.handled_at = timezone.now()
        warning.save(update_fields=["status", "note", "handled_by", "handled_at"])
        audit.record(
            actor=actor,
            action="orglife.absence_warning.handle",
            target=warning,
            org=warning.branch,
            changes={"status": [WarningStatus.OPEN, WarningStatus.HANDLED], "note": note},
        )
    return warning

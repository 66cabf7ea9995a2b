"""失联 computed (DOMAIN §9): a member out of touch with the branch, warned before it happens.

Contact is the LATER of the member's last organizational life attended and last dues paid, as the
modules tell through ``hooks.last_contacts`` (insights reads the hooks, never the modules). With the
policy's months (``lost_contact_warning_months`` 4 [local practice], ``lost_contact_months`` 6):
- counted: members (full and probationary) in normal standing of an active branch — 流动, 出国(境) and
  失联 have their own procedures (DOMAIN §5), the others are off the roll;
- measured from the later of the last contact and the day the membership in its branch started (a
  member who moved in, or whose record came to the platform, is not lost for the time before: the start
  is the first record of the membership in the branch after the last record elsewhere, never before
  ``joined_on``);
- ``lost_contact_warning_months`` whole months without contact: a warning; ``lost_contact_months``:
  serious, "失联". A warning to the branch, never an automatic change of standing.

Set-based: one query per contributor (GROUP BY person) and one over the members, iterated.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import hooks
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Membership, MembershipType, OrgKind, Standing
from dangjian.hooks import Finding
from dangjian.kit.dates import add_months
from dangjian.policy import get_policy

CODE = "insights.lost_contact"


def whole_months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 when ``end`` is before a month has passed)."""
    n = (end.year - start.year) * 12 + end.month - start.month
    if n > 0 and add_months(start, n) > end:
        n -= 1
    return max(n, 0)


def latest_contacts() -> dict[int, date]:
    """Each person's latest contact over every contributor."""
    latest: dict[int, date] = {}
    for contact in hooks.last_contacts.all():
        for person_id, day in contact.last_dates():
            if day is not None and (person_id not in latest or day > latest[person_id]):
                latest[person_id] = day
    return latest


def _members() -> QuerySet[Membership, dict[str, Any]]:
    """The members counted, each with ``arrived``: the first historical record of the membership in its
    current branch with no later record in another branch (None without history)."""
    history = Membership.history.model  # type: ignore[attr-defined]
    moved_later = history.objects.filter(
        id=OuterRef("id"), history_date__gt=OuterRef("history_date")
    ).exclude(organization_id=OuterRef("organization_id"))
    arrived = (
        history.objects.filter(id=OuterRef("pk"), organization_id=OuterRef("organization_id"))
        .filter(~Exists(moved_later))
        .order_by("history_date")
        .values("history_date")[:1]
    )
    return (
        Membership.objects.filter(
            membership_type__in=(MembershipType.FULL, MembershipType.PROBATIONARY),
            standing=Standing.NORMAL,
            organization__kind=OrgKind.BRANCH,
            organization__is_active=True,
        )
        .annotate(arrived=Subquery(arrived))
        .values("person_id", "person__name", "organization_id", "joined_on", "arrived")
        .order_by()
    )


def _day(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def lost_contact_findings(today: date) -> Iterator[Finding]:
    policy = get_policy()
    warn_months, lost_months = policy.lost_contact_warning_months, policy.lost_contact_months
    latest = latest_contacts()
    for row in _members().iterator(chunk_size=2000):
        start = max(row["joined_on"], _day(row["arrived"]) or row["joined_on"])
        contact = latest.get(row["person_id"])
        since = max(contact, start) if contact is not None else start
        months = whole_months_between(since, today)
        if months < warn_months:
            continue
        name = row["person__name"]
        if contact is None:
            last = _("无参加组织生活和交纳党费的记录")
        else:
            last = _("最近一次联系 %(d)s") % {"d": contact.isoformat()}
        if months >= lost_months:
            level = "serious"
            summary = _("%(name)s 已 %(n)s 个月未参加组织生活、未交纳党费（%(last)s），达到失联标准") % {
                "name": name,
                "n": months,
                "last": last,
            }
        else:
            level = "warning"
            summary = _("%(name)s 已 %(n)s 个月未参加组织生活、未交纳党费（%(last)s），有失联风险") % {
                "name": name,
                "n": months,
                "last": last,
            }
        yield Finding(
            key=f"person:{row['person_id']}",
            organization_id=row["organization_id"],
            summary=summary,
            rule=_("全国党员管理信息系统信息项(2017)：自最后一次参加组织生活、交纳党费起满 %(n)s 个月为失联")
            % {"n": lost_months},
            level=level,
            person_id=row["person_id"],
            url=reverse("core:person_detail", args=[row["person_id"]]),
            detail={
                "last_contact": contact.isoformat() if contact else None,
                "counted_from": since.isoformat(),
                "months": months,
            },
        )


def lost_contact_count(scope: Scope) -> int:
    """The open 失联 warnings in the scope (one query): the count needs both modules' data, so it reads
    what the nightly run stored."""
    from dangjian.insights.models import Alert, AlertStatus

    return Alert.objects.filter(
        scope.q(Permission.HANDLE_WARNINGS, "organization__path"),
        source=CODE,
        status__in=(AlertStatus.OPEN, AlertStatus.HANDLING),
        cleared_on__isnull=True,
    ).count()

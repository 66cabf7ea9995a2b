"""What 党员学习 contributes to the 预警 centre (issue 16): ``learning.behind``, ONE notice per branch (not
per member: there would be too many) with the number of its members on the roll whose hours this year are
below the straight line to their yearly target (教育条例: 32 学时; secretaries and committee members 56
[unverified]; ``ledger.selectors.behind_members`` and ``rules.expected_by``). Keyed by branch and year, so
the notice lasts while any member is behind and a new year is a new case. One GROUP BY query.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.hooks import Finding
from dangjian.learning.ledger.selectors import Targets, behind_members
from dangjian.policy import get_policy

CODE = "learning.behind"


def behind_by_branch(targets: Targets) -> QuerySet[Any, dict[str, Any]]:
    """Per active organization holding memberships: how many members are behind the year's pace."""
    return (
        behind_members(targets)
        .filter(organization__is_active=True)
        .values("organization_id", "organization__name")
        .annotate(n=Count("id"))
        .order_by("organization_id")
    )


def behind_findings(today: date) -> Iterator[Finding]:
    targets = Targets.of(today.year, today)
    policy = get_policy()
    for row in behind_by_branch(targets).iterator(chunk_size=2000):
        org_id = row["organization_id"]
        yield Finding(
            key=f"org:{org_id}:study:{targets.year}",
            organization_id=org_id,
            summary=_("%(org)s %(n)s 名党员学时落后于年度进度（截至 %(on)s 应达 %(hours)s 学时）")
            % {
                "org": row["organization__name"],
                "n": row["n"],
                "on": targets.on.isoformat(),
                "hours": targets.member_expected,
            },
            rule=_("党员教育管理工作条例：党员每年集中学习培训时间一般不少于 %(n)s 学时")
            % {"n": policy.study_member_hours_per_year},
            level="notice",
            url=reverse("learning:ledger", args=[org_id]) + f"?year={targets.year}&show=behind&list=1",
            detail={
                "behind": row["n"],
                "member_expected": str(targets.member_expected),
                "cadre_expected": str(targets.cadre_expected),
            },
        )


def behind_count(scope: Scope, today: date) -> int:
    """The branches in the scope with members behind (one query)."""
    targets = Targets.of(today.year, today)
    return behind_by_branch(targets).filter(scope.q(Permission.VIEW_STUDY, "organization__path")).count()

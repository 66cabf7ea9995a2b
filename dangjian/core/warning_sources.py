"""What the org tree contributes to the 预警 centre (issue 16): the rules of an organization, read from
the maintained counter rows (``OrgCounts``: members, full members, committee, secretary) joined to the
active organizations — one query for the whole tree, iterated.

- ``core.term`` 换届 (基层选举条例 第七条; kinds 党委, 党总支, 党支部): a notice ``term_reminder_months``
  (6 and 3) months before the term ends [local practice]; a warning from the day it ends; serious once
  it is overdue by more than ``term_extension_max_months`` (an extension is at most a year). One case
  per term (``org:<id>:term:<start>``), its level rising while it lasts. A term with no start recorded
  is not judged (the rule-check page says so).
- ``core.committee`` (branches): ≥ 7 full members and a committee of fewer than 3 (支部条例 第八条); no
  secretary (支部条例 第九条). Warnings.
- ``core.branch_size`` (branches): fewer than 3 full members (支部条例 第五条, serious: it does not meet
  the condition of a branch); more than 50 members (a warning: split it or form a 党总支).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, OrgKind
from dangjian.core.reminders import term_threshold
from dangjian.core.rules import default_term_years, term_expires_on
from dangjian.hooks import Finding
from dangjian.kit.dates import add_months
from dangjian.policy import Policy, get_policy

TERM, COMMITTEE, BRANCH_SIZE = "core.term", "core.committee", "core.branch_size"
_FIELDS = (
    "pk",
    "name",
    "kind",
    "term_started_on",
    "term_years",
    "counts__members",
    "counts__members_full",
    "counts__committee_size",
    "counts__has_secretary",
)


def _orgs(extra: Q | None = None) -> QuerySet[Organization, dict[str, Any]]:
    qs = Organization.objects.filter(is_active=True).exclude(kind=OrgKind.GROUP)
    if extra is not None:
        qs = qs.filter(extra)
    return qs.values(*_FIELDS).order_by("pk")


def _finding(row: dict[str, Any], suffix: str, level: str, summary: str, rule: str, **detail: Any) -> Finding:
    return Finding(
        key=f"org:{row['pk']}:{suffix}",
        organization_id=row["pk"],
        summary=summary,
        rule=rule,
        level=level,
        url=reverse("core:org_detail", args=[row["pk"]]),
        detail=detail,
    )


def term_case(row: dict[str, Any], today: date, policy: Policy) -> Finding | None:
    started = row["term_started_on"]
    if started is None:
        return None
    years = row["term_years"] or default_term_years(row["kind"], policy)
    expires = term_expires_on(started, years)
    if expires is None:
        return None
    threshold = term_threshold(expires, today, policy.term_reminder_months)
    if threshold is None:
        return None
    rule = _(
        "基层选举条例 第七条：党的基层委员会每届任期5年，党总支、党支部每届任期3年；"
        "任期届满应按期换届，确需延期的须经上级党组织批准，延期一般不超过1年"
    )
    org, end = row["name"], expires.isoformat()
    if threshold != "overdue":
        months = int(threshold.removesuffix("m"))
        summary = _("%(org)s 任期将于 %(date)s 届满（不足 %(m)s 个月），请准备换届") % {
            "org": org,
            "date": end,
            "m": months,
        }
        level = "notice"
    elif today >= add_months(expires, policy.term_extension_max_months):
        summary = _("%(org)s 任期已于 %(date)s 届满，超过 %(m)s 个月仍未换届") % {
            "org": org,
            "date": end,
            "m": policy.term_extension_max_months,
        }
        level = "serious"
    else:
        summary = _("%(org)s 任期已于 %(date)s 届满，尚未换届") % {"org": org, "date": end}
        level = "warning"
    return _finding(
        row, f"term:{started.isoformat()}", level, summary, rule, expires=end, threshold=threshold
    )


def committee_cases(row: dict[str, Any], policy: Policy) -> Iterator[Finding]:
    if row["kind"] != OrgKind.BRANCH:
        return
    full, size = row["counts__members_full"] or 0, row["counts__committee_size"] or 0
    if full >= policy.branch_committee_threshold_full_members and size < policy.committee_min_size:
        yield _finding(
            row,
            "committee",
            "warning",
            _("%(org)s 有正式党员 %(n)s 名，应设立 %(min)s 至 %(max)s 人的支部委员会，现有委员 %(c)s 名")
            % {
                "org": row["name"],
                "n": full,
                "min": policy.committee_min_size,
                "max": policy.committee_normal_max_size,
                "c": size,
            },
            _("支部条例 第八条：正式党员7人以上的党支部，设立支部委员会，由3至5人组成，一般不超过7人"),
            full_members=full,
            committee=size,
        )
    if not row["counts__has_secretary"]:
        yield _finding(
            row,
            "secretary",
            "warning",
            _("%(org)s 未配备书记") % {"org": row["name"]},
            _("支部条例 第九条：党支部设书记，正式党员不足7人的党支部设书记1名，必要时设副书记1名"),
        )


def size_cases(row: dict[str, Any], policy: Policy) -> Iterator[Finding]:
    if row["kind"] != OrgKind.BRANCH:
        return
    full, members = row["counts__members_full"] or 0, row["counts__members"] or 0
    if full < policy.branch_min_full_members:
        yield _finding(
            row,
            "too_small",
            "serious",
            _("%(org)s 正式党员 %(n)s 名，不足 %(min)s 名")
            % {"org": row["name"], "n": full, "min": policy.branch_min_full_members},
            _("支部条例 第五条：有正式党员3人以上的，应当成立党支部"),
            full_members=full,
        )
    if members > policy.branch_max_members:
        yield _finding(
            row,
            "too_large",
            "warning",
            _("%(org)s 有党员 %(n)s 名，超过 %(max)s 名，宜分设党支部或成立党总支")
            % {"org": row["name"], "n": members, "max": policy.branch_max_members},
            _("支部条例 第五条：党支部党员人数一般不超过50人"),
            members=members,
        )


def _cases(source: str, row: dict[str, Any], today: date, policy: Policy) -> Iterable[Finding]:
    if source == TERM:
        case = term_case(row, today, policy)
        return [case] if case else []
    if source == COMMITTEE:
        return committee_cases(row, policy)
    return size_cases(row, policy)


def _extra(source: str) -> Q:
    return Q(term_started_on__isnull=False) if source == TERM else Q(kind=OrgKind.BRANCH)


def _findings(source: str, today: date) -> Iterator[Finding]:
    """One query over the active organizations, iterated."""
    policy = get_policy()
    for row in _orgs(_extra(source)).iterator(chunk_size=2000):
        yield from _cases(source, row, today, policy)


def _count(source: str, scope: Scope, today: date) -> int:
    """The same rules over the scope's organizations (one query)."""
    policy = get_policy()
    rows = _orgs(_extra(source) & scope.q(Permission.VIEW_ORGS, "path"))
    return sum(1 for row in rows.iterator(chunk_size=2000) for _case in _cases(source, row, today, policy))


def term_findings(today: date) -> Iterator[Finding]:
    return _findings(TERM, today)


def committee_findings(today: date) -> Iterator[Finding]:
    return _findings(COMMITTEE, today)


def size_findings(today: date) -> Iterator[Finding]:
    return _findings(BRANCH_SIZE, today)


def term_count(scope: Scope, today: date) -> int:
    return _count(TERM, scope, today)


def committee_count(scope: Scope, today: date) -> int:
    return _count(COMMITTEE, scope, today)


def size_count(scope: Scope, today: date) -> int:
    return _count(BRANCH_SIZE, scope, today)

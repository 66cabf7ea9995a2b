"""Organization rule checks: pure functions of counts and dates (no database).

Each check names its rule and its source; the numbers come from ``dangjian.policy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.kit.dates import add_months, add_years, whole_years_between
from dangjian.policy import Policy

DANGER, WARNING, INFO = "danger", "warning", "info"
SEVERITY_ORDER = {DANGER: 0, WARNING: 1, INFO: 2}

SOURCE_BRANCH = "《中国共产党支部工作条例(试行)》"
SOURCE_ELECTION = "《中国共产党基层组织选举工作条例》"
SOURCE_LOCAL = gettext_lazy("本校规定")  # set per school in DANGJIAN_POLICY


@dataclass(frozen=True)
class OrgFacts:
    kind: str  # OrgKind value
    full_members: int
    members: int  # on the roll: full + probationary
    committee_size: int
    term_started_on: date | None
    term_years: int
    has_secretary: bool
    secretary_full_on: date | None  # None when there is no secretary or they are probationary


@dataclass(frozen=True)
class RuleCheck:
    code: str
    severity: str
    message: str
    source: str


def default_term_years(kind: str, policy: Policy) -> int:
    return {
        "committee": policy.term_years_committee,
        "general_branch": policy.term_years_general_branch,
    }.get(kind, policy.term_years_branch)


def term_expires_on(started_on: date | None, years: int) -> date | None:
    return add_years(started_on, years) if started_on else None


def check_term(facts: OrgFacts, today: date, policy: Policy) -> list[RuleCheck]:
    if facts.kind == "group":
        return []
    expires = term_expires_on(facts.term_started_on, facts.term_years)
    if expires is None:
        return [RuleCheck("term_unknown", INFO, _("未记录本届任期开始日期，无法提示换届。"), SOURCE_ELECTION)]
    if today >= expires:
        return [
            RuleCheck(
                "term_overdue",
                DANGER,
                _("任期已于 %(date)s 届满，应按期换届(延期须经上级党组织批准)。")
                % {"date": expires.isoformat()},
                SOURCE_ELECTION,
            )
        ]
    for months in sorted(policy.term_reminder_months):
        if today >= add_months(expires, -months):
            severity = WARNING if months == min(policy.term_reminder_months) else INFO
            return [
                RuleCheck(
                    f"term_expiring_{months}m",
                    severity,
                    _("任期将于 %(date)s 届满(不足 %(months)s 个月)，请准备换届。")
                    % {"date": expires.isoformat(), "months": months},
                    f"{SOURCE_LOCAL} / {SOURCE_ELECTION}",
                )
            ]
    return []


def check_branch_size(facts: OrgFacts, policy: Policy) -> list[RuleCheck]:
    if facts.kind != "branch":
        return []
    checks: list[RuleCheck] = []
    if facts.full_members < policy.branch_min_full_members:
        checks.append(
            RuleCheck(
                "branch_too_few_full_members",
                DANGER,
                _("正式党员 %(n)s 名，不足 %(min)s 名，不符合成立党支部的条件。")
                % {"n": facts.full_members, "min": policy.branch_min_full_members},
                SOURCE_BRANCH + " 第五条",
            )
        )
    if (
        facts.full_members >= policy.branch_committee_threshold_full_members
        and facts.committee_size < policy.committee_min_size
    ):
        # A secretary (and deputy) alone is not a committee: below the minimum size there is none.
        checks.append(
            RuleCheck(
                "branch_needs_committee",
                WARNING,
                _(
                    "正式党员 %(n)s 名(%(t)s 名以上)，应设立 %(min)s 至 %(max)s 人的支部委员会，"
                    "现有委员 %(c)s 名。"
                )
                % {
                    "n": facts.full_members,
                    "t": policy.branch_committee_threshold_full_members,
                    "min": policy.committee_min_size,
                    "max": policy.committee_normal_max_size,
                    "c": facts.committee_size,
                },
                SOURCE_BRANCH + " 第八条",
            )
        )
    if facts.members > policy.branch_max_members:
        checks.append(
            RuleCheck(
                "branch_too_large",
                WARNING,
                _("党员 %(n)s 名，超过一般上限 %(max)s 名，宜分设党支部或成立党总支。")
                % {"n": facts.members, "max": policy.branch_max_members},
                SOURCE_BRANCH + " 第五条",
            )
        )
    return checks


def check_committee_size(facts: OrgFacts, policy: Policy) -> list[RuleCheck]:
    expects_committee = facts.kind in ("committee", "general_branch") or (
        facts.kind == "branch" and facts.full_members >= policy.branch_committee_threshold_full_members
    )
    size = facts.committee_size
    if not expects_committee or size == 0:
        return []
    if facts.kind == "branch" and size < policy.committee_min_size:
        return []  # reported as branch_needs_committee
    if size < policy.committee_min_size or size > policy.committee_max_size:
        return [
            RuleCheck(
                "committee_size_out_of_range",
                WARNING,
                _("委员会现有委员 %(n)s 名，应为 %(min)s 至 %(max)s 名。")
                % {"n": size, "min": policy.committee_min_size, "max": policy.committee_max_size},
                SOURCE_BRANCH + " 第八条",
            )
        ]
    if size > policy.committee_normal_max_size:
        return [
            RuleCheck(
                "committee_size_above_normal",
                INFO,
                _("委员会现有委员 %(n)s 名，一般为 %(min)s 至 %(max)s 名。")
                % {"n": size, "min": policy.committee_min_size, "max": policy.committee_normal_max_size},
                SOURCE_BRANCH + " 第八条",
            )
        ]
    return []


def check_secretary(facts: OrgFacts, today: date, policy: Policy) -> list[RuleCheck]:
    if facts.kind == "group":
        return []
    if not facts.has_secretary:
        return [RuleCheck("no_secretary", WARNING, _("未配备书记。"), SOURCE_BRANCH + " 第九条")]
    full_on = facts.secretary_full_on
    if full_on is None or whole_years_between(full_on, today) < policy.secretary_min_standing_years:
        return [
            RuleCheck(
                "secretary_standing_short",
                WARNING,
                _("书记党龄不足 %(n)s 年。") % {"n": policy.secretary_min_standing_years},
                SOURCE_BRANCH + " 第九条",
            )
        ]
    return []


def check_organization(facts: OrgFacts, today: date, policy: Policy) -> list[RuleCheck]:
    checks = (
        check_branch_size(facts, policy)
        + check_committee_size(facts, policy)
        + check_term(facts, today, policy)
        + check_secretary(facts, today, policy)
    )
    return sorted(checks, key=lambda c: SEVERITY_ORDER[c.severity])


def checks_change_on(facts: OrgFacts, today: date, policy: Policy) -> date | None:
    """The first day after ``today`` on which ``check_organization(facts, day)`` may answer otherwise
    (None: never, while the facts stay): the term's reminder dates and expiry, and the anniversary at
    which the secretary's Party standing reaches the minimum. The counter table stores an org's outcome
    until that day."""
    days: list[date] = []
    expires = term_expires_on(facts.term_started_on, facts.term_years)
    if expires is not None and facts.kind != "group":
        days += [expires, *(add_months(expires, -m) for m in policy.term_reminder_months)]
    if facts.has_secretary and facts.secretary_full_on is not None and facts.kind != "group":
        # whole_years_between(full_on, day) >= n exactly from add_years(full_on, n) on.
        days.append(add_years(facts.secretary_full_on, policy.secretary_min_standing_years))
    later = [d for d in days if d > today]
    return min(later) if later else None


def kind_may_hold(parent_kind: str | None, child_kind: str) -> bool:
    """Which kind of org may sit under which: a 党小组 only under a branch; a branch holds no branch."""
    if parent_kind is None:
        return child_kind == "committee"
    allowed = {
        "committee": {"committee", "general_branch", "branch"},
        "general_branch": {"branch"},
        "branch": {"group"},
        "group": set(),
    }
    return child_kind in allowed.get(parent_kind, set())


def committee_complete(
    *, full_members: int, committee_size: int, has_secretary: bool, policy: Policy
) -> bool:
    """支部条例 第八条: a branch of ``branch_committee_threshold_full_members`` (7) full members or more has
    a committee of at least ``committee_min_size`` (3) including a secretary; a smaller one a secretary.
    ``committee_size`` counts the people serving on the committee, the secretary among them."""
    if not has_secretary:
        return False
    if full_members >= policy.branch_committee_threshold_full_members:
        return committee_size >= policy.committee_min_size
    return True


def term_on_time(started_on: date, years: int, on: date) -> bool:
    """The term (基层选举条例: 3 years for a branch) had not expired by the end of ``on``: the same
    boundary as ``check_term`` (overdue from the expiry day)."""
    expires = term_expires_on(started_on, years)
    return expires is None or on < expires

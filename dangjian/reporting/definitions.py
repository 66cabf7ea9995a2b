"""What each figure counts: one filter over the snapshot's fact rows per figure key.

The engine aggregates with these filters and a cell's explanation lists the rows they match, so a
figure and its list cannot disagree. ``side`` says which organization a row counts for: "close" (where
the person is at the snapshot's date: the state, increases, new members), "open" (where they were at
the end of the year before: the opening figure and the decreases) or "org" (an organization row)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db.models import Q

from dangjian.core.models import OrgCategory, OrgKind
from dangjian.core.stats import AGE_BANDS
from dangjian.policy import get_policy
from dangjian.reporting.figures import (
    CHANGE_DECREASES,
    CHANGE_INCREASES,
    EDUCATIONS,
    OCCUPATIONS,
    age_band_key,
    party_age_bands,
)


@dataclass(frozen=True)
class Counted:
    side: str  # "close", "open" or "org"
    q: Q


def _close(**filters: object) -> Counted:
    return Counted("close", Q(member_close=True, **filters))


@cache
def _definitions(bounds: tuple[int, ...], young: int) -> dict[str, Counted]:
    d: dict[str, Counted] = {
        "members_total": _close(),
        "members_probationary": _close(status_close="probationary"),
        "members_full": _close(status_close="full"),
        "gender_male": _close(gender="male"),
        "gender_female": _close(gender="female"),
        "ethnic_han": _close(minority=False),
        "ethnic_minority": _close(minority=True),
        "edu_college_above": Counted(
            "close", Q(member_close=True, education__in=("postgraduate", "bachelor", "junior_college"))
        ),
        "partyage_probationary": _close(party_age="partyage_probationary"),
        "new_total": _close(new=True),
        "new_female": _close(new=True, gender="female"),
        "new_minority": _close(new=True, minority=True),
        "new_young": _close(new=True, age__lte=young),
        "opening": Counted("open", Q(member_open=True)),
        "closing": _close(),
        "inc_total": Counted("close", Q(member_close=True) & ~Q(in_kind="")),
        "dec_total": Counted("open", Q(member_open=True) & ~Q(out_kind="")),
        "probation_full": Counted("close", Q(probation="full")),
        "probation_extended": Counted("close", Q(probation="extended")),
        "probation_cancelled": Counted("open", Q(probation="cancelled")),
        "applicants": Counted("close", Q(status_close="applicant")),
        "activists": Counted("close", Q(status_close="activist")),
        "candidates": Counted("close", Q(status_close="candidate")),
        "check_joined_under_age": _close(joined_under_age=True),
        "check_full_before_joined": _close(full_before_joined=True),
        "check_probation_overdue": _close(probation_overdue=True),
        "org_committee": Counted("org", Q(kind=OrgKind.COMMITTEE)),
        "org_general_branch": Counted("org", Q(kind=OrgKind.GENERAL_BRANCH)),
        "org_branch": Counted("org", Q(kind=OrgKind.BRANCH)),
        "org_group": Counted("org", Q(kind=OrgKind.GROUP)),
        "branch_uncategorised": Counted("org", Q(kind=OrgKind.BRANCH, category="")),
        "term_due": Counted("org", Q(term_due=True)),
        "term_on_time": Counted("org", Q(term_on_time=True)),
        "term_overdue": Counted("org", Q(term_overdue=True)),
    }
    for code, _label in EDUCATIONS:
        d[f"edu_{code}"] = _close(education=code)
        d[f"new_edu_{code}"] = _close(new=True, education=code)
    for code, _label in OCCUPATIONS:
        d[f"occ_{code}"] = _close(occupation=code)
        d[f"new_occ_{code}"] = _close(new=True, occupation=code)
    for index in range(len(AGE_BANDS)):
        key = age_band_key(index)
        d[key] = _close(age_band=key)
    for key, _label, _low, _high in party_age_bands():
        d[key] = _close(party_age=key)
    for key, _label in CHANGE_INCREASES:
        d[key] = _close(in_kind=key.removeprefix("inc_"))
    for key, _label in CHANGE_DECREASES:
        d[key] = Counted("open", Q(member_open=True, out_kind=key.removeprefix("dec_")))
    for category in OrgCategory:
        d[f"branch_{category.value}"] = Counted("org", Q(kind=OrgKind.BRANCH, category=category.value))
    return d


def definitions() -> dict[str, Counted]:
    policy = get_policy()
    return _definitions(policy.statistics_party_age_bounds, policy.statistics_young_age)

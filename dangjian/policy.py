"""Every regulation number the platform uses, in one place, with its source.

Sources (see ../shared/DOMAIN.md):
- 支部条例: 《中国共产党支部工作条例(试行)》(2018)
- 基层选举条例: 《中国共产党基层组织选举工作条例》(2020)
- [local practice]: common practice that each school or province sets; a setting with this default.

A school overrides any value with the ``DANGJIAN_POLICY`` setting (a dict, or JSON in the environment
variable of the same name), e.g. ``DANGJIAN_POLICY='{"branch_max_members": 45}'``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from django.conf import settings


@dataclass(frozen=True)
class Policy:
    # 支部条例 第五条: 有正式党员3人以上的, 应当成立党支部.
    branch_min_full_members: int = 3
    # 支部条例 第八条: 正式党员7人以上的党支部, 设立支部委员会.
    branch_committee_threshold_full_members: int = 7
    # 支部条例 第五条: 党支部党员人数一般不超过50人.
    branch_max_members: int = 50
    # 支部条例 第八条: 支部委员会由3至5人组成, 一般不超过7人.
    committee_min_size: int = 3
    committee_normal_max_size: int = 5
    committee_max_size: int = 7
    # 基层选举条例 第七条: 党的基层委员会每届任期5年, 党总支、党支部每届任期3年.
    term_years_committee: int = 5
    term_years_general_branch: int = 3
    term_years_branch: int = 3
    # [local practice] remind 6 and 3 months before a term expires.
    term_reminder_months: tuple[int, ...] = (6, 3)
    # 支部条例 第九条: 党支部书记一般应具有1年以上党龄.
    secretary_min_standing_years: int = 1
    # [local practice] login lockout after 5 failures for 30 minutes (django-axes settings mirror these).
    login_failure_limit: int = 5
    login_lockout_minutes: int = 30
    # 党章 / 支部条例: 党员 must be 18 or older; 细则 第九条.
    min_application_age: int = 18


_FIELD_NAMES = {f.name for f in fields(Policy)}


def get_policy() -> Policy:
    """The policy in force: the defaults above, overridden by ``settings.DANGJIAN_POLICY``."""
    overrides = dict(getattr(settings, "DANGJIAN_POLICY", {}) or {})
    unknown = set(overrides) - _FIELD_NAMES
    if unknown:
        raise ValueError(f"DANGJIAN_POLICY 中有未知的配置项: {', '.join(sorted(unknown))}")
    if "term_reminder_months" in overrides:
        overrides["term_reminder_months"] = tuple(overrides["term_reminder_months"])  # type: ignore[arg-type]
    return replace(Policy(), **overrides)  # type: ignore[arg-type]

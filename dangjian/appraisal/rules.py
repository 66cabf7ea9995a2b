"""The rules of 民主评议党员 (DOMAIN §10) as pure functions of plain values: the stages and what each
allows, a member's set of ratings checked whole, the 民主测评 tally, and the cap on 优秀 (policy
``appraisal_excellent_max_share`` [local practice])."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from dangjian.appraisal.models import Grade, Stage
from dangjian.kit.errors import RuleViolation

GRADES: tuple[str, ...] = tuple(Grade.values)

# The stage a round moves to by hand (the decision and the close are their own services).
NEXT_STAGE: dict[str, str] = {Stage.SELF_REVIEW: Stage.RATING, Stage.RATING: Stage.PROPOSING}
# 自我评价 may be written (and rewritten) until 民主测评 ends.
SELF_REVIEW_STAGES = (Stage.SELF_REVIEW, Stage.RATING)


def excellent_cap(participants: int, share: float) -> int:
    """At most floor(share × participants) may be 优秀 (10 at 30% → 3). Decimal: 0.3 × 70 is 21, not
    20.999…"""
    return int((Decimal(str(share)) * participants).to_integral_value(rounding=ROUND_FLOOR))


def check_excellent_cap(grades: Iterable[str], participants: int, share: float) -> None:
    excellent = sum(1 for g in grades if g == Grade.EXCELLENT)
    cap = excellent_cap(participants, share)
    if excellent > cap:
        raise RuleViolation(
            _(
                "评为“优秀”的有 %(n)s 人，超过上限：参评党员 %(total)s 人，优秀比例不超过 %(share)s%%，"
                "最多 %(cap)s 人。"
            )
            % {"n": excellent, "total": participants, "share": _percent(share), "cap": cap},
            code="excellent_cap",
        )


def _percent(share: float) -> str:
    value = (Decimal(str(share)) * 100).normalize()
    return f"{value:f}"


def check_ratings(rater: int, colleagues: Iterable[int], given: Mapping[int, str]) -> None:
    """A member's 民主测评, checked whole: every colleague (the other participants) rated exactly once
    with one of the four grades; nobody else, and not oneself."""
    others = set(colleagues) - {rater}
    if rater in given:
        raise RuleViolation(_("不能给自己评分。"), code="self_rating")
    strangers = set(given) - others
    if strangers:
        raise RuleViolation(_("只能给本次评议的其他参评党员评分。"), code="not_participant")
    bad = [g for g in given.values() if g not in GRADES]
    if bad:
        raise RuleViolation(_("评价只能是“优秀”“合格”“基本合格”“不合格”之一。"), code="unknown_grade")
    missing = others - set(given)
    if missing:
        raise RuleViolation(
            _("还有 %(n)s 名党员未评价，请对每一名党员作出评价后再提交。") % {"n": len(missing)},
            code="incomplete",
        )


def tally(grades: Iterable[str]) -> dict[str, int]:
    """The 民主测评 count of one member: how many raters gave each grade (every grade present)."""
    counts = Counter(grades)
    return {g: counts.get(g, 0) for g in GRADES}

"""The rules of 述职评议考核 as pure functions: the scheme checked whole, the indicator score, the
total, and the grade a total earns (the bands from the assessment, defaults in ``dangjian.policy``
[local practice])."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from dangjian.insights.assessment.models import Grade, Stage
from dangjian.kit.errors import RuleViolation

# The stage an assessment moves to by hand; grading ends with publishing (its own service).
NEXT_STAGE: dict[str, str] = {Stage.REPORTING: Stage.REVIEWING, Stage.REVIEWING: Stage.GRADING}
# 述职报告 may be written until the reviewers' scoring ends.
REPORT_STAGES = (Stage.REPORTING, Stage.REVIEWING)


def check_scheme(indicator_weight: float, bands: tuple[float, float, float]) -> None:
    """A weight between 0 and 1; the lowest totals of 好 > 较好 > 一般, within 0–100."""
    if not 0 <= indicator_weight <= 1:
        raise RuleViolation(
            _("指标得分权重须在 0 到 1 之间（如 0.4：指标得分占四成，评议得分占六成）。"),
            field="indicator_weight",
        )
    good, fairly, average = bands
    if not all(0 <= b <= 100 for b in bands):
        raise RuleViolation(_("等次分数线须在 0 到 100 之间。"), field="good_from")
    if not good > fairly > average:
        raise RuleViolation(_("等次分数线须从高到低：“好” > “较好” > “一般”。"), field="good_from")


def indicator_score(index_scores: Mapping[str, float | None]) -> float | None:
    """The mean of the measured index scores of the year, one decimal; none measured → no score."""
    got = [s for s in index_scores.values() if s is not None]
    return round(sum(got) / len(got), 1) if got else None


def review_mean(scores: Iterable[float]) -> float | None:
    got = list(scores)
    return round(sum(got) / len(got), 1) if got else None


def total(indicator: float | None, review: float | None, indicator_weight: float) -> float | None:
    """weight × indicator + (1 − weight) × review. Without an indicator score the reviewers' mean is
    the total (a new organization has no indices); without reviews there is no total."""
    if review is None:
        return None
    if indicator is None:
        return round(review, 1)
    return round(indicator_weight * indicator + (1 - indicator_weight) * review, 1)


def grade_for(total: float | None, bands: tuple[float, float, float]) -> str:
    """好 from the first band, 较好 from the second, 一般 from the third, else 差; no total → ""."""
    if total is None:
        return ""
    good, fairly, average = bands
    if total >= good:
        return Grade.GOOD
    if total >= fairly:
        return Grade.FAIRLY_GOOD
    if total >= average:
        return Grade.AVERAGE
    return Grade.POOR


def check_review_scores(targets: Iterable[int], given: Mapping[int, float], own: Iterable[int] = ()) -> None:
    """A reviewer's scores, checked whole: only the assessment's organizations, each 0–100, and never
    the organization whose 书记 the reviewer is (no one scores their own 述职)."""
    known = set(targets)
    if set(given) - known:
        raise RuleViolation(_("只能为本次考核的被考核组织评分。"), code="not_target")
    if set(given) & set(own):
        raise RuleViolation(_("不能为本人担任书记、本人述职的组织评分。"), code="own_org")
    if any(not 0 <= s <= 100 for s in given.values()):
        raise RuleViolation(_("评分须在 0 到 100 之间。"), code="out_of_range")
    if not given:
        raise RuleViolation(_("请至少为一个组织评分。"), code="empty")

"""How an index scores an organization: pure functions over indicator values and one version's
definition, so that a past score can be recomputed with the version it was made under.

- A component scores its indicator linearly: 0 at ``zero``, 100 at ``full``, clamped to 0–100 (a
  component where lower is better has ``zero`` > ``full``).
- The index is the weighted mean of the components that have a value; a missing indicator (nothing
  to measure: no meetings held, no open case) does not count as 0 — its weight is shared among the
  others. Below ``MIN_WEIGHT_PRESENT`` of the weight measured, there is no score.
- The level: 良好 from ``good_from``, 关注 from ``fair_from``, else 薄弱.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from dangjian.insights.models import ScoreLevel
from dangjian.kit.errors import RuleViolation

# Half the weight must be measured for a score to mean something.
MIN_WEIGHT_PRESENT = 0.5
WEIGHT_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Component:
    indicator: str
    weight: float
    zero: float
    full: float

    def scale(self, value: float) -> float:
        """0 at ``zero``, 100 at ``full``, linear between, clamped."""
        share = (value - self.zero) / (self.full - self.zero)
        return round(max(0.0, min(1.0, share)) * 100, 2)


def components_of(raw: Iterable[Mapping[str, Any]]) -> list[Component]:
    return [
        Component(str(c["indicator"]), float(c["weight"]), float(c["zero"]), float(c["full"])) for c in raw
    ]


def score(values: Mapping[str, float | None], components: Iterable[Component]) -> float | None:
    """The weighted mean of the scaled values present, or None when too little is measured."""
    total = measured = 0.0
    for c in components:
        value = values.get(c.indicator)
        if value is None:
            continue
        total += c.scale(value) * c.weight
        measured += c.weight
    if measured < MIN_WEIGHT_PRESENT - WEIGHT_TOLERANCE:
        return None
    return round(total / measured, 1)


def level(value: float | None, good_from: float, fair_from: float) -> str:
    if value is None:
        return ""
    if value >= good_from:
        return ScoreLevel.GOOD
    if value >= fair_from:
        return ScoreLevel.FAIR
    return ScoreLevel.POOR


def check_definition(
    components: list[Component], good_from: float, fair_from: float, known: Iterable[str]
) -> None:
    """Refuse a definition people could not mean, with the reason in Chinese."""
    known = set(known)
    if not components:
        raise RuleViolation(_("指数至少要有一项指标。"))
    seen: set[str] = set()
    for c in components:
        if c.indicator not in known:
            raise RuleViolation(_("没有编码为“%(c)s”的指标。") % {"c": c.indicator})
        if c.indicator in seen:
            raise RuleViolation(_("指标“%(c)s”重复出现。") % {"c": c.indicator})
        seen.add(c.indicator)
        if c.weight <= 0:
            raise RuleViolation(_("指标“%(c)s”的权重必须大于 0。") % {"c": c.indicator})
        if c.zero == c.full:
            raise RuleViolation(_("指标“%(c)s”的 0 分值与满分值不能相同。") % {"c": c.indicator})
    weights = sum(c.weight for c in components)
    if abs(weights - 1) > 1e-3:
        raise RuleViolation(_("各指标权重之和必须为 1，现为 %(w)s。") % {"w": f"{weights:.3f}"})
    if not 0 <= fair_from < good_from <= 100:
        raise RuleViolation(_("分级线须满足 0 ≤ 关注线 < 良好线 ≤ 100。"))

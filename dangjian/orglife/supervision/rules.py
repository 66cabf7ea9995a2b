"""The 督查 draw as a rule: a pure function of the recorded candidates, supervisors, seed and parameters
(``compute_draw``), with the conflict rule it applies (never one's own branch; with "college", never
one's own college). ``services.draw_run`` gathers the inputs and stores them with the seed;
``selectors.draw_verify`` runs the same function again on what was stored."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dangjian.core.models import Organization

EXCLUDE_BRANCH = "branch"
EXCLUDE_COLLEGE = "college"


def college_path(path: str) -> str:
    """The path of the 院系党组织 an org belongs to: the root is the school committee and its children are
    the colleges (ARCHITECTURE, core data model), so it is the first two path steps. The root itself has
    no college: its own path is returned, which equals no college's."""
    return path[: 2 * Organization.steplen]


def conflicts(home: str, branch: str, exclude: str) -> bool:
    """Whether a supervisor whose home org has path ``home`` may not supervise a meeting of ``branch``:
    their own branch (or a 党小组 in it) always; with "college", any branch of their college."""
    if home.startswith(branch):
        return True
    return (
        exclude == EXCLUDE_COLLEGE
        and len(home) >= len(college_path(branch))
        and (college_path(home) == college_path(branch))
    )


@dataclass(frozen=True)
class DrawCandidate:
    meeting: int
    branch: str  # path of the meeting's branch


@dataclass(frozen=True)
class DrawSupervisor:
    id: int
    home: str  # path of the supervisor's home org


@dataclass
class DrawOutcome:
    picked: list[int] = field(default_factory=list)  # meeting ids in draw order
    assignments: list[tuple[int, int]] = field(default_factory=list)  # (meeting, supervisor)
    unassigned: list[int] = field(default_factory=list)  # picked, but no eligible supervisor left


def compute_draw(
    candidates: Sequence[DrawCandidate],
    supervisors: Sequence[DrawSupervisor],
    seed: int,
    *,
    n: int | None = None,
    rate_percent: int | None = None,
    max_per: int,
    exclude: str,
) -> DrawOutcome:
    """Pick ``n`` meetings at random (or ``rate_percent`` % of each college's, rounded up), then give
    each, in the order drawn, a supervisor chosen at random among the least loaded eligible ones (not in
    conflict, fewer than ``max_per`` meetings). Depends only on its arguments: the same inputs and seed
    give the same outcome on any machine (``random.Random`` is specified to be reproducible)."""
    if (n is None) == (rate_percent is None):
        raise ValueError("exactly one of n and rate_percent")
    rng = random.Random(seed)
    cands = sorted(candidates, key=lambda c: c.meeting)
    sups = sorted(supervisors, key=lambda s: s.id)
    picked: list[DrawCandidate] = []
    if n is not None:
        picked = rng.sample(cands, min(max(n, 0), len(cands)))
    else:
        by_college: dict[str, list[DrawCandidate]] = {}
        for c in cands:
            by_college.setdefault(college_path(c.branch), []).append(c)
        for key in sorted(by_college):
            group = by_college[key]
            k = min(len(group), -(-int(rate_percent or 0) * len(group) // 100))  # ceil without floats
            picked += rng.sample(group, k)
    outcome = DrawOutcome(picked=[c.meeting for c in picked])
    load = {s.id: 0 for s in sups}
    for c in picked:
        eligible = [s for s in sups if load[s.id] < max_per and not conflicts(s.home, c.branch, exclude)]
        if not eligible:
            outcome.unassigned.append(c.meeting)
            continue
        least = min(load[s.id] for s in eligible)
        chosen = rng.choice([s for s in eligible if load[s.id] == least])
        load[chosen.id] += 1
        outcome.assignments.append((c.meeting, chosen.id))
    return outcome


def outcome_from_inputs(seed: int, inputs: dict[str, Any]) -> DrawOutcome:
    """Re-run a draw from what it recorded."""
    return compute_draw(
        [DrawCandidate(int(m), str(b)) for m, b in inputs.get("candidates", [])],
        [DrawSupervisor(int(i), str(h)) for i, h in inputs.get("supervisors", [])],
        seed,
        n=inputs.get("n"),
        rate_percent=inputs.get("rate_percent"),
        max_per=int(inputs["max_per_supervisor"]),
        exclude=str(inputs["exclude"]),
    )

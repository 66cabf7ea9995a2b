"""The review chain of 三审三校 as pure functions: which step comes first and which after a step, and
the state a page shows (the status, with the step while in review) that travels as ``expected_status``."""

from __future__ import annotations

from collections.abc import Sequence

KNOWN_STEPS = ("editor", "approver")


def review_steps(configured: Sequence[str]) -> tuple[str, ...]:
    """The chain in force: the configured steps in order; an unknown step is a configuration error."""
    steps = tuple(configured)
    unknown = [s for s in steps if s not in KNOWN_STEPS]
    if unknown or len(set(steps)) != len(steps):
        raise ValueError(f"news_review_steps: unknown or repeated steps {steps!r}")
    return steps


def first_step(steps: Sequence[str]) -> str | None:
    """The step a submitted article waits at; None: the chain is empty and it is published at once."""
    return steps[0] if steps else None


def next_step(steps: Sequence[str], current: str) -> str | None:
    """The step after ``current``; None: ``current`` was the last and the article is published. A step
    no longer in the chain (the setting changed meanwhile) ends the review."""
    if current not in steps:
        return None
    i = list(steps).index(current)
    return steps[i + 1] if i + 1 < len(steps) else None


def state_of(status: str, step: str) -> str:
    """``in_review:editor`` while in review (two reviewers at different steps do not act on each other's
    page), else the status."""
    return f"{status}:{step}" if status == "in_review" and step else status

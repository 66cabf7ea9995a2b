"""Showing indicator values and index levels the same way on every page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()

LEVEL_BADGES = {"good": "bg-green-lt", "fair": "bg-yellow-lt", "poor": "bg-red-lt"}
LEVEL_LABELS = {"good": "良好", "fair": "关注", "poor": "薄弱"}


@register.filter
def indicator_value(value: float | None, unit: str = "ratio") -> str:
    """0.875 → "87.5%" for a ratio; other units as numbers; "—" when nothing was measured."""
    if value is None:
        return "—"
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    if unit == "count":
        return f"{value:g}" if value == int(value) else f"{value:.1f}"
    return f"{value:.1f}"


@register.filter
def level_badge(level: str) -> str:
    return LEVEL_BADGES.get(level or "", "bg-secondary-lt")


@register.filter
def level_label(level: str) -> str:
    return _(LEVEL_LABELS[level]) if level in LEVEL_LABELS else "—"


@register.filter
def score_of(scores: dict[str, Any], index: str) -> Any:
    return scores.get(index) if scores else None


ALERT_LEVELS = {"notice": "提示", "warning": "预警", "serious": "严重"}


@register.filter
def level_word(level: str) -> str:
    """An alert's level in words."""
    return _(ALERT_LEVELS[level]) if level in ALERT_LEVELS else level

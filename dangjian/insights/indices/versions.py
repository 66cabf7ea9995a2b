"""Which definition of each index is in force on a day; the platform's defaults are written as the
first version the first time they are needed."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from dangjian.insights.indices.defaults import DEFAULT_EFFECTIVE_FROM, DEFAULTS
from dangjian.insights.models import IndexCode, IndexVersion


def ensure_defaults() -> None:
    """Write the default definition of each index that has no version yet (idempotent)."""
    have = set(IndexVersion.objects.values_list("index", flat=True).distinct())
    for index in IndexCode.values:
        if index in have:
            continue
        try:
            with transaction.atomic():
                IndexVersion.objects.create(
                    index=index,
                    effective_from=date.fromisoformat(DEFAULT_EFFECTIVE_FROM),
                    components=DEFAULTS[index],
                    note="平台默认方案",
                )
        except IntegrityError:  # written meanwhile by another run
            pass


def versions_in_force(on: date) -> dict[str, IndexVersion]:
    """``{index: the version in force on ``on``}`` (the latest that took effect on or before it)."""
    ensure_defaults()
    found: dict[str, IndexVersion] = {}
    for version in IndexVersion.objects.filter(effective_from__lte=on).order_by("index", "-effective_from"):
        found.setdefault(version.index, version)
    return found

"""Which version of a record held on a day: the as-of rule of the statistics, as pure functions.

The history tables (django-simple-history) hold every version of an organization, person and
membership with the moment it was written. The state of a record **at 24:00 on day D** is its latest
version written by then; a record deleted by then ("-") is gone.

A record the platform first learned of after D is of two kinds:
- **loaded**: its first version was written by a load — a seed, an import, or any write with no person
  behind it (history user empty). A school's roll imported in March describes people who were there
  before; so such a record counts on D in its first known state, **rolled back by its own dates** (a
  membership joined after D did not exist; a full member whose 转正 is after D was probationary; a
  standing that changed after D was still normal; an organization established after D did not exist).
- **created by work** after D (a person admitted, transferred in, added by hand): it did not exist on D.

These are the platform's best knowledge; a lower organization adjusts a return figure with a reason
where the school knows better."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings

from dangjian.kit.dates import add_years


class Version(NamedTuple):
    """One history row: when it was written, by whom (None: no person), its type ("+", "~", "-"), and
    the record's values then."""

    written: datetime
    user_id: int | None
    kind: str
    values: dict[str, Any]


def end_of_day(on: date) -> datetime:
    """24:00 of ``on`` in the school's time zone (aware)."""
    return datetime.combine(on + timedelta(days=1), time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def version_at(
    versions: Sequence[Version], on: date, rollback: Any = None, *, cut: datetime | None = None
) -> dict[str, Any] | None:
    """The record's values at 24:00 on ``on`` from its versions in the order written, or None where it
    did not exist. ``rollback(values, on)`` rolls a loaded record's first state back by its dates (None
    when it did not exist yet); without one the first state is taken as it is. ``cut`` is
    ``end_of_day(on)``, for a caller asking about millions of records."""
    if not versions:
        return None
    cut = cut or end_of_day(on)
    last: Version | None = None
    for version in versions:
        if version.written < cut:
            last = version
        else:
            break
    if last is not None:
        return None if last.kind == "-" else last.values
    first = versions[0]
    if first.kind != "+" or first.user_id is not None:
        return None  # created by work after the day
    return rollback(first.values, on) if rollback else first.values


def membership_rollback(values: dict[str, Any], on: date) -> dict[str, Any] | None:
    """A loaded membership's first state as it was on ``on``, by its dates."""
    joined = values.get("joined_on")
    if joined is None or joined > on:
        return None
    rolled = dict(values)
    full_on = values.get("full_on")
    if full_on is not None and full_on > on:
        rolled["membership_type"] = "probationary"
        rolled["full_on"] = None
    since = values.get("standing_since")
    if values.get("standing") != "normal" and since is not None and since > on:
        rolled["standing"] = "normal"
        rolled["standing_since"] = None
    return rolled


def person_rollback(values: dict[str, Any], on: date) -> dict[str, Any] | None:
    """A loaded person's first state as it was on ``on``: still on the roll if they left after it."""
    left = values.get("left_on")
    if left is not None and left > on and not values.get("is_active"):
        return {**values, "is_active": True, "left_on": None}
    return values


def organization_rollback(values: dict[str, Any], on: date) -> dict[str, Any] | None:
    """A loaded organization as it was on ``on``: not yet there if established after it; still active
    if dissolved after it."""
    established = values.get("established_on")
    if established is not None and established > on:
        return None
    dissolved = values.get("dissolved_on")
    if dissolved is not None and dissolved > on:
        return {**values, "is_active": True, "dissolved_on": None}
    return values


def term_expiry(started: date | None, years: int | None) -> date | None:
    """The day a term that started on ``started`` for ``years`` years is complete."""
    if started is None or not years:
        return None
    return add_years(started, years)

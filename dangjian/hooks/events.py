"""Domain events: what happened in one module that another reacts to, without either importing the other.

An event is sent by the service that made the change, inside its transaction; a receiver calls its own
app's service (which checks, writes and audits), so a failing reaction rolls the change back unless the
sender says otherwise. Receivers are connected in their app's ``contributions.py`` with a
``dispatch_uid``. Only reactions across modules are events; a module's own steps are plain calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.dispatch import Signal

membership_moved = Signal()
"""A member moved to another branch (``core.services.membership_move``).

kwargs: ``actor``, ``person`` (the Person), ``from_branch``, ``to_branch``, ``on`` (date), ``reason``.
"""


@dataclass(frozen=True)
class TrainingPass:
    """One development target who passed a 党校 class, with what the class knows of it."""

    person_id: int
    done_on: date
    resolution: str  # e.g. "2026年秋季发展对象培训班结业，证书编号 …"
    data: Callable[[], dict[str, Any]]  # the class, certificate and study-hour summary, built when recorded


@dataclass(frozen=True)
class TrainingReaction:
    """What a receiver made of one pass: ``outcome`` "recorded", "already" or "refused" (with ``message``)."""

    outcome: str
    message: str = ""


training_passed = Signal()
"""Development targets passed a 党校 class (sent by the 党校 module at a class's close or on a retry).

kwargs: ``actor``, ``scope`` (the closer's, or ``Scope.system()``), ``passes`` (list of TrainingPass),
``today``.
A receiver answers ``{person_id: TrainingReaction}`` for the people it acted on; a person nobody
answers for had nothing to record (e.g. no open 发展党员 case).
"""


@dataclass(frozen=True)
class StudyAttendance:
    """The people present at one event that counts toward the yearly study hours, as it stands now."""

    batch: str  # the event, unique across sources: "meeting:12"
    on: date
    hours: Decimal  # class hours each person present gets
    person_ids: frozenset[int]
    note: str  # what the ledger row says: "党课：学习贯彻党的二十届四中全会精神"
    org: Any = None  # the organization it happened in (for the audit)


study_attended = Signal()
"""People were present at org life that counts toward the 32 hours (sent by orglife when a 党课 or
集中学习 meeting is archived, and again when its attendance is corrected).

kwargs: ``actor``, ``attendances`` (list of StudyAttendance). The 党员学习 ledger keeps each batch in step:
a row for each person present, the hours reversed for a person no longer present.
"""

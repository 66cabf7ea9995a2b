"""Rotating signed codes: a token naming an object and the time step it was shown in.

A host's screen shows a new code every ``rotate_seconds``; a code is accepted for ``valid_seconds``
after it was shown (so someone who scans just before the change still gets in). The signature (Django's
signing with SECRET_KEY and a salt of the caller's own) makes a forged or altered token fail, and a
token made under another salt (another module) fails too; a token of another object names that object
— the caller compares.

A printed code (an A4 sheet at the door, :func:`make_printed`) cannot rotate: it names the object
without a time step and is accepted whenever the caller's own window is open.

Domain-free: the callers (组织生活 check-in, 志愿服务 check-in) give the salt and the numbers, and turn
:class:`CodeInvalid` / :class:`CodeExpired` into their own Chinese messages.
"""

from __future__ import annotations

from datetime import datetime

from django.core import signing
from django.utils import timezone


class CodeInvalid(Exception):
    """Not a genuine code of this salt: forged, altered, truncated or another module's."""


class CodeExpired(Exception):
    """A genuine rotating code, shown too long ago (or too far in the future)."""


def _rotate(rotate_seconds: int) -> int:
    return max(1, int(rotate_seconds))


def step_of(moment: datetime, *, rotate_seconds: int) -> int:
    """The time step a moment falls in."""
    return int(moment.timestamp()) // _rotate(rotate_seconds)


def make_code(object_id: int, *, salt: str, rotate_seconds: int, now: datetime | None = None) -> str:
    """The rotating code of ``object_id`` for the step ``now`` falls in."""
    step = step_of(now or timezone.now(), rotate_seconds=rotate_seconds)
    return signing.dumps({"m": object_id, "s": step}, salt=salt, compress=True)


def make_printed(object_id: int, *, salt: str) -> str:
    """The code that does not rotate: the object alone, no time step."""
    return signing.dumps({"m": object_id, "p": 1}, salt=salt, compress=True)


def seconds_to_next(*, rotate_seconds: int, now: datetime | None = None) -> int:
    """Seconds until the screen should show the next code."""
    rotate = _rotate(rotate_seconds)
    return rotate - int((now or timezone.now()).timestamp()) % rotate


def read_code(
    token: str, *, salt: str, rotate_seconds: int, valid_seconds: int, now: datetime | None = None
) -> int:
    """The object id a code names, if it is genuine and fresh (a printed code is always fresh).

    Raises :class:`CodeInvalid` or :class:`CodeExpired`.
    """
    now = now or timezone.now()
    rotate = _rotate(rotate_seconds)
    try:
        data = signing.loads(str(token), salt=salt)
        if data.get("p") == 1:
            return int(data["m"])
        object_id, step = int(data["m"]), int(data["s"])
    except (signing.BadSignature, AttributeError, KeyError, TypeError, ValueError):
        raise CodeInvalid from None
    age = now.timestamp() - step * rotate
    if age > valid_seconds + rotate or age < -rotate:
        raise CodeExpired
    return object_id

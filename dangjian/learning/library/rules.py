"""Pure rules of the 学习库: which byte range a ``Range`` header asks for, how a progress report moves a
lesson on, and when a lesson counts as done. No database."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangjian.kit.errors import RuleViolation

# A medium watched or listened to this far counts as done (a player rarely reports the last second).
DONE_PERCENT = 90


class ProgressRefused(RuleViolation):
    """A progress report that cannot be taken (backwards, beyond 100 %, nonsense): 400, nothing written."""

    code = "progress_refused"
    status = 400


class RangeNotSatisfiable(Exception):
    """The header asks for bytes the file does not have, or cannot be read: answer 416."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one byte range of ``header`` within a file of ``size`` bytes; ``None`` when there is no
    header (send the whole file). ``bytes=0-99``, ``bytes=100-`` (to the end), ``bytes=-50`` (the last
    50); an end past the file is cut to its last byte (RFC 9110 §14.1.2). Several ranges, another
    unit, a start past the end or nonsense raise ``RangeNotSatisfiable``."""
    if header is None or header == "":
        return None
    unit, _sep, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes" or not spec or "," in spec or size <= 0:
        raise RangeNotSatisfiable
    first, dash, last = spec.strip().partition("-")
    if not dash or not (first.isdigit() or first == "") or not (last.isdigit() or last == ""):
        raise RangeNotSatisfiable
    if first == "":
        if last == "" or int(last) == 0:
            raise RangeNotSatisfiable
        return ByteRange(max(0, size - int(last)), size - 1)
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if start >= size or end < start:
        raise RangeNotSatisfiable
    return ByteRange(start, end)


def reported_percent(
    *, percent: float | None = None, position: float | None = None, duration: float | None = None
) -> int:
    """The percent a report stands for: given as such, or as position / duration of a medium."""
    given = [v for v in (percent, position, duration) if v is not None]
    if any(not math.isfinite(v) for v in given):
        raise ProgressRefused(_("进度应为有限的数字"), code="progress_invalid")
    if percent is None:
        if position is None or duration is None:
            raise ProgressRefused(_("请报告进度百分比，或播放位置与总时长"), code="progress_missing")
        if duration <= 0:
            raise ProgressRefused(_("总时长应大于 0"), code="progress_invalid")
        if position < 0 or position > duration * 1.01:  # players round the last frame
            raise ProgressRefused(_("播放位置超出了总时长"), code="progress_invalid")
        percent = min(100.0, position * 100 / duration)
    if percent < 0 or percent > 100:
        raise ProgressRefused(_("进度应在 0 到 100 之间"), code="progress_invalid")
    return int(percent)


def next_percent(previous: int, reported: int) -> int:
    """Progress never goes back: a report below what was recorded is refused (a stale tab, a phone that
    slept and replays an old position), one equal to it changes nothing."""
    if reported < previous:
        raise ProgressRefused(
            _("进度不能倒退：已记录 %(p)s%%，本次报告 %(r)s%%") % {"p": previous, "r": reported},
            code="progress_backwards",
        )
    return reported


def is_done(percent: int) -> bool:
    return percent >= DONE_PERCENT


def moved_order(order: list[int], moving: int, to: int) -> list[int]:
    """The lessons' ids in their new order once ``moving`` stands at position ``to`` (1-based; beyond
    either end it stands first or last). ``moving`` must be one of ``order``."""
    rest = [pk for pk in order if pk != moving]
    index = min(max(to, 1), len(order)) - 1
    return [*rest[:index], moving, *rest[index:]]

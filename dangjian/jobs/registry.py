"""Job kinds: each app registers the function that does the work of its kind of job.

An engine that runs a whole family of kinds (every Excel import runs the spreadsheets runner) registers
one resolver instead, asked for the kinds registered by name: ``register_family(handler_for_kind)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

JobHandler = Callable[[Any], None]
_handlers: dict[str, JobHandler] = {}
_families: list[Callable[[str], JobHandler | None]] = []


def register(kind: str) -> Callable[[JobHandler], JobHandler]:
    def decorator(func: JobHandler) -> JobHandler:
        _handlers[kind] = func
        return func

    return decorator


def register_family(resolve: Callable[[str], JobHandler | None]) -> None:
    """``resolve(kind)`` answers the handler of a kind of the family, or None for other kinds."""
    if resolve not in _families:
        _families.append(resolve)


def handler_for(kind: str) -> JobHandler:
    """The kind's handler; KeyError for a kind nobody registered (``job_start`` refuses it at once)."""
    if kind in _handlers:
        return _handlers[kind]
    for resolve in _families:
        handler = resolve(kind)
        if handler is not None:
            return handler
    raise KeyError(kind)

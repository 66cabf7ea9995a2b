"""Job kinds: each app registers the function that does the work of its kind of job."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

JobHandler = Callable[[Any], None]
_handlers: dict[str, JobHandler] = {}


def register(kind: str) -> Callable[[JobHandler], JobHandler]:
    def decorator(func: JobHandler) -> JobHandler:
        _handlers[kind] = func
        return func

    return decorator


def handler_for(kind: str) -> JobHandler:
    return _handlers[kind]

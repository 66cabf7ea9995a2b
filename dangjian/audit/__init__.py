"""Audit: ``audit.record(actor=..., action=..., target=..., org=..., changes=...)``."""

from typing import Any


def record(**kwargs: Any) -> Any:
    from dangjian.audit.services import record as _record

    return _record(**kwargs)

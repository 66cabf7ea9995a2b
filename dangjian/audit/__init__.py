"""Audit: ``audit.record(actor=, action=, target=, org=, changes=)``; ``record_many`` for bulk writes."""

from typing import Any


def record(**kwargs: Any) -> Any:
    from dangjian.audit.services import record as _record

    return _record(**kwargs)


def record_many(**kwargs: Any) -> int:
    from dangjian.audit.services import record_many as _record_many

    return _record_many(**kwargs)

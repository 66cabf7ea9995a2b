"""Request context (IP, request id) for audit events, set by the request middleware."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    request_id: str = ""


current_request: ContextVar[RequestContext] = ContextVar("current_request", default=RequestContext())  # noqa: B039 - frozen, immutable

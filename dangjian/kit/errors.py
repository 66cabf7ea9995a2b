"""Domain errors raised by services, with a Chinese message a person can act on."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: ``code`` is stable for the API; ``message`` is shown to people."""

    code = "domain_error"
    # The HTTP status the API answers with (422: the request cannot be done as it stands).
    status = 422

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field


class RuleViolation(DomainError):
    code = "rule_violation"


class NotFound(DomainError):
    code = "not_found"
    status = 404


class StaleState(DomainError):
    """The object is no longer in the state the user saw: someone (or a double-click) acted first.

    The API answers 409; a page shows the message and the current state after a refresh.
    """

    code = "stale"
    status = 409

"""Domain errors raised by services, with a Chinese message a person can act on."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: ``code`` is stable for the API; ``message`` is shown to people."""

    code = "domain_error"

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

"""Who may open each URL, declared beside its view: ``@access_rule(within(P.VIEW_DUES))``.

Every web view and API operation carries one declaration; views the platform mounts but did not write
(the Django admin, the language switch, the OpenAPI pages) are declared with :func:`declare_url` where they
are mounted. ``tests/access/test_matrix.py`` walks every URL pattern with the nine personas below and
fails on a view without a declaration or a persona answered otherwise than declared, so a new module
states its rule or does not pass.

A declaration says what each persona gets from the view's *sample*: an object of the kind the URL names,
lying in the branch of the demo member (see the test's samples). Outcomes:

- ``allowed``: the page or action answers (200, a redirect onward, a form error — not a refusal);
- ``404``: refused as if the object did not exist — the platform's answer to out-of-scope and to missing
  permissions, so nothing confirms that an object exists;
- ``403``: refused openly (CSRF failures, the admin site's own refusals);
- ``login``: sent to log in (the API answers 401).

The rules compute the outcome from the persona's scope (its roles and positions); ``overrides`` name the
personas a view treats differently from its rule, e.g. the member who may read their own branch's
meeting: ``within(P.VIEW_ORGLIFE, member=ALLOWED)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Outcome(StrEnum):
    ALLOWED = "allowed"
    NOT_FOUND = "404"
    FORBIDDEN = "403"
    LOGIN = "login"


ALLOWED = Outcome.ALLOWED
NOT_FOUND = Outcome.NOT_FOUND
FORBIDDEN = Outcome.FORBIDDEN
LOGIN = Outcome.LOGIN


class Persona(StrEnum):
    """The nine people the matrix asks; the demo seeds each (``seed_demo``)."""

    ANONYMOUS = "anonymous"
    MEMBER = "member"  # a full member of the sample's branch, no role
    SECRETARY = "branch_secretary"  # secretary (by position) of the sample's branch
    ORGANIZER = "college_organizer"  # 院系组织员 of the sample's college
    OUTSIDER = "outsider_organizer"  # 院系组织员 of another college
    SCHOOL_ADMIN = "school_admin"  # 校级管理员 (组织部)
    AUDITOR = "auditor"  # 审计管理员: reads the audit log only
    SYSTEM_ADMIN = "sysadmin"  # 系统管理员: accounts and settings, no Party data
    SECURITY_ADMIN = "secadmin"  # 安全管理员: security policy


class Kind(StrEnum):
    PUBLIC = "public"  # anyone, signed in or not
    PROOF = "proof"  # anyone bringing a proof only a third party mints (a provider's code): else 403
    SIGNED_IN = "signed_in"  # anyone signed in
    PERSON = "person"  # anyone signed in with a person record (self-service)
    ANYWHERE = "anywhere"  # holds the permission somewhere
    WITHIN = "within"  # holds the permission over the sample's organization
    OWN = "own"  # the sample belongs to the user (their job, token, supervision task): only its owner
    SIGNING_OUT = "signing_out"  # logs out: everyone lands on the login page
    NOWHERE = "nowhere"  # mounted but serves nothing (404 for everyone)
    ADMIN_SITE = "admin_site"  # the Django admin: the system administrator only


@dataclass(frozen=True)
class Rule:
    kind: Kind
    permission: str | None = None  # an accounts.roles.Permission (kit names no domain)
    overrides: dict[str, Outcome] = field(default_factory=dict)  # "persona" or "persona:METHOD"

    def describe(self) -> str:
        text = self.kind.value + (f"({self.permission})" if self.permission else "")
        if self.overrides:
            text += " " + ", ".join(f"{k}={v.value}" for k, v in sorted(self.overrides.items()))
        return text


def _overrides(given: dict[str, Outcome]) -> dict[str, Outcome]:
    names = {p.value for p in Persona}
    unknown = {key.split(":")[0] for key in given} - names
    if unknown:
        raise ValueError(f"unknown personas in an access rule: {sorted(unknown)}")
    return dict(given)


def public(**overrides: Outcome) -> Rule:
    return Rule(Kind.PUBLIC, overrides=_overrides(overrides))


def proof() -> Rule:
    """Open to anyone who brings what a third party issues (the sign-on provider's code and state); the
    matrix cannot mint it, so there everyone is refused openly (403)."""
    return Rule(Kind.PROOF)


def signed_in(**overrides: Outcome) -> Rule:
    return Rule(Kind.SIGNED_IN, overrides=_overrides(overrides))


def person(**overrides: Outcome) -> Rule:
    return Rule(Kind.PERSON, overrides=_overrides(overrides))


def anywhere(permission: str, **overrides: Outcome) -> Rule:
    return Rule(Kind.ANYWHERE, permission, overrides=_overrides(overrides))


def within(permission: str, **overrides: Outcome) -> Rule:
    return Rule(Kind.WITHIN, permission, overrides=_overrides(overrides))


def own(**overrides: Outcome) -> Rule:
    return Rule(Kind.OWN, overrides=_overrides(overrides))


def signing_out() -> Rule:
    return Rule(Kind.SIGNING_OUT)


def nowhere() -> Rule:
    return Rule(Kind.NOWHERE)


def admin_site() -> Rule:
    return Rule(Kind.ADMIN_SITE)


def access_rule(rule: Rule) -> Callable[[F], F]:
    """Declare ``rule`` on a view or API operation (the function itself: decorators wrapping it with
    ``functools.wraps`` carry the declaration outward)."""

    def decorator(view: F) -> F:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorator


def rule_of(view: Callable[..., Any]) -> Rule | None:
    return getattr(view, "access_rule", None)


# URL names (or "namespace:" for a whole namespace) of views the platform mounts but did not write.
_declared_urls: dict[str, Rule] = {}


def declare_url(name: str, rule: Rule) -> None:
    _declared_urls[name] = rule


def declared_url_rule(name: str) -> Rule | None:
    if name in _declared_urls:
        return _declared_urls[name]
    namespace = name.split(":", 1)[0] + ":" if ":" in name else ""
    return _declared_urls.get(namespace) if namespace else None

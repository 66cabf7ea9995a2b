"""Who may act in the 书记信箱: one predicate per decision, asked by the services (a refusal), the pages
(404 or no button), the API and the to-dos alike.

The writer: the person whose letter it is (``scope.person_id``); the public writer acts only through the
tracking code. The handlers: whoever holds HANDLE_REQUESTS over the organization the letter is addressed
to — the branch's secretary, the organizers of the college and of the school (组织部) above — never on
their own letter, which also keeps an anonymous writer who handles the mailbox from answering themselves.
The platform itself (the demo, the nightly close) acts with ``Scope.system()``.
"""

from __future__ import annotations

import secrets

from django.db.models import Q

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.mailbox.models import Letter
from dangjian.mailbox.rules import REPLIABLE_STATUSES, WAITING_STATUSES, LetterStatus, normalised_code

P = Permission


def is_writer(scope: Scope, letter: Letter) -> bool:
    return bool(scope.person_id and letter.author_id == scope.person_id)


def holds_code(letter: Letter, code: str) -> bool:
    """The public writer: whoever brings the letter's tracking code (a member's letter has none to bring)."""
    if letter.author_id is not None or not letter.tracking_code:
        return False
    return secrets.compare_digest(letter.tracking_code.encode(), normalised_code(code).encode())


def may_handle(scope: Scope, letter: Letter) -> bool:
    """See the letter in the inbox and act on it: HANDLE_REQUESTS over the addressed organization."""
    if scope.is_system:
        return True
    return scope.covers(P.HANDLE_REQUESTS, letter.organization.path) and not is_writer(scope, letter)


def handle_q(scope: Scope, path_field: str = "organization__path") -> Q:
    """``may_handle`` as a filter (the inbox, the to-dos)."""
    q = scope.q(P.HANDLE_REQUESTS, path_field)
    if scope.person_id:
        q &= ~Q(author_id=scope.person_id)
    return q


def own_q(scope: Scope) -> Q:
    if not scope.person_id:
        return Q(pk__in=[])
    return Q(author_id=scope.person_id)


def may_reply(scope: Scope, letter: Letter) -> bool:
    return may_handle(scope, letter) and letter.status in REPLIABLE_STATUSES


def may_transfer(scope: Scope, letter: Letter) -> bool:
    """Pass a letter not yet answered to another organization of the line."""
    return may_handle(scope, letter) and letter.status in WAITING_STATUSES


def may_close_as_handler(scope: Scope, letter: Letter) -> bool:
    """办结 by the handler: once it has been answered."""
    return may_handle(scope, letter) and letter.status == LetterStatus.REPLIED


def may_close_as_writer(scope: Scope, letter: Letter) -> bool:
    """The writer confirms the answer and closes the letter."""
    return is_writer(scope, letter) and letter.status == LetterStatus.REPLIED


def may_rate(scope: Scope, letter: Letter) -> bool:
    """Rate the answer once: the writer, after a reply."""
    return (
        is_writer(scope, letter)
        and letter.status in (LetterStatus.REPLIED, LetterStatus.CLOSED)
        and letter.rated_at is None
    )


def may_close_by_code(letter: Letter, code: str) -> bool:
    """The public writer confirms the answer and closes the letter (the tracking page)."""
    return holds_code(letter, code) and letter.status == LetterStatus.REPLIED


def may_rate_by_code(letter: Letter, code: str) -> bool:
    """The public writer rates the answer once, after a reply (the tracking page)."""
    return (
        holds_code(letter, code)
        and letter.status in (LetterStatus.REPLIED, LetterStatus.CLOSED)
        and letter.rated_at is None
    )

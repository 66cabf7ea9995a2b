"""Who may act on a transfer: the one place that decides, read from the state machine of
``transfers.rules``. The services ask it (and refuse with its message), the views and the API ask it (a
button is drawn, a step page opens, only when the step works), and the to-dos count with the same rows as
``Q`` objects — so a button, its service and its to-do cannot disagree.

Per verb: ``may_<verb>(scope, transfer) -> bool`` for one transfer and ``<verb>_q(scope) -> Q`` for the
register; ``refusal(scope, transfer, action)`` says why not, for a service to raise. Reads (the letters,
the full ID number) and the steps that start from a person or a branch (start, record-in, keep) are here
too, so nothing else in the module holds a rule of who may act.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Membership, Organization, OrgKind, Person
from dangjian.hooks.links import link_rule
from dangjian.transfers import rules
from dangjian.transfers.models import Letter, Transfer
from dangjian.transfers.rules import Side, Step

P = Permission
NOWHERE = "~"  # a path no scope covers

# The organization of the transfer that decides for each side (the requester is a user, not an org).
SIDE_ORG = {Side.SENDING: "from_org", Side.RECEIVING: "to_college", Side.PLACEMENT: "to_org"}


def _from_path(transfer: Transfer) -> str:
    return transfer.from_org.path if transfer.from_org is not None else NOWHERE


# ---------------------------------------------------------------- the steps of the state machine


def _takes(scope: Scope, transfer: Transfer, row: Step) -> bool:
    """Whether the user is on the side of the row (a side without its organization: no one)."""
    if row.side is Side.REQUESTER:
        return scope.user_id is not None and transfer.requested_by_id == scope.user_id
    org: Organization | None = getattr(transfer, SIDE_ORG[row.side])
    return org is not None and row.permission is not None and scope.covers(row.permission, org.path)


def may(scope: Scope, transfer: Transfer, action: str) -> bool:
    """Whether the user's side takes ``action`` on the transfer as it is now."""
    row = rules.step(transfer.status, transfer.kind, action)
    return row is not None and _takes(scope, transfer, row)


def refusal(scope: Scope, transfer: Transfer, action: str) -> str | None:
    """``None`` when the user may take ``action`` now; else what they are told: first that the transfer's
    status (or kind) has no such step, then that the step belongs to another side."""
    row = rules.step(transfer.status, transfer.kind, action)
    if row is None:
        return str(rules.NOT_NOW[action]) % {"s": transfer.get_status_display()}
    if not _takes(scope, transfer, row):
        return str(row.refusal)
    return None


def action_q(scope: Scope, action: str) -> Q:
    """The transfers on which the user's side takes ``action`` now: the rows of the table as a Q."""
    parts = []
    for status, row in rules.rows(action):
        q = Q(status=status)
        if row.kinds != rules.ALL_KINDS:
            kinds = sorted(row.kinds)
            q &= Q(kind=kinds[0]) if len(kinds) == 1 else Q(kind__in=kinds)
        if row.side is Side.REQUESTER:
            q &= Q(requested_by_id=scope.user_id) if scope.user_id is not None else Q(pk__in=[])
        else:
            assert row.permission is not None  # an org's side acts through a permission
            q &= scope.q(row.permission, f"{SIDE_ORG[row.side]}__path")
        parts.append(q)
    return reduce(operator.or_, parts) if parts else Q(pk__in=[])


def may_approve(scope: Scope, transfer: Transfer) -> bool:
    """The step of the sending side the transfer waits for: the branch, then the college above it."""
    return may(scope, transfer, rules.APPROVE)


def may_reject(scope: Scope, transfer: Transfer) -> bool:
    """Return an open transfer: whoever owns the step it waits for."""
    return may(scope, transfer, rules.REJECT)


def may_withdraw(scope: Scope, transfer: Transfer) -> bool:
    return may(scope, transfer, rules.WITHDRAW)


def may_accept(scope: Scope, transfer: Transfer) -> bool:
    """校内: the receiving college accepts into one of its branches."""
    return may(scope, transfer, rules.ACCEPT)


def may_complete(scope: Scope, transfer: Transfer) -> bool:
    """Register the 回执 of an outgoing transfer: the sending college, once the letter is out."""
    return may(scope, transfer, rules.COMPLETE)


def may_attach_receipt(scope: Scope, transfer: Transfer) -> bool:
    """Keep the scanned 回执 of an outgoing transfer (before or after it is completed)."""
    return may(scope, transfer, rules.ATTACH_RECEIPT)


def may_reissue(scope: Scope, letter: Letter) -> bool:
    """Void a live letter and issue a new one: the issuing side, while the transfer waits for its 回执."""
    return letter.voided_at is None and may(scope, letter.transfer, rules.REISSUE_LETTER)


def may_print_receipt(scope: Scope, transfer: Transfer) -> bool:
    """The 回执 of an incoming transfer, printed by the receiving branch's side."""
    return may(scope, transfer, rules.PRINT_RECEIPT)


def approve_q(scope: Scope) -> Q:
    return action_q(scope, rules.APPROVE)


def reject_q(scope: Scope) -> Q:
    return action_q(scope, rules.REJECT)


def withdraw_q(scope: Scope) -> Q:
    return action_q(scope, rules.WITHDRAW)


def accept_q(scope: Scope) -> Q:
    return action_q(scope, rules.ACCEPT)


def complete_q(scope: Scope) -> Q:
    return action_q(scope, rules.COMPLETE)


def waiting_q(scope: Scope) -> Q:
    """Transfers whose next step (an approval or the acceptance) belongs to the user's side."""
    return approve_q(scope) | accept_q(scope)


def receipt_due_q(scope: Scope) -> Q:
    """Outgoing transfers whose 回执 the user's side registers."""
    return complete_q(scope)


# ---------------------------------------------------------------- steps from a person or a branch


def may_start(scope: Scope, person: Person) -> bool:
    """Ask for a member's transfer: the member themself, or whoever handles transfers for the branch
    holding the membership. No membership (not a member on the roll here), no transfer."""
    membership = getattr(person, "membership", None)
    if membership is None:
        return False
    return person.pk == scope.person_id or scope.covers(P.MANAGE_TRANSFERS, membership.organization.path)


def may_record_in(scope: Scope) -> bool:
    """Record an incoming transfer (转入): whoever handles transfers somewhere (the page and its button)."""
    return scope.has(P.MANAGE_TRANSFERS)


def may_place_in(scope: Scope, branch: Organization) -> bool:
    """An incoming member is placed in a branch the user handles transfers for."""
    return branch.kind == OrgKind.BRANCH and scope.covers(P.MANAGE_TRANSFERS, branch.path)


def may_keep(scope: Scope, membership: Membership) -> bool:
    """Keep a graduate's membership at the school: the college over the member's branch."""
    return scope.covers(P.APPROVE_TRANSFERS, membership.organization.path)


# ---------------------------------------------------------------- reads


def handles_transfers(scope: Scope) -> bool:
    """Whether the user acts on any side's steps at all (else no to-do can be theirs)."""
    return scope.has(P.MANAGE_TRANSFERS) or scope.has(P.APPROVE_TRANSFERS)


def may_send_graduates(scope: Scope) -> bool:
    """The graduates' batch is a college's: who approves transfers somewhere (which colleges:
    ``selectors.graduate_colleges``)."""
    return scope.has(P.APPROVE_TRANSFERS)


def may_see_monthly(scope: Scope) -> bool:
    """The completed transfers per college and month (the register and the 工作台)."""
    return scope.has(P.APPROVE_TRANSFERS)


def may_export(scope: Scope) -> bool:
    return scope.has(P.EXPORT)


def may_see_letters(scope: Scope, transfer: Transfer) -> bool:
    """The sending side reads (prints) the letters of a transfer."""
    path = _from_path(transfer)
    return scope.covers(P.APPROVE_TRANSFERS, path) or scope.covers(P.MANAGE_TRANSFERS, path)


def may_see_id_number(scope: Scope, transfer: Transfer) -> bool:
    """The full ID number on a letter: only for who holds the PII permission over the sending branch."""
    return scope.covers(P.VIEW_PII, _from_path(transfer))


# ---------------------------------------------------------------- link rules ({% may_open %})


@link_rule("transfers:start")
def _start_link(request: HttpRequest, person: Any) -> bool:
    return may_start(scope_of(request), person)


@link_rule("transfers:approve")
def _approve_link(request: HttpRequest, transfer: Any) -> bool:
    return may_approve(scope_of(request), transfer)


@link_rule("transfers:accept")
def _accept_link(request: HttpRequest, transfer: Any) -> bool:
    return may_accept(scope_of(request), transfer)


@link_rule("transfers:complete")
def _complete_link(request: HttpRequest, transfer: Any) -> bool:
    return may_complete(scope_of(request), transfer)


@link_rule("transfers:reject")
def _reject_link(request: HttpRequest, transfer: Any) -> bool:
    return may_reject(scope_of(request), transfer)


@link_rule("transfers:withdraw")
def _withdraw_link(request: HttpRequest, transfer: Any) -> bool:
    return may_withdraw(scope_of(request), transfer)


@link_rule("transfers:letter_pdf")
def _letter_link(request: HttpRequest, letter: Any) -> bool:
    return letter.voided_at is None and may_see_letters(scope_of(request), letter.transfer)


@link_rule("transfers:letter_reissue")
def _reissue_link(request: HttpRequest, letter: Any) -> bool:
    return may_reissue(scope_of(request), letter)


@link_rule("transfers:receipt_pdf")
def _receipt_link(request: HttpRequest, transfer: Any) -> bool:
    return may_print_receipt(scope_of(request), transfer)

"""Who may act on a transfer: one predicate per verb, asked by the services (refusal), the views (404 on
the page of an action), the templates (a button is drawn only when it works) and the to-dos alike.

The sending side acts on the sending steps (the branch on ``requested``, the college above it on
``branch_approved``, the 回执 of an outgoing transfer); the receiving college acts on the receiving step
of an in-school transfer; the requester may withdraw while the transfer is open.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core.models import Person
from dangjian.hooks.links import link_rule
from dangjian.transfers.models import OPEN_STATUSES, OUT_KINDS, Letter, Transfer, TransferKind, TransferStatus

P = Permission
S = TransferStatus
NOWHERE = "~"  # a path no scope covers


def _from_path(transfer: Transfer) -> str:
    return transfer.from_org.path if transfer.from_org is not None else NOWHERE


def may_start(scope: Scope, person: Person) -> bool:
    """Ask for a member's transfer: the member themself, or whoever handles transfers for the branch
    holding the membership. No membership (not a member on the roll here), no transfer."""
    membership = getattr(person, "membership", None)
    if membership is None:
        return False
    return person.pk == scope.person_id or scope.covers(P.MANAGE_TRANSFERS, membership.organization.path)


def may_approve(scope: Scope, transfer: Transfer) -> bool:
    """The step of the sending side the transfer waits for: the branch, then the college above it."""
    if transfer.from_org is None:
        return False
    if transfer.status == S.REQUESTED:
        return scope.covers(P.MANAGE_TRANSFERS, transfer.from_org.path)
    if transfer.status == S.BRANCH_APPROVED:
        return scope.covers(P.APPROVE_TRANSFERS, transfer.from_org.path)
    return False


def may_accept(scope: Scope, transfer: Transfer) -> bool:
    return (
        transfer.status == S.COLLEGE_APPROVED
        and transfer.kind == TransferKind.IN_SCHOOL
        and transfer.to_college is not None
        and scope.covers(P.APPROVE_TRANSFERS, transfer.to_college.path)
    )


def may_complete(scope: Scope, transfer: Transfer) -> bool:
    """Register the 回执 of an outgoing transfer: the sending college, once the letter is out."""
    return (
        transfer.status == S.COLLEGE_APPROVED
        and transfer.kind in OUT_KINDS
        and scope.covers(P.APPROVE_TRANSFERS, _from_path(transfer))
    )


def may_attach_receipt(scope: Scope, transfer: Transfer) -> bool:
    """Keep the scanned 回执 of an outgoing transfer (before or after it is completed)."""
    return (
        transfer.kind in OUT_KINDS
        and transfer.status in (S.COLLEGE_APPROVED, S.COMPLETED)
        and scope.covers(P.APPROVE_TRANSFERS, _from_path(transfer))
    )


def owns_step(scope: Scope, transfer: Transfer) -> bool:
    """Whether the step the transfer waits for belongs to the user's side (whatever it is)."""
    if transfer.from_org is None:
        return False
    if transfer.status in (S.REQUESTED, S.BRANCH_APPROVED):
        return may_approve(scope, transfer)
    if transfer.kind == TransferKind.IN_SCHOOL and transfer.to_college is not None:
        return scope.covers(P.APPROVE_TRANSFERS, transfer.to_college.path)
    return scope.covers(P.APPROVE_TRANSFERS, transfer.from_org.path)


def may_reject(scope: Scope, transfer: Transfer) -> bool:
    return transfer.status in OPEN_STATUSES and owns_step(scope, transfer)


def is_requester(user_id: int | None, transfer: Transfer) -> bool:
    return user_id is not None and transfer.requested_by_id == user_id


def may_withdraw(scope: Scope, transfer: Transfer) -> bool:
    return transfer.status in OPEN_STATUSES and is_requester(scope.user_id, transfer)


def may_see_letters(scope: Scope, transfer: Transfer) -> bool:
    """The sending side reads (prints) the letters of a transfer."""
    path = _from_path(transfer)
    return scope.covers(P.APPROVE_TRANSFERS, path) or scope.covers(P.MANAGE_TRANSFERS, path)


def may_reissue(scope: Scope, letter: Letter) -> bool:
    """Void a live letter and issue a new one: the issuing side, while the transfer waits for its 回执."""
    transfer = letter.transfer
    return (
        letter.voided_at is None
        and transfer.status == S.COLLEGE_APPROVED
        and scope.covers(P.APPROVE_TRANSFERS, _from_path(transfer))
    )


def may_print_receipt(scope: Scope, transfer: Transfer) -> bool:
    """The 回执 of an incoming transfer, printed by the receiving branch's side."""
    return (
        transfer.kind == TransferKind.IN
        and transfer.to_org is not None
        and scope.covers(P.MANAGE_TRANSFERS, transfer.to_org.path)
    )


def may_see_id_number(scope: Scope, transfer: Transfer) -> bool:
    """The full ID number on a letter: only for who holds the PII permission over the sending branch."""
    return scope.covers(P.VIEW_PII, _from_path(transfer))


def waiting_q(scope: Scope) -> Q:
    """Transfers whose next step belongs to the user's side (the same sides as the predicates above)."""
    return (
        (Q(status=S.REQUESTED) & scope.q(P.MANAGE_TRANSFERS, "from_org__path"))
        | (Q(status=S.BRANCH_APPROVED) & scope.q(P.APPROVE_TRANSFERS, "from_org__path"))
        | (
            Q(status=S.COLLEGE_APPROVED, kind=TransferKind.IN_SCHOOL)
            & scope.q(P.APPROVE_TRANSFERS, "to_college__path")
        )
    )


def receipt_due_q(scope: Scope) -> Q:
    """Outgoing transfers whose 回执 the user's side registers."""
    return Q(status=S.COLLEGE_APPROVED, kind__in=OUT_KINDS) & scope.q(P.APPROVE_TRANSFERS, "from_org__path")


# ---------------------------------------------------------------- link rules (core.links)


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


@link_rule("transfers:start")
def _start_link(request: HttpRequest, person: Any) -> bool:
    return may_start(_scope(request), person)


@link_rule("transfers:approve")
def _approve_link(request: HttpRequest, transfer: Any) -> bool:
    return may_approve(_scope(request), transfer)


@link_rule("transfers:accept")
def _accept_link(request: HttpRequest, transfer: Any) -> bool:
    return may_accept(_scope(request), transfer)


@link_rule("transfers:complete")
def _complete_link(request: HttpRequest, transfer: Any) -> bool:
    return may_complete(_scope(request), transfer)


@link_rule("transfers:reject")
def _reject_link(request: HttpRequest, transfer: Any) -> bool:
    return may_reject(_scope(request), transfer)


@link_rule("transfers:withdraw")
def _withdraw_link(request: HttpRequest, transfer: Any) -> bool:
    return may_withdraw(_scope(request), transfer)


@link_rule("transfers:letter_pdf")
def _letter_link(request: HttpRequest, letter: Any) -> bool:
    return letter.voided_at is None and may_see_letters(_scope(request), letter.transfer)


@link_rule("transfers:letter_reissue")
def _reissue_link(request: HttpRequest, letter: Any) -> bool:
    return may_reissue(_scope(request), letter)


@link_rule("transfers:receipt_pdf")
def _receipt_link(request: HttpRequest, transfer: Any) -> bool:
    return may_print_receipt(_scope(request), transfer)

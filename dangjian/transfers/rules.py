"""The transfer state machine as a table: from each status, which action leads to which status, which side
takes it with which permission, and what anyone else who tries is told. Pure data, no database.

``transfers.access`` reads this table and nothing else to decide who may act — as a predicate on one
transfer (the services' refusals, the pages' buttons and 404s, the API) and as a ``Q`` on the register
(the to-dos) — so a button, its service and its to-do cannot disagree.

The sides are named by the organization of the transfer that decides (scopes are path prefixes, so whoever
holds the permission over that organization or above it acts):

- ``sending``: the branch the member leaves (``from_org``): its branch handles the request (办理,
  ``MANAGE_TRANSFERS``), the college above it approves it and issues the 介绍信 (审批,
  ``APPROVE_TRANSFERS``) and registers the 回执 of an outgoing transfer;
- ``receiving``: the receiving college of an in-school transfer (``to_college``), which accepts it into
  one of its branches;
- ``placement``: the branch an incoming member (转入) was placed in (``to_org``), which prints the 回执;
- ``requester``: the user who asked for the transfer, who may withdraw it while it is open.

Whoever owns the step a transfer waits for may also return it (退回).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import Permission
from dangjian.transfers.models import OUT_KINDS, TransferKind, TransferStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

P = Permission
S = TransferStatus
K = TransferKind


class Side(StrEnum):
    SENDING = "sending"
    RECEIVING = "receiving"
    PLACEMENT = "placement"
    REQUESTER = "requester"


# The actions. Those with ``to=None`` in the table change no status: they act on the transfer's documents.
APPROVE = "approve"
REJECT = "reject"
WITHDRAW = "withdraw"
ACCEPT = "accept"
COMPLETE = "complete"
ATTACH_RECEIPT = "attach_receipt"
REISSUE_LETTER = "reissue_letter"
PRINT_RECEIPT = "print_receipt"

ALL_KINDS: frozenset[str] = frozenset(K.values)
IN_SCHOOL: frozenset[str] = frozenset({K.IN_SCHOOL})
OUTGOING: frozenset[str] = frozenset(OUT_KINDS)
INCOMING: frozenset[str] = frozenset({K.IN})


@dataclass(frozen=True)
class Step:
    """One row: ``action`` on a transfer of one of ``kinds`` leads to status ``to`` (``None``: the status
    stays); ``side`` takes it, holding ``permission`` over that side's organization (none for the
    requester); anyone else is told ``refusal``."""

    action: str
    to: str | None
    side: Side
    permission: Permission | None
    kinds: frozenset[str] = ALL_KINDS
    refusal: StrOrPromise = ""


_NOT_YOUR_STEP = _("这一步不由您所在的一方办理")
_WITHDRAW = Step(WITHDRAW, S.WITHDRAWN, Side.REQUESTER, None, refusal=_("只有申请人可以撤回"))
_ATTACH_RECEIPT = Step(
    ATTACH_RECEIPT,
    None,
    Side.SENDING,
    P.APPROVE_TRANSFERS,
    OUTGOING,
    refusal=_("只有转出方的院系党组织可以上传回执"),
)

TRANSITIONS: dict[str, tuple[Step, ...]] = {
    S.REQUESTED: (
        Step(
            APPROVE,
            S.BRANCH_APPROVED,
            Side.SENDING,
            P.MANAGE_TRANSFERS,
            refusal=_("只有转出支部可以审核这一步"),
        ),
        Step(REJECT, S.REJECTED, Side.SENDING, P.MANAGE_TRANSFERS, refusal=_NOT_YOUR_STEP),
        _WITHDRAW,
    ),
    S.BRANCH_APPROVED: (
        Step(
            APPROVE,
            S.COLLEGE_APPROVED,
            Side.SENDING,
            P.APPROVE_TRANSFERS,
            refusal=_("只有转出方的院系党组织可以审核这一步"),
        ),
        Step(REJECT, S.REJECTED, Side.SENDING, P.APPROVE_TRANSFERS, refusal=_NOT_YOUR_STEP),
        _WITHDRAW,
    ),
    # 校内: the receiving college takes the last step; 转出: the sending college, on the 回执.
    S.COLLEGE_APPROVED: (
        Step(
            ACCEPT,
            S.COMPLETED,
            Side.RECEIVING,
            P.APPROVE_TRANSFERS,
            IN_SCHOOL,
            refusal=_("只有接收方的院系党组织可以接收"),
        ),
        Step(REJECT, S.REJECTED, Side.RECEIVING, P.APPROVE_TRANSFERS, IN_SCHOOL, refusal=_NOT_YOUR_STEP),
        Step(
            COMPLETE,
            S.COMPLETED,
            Side.SENDING,
            P.APPROVE_TRANSFERS,
            OUTGOING,
            refusal=_("只有转出方的院系党组织可以登记回执"),
        ),
        Step(REJECT, S.REJECTED, Side.SENDING, P.APPROVE_TRANSFERS, OUTGOING, refusal=_NOT_YOUR_STEP),
        _WITHDRAW,
        _ATTACH_RECEIPT,
        # Void a live letter and issue a new one while the 回执 is awaited (the issuing side).
        Step(
            REISSUE_LETTER,
            None,
            Side.SENDING,
            P.APPROVE_TRANSFERS,
            OUTGOING,
            refusal=_("这封介绍信不能重开"),
        ),
    ),
    S.COMPLETED: (
        _ATTACH_RECEIPT,
        Step(PRINT_RECEIPT, None, Side.PLACEMENT, P.MANAGE_TRANSFERS, INCOMING),
    ),
    S.REJECTED: (),
    S.WITHDRAWN: (),
}

# What anyone is told when the transfer's status (or kind) has no such step; "%(s)s" names the status.
NOT_NOW: dict[str, StrOrPromise] = {
    APPROVE: _("当前状态不能审核(%(s)s)"),
    REJECT: _("已结束的转接不能退回"),
    WITHDRAW: _("已结束的转接不能撤回"),
    ACCEPT: _("只有已经转出方院系同意的校内转接可以接收"),
    COMPLETE: _("只有已开具介绍信的转出可以登记回执"),
    ATTACH_RECEIPT: _("只有已开具介绍信的转出可以上传回执"),
    REISSUE_LETTER: _("这封介绍信不能重开"),
}


def step(status: str, kind: str, action: str) -> Step | None:
    """The row for ``action`` on a transfer of ``kind`` in ``status`` (there is at most one)."""
    for row in TRANSITIONS.get(status, ()):
        if row.action == action and kind in row.kinds:
            return row
    return None


def rows(action: str) -> Iterator[tuple[str, Step]]:
    """Every ``(status, row)`` of ``action``: where it can be taken, and by whom."""
    for status, steps in TRANSITIONS.items():
        for row in steps:
            if row.action == action:
                yield status, row

"""Who may act on a transfer: the state machine of ``transfers.rules`` read by ``transfers.access``.

A boundary table written out by hand (status × kind × side/role → the actions that side may take), the
table's own invariants, and that the ``Q`` of each action selects exactly the transfers its predicate
allows — so the to-dos count what the buttons offer.
"""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.accounts.roles import Role
from dangjian.accounts.scope import Grant, Scope, resolve_scope
from dangjian.core.models import Organization
from dangjian.transfers import access, rules
from dangjian.transfers.models import Letter, Transfer, TransferKind, TransferStatus
from tests import factories as f

S = TransferStatus
K = TransferKind
A, R, W, ACC, C = rules.APPROVE, rules.REJECT, rules.WITHDRAW, rules.ACCEPT, rules.COMPLETE
AT, L, PR = rules.ATTACH_RECEIPT, rules.REISSUE_LETTER, rules.PRINT_RECEIPT
ACTIONS = (A, R, W, ACC, C, AT, L, PR)

# ---------------------------------------------------------------- the boundary table (no database)

SCHOOL, CS, CS_BRANCH, FL, FL_BRANCH = "0001", "00010001", "000100010001", "00010002", "000100020001"
REQUESTER = 7


def _grant(role: str, path: str) -> Grant:
    return Grant(role, None, path, path)


SIDES: dict[str, Scope] = {
    "requester": Scope.build(REQUESTER, 70, ()),
    "member": Scope.build(8, 80, ()),  # another member of the branch
    "sending_branch": Scope.build(2, 20, [_grant(Role.BRANCH_SECRETARY, CS_BRANCH)]),
    "sending_committee": Scope.build(3, 30, [_grant(Role.BRANCH_COMMITTEE, CS_BRANCH)]),
    "sending_college": Scope.build(4, None, [_grant(Role.COLLEGE_ORGANIZER, CS)]),
    "receiving_college": Scope.build(5, None, [_grant(Role.COLLEGE_ORGANIZER, FL)]),
    "receiving_branch": Scope.build(6, 60, [_grant(Role.BRANCH_SECRETARY, FL_BRANCH)]),
    "school_admin": Scope.build(9, None, [_grant(Role.SCHOOL_ADMIN, SCHOOL)]),
    "auditor": Scope.build(10, None, [_grant(Role.AUDIT_ADMIN, "")]),
    "system": Scope.system(),
}

SENDING_STEP = {"sending_college": {A, R}, "school_admin": {A, R}, "system": {A, R}}
LETTER_OUT = {C, R, AT, L}

# (kind, status) -> the actions each side may take; a side not named may take none.
TABLE: dict[tuple[str, str], dict[str, set[str]]] = {}
for _kind in (K.IN_SCHOOL, K.OUT_PROVINCE, K.OUT_NATIONAL):
    TABLE[(_kind, S.REQUESTED)] = {"requester": {W}, "sending_branch": {A, R}, **SENDING_STEP}
    TABLE[(_kind, S.BRANCH_APPROVED)] = {"requester": {W}, **SENDING_STEP}
    TABLE[(_kind, S.REJECTED)] = {}
    TABLE[(_kind, S.WITHDRAWN)] = {}
TABLE[(K.IN_SCHOOL, S.COLLEGE_APPROVED)] = {
    "requester": {W},
    "receiving_college": {ACC, R},
    "school_admin": {ACC, R},
    "system": {ACC, R},
}
TABLE[(K.IN_SCHOOL, S.COMPLETED)] = {}
for _kind in (K.OUT_PROVINCE, K.OUT_NATIONAL):
    TABLE[(_kind, S.COLLEGE_APPROVED)] = {
        "requester": {W},
        "sending_college": LETTER_OUT,
        "school_admin": LETTER_OUT,
        "system": LETTER_OUT,
    }
    TABLE[(_kind, S.COMPLETED)] = {"sending_college": {AT}, "school_admin": {AT}, "system": {AT}}
TABLE[(K.IN, S.COMPLETED)] = {
    "receiving_branch": {PR},
    "receiving_college": {PR},
    "school_admin": {PR},
    "system": {PR},
}


def _transfer(kind: str, status: str) -> Transfer:
    """A transfer as the services leave it in this status (unsaved: the predicates read no database)."""
    if kind == K.IN:
        return Transfer(kind=kind, status=status, to_org=Organization(path=FL_BRANCH), requested_by_id=6)
    return Transfer(
        kind=kind,
        status=status,
        from_org=Organization(path=CS_BRANCH),
        to_college=Organization(path=FL) if kind == K.IN_SCHOOL else None,
        to_org=Organization(path=FL_BRANCH) if kind == K.IN_SCHOOL and status == S.COMPLETED else None,
        requested_by_id=REQUESTER,
    )


@pytest.mark.parametrize(("kind", "status"), list(TABLE))
def test_who_may_take_which_step(kind, status) -> None:
    transfer = _transfer(kind, status)
    allowed = {
        side: {action for action in ACTIONS if access.may(scope, transfer, action)}
        for side, scope in SIDES.items()
    }
    expected = {side: TABLE[(kind, status)].get(side, set()) for side in SIDES}
    assert allowed == expected


@pytest.mark.parametrize(("kind", "status"), list(TABLE))
def test_a_refusal_is_given_exactly_when_the_step_is_not_allowed(kind, status) -> None:
    transfer = _transfer(kind, status)
    for scope in SIDES.values():
        for action in rules.NOT_NOW:
            assert (access.refusal(scope, transfer, action) is None) == access.may(scope, transfer, action)


@pytest.mark.parametrize(
    ("kind", "status", "side", "action", "message"),
    [
        (K.IN_SCHOOL, S.REQUESTED, "receiving_college", A, "只有转出支部可以审核这一步"),
        (K.IN_SCHOOL, S.BRANCH_APPROVED, "sending_branch", A, "只有转出方的院系党组织可以审核这一步"),
        (K.OUT_NATIONAL, S.COLLEGE_APPROVED, "sending_college", A, "当前状态不能审核(待接收/回执)"),
        (K.IN_SCHOOL, S.COLLEGE_APPROVED, "sending_college", R, "这一步不由您所在的一方办理"),
        (K.OUT_NATIONAL, S.COMPLETED, "sending_college", R, "已结束的转接不能退回"),
        (K.OUT_NATIONAL, S.REQUESTED, "sending_branch", W, "只有申请人可以撤回"),
        (K.OUT_NATIONAL, S.REJECTED, "requester", W, "已结束的转接不能撤回"),
        (K.IN_SCHOOL, S.COLLEGE_APPROVED, "sending_college", ACC, "只有接收方的院系党组织可以接收"),
        (
            K.OUT_NATIONAL,
            S.COLLEGE_APPROVED,
            "receiving_college",
            ACC,
            "只有已经转出方院系同意的校内转接可以接收",
        ),
        (K.OUT_NATIONAL, S.COLLEGE_APPROVED, "sending_branch", C, "只有转出方的院系党组织可以登记回执"),
        (K.IN_SCHOOL, S.COLLEGE_APPROVED, "receiving_college", C, "只有已开具介绍信的转出可以登记回执"),
        (K.OUT_NATIONAL, S.COMPLETED, "requester", AT, "只有转出方的院系党组织可以上传回执"),
        (K.OUT_NATIONAL, S.REQUESTED, "sending_college", AT, "只有已开具介绍信的转出可以上传回执"),
    ],
)
def test_each_refusal_says_why_in_chinese(kind, status, side, action, message) -> None:
    assert access.refusal(SIDES[side], _transfer(kind, status), action) == message


def test_the_table_has_at_most_one_row_per_status_kind_and_action() -> None:
    for status, steps in rules.TRANSITIONS.items():
        for kind in K.values:
            for action in ACTIONS:
                rows = [row for row in steps if row.action == action and kind in row.kinds]
                assert len(rows) <= 1, (status, kind, action)


def test_every_status_is_in_the_table_and_only_open_ones_lead_elsewhere() -> None:
    from dangjian.transfers.models import OPEN_STATUSES

    assert set(rules.TRANSITIONS) == set(S.values)
    leading = {status for status, steps in rules.TRANSITIONS.items() if any(row.to for row in steps)}
    assert leading == set(OPEN_STATUSES)
    for status in OPEN_STATUSES:  # an open transfer can always be returned and withdrawn
        for kind in (K.IN_SCHOOL, *rules.OUTGOING):
            assert rules.step(status, kind, R) is not None and rules.step(status, kind, W) is not None


def test_every_step_a_service_takes_has_its_messages() -> None:
    for _status, steps in rules.TRANSITIONS.items():
        for row in steps:
            if row.action != PR:  # printed by a page, refused there with a 404
                assert row.refusal and row.action in rules.NOT_NOW


# ---------------------------------------------------------------- the Q of each action = its predicate


@pytest.fixture
def every_state(world, member_user) -> list[Transfer]:
    """A transfer of every kind in every status (one member each), and an old live letter on each
    outgoing one awaiting its 回执."""
    transfers = []
    for kind in (K.IN_SCHOOL, K.OUT_NATIONAL):
        for status in S.values:
            person = f.member(world.cs_branch, f"成员{kind}{status}")
            t = Transfer.objects.create(
                person=person,
                kind=kind,
                status=status,
                from_org=world.cs_branch,
                to_college=world.fl if kind == K.IN_SCHOOL else None,
                to_org=world.fl_branch if kind == K.IN_SCHOOL and status == S.COMPLETED else None,
                external_org="" if kind == K.IN_SCHOOL else "某单位党委",
                reason="x",
                requested_by=member_user,
            )
            if kind == K.OUT_NATIONAL and status == S.COLLEGE_APPROVED:
                Letter.objects.create(
                    transfer=t,
                    issuing_org=world.cs,
                    year=2020,
                    number=1,
                    serial="CS-2020-0001",
                    issued_on=date(2020, 1, 1),
                    valid_days=30,
                )
            transfers.append(t)
    incoming = f.person("转入者", organization=world.fl_branch)
    transfers.append(
        Transfer.objects.create(
            person=incoming, kind=K.IN, status=S.COMPLETED, to_org=world.fl_branch, reason="转入"
        )
    )
    return transfers


PERSONAS = ("member_user", "branch_secretary", "college_organizer", "fl_organizer", "school_admin", "auditor")


@pytest.mark.parametrize("persona", [*PERSONAS, "system"])
def test_the_q_of_each_action_selects_what_its_predicate_allows(every_state, persona, request) -> None:
    scope = Scope.system() if persona == "system" else resolve_scope(request.getfixturevalue(persona))
    everything = Transfer.objects.select_related("from_org", "to_college", "to_org")
    for action in ACTIONS:
        selected = set(everything.filter(access.action_q(scope, action)).values_list("pk", flat=True))
        allowed = {t.pk for t in everything if access.may(scope, t, action)}
        assert selected == allowed, action
    assert set(everything.filter(access.waiting_q(scope))) == {
        t for t in everything if access.may_approve(scope, t) or access.may_accept(scope, t)
    }
    assert set(everything.filter(access.receipt_due_q(scope))) == {
        t for t in everything if access.may_complete(scope, t)
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_to_dos_count_the_steps_the_buttons_offer(every_state, persona, request) -> None:
    from dangjian.workbench.todos import todos_for

    user = request.getfixturevalue(persona)
    scope = resolve_scope(user)
    everything = list(Transfer.objects.select_related("from_org", "to_college", "to_org"))
    waiting = sum(1 for t in everything if access.may_approve(scope, t) or access.may_accept(scope, t))
    overdue = sum(1 for t in everything if access.may_complete(scope, t) and t.letters.exists())
    items = [i for i in todos_for(user, scope) if i.source == "transfers"]
    counts = {"待您办理" in i.title: i.count for i in items}
    assert counts.get(True, 0) == waiting and counts.get(False, 0) == overdue
    assert (waiting, overdue) != (0, 0) or persona in ("member_user", "auditor")

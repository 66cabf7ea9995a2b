"""The handler's to-dos: open requests to handle, the overdue ones first; nothing for a plain member."""

from __future__ import annotations

from dangjian.accounts.scope import resolve_scope
from dangjian.onestop import services
from dangjian.onestop.rules import RequestKind as K
from dangjian.onestop.todos import onestop_todos
from tests import factories as f
from tests.onestop.conftest import SYSTEM, submit


def test_the_secretary_sees_open_requests_overdue_first(world, branch_secretary, time_machine):
    submit(world.member)
    time_machine.move_to("2026-12-10 10:00 +0800", tick=False)
    submit(f.member(world.cs_branch, "新"), K.LONG_LEAVE)
    done = submit(f.member(world.cs_branch, "已办"), K.LONG_LEAVE)
    services.request_refuse(actor=None, scope=SYSTEM, request=done, expected_status=None, reason="x")
    items = onestop_todos(branch_secretary, resolve_scope(branch_secretary))
    assert [(i.title, i.severity, i.count) for i in items] == [
        ("1 件服务申请已超过办理期限", "danger", 1),
        ("2 件服务申请待办理", "info", 2),
    ]


def test_a_member_has_no_handling_todos(world, member_user):
    submit(world.member)
    assert onestop_todos(member_user, resolve_scope(member_user)) == []


def test_the_proof_requests_wait_at_the_college_not_the_branch(world, branch_secretary, college_organizer):
    submit(world.member, K.PROOF_MEMBERSHIP)
    assert onestop_todos(branch_secretary, resolve_scope(branch_secretary)) == []
    assert onestop_todos(college_organizer, resolve_scope(college_organizer))[0].count == 1

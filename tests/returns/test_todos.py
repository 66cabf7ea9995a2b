from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from dangjian.accounts.scope import resolve_scope
from dangjian.returns import services
from dangjian.returns.models import Assignment, Row
from dangjian.returns.todos import returns_todos
from tests.returns.conftest import SYSTEM, TODAY, good_values

pytestmark = pytest.mark.django_db


def _titles(user) -> list[str]:
    return [item.title for item in returns_todos(user, resolve_scope(user))]


def test_fill_review_and_overdue_to_dos(
    world, opened, branch_secretary, college_organizer, member_user
) -> None:
    assert _titles(branch_secretary) == ["1 张报表待填报"]
    assert _titles(college_organizer) == []  # the organizer reviews the branches' tables, not fills them
    assert _titles(member_user) == []
    assignment = Assignment.objects.get(ret=opened, organization=world.cs_branch)
    services.assignment_fill(
        actor=None,
        scope=SYSTEM,
        assignment=assignment,
        values=good_values(Row.objects.get(assignment=assignment).pk),
        expected_status="not_started",
        submit=True,
    )
    assert _titles(branch_secretary) == []
    assert _titles(college_organizer) == ["1 份填报待审核"]
    with time_machine.travel(TODAY + timedelta(days=6), tick=False):
        assert _titles(college_organizer) == ["1 份填报待审核", "1 个组织逾期未提交报表"]

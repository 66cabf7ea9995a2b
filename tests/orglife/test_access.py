"""Who may act in 组织生活 (``orglife.access``): every service that acts for a side takes the actor's scope
(no ``None`` that skips the check); the platform passes ``Scope.system()``, a scope without the side is
refused."""

from __future__ import annotations

import inspect
from datetime import date
from types import ModuleType

import pytest

from dangjian.accounts.scope import Scope
from dangjian.kit.errors import RuleViolation
from dangjian.orglife import access
from dangjian.orglife.compliance import warnings
from dangjian.orglife.meetings import services as meetings
from dangjian.orglife.supervision import services as supervision
from tests import factories as f

NOBODY = Scope(user_id=None, person_id=None)


@pytest.mark.parametrize("module", [meetings, supervision, warnings], ids=lambda m: m.__name__)
def test_every_service_that_checks_a_side_requires_a_scope(module: ModuleType) -> None:
    takes_scope = [
        (name, inspect.signature(fn).parameters["scope"])
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__
        and not name.startswith("_")
        and "scope" in inspect.signature(fn).parameters
    ]
    assert takes_scope
    optional = [
        name
        for name, param in takes_scope
        if param.default is not inspect.Parameter.empty or param.annotation != "Scope"
    ]
    assert optional == []


def test_the_system_scope_acts_everywhere_and_an_empty_scope_nowhere(world) -> None:
    system = Scope.system()
    assert access.may_manage(system, world.cs_branch) and access.may_review(system, world.school)
    assert not access.may_manage(NOBODY, world.cs_branch) and not access.may_review(NOBODY, world.cs)
    assert access.may_create_in(system, world.cs_branch) and not access.may_create_in(system, world.cs)


def test_a_scope_without_the_side_is_refused_by_the_services(world) -> None:
    with pytest.raises(RuleViolation) as err:
        meetings.plan_create(
            actor=None, scope=NOBODY, org=world.cs_branch, period_kind="month", day=date(2026, 12, 1)
        )
    assert err.value.code == "not_your_side"
    with pytest.raises(RuleViolation) as err:
        supervision.supervisor_add(actor=None, scope=NOBODY, person=f.member(world.fl_branch, "督查员吴"))
    assert err.value.code == "not_your_side"

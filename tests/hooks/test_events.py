"""Domain events: a module reacts to another's change through its own services."""

from __future__ import annotations

from datetime import date

from dangjian.core import services as core_services
from dangjian.core.models import Membership
from dangjian.hooks import events


def test_a_moved_membership_announces_the_move(world) -> None:
    heard = []

    def listener(sender, **kwargs) -> None:  # type: ignore[no-untyped-def]
        heard.append((kwargs["person"], kwargs["from_branch"], kwargs["to_branch"], kwargs["on"]))

    events.membership_moved.connect(listener, dispatch_uid="test.listener")
    try:
        core_services.membership_move(
            actor=None,
            membership=Membership.objects.get(person=world.member),
            to_branch=world.cs_branch2,
            on=date(2026, 11, 1),
            reason="测试",
        )
    finally:
        events.membership_moved.disconnect(dispatch_uid="test.listener")
    assert heard == [(world.member, world.cs_branch, world.cs_branch2, date(2026, 11, 1))]


def test_every_warning_source_counts_in_a_scope(world, school_admin) -> None:
    from django.utils import timezone

    from dangjian import hooks
    from dangjian.accounts.scope import Scope, resolve_scope
    from dangjian.recruitment import services as recruitment
    from dangjian.recruitment.selectors import overdue_case_ids
    from tests import factories as f

    late = f.person("迟谈", organization=world.cs_branch2, birth=date(2000, 1, 1))
    recruitment.case_open(
        actor=None, scope=Scope.system(), person=late, branch=world.cs_branch2, applied_on=date(2026, 1, 5)
    )
    scope = resolve_scope(school_admin)
    counts = {source.code: source.count(scope) for source in hooks.warnings.all()}
    assert counts["recruitment.overdue"] == len(overdue_case_ids(scope, timezone.localdate())) == 1
    assert counts["orglife.absence"] == 0

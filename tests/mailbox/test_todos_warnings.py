"""The overdue warning of the 预警 centre: one finding per waiting letter past its deadline, to the
organization addressed, never naming the writer; counted within the scope."""

from __future__ import annotations

from datetime import date

from dangjian.accounts.scope import resolve_scope
from dangjian.mailbox import warning_sources
from dangjian.mailbox.models import Letter
from tests.mailbox.conftest import replied, write, write_public


def test_overdue_letters_are_found_without_their_writer(world, branch_secretary, outsider_organizer):
    late = write(world.member, world.cs_branch, anonymous=True)
    answered = replied(write(world.member, world.cs))
    on_time = write_public(world.school)
    Letter.objects.filter(pk__in=[late.pk, answered.pk]).update(due_on=date(2026, 11, 20))
    found = list(warning_sources.overdue_findings(date(2026, 11, 30)))
    assert [(f.key, f.organization_id, f.person_id) for f in found] == [
        (f"letter:{late.pk}", world.cs_branch.pk, None)
    ]
    assert world.member.name not in found[0].summary + found[0].rule
    assert on_time.due_on > date(2026, 11, 30)
    assert warning_sources.overdue_count(resolve_scope(branch_secretary), date(2026, 11, 30)) == 1
    assert warning_sources.overdue_count(resolve_scope(outsider_organizer), date(2026, 11, 30)) == 0

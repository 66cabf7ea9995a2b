"""发展党员超期 as a warning source: one finding per open case whose next step is past its deadline — the
same cases as the 超期 list — a bounded number of queries whatever the cases, keys stable across runs."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian import hooks
from dangjian.accounts.scope import Scope
from dangjian.recruitment import rules, services
from dangjian.recruitment.selectors import overdue_count
from dangjian.recruitment.warning_sources import CODE, overdue_findings
from tests import factories as f
from tests.recruitment.steps import advance

TODAY = date(2026, 11, 20)


def _case(world, name: str, applied_on: date, branch=None):
    person = f.person(name, organization=branch or world.cs_branch2, birth=date(2003, 5, 1))
    return services.case_open(
        scope=Scope.system(),
        actor=None,
        person=person,
        branch=branch or world.cs_branch2,
        applied_on=applied_on,
    )


@pytest.mark.parametrize(
    ("applied_on", "overdue"),
    [
        (date(2026, 10, 19), True),  # the talk was due 2026-11-19
        (date(2026, 10, 20), False),  # due today: not yet late
        (date(2026, 11, 1), False),
    ],
)
def test_a_talk_not_held_within_a_month_of_the_application_is_a_warning(world, applied_on, overdue) -> None:
    case = _case(world, "陈同学", applied_on)
    found = list(overdue_findings(TODAY))
    assert bool(found) == overdue
    assert overdue_count(Scope.system(), TODAY) == len(found)
    if overdue:
        [x] = found
        due = rules.talk_due(applied_on)
        assert (x.key, x.level, x.person_id) == (f"case:{case.pk}:talk", "warning", case.person_id)
        assert x.organization_id == world.cs_branch2.pk
        assert (
            x.summary
            == f"陈同学 的发展党员步骤“{x.summary.split('“')[1].split('”')[0]}”已超期（应于 {due} 前完成）"
        )
        assert x.detail == {"step": "talk", "due": due.isoformat(), "from": applied_on.isoformat()}
        assert x.rule.startswith("发展党员工作细则") and "1 个月内派人同入党申请人谈话" in x.rule
        assert x.url == f"/recruitment/case/{case.pk}/"


def test_a_recorded_step_ends_the_case_and_the_next_step_without_deadline_is_none(world) -> None:
    case = _case(world, "陈同学", date(2026, 5, 1))
    assert [x.key for x in overdue_findings(TODAY)] == [f"case:{case.pk}:talk"]
    services.step_record(
        actor=None,
        scope=Scope.system(),
        case=case,
        code="talk",
        done_on=date(2026, 5, 20),
        data={},
        today=TODAY,
    )
    assert list(overdue_findings(TODAY)) == []  # 确定入党积极分子 has no deadline


def test_a_later_step_is_judged_from_the_step_its_deadline_counts_from(world) -> None:
    case = _case(world, "陈同学", date(2024, 1, 2))
    meeting_on = advance(case, "branch_meeting", today=TODAY)
    assert list(overdue_findings(TODAY)) == []  # 上级党委谈话 next: no deadline
    services.step_record(
        actor=None,
        scope=Scope.system(),
        case=case,
        code="upper_talk",
        done_on=meeting_on,
        data={},
        today=TODAY,
    )
    [x] = overdue_findings(TODAY)
    assert x.key == f"case:{case.pk}:approval"
    assert x.detail["from"] == meeting_on.isoformat()
    assert x.detail["due"] == rules.approval(meeting_on, meeting_on).due.isoformat()
    assert "支部党员大会决议后 3 个月内审批" in x.rule


@pytest.mark.parametrize("cases", [3, 30])
def test_findings_take_three_queries(world, cases, django_assert_max_num_queries) -> None:
    for i in range(cases):
        _case(world, f"迟谈{i}", date(2026, 3, 1), branch=world.cs_branch if i % 2 else world.fl_branch)
    with django_assert_max_num_queries(3):
        found = list(overdue_findings(TODAY))
    assert len(found) == cases == overdue_count(Scope.system(), TODAY)
    assert [x.key for x in overdue_findings(TODAY)] == [x.key for x in found]
    assert {x.organization_id for x in found} == {world.cs_branch.pk, world.fl_branch.pk}


def test_the_source_is_registered_with_findings() -> None:
    assert hooks.warnings.get(CODE).findings is overdue_findings

"""督查 random draws: the pure ``compute_draw`` as tables and properties (never one's own branch or
college, at most K each, reproducible from the seed), and ``draw_run`` recording what re-runs it."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import RuleViolation
from dangjian.orglife.meetings import services as meetings
from dangjian.orglife.models import Assignment, Draw, MeetingStatus
from dangjian.orglife.supervision import services as supervision
from dangjian.orglife.supervision.rules import (
    DrawCandidate,
    DrawSupervisor,
    college_path,
    compute_draw,
    conflicts,
)
from dangjian.orglife.supervision.selectors import draw_verify
from dangjian.workbench.models import Notification
from tests import factories as f

SYSTEM = Scope.system()  # the platform itself: every check passes

# Paths as in the org tree: 0001 the school, 00010001.. colleges, 000100010001.. branches.
SCHOOL = "0001"
CS, FL = "00010001", "00010002"
CS_T1, CS_S1, FL_T1 = CS + "0001", CS + "0002", FL + "0001"
DIRECT = "00010003"  # a 直属党支部: its own college


@pytest.mark.parametrize(
    ("home", "branch", "exclude", "conflict"),
    [
        (CS_T1, CS_T1, "branch", True),  # own branch
        (CS_T1 + "0001", CS_T1, "branch", True),  # a 党小组 of the branch
        (CS_T1, CS_S1, "branch", False),  # same college, other branch
        (CS_T1, CS_S1, "college", True),
        (CS, CS_S1, "college", True),  # the college's own organizer
        (CS, CS_S1, "branch", False),
        (CS_T1, FL_T1, "college", False),
        (SCHOOL, FL_T1, "college", False),  # the school committee has no college of its own
        (DIRECT, DIRECT, "branch", True),
        (DIRECT, CS_T1, "college", False),
    ],
)
def test_conflict_table(home: str, branch: str, exclude: str, conflict: bool) -> None:
    assert conflicts(home, branch, exclude) is conflict


def test_college_path_is_the_second_level() -> None:
    assert college_path(CS_T1 + "0001") == CS
    assert college_path(DIRECT) == DIRECT
    assert college_path(SCHOOL) == SCHOOL


COLLEGES = [CS, FL, "00010003", "00010004"]
branch_paths = st.sampled_from([c + b for c in COLLEGES for b in ("0001", "0002", "0003")])
home_paths = st.one_of(branch_paths, st.sampled_from([*COLLEGES, SCHOOL]))
candidates_st = st.lists(
    st.builds(DrawCandidate, st.integers(1, 10_000), branch_paths), max_size=40, unique_by=lambda c: c.meeting
)
supervisors_st = st.lists(
    st.builds(DrawSupervisor, st.integers(1, 500), home_paths), max_size=12, unique_by=lambda s: s.id
)
params_st = st.one_of(
    st.fixed_dictionaries({"n": st.integers(1, 50)}),
    st.fixed_dictionaries({"rate_percent": st.integers(1, 100)}),
)


@settings(max_examples=300, deadline=None)
@given(
    candidates=candidates_st,
    supervisors=supervisors_st,
    seed=st.integers(0, 2**62),
    params=params_st,
    max_per=st.integers(1, 4),
    exclude=st.sampled_from(["branch", "college"]),
)
def test_draw_properties(candidates, supervisors, seed, params, max_per, exclude) -> None:
    outcome = compute_draw(candidates, supervisors, seed, max_per=max_per, exclude=exclude, **params)
    branch = {c.meeting: c.branch for c in candidates}
    home = {s.id: s.home for s in supervisors}
    # Never one's own branch (or college), at most K each, each picked meeting once.
    for meeting, sup in outcome.assignments:
        assert not conflicts(home[sup], branch[meeting], exclude)
        assert not home[sup].startswith(branch[meeting])
        if exclude == "college":
            assert college_path(home[sup]) != college_path(branch[meeting])
    loads = [s for _m, s in outcome.assignments]
    assert all(loads.count(s) <= max_per for s in set(loads))
    assert len(set(outcome.picked)) == len(outcome.picked)
    assert sorted(outcome.picked) == sorted([m for m, _s in outcome.assignments] + outcome.unassigned)
    # How many: n (or all there are), or per college ceil(rate × count).
    if "n" in params:
        assert len(outcome.picked) == min(params["n"], len(candidates))
    else:
        for college in {college_path(c.branch) for c in candidates}:
            count = sum(1 for c in candidates if college_path(c.branch) == college)
            drawn = sum(1 for m in outcome.picked if college_path(branch[m]) == college)
            assert drawn == -(-params["rate_percent"] * count // 100)
    # A meeting is left unassigned only when every supervisor free of conflict is full.
    for meeting in outcome.unassigned:
        free = [s for s in supervisors if not conflicts(s.home, branch[meeting], exclude)]
        assert all(loads.count(s.id) == max_per for s in free)
    # Reproducible: same seed and inputs (in any order) → same outcome.
    again = compute_draw(
        list(reversed(candidates)),
        list(reversed(supervisors)),
        seed,
        max_per=max_per,
        exclude=exclude,
        **params,
    )
    assert again == outcome


def test_same_seed_same_assignments_other_seed_differs() -> None:
    candidates = [DrawCandidate(i, [CS_T1, CS_S1, FL_T1][i % 3]) for i in range(1, 31)]
    supervisors = [DrawSupervisor(i, [CS_T1, FL_T1, SCHOOL, DIRECT][i % 4]) for i in range(1, 9)]
    one = compute_draw(candidates, supervisors, 42, n=10, max_per=3, exclude="college")
    assert one == compute_draw(candidates, supervisors, 42, n=10, max_per=3, exclude="college")
    others = {
        tuple(compute_draw(candidates, supervisors, s, n=10, max_per=3, exclude="college").assignments)
        for s in range(43, 53)
    }
    assert len(others - {tuple(one.assignments)}) >= 9


def test_load_is_spread_before_anyone_gets_a_second_meeting() -> None:
    candidates = [DrawCandidate(i, FL_T1) for i in range(1, 5)]
    supervisors = [DrawSupervisor(i, CS_T1) for i in range(1, 5)]
    outcome = compute_draw(candidates, supervisors, 7, n=4, max_per=3, exclude="college")
    assert sorted(s for _m, s in outcome.assignments) == [1, 2, 3, 4]


def test_no_eligible_supervisor_leaves_the_meeting_unassigned() -> None:
    outcome = compute_draw(
        [DrawCandidate(1, CS_T1), DrawCandidate(2, FL_T1)],
        [DrawSupervisor(1, CS_S1)],
        3,
        n=2,
        max_per=3,
        exclude="college",
    )
    assert outcome.assignments == [(2, 1)]
    assert outcome.unassigned == [1]


def test_exactly_one_of_n_and_rate() -> None:
    with pytest.raises(ValueError):
        compute_draw([], [], 1, max_per=1, exclude="branch")
    with pytest.raises(ValueError):
        compute_draw([], [], 1, n=1, rate_percent=5, max_per=1, exclude="branch")


# ---- draw_run on the database --------------------------------------------------------------------


def meeting(org, day: date, topic: str = "主题党日活动"):
    return meetings.meeting_create(
        actor=None, scope=SYSTEM, org=org, kind="theme_day", topic=topic, day=day, start_time=time(14, 30)
    )


@pytest.fixture
def pool(world):
    """Two supervisors of CS (teachers' branch), two of FL."""
    people = [
        world.secretary,
        world.member,
        world.fl_member,
        f.member(world.fl_branch, "督查员丁"),
    ]
    return [supervision.supervisor_add(actor=None, scope=SYSTEM, person=p) for p in people]


def test_draw_run_records_inputs_and_seed_and_verifies(world, pool, college_organizer, school_admin) -> None:
    ms = [
        meeting(o, date(2026, 12, d))
        for d in (3, 10, 17)
        for o in (world.cs_branch, world.cs_branch2, world.fl_branch)
    ]
    cancelled = meeting(world.fl_branch, date(2026, 12, 20))
    cancelled.status = MeetingStatus.CANCELLED
    cancelled.save()
    meeting(world.fl_branch, date(2027, 1, 5))  # outside the period
    user = f.user_for(world.fl_member, "fl_sup")
    draw = supervision.draw_run(
        actor=school_admin,
        scope=SYSTEM,
        scope_org=world.school,
        period_from=date(2026, 12, 1),
        period_to=date(2026, 12, 31),
        n=6,
        seed=123456789,
    )
    assert draw.seed == 123456789
    assert draw.inputs["candidates"] == [[m.pk, m.organization.path] for m in sorted(ms, key=lambda m: m.pk)]
    assert draw.inputs["supervisors"] == [[s.pk, s.home_org.path] for s in pool]
    assert draw.inputs["exclude"] == "college" and draw.inputs["max_per_supervisor"] == 3
    rows = list(
        Assignment.objects.filter(draw=draw).select_related("meeting__organization", "supervisor__home_org")
    )
    assert len(rows) + len(draw.inputs["unassigned"]) == 6
    for a in rows:
        assert college_path(a.supervisor.home_org.path) != college_path(a.meeting.organization.path)
    assert draw_verify(draw).ok
    event = AuditEvent.objects.get(action="orglife.supervision_draw")
    assert event.changes["seed"] == "123456789" and event.changes["candidates"] == 9
    if any(a.supervisor.person_id == world.fl_member.pk for a in rows):
        assert Notification.objects.filter(recipient=user, link__contains="/supervision/tasks/").exists()
    # A second draw with the same seed over the same period finds nothing left: drawn meetings stay drawn.
    again = supervision.draw_run(
        actor=None,
        scope=SYSTEM,
        scope_org=world.school,
        period_from=date(2026, 12, 1),
        period_to=date(2026, 12, 31),
        n=9,
        seed=123456789,
    )
    drawn_before = {a.meeting_id for a in rows}
    assert not drawn_before & {m for m, _b in again.inputs["candidates"]}


def test_a_tampered_draw_fails_verification(world, pool) -> None:
    for d in (3, 10):
        meeting(world.fl_branch, date(2026, 12, d))
    draw = supervision.draw_run(
        actor=None,
        scope=SYSTEM,
        scope_org=world.school,
        period_from=date(2026, 12, 1),
        period_to=date(2026, 12, 31),
        n=2,
    )
    assert 0 <= draw.seed < 2**62
    assert draw_verify(draw).ok
    a = Assignment.objects.filter(draw=draw).first()
    assert a is not None
    cs_sups = [s for s in pool if s.home_org_id == world.cs_branch.pk]
    a.supervisor = next(s for s in cs_sups if s.pk != a.supervisor_id)
    a.save()
    result = draw_verify(draw)
    assert not result.ok and result.missing and result.extra


def test_draw_with_rate_per_college(world, pool) -> None:
    for d in range(1, 11):
        meeting(world.cs_branch, date(2026, 12, d))
    for d in range(1, 4):
        meeting(world.fl_branch, date(2026, 12, d))
    draw = supervision.draw_run(
        actor=None,
        scope=SYSTEM,
        scope_org=world.school,
        period_from=date(2026, 12, 1),
        period_to=date(2026, 12, 31),
        rate_percent=25,
    )
    assert len(draw.inputs["picked"]) == 3 + 1  # ceil(2.5) of CS, ceil(0.75) of FL
    assert draw_verify(draw).ok


def test_branch_exclusion_by_policy(world, pool, settings) -> None:
    settings.DANGJIAN_POLICY = {
        "orglife_supervision_exclude": "branch",
        "orglife_supervision_max_per_supervisor": 1,
    }
    for d in (1, 2, 3, 4):
        meeting(world.cs_branch2, date(2026, 12, d))
    draw = supervision.draw_run(
        actor=None,
        scope=SYSTEM,
        scope_org=world.cs,
        period_from=date(2026, 12, 1),
        period_to=date(2026, 12, 31),
        n=4,
    )
    homes = set(Assignment.objects.filter(draw=draw).values_list("supervisor__home_org_id", flat=True))
    assert world.cs_branch.pk in homes  # same college, another branch: allowed with "branch"
    assert Assignment.objects.filter(draw=draw).count() == 4
    assert draw.inputs["exclude"] == "branch" and draw.inputs["max_per_supervisor"] == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n": None}, "n"),
        ({"n": 2, "rate_percent": 10}, "n"),
        ({"n": 0}, "n"),
        ({"n": 501}, "n"),
        ({"n": None, "rate_percent": 101}, "rate_percent"),
        ({"period_from": date(2027, 1, 1)}, "period_to"),
        ({"seed": -1}, "seed"),
        ({"period_from": date(2030, 1, 1), "period_to": date(2030, 2, 1)}, "period_from"),
    ],
)
def test_draw_input_rules(world, pool, kwargs, field) -> None:
    meeting(world.fl_branch, date(2026, 12, 3))
    args = {"period_from": date(2026, 12, 1), "period_to": date(2026, 12, 31), "n": 1, **kwargs}
    with pytest.raises(RuleViolation) as err:
        supervision.draw_run(actor=None, scope=SYSTEM, scope_org=world.school, **args)
    assert err.value.field == field
    assert not Draw.objects.exists()


def test_draw_scope_must_be_a_committee_covered_by_the_reviewer(world, pool, college_organizer) -> None:
    from dangjian.accounts.scope import resolve_scope

    meeting(world.fl_branch, date(2026, 12, 3))
    scope = resolve_scope(college_organizer)
    with pytest.raises(RuleViolation):
        supervision.draw_run(
            actor=college_organizer,
            scope=scope,
            scope_org=world.fl,
            period_from=date(2026, 12, 1),
            period_to=date(2026, 12, 31),
            n=1,
        )
    with pytest.raises(RuleViolation):
        supervision.draw_run(
            actor=college_organizer,
            scope=scope,
            scope_org=world.cs_branch,
            period_from=date(2026, 12, 1),
            period_to=date(2026, 12, 31),
            n=1,
        )


# ---- demo ----------------------------------------------------------------------------------------


@time_machine.travel("2026-12-20 10:00 +0800", tick=False)
def test_demo_builds_a_pool_a_verified_draw_feedback_and_problems(world) -> None:
    from dangjian.orglife.models import Feedback, Problem, ProblemStatus, Supervisor
    from dangjian.orglife.supervision.demo import seed_supervision

    today = date(2026, 12, 20)
    for i in range(12):
        extra = f.member(world.cs_branch2 if i % 2 else world.fl_branch, f"党员{i}")
        assert extra.pk
    for d in range(1, 80, 4):
        meeting(world.cs_branch, today - timedelta(days=d))
        meeting(world.fl_branch, today - timedelta(days=d + 1))
    f.user_for(world.member, "member")
    counts = seed_supervision(3, today=today)
    assert 4 <= counts["督查员"] <= 8 and Supervisor.objects.filter(person=world.member).exists()
    draw = Draw.objects.get()
    assert draw.seed == 3 and draw_verify(draw).ok
    assert counts["督查任务"] == Assignment.objects.count() > 0
    assert Feedback.objects.count() == counts["督查反馈"] >= counts["督查任务"] - 1
    statuses = set(Problem.objects.values_list("status", flat=True))
    assert counts["督查问题"] == Problem.objects.count()
    assert statuses == {ProblemStatus.OPEN, ProblemStatus.ANSWERED}
    assert seed_supervision(3, today=today)["督查员"] == 0  # runs once

"""The whole way from application to full membership, the order of steps, blocking and warning rules."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.core.models import Membership, MembershipType, Person, PoliticalStatus
from dangjian.kit.errors import RuleViolation
from dangjian.recruitment import services
from dangjian.recruitment.models import CaseStatus, Stage, StepDefinition
from tests import factories as f
from tests.recruitment.steps import shown_state

D = date
TODAY = D(2026, 11, 20)
VOTES = {"entitled": 20, "present": 15, "yes": 14, "no": 1, "abstain": 0}


@pytest.fixture
def student(world):
    return f.person("陈同学", organization=world.cs_branch2, birth=D(2003, 5, 1))


def record(case, code, on, **data):
    return services.step_record(
        actor=None, scope=Scope.system(), case=case, code=code, done_on=on, data=data, today=TODAY
    )


def test_the_25_steps_are_data(db) -> None:
    steps = list(StepDefinition.objects.values_list("number", "code"))
    assert (
        [n for n, _c in steps] == list(range(1, 26)) and steps[0][1] == "apply" and steps[-1][1] == "archive"
    )


def test_the_whole_way_from_application_to_full_membership(world, student) -> None:
    case = services.case_open(
        scope=Scope.system(), actor=None, person=student, branch=world.cs_branch2, applied_on=D(2023, 3, 1)
    )
    assert Person.objects.get(pk=student.pk).political_status == PoliticalStatus.APPLICANT
    record(case, "talk", D(2023, 3, 20))
    record(case, "activist", D(2023, 9, 1))
    assert Person.objects.get(pk=student.pk).political_status == PoliticalStatus.ACTIVIST
    record(case, "activist_filed", D(2023, 9, 10))
    record(case, "contacts", D(2023, 9, 10), contacts=[1, 2])
    record(case, "evaluation", D(2024, 3, 1))
    record(case, "evaluation", D(2024, 9, 1))  # repeatable
    record(case, "candidate", D(2024, 9, 2))
    record(case, "candidate_filed", D(2024, 9, 20), publicity_start="2024-09-09", publicity_end="2024-09-13")
    record(case, "introducers", D(2024, 9, 21), introducers=[1, 2])
    record(case, "political_review", D(2024, 10, 10))
    record(case, "training", D(2024, 10, 20), days=3, hours=24)
    record(case, "committee_review", D(2024, 11, 1))
    record(case, "prereview", D(2024, 11, 10))
    record(case, "application_form", D(2024, 11, 12))
    record(case, "branch_meeting", D(2024, 12, 1), **VOTES)
    record(case, "upper_talk", D(2024, 12, 10))
    record(case, "approval", D(2025, 1, 10))
    membership = Membership.objects.get(person=student)
    assert (membership.membership_type, membership.joined_on) == (MembershipType.PROBATIONARY, D(2024, 12, 1))
    for code, on in (
        ("approval_filed", D(2025, 1, 20)),
        ("assign_group", D(2025, 1, 20)),
        ("oath", D(2025, 2, 1)),
        ("probation_education", D(2025, 6, 1)),
        ("full_application", D(2025, 11, 20)),
    ):
        record(case, code, on)
    record(case, "full_meeting", D(2025, 12, 5), **VOTES)
    record(case, "full_approval", D(2026, 1, 10))
    record(case, "archive", D(2026, 1, 20))
    membership.refresh_from_db()
    case.refresh_from_db()
    assert (membership.membership_type, membership.full_on) == (
        MembershipType.FULL,
        D(2025, 12, 1),
    )  # 党龄 from the end of probation
    assert (case.stage, case.status) == (Stage.FULL, CaseStatus.ADMITTED)
    assert AuditEvent.objects.filter(action="recruitment.step").count() == 25
    assert not any(s.warnings for s in case.steps.all())


def test_under_18_cannot_apply(world) -> None:
    young = f.person("小明", organization=world.cs_branch2, birth=D(2009, 1, 1))
    with pytest.raises(RuleViolation, match="年满 18 岁"):
        services.case_open(
            scope=Scope.system(), actor=None, person=young, branch=world.cs_branch2, applied_on=D(2026, 11, 1)
        )


@pytest.fixture
def case(world, student):
    c = services.case_open(
        scope=Scope.system(), actor=None, person=student, branch=world.cs_branch2, applied_on=D(2025, 3, 1)
    )
    record(c, "talk", D(2025, 4, 15))  # late: a warning, not a refusal
    return c


def test_steps_go_in_order_and_warnings_are_kept(case) -> None:
    assert case.steps.get(step__code="talk").warnings
    with pytest.raises(RuleViolation, match="请先完成第 3 步"):
        record(case, "contacts", D(2025, 5, 1), contacts=[1])
    with pytest.raises(RuleViolation, match="已记录"):
        record(case, "talk", D(2025, 4, 16))


def test_a_blocking_rule_refuses_the_step_with_its_code(case) -> None:
    record(case, "activist", D(2025, 9, 1))
    record(case, "activist_filed", D(2025, 9, 5))
    record(case, "contacts", D(2025, 9, 5), contacts=[1])
    record(case, "evaluation", D(2026, 3, 1))
    with pytest.raises(RuleViolation, match="满一年") as exc:
        record(case, "candidate", D(2026, 8, 31))
    assert exc.value.code == "rule_activist_year"
    record(case, "candidate", D(2026, 9, 1))  # exactly one year: allowed


def test_an_inconsistent_vote_is_refused(world, student) -> None:
    c = services.case_open(
        scope=Scope.system(), actor=None, person=student, branch=world.cs_branch2, applied_on=D(2023, 3, 1)
    )
    for code, on, data in [
        ("talk", D(2023, 3, 5), {}),
        ("activist", D(2023, 4, 1), {}),
        ("activist_filed", D(2023, 4, 2), {}),
        ("contacts", D(2023, 4, 2), {"contacts": [1]}),
        ("evaluation", D(2023, 10, 2), {}),
        ("candidate", D(2024, 4, 2), {}),
        ("candidate_filed", D(2024, 4, 20), {"publicity_start": "2024-04-08", "publicity_end": "2024-04-12"}),
        ("introducers", D(2024, 4, 21), {"introducers": [1, 2]}),
        ("political_review", D(2024, 5, 1), {}),
        ("training", D(2024, 5, 2), {"hours": 24}),
        ("committee_review", D(2024, 5, 3), {}),
        ("prereview", D(2024, 5, 10), {}),
        ("application_form", D(2024, 5, 11), {}),
    ]:
        record(c, code, on, **dict(data))  # type: ignore[call-overload]
    with pytest.raises(RuleViolation, match="应等于实到人数"):
        record(c, "branch_meeting", D(2024, 6, 1), entitled=20, present=15, yes=10, no=1, abstain=0)
    with pytest.raises(RuleViolation, match="未超过"):
        record(c, "branch_meeting", D(2024, 6, 1), entitled=20, present=15, yes=10, no=5, abstain=0)
    record(c, "branch_meeting", D(2024, 6, 1), **VOTES)


def test_probation_is_extended_once_and_moves_the_end(world) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.recruitment.models import Case
    from dangjian.recruitment.selectors import progress

    p = f.member(world.cs_branch2, "预备甲", full=False, joined_on=D(2026, 3, 1))
    case = Case.objects.create(
        person=p, branch=world.cs_branch2, applied_on=D(2023, 3, 1), stage=Stage.PROBATIONARY
    )
    organizer = f.user_for(None, "org2", ("college_organizer", world.cs))
    secretary = f.user_for(None, "sec2", ("branch_secretary", world.cs_branch2))
    with pytest.raises(RuleViolation, match="上级党委批准"):
        services.probation_extend(
            actor=secretary, scope=resolve_scope(secretary), case=case, months=6, reason="考察"
        )
    with pytest.raises(RuleViolation, match="6 至 12"):
        services.probation_extend(
            actor=organizer, scope=resolve_scope(organizer), case=case, months=3, reason="考察"
        )
    services.probation_extend(
        actor=organizer, scope=resolve_scope(organizer), case=case, months=6, reason="需继续考察"
    )
    assert Membership.objects.get(person=p).probation_extended_months == 6
    with pytest.raises(RuleViolation, match="只能延长一次"):
        services.probation_extend(
            actor=organizer, scope=resolve_scope(organizer), case=case, months=6, reason="再次"
        )
    from dangjian.recruitment.models import StepRecord

    for n, code in enumerate(
        [
            "apply",
            "talk",
            "activist",
            "activist_filed",
            "contacts",
            "evaluation",
            "candidate",
            "candidate_filed",
            "introducers",
            "political_review",
            "training",
            "committee_review",
            "prereview",
            "application_form",
        ],
        start=1,
    ):
        StepRecord.objects.create(
            case=case, step=StepDefinition.objects.get(code=code), done_on=D(2025, 1, n)
        )
    for code in (
        "branch_meeting",
        "upper_talk",
        "approval",
        "approval_filed",
        "assign_group",
        "oath",
        "probation_education",
    ):
        StepRecord.objects.create(
            case=case, step=StepDefinition.objects.get(code=code), done_on=D(2026, 3, 1)
        )
    info = progress(Case.objects.get(pk=case.pk), D(2026, 11, 1))
    assert info.next_step is not None
    assert info.next_step.code == "full_application" and info.due == D(2027, 9, 1)  # 1 year + 6 months


def _up_to_candidate(world, student):
    case = services.case_open(
        scope=Scope.system(), actor=None, person=student, branch=world.cs_branch2, applied_on=D(2023, 3, 1)
    )
    for code, on, data in (
        ("talk", D(2023, 3, 20), {}),
        ("activist", D(2023, 9, 1), {}),
        ("activist_filed", D(2023, 9, 10), {}),
        ("contacts", D(2023, 9, 10), {"contacts": [1, 2]}),
        ("evaluation", D(2024, 3, 1), {}),
        ("candidate", D(2024, 9, 2), {}),
    ):
        record(case, code, on, **data)
    return case


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2024-09-09", "9999-12-31", "不能晚于开始日期后 60 天"),  # was a ValueError (a 500)
        ("2024-09-09", "2024-11-09", "不能晚于开始日期后 60 天"),  # 61 days: would count day by day
        ("2024-09-13", "2024-09-09", "不能早于开始日期"),
        ("2026-11-16", "2026-11-23", "不能晚于今天"),
    ],
)
def test_a_publicity_period_that_cannot_be_is_refused(world, student, start, end, message) -> None:
    case = _up_to_candidate(world, student)
    with pytest.raises(RuleViolation, match=message) as refused:
        record(case, "candidate_filed", D(2024, 9, 20), publicity_start=start, publicity_end=end)
    assert refused.value.field == "publicity_end"
    assert not case.steps.filter(step__code="candidate_filed").exists()


def test_a_far_publicity_end_on_the_form_is_a_field_error(world, student, login, college_organizer) -> None:
    case = _up_to_candidate(world, student)
    client = login(college_organizer)
    url = reverse("recruitment:step_new", args=[case.pk, "candidate_filed"])
    response = client.post(
        url,
        {
            "done_on": "2024-09-20",
            "publicity_start": "2024-09-09",
            "publicity_end": "9999-12-31",
            "expected_status": shown_state(client, url),
        },
    )
    assert response.status_code == 200
    assert "不能晚于开始日期后 60 天" in response.content.decode()


def test_open_cases_of_gives_each_persons_open_case_and_whether_a_step_is_done(world, student) -> None:
    """The selector other modules read (the 党校 at a class's close) instead of recruitment's models."""
    from dangjian.recruitment.selectors import open_cases_of

    case = _up_to_candidate(world, student)
    other = f.person("林同学", organization=world.cs_branch2, birth=D(2003, 5, 1))
    stopped = services.case_open(
        scope=Scope.system(), actor=None, person=other, branch=world.cs_branch2, applied_on=D(2026, 9, 1)
    )
    type(stopped).objects.filter(pk=stopped.pk).update(status=CaseStatus.STOPPED)
    assert open_cases_of([student.pk, other.pk, 999999]) == {student.pk: case}
    found = open_cases_of([student.pk], step_done="candidate")
    assert found[student.pk].step_done is True  # type: ignore[attr-defined]
    assert open_cases_of([student.pk], step_done="training")[student.pk].step_done is False  # type: ignore[attr-defined]


def test_the_case_keeps_its_last_step_as_steps_are_recorded(world, student) -> None:
    from django.db.models import Max

    case = services.case_open(
        scope=Scope.system(), actor=None, person=student, branch=world.cs_branch2, applied_on=D(2025, 3, 1)
    )
    assert case.last_step == 1
    record(case, "talk", D(2025, 3, 20))
    record(case, "activist", D(2025, 4, 1))
    case.refresh_from_db()
    highest = case.steps.aggregate(n=Max("step__number"))["n"]
    assert case.last_step == highest == StepDefinition.objects.get(code="activist").number


def test_a_school_may_make_a_warning_rule_block(settings, world, student) -> None:
    """``RECRUITMENT_CHECK_MODES``: the late talk that only warns by default refuses the step."""
    settings.RECRUITMENT_CHECK_MODES = {"talk": "block"}
    c = services.case_open(
        scope=Scope.system(), actor=None, person=student, branch=world.cs_branch2, applied_on=D(2025, 3, 1)
    )
    with pytest.raises(RuleViolation, match="一个月内") as exc:
        record(c, "talk", D(2025, 4, 15))
    assert exc.value.code == "rule_talk"
    record(c, "talk", D(2025, 3, 20))


def test_a_school_may_make_a_blocking_rule_warn(settings, case) -> None:
    settings.RECRUITMENT_CHECK_MODES = {"activist_year": "warn"}
    record(case, "activist", D(2025, 9, 1))
    record(case, "activist_filed", D(2025, 9, 5))
    record(case, "contacts", D(2025, 9, 5), contacts=[1])
    record(case, "evaluation", D(2026, 3, 1))
    early = record(case, "candidate", D(2026, 8, 31))  # a day short of the year: kept with a warning
    assert early.warnings and "满一年" in early.warnings[0]


def test_a_case_follows_its_member_only_for_a_scope_over_both_branches(
    world, student, outsider_organizer
) -> None:
    from dangjian.accounts.scope import Scope, resolve_scope

    case = services.case_open(
        scope=Scope.system(), actor=None, person=student, branch=world.cs_branch2, applied_on=D(2025, 3, 1)
    )
    with pytest.raises(RuleViolation) as exc:
        services.case_follow_member(
            actor=outsider_organizer,
            scope=resolve_scope(outsider_organizer),
            person=student,
            branch=world.fl_branch,
            on=TODAY,
        )
    assert exc.value.code == "out_of_scope"
    moved = services.case_follow_member(
        actor=None, scope=Scope.system(), person=student, branch=world.fl_branch, on=TODAY
    )
    assert moved is not None and moved.pk == case.pk and moved.branch_id == world.fl_branch.pk

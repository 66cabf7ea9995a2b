"""退回 and resubmission (the record keeps its history; the committee above sees the case again) and
取消预备党员资格 (branch resolution approved above; the membership leaves the roll, audited)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.core.models import Membership, Person, PoliticalStatus, Standing
from dangjian.kit.errors import RuleViolation
from dangjian.recruitment import selectors, services
from dangjian.recruitment.models import Case, CaseStatus, StepRecord
from tests import factories as f
from tests.recruitment.steps import advance, shown_state, state

D = date
TODAY = D(2026, 11, 20)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(D(2026, 11, 20), tick=False):
        yield


@pytest.fixture
def secretary2(world):
    from dangjian.core import services as core

    sec = f.member(world.cs_branch2, "支部书记乙", joined_on=D(2010, 7, 1), full_on=D(2011, 7, 1))
    core.position_assign(
        actor=None, person=sec, organization=world.cs_branch2, title="secretary", started_on=D(2024, 9, 1)
    )
    return f.user_for(sec, "secretary2")


@pytest.fixture
def activist_case(world):
    p = f.person("陈同学", organization=world.cs_branch2, birth=D(2003, 5, 1))
    case = services.case_open(
        scope=Scope.system(), actor=None, person=p, branch=world.cs_branch2, applied_on=D(2026, 9, 1)
    )
    services.step_record(
        actor=None, scope=Scope.system(), case=case, code="talk", done_on=D(2026, 9, 10), today=TODAY
    )
    services.step_record(
        actor=None,
        scope=Scope.system(),
        case=case,
        code="activist",
        done_on=D(2026, 11, 1),
        resolution="推优",
        today=TODAY,
    )
    return case


def _queue(client) -> str:
    return client.get(reverse("recruitment:queue") + "?step=activist_filed").content.decode()


def test_return_correct_and_resubmit_round_trip(activist_case, login, college_organizer, secretary2) -> None:
    upper, branch = login(college_organizer), login(secretary2)
    case = activist_case
    assert "陈同学" in _queue(upper)
    url = reverse("recruitment:return", args=[case.pk])
    response = upper.post(url, {"reason": "缺推优材料", "expected_status": shown_state(upper, url)})
    assert response.status_code == 302
    record = StepRecord.objects.get(case=case, step__code="activist")
    assert record.returned_at is not None and record.return_reason == "缺推优材料"
    # The committee no longer sees it; the branch cannot go on, only correct it.
    assert "陈同学" not in _queue(upper)
    with pytest.raises(RuleViolation, match="已被上级党委退回"):
        services.step_record(
            actor=None, scope=Scope.system(), case=case, code="activist_filed", done_on=TODAY, today=TODAY
        )
    page = branch.get(reverse("recruitment:case", args=[case.pk])).content.decode()
    assert "缺推优材料" in page and reverse("recruitment:resubmit", args=[case.pk, record.pk]) in page
    info = selectors.progress(Case.objects.get(pk=case.pk), TODAY)
    assert info.next_step is not None
    assert info.next_step.code == "activist" and info.note == "returned" and not info.overdue
    url = reverse("recruitment:resubmit", args=[case.pk, record.pk])
    response = branch.post(
        url,
        {
            "done_on": "2026-11-03",
            "resolution": "推优，材料已补",
            "expected_status": shown_state(branch, url),
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.done_on, record.resolution, record.returned_at) == (D(2026, 11, 3), "推优，材料已补", None)
    assert [(r["done_on"], r["resolution"], r["return_reason"]) for r in record.revisions] == [
        ("2026-11-01", "推优", "缺推优材料")
    ]
    assert "陈同学" in _queue(upper)  # before the committee again
    page = upper.get(reverse("recruitment:case", args=[case.pk])).content.decode()
    assert "曾于 2026-11-01 提交" in page
    actions = list(
        AuditEvent.objects.filter(action__startswith="recruitment.step_r")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["recruitment.step_return", "recruitment.step_resubmit"]
    services.step_record(
        actor=None, scope=Scope.system(), case=case, code="activist_filed", done_on=TODAY, today=TODAY
    )


def test_the_committee_returns_a_batch_from_its_queue(world, activist_case, login, college_organizer) -> None:
    client = login(college_organizer)
    response = client.post(
        reverse("recruitment:queue") + "?step=activist_filed",
        {
            "case": [activist_case.pk],
            "action": "return",
            "resolution": "请补充支委会记录",
            f"expected_status_{activist_case.pk}": state(activist_case),
        },
    )
    assert response.status_code == 302
    assert (
        StepRecord.objects.get(case=activist_case, step__code="activist").return_reason == "请补充支委会记录"
    )


def test_only_the_branchs_latest_submission_before_an_upper_step_can_be_returned(
    world, activist_case
) -> None:
    services.step_record(
        actor=None,
        scope=Scope.system(),
        case=activist_case,
        code="activist_filed",
        done_on=TODAY,
        today=TODAY,
    )
    with pytest.raises(RuleViolation, match="没有可退回"):  # the next step (contacts) is the branch's
        services.step_return(actor=None, scope=Scope.system(), case=activist_case, reason="x")
    with pytest.raises(RuleViolation, match="退回原因"):
        services.step_return(actor=None, scope=Scope.system(), case=activist_case, reason=" ")


def test_a_resubmission_runs_the_rules_again(world) -> None:
    p = f.person("王同学", organization=world.cs_branch2, birth=D(2000, 1, 1))
    case = services.case_open(
        scope=Scope.system(), actor=None, person=p, branch=world.cs_branch2, applied_on=D(2024, 1, 1)
    )
    advance(case, "evaluation", today=TODAY)
    activist_on = StepRecord.objects.get(case=case, step__code="activist").done_on
    services.step_record(
        actor=None, scope=Scope.system(), case=case, code="candidate", done_on=D(2025, 12, 1), today=TODAY
    )
    record = services.step_return(actor=None, scope=Scope.system(), case=case, reason="公示材料不全")
    with pytest.raises(RuleViolation, match="满一年"):  # a blocking rule blocks the correction too
        services.step_resubmit(
            actor=None, scope=Scope.system(), record=record, done_on=activist_on, today=TODAY
        )
    services.step_resubmit(
        actor=None, scope=Scope.system(), record=record, done_on=D(2025, 12, 2), today=TODAY
    )
    with pytest.raises(RuleViolation, match="没有被退回"):
        services.step_resubmit(
            actor=None, scope=Scope.system(), record=record, done_on=D(2025, 12, 2), today=TODAY
        )


def test_outsiders_get_404_on_return_and_resubmit(
    activist_case, login, outsider_organizer, member_user, secretary2
) -> None:
    case = activist_case
    for user in (outsider_organizer, member_user, secretary2):  # the branch cannot return its own step
        assert (
            login(user).post(reverse("recruitment:return", args=[case.pk]), {"reason": "x"}).status_code
            == 404
        )
    record = services.step_return(actor=None, scope=Scope.system(), case=case, reason="退回")
    url = reverse("recruitment:resubmit", args=[case.pk, record.pk])
    for user in (outsider_organizer, member_user):
        assert login(user).post(url, {"done_on": "2026-11-03"}).status_code == 404
    record.refresh_from_db()
    assert record.returned_at is not None and not record.revisions


# ---------------------------------------------------------------- 取消预备党员资格


@pytest.fixture
def probationer(world):
    p = f.person("预备丙", organization=world.cs_branch2, birth=D(2000, 1, 1))
    case = services.case_open(
        scope=Scope.system(), actor=None, person=p, branch=world.cs_branch2, applied_on=D(2024, 1, 1)
    )
    advance(case, "assign_group", today=TODAY)
    return Case.objects.get(pk=case.pk)


def test_cancelling_probation_ends_the_membership_and_the_case(
    world, probationer, login, college_organizer
) -> None:
    membership = Membership.objects.get(person=probationer.person)
    url = reverse("recruitment:cancel", args=[probationer.pk])
    assert (
        "取消预备党员资格"
        in login(college_organizer).get(reverse("recruitment:case", args=[probationer.pk])).content.decode()
    )
    client = login(college_organizer)
    response = client.post(
        url,
        {
            "resolved_on": "2026-11-10",
            "approved_on": "2026-11-18",
            "reason": "不履行党员义务",
            "expected_status": shown_state(client, url),
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    case = Case.objects.get(pk=probationer.pk)
    assert membership.standing == Standing.PROBATION_CANCELLED and membership.standing_since == D(
        2026, 11, 18
    )
    assert "取消预备党员资格" in membership.standing_note
    assert Person.objects.get(pk=probationer.person_id).political_status == PoliticalStatus.MASSES
    assert (case.status, case.closed_on, case.close_reason) == (
        CaseStatus.STOPPED,
        D(2026, 11, 18),
        "不履行党员义务",
    )
    event = AuditEvent.objects.get(action="recruitment.cancel_probation")
    assert event.changes["reason"] == "不履行党员义务"
    assert AuditEvent.objects.filter(action="membership.change_standing").exists()
    with pytest.raises(RuleViolation, match="已结束"):
        services.step_record(
            actor=None, scope=Scope.system(), case=case, code="oath", done_on=TODAY, today=TODAY
        )


def test_cancelling_needs_the_committee_above_and_a_probationer(
    world, probationer, activist_case, login, secretary2, outsider_organizer, member_user
) -> None:
    data = {"resolved_on": "2026-11-10", "approved_on": "2026-11-18", "reason": "x"}
    for user in (secretary2, outsider_organizer, member_user):
        assert login(user).post(reverse("recruitment:cancel", args=[probationer.pk]), data).status_code == 404
    assert Case.objects.get(pk=probationer.pk).status == CaseStatus.OPEN
    with pytest.raises(RuleViolation, match="只有预备党员"):
        services.probation_cancel(
            actor=None,
            scope=Scope.system(),
            case=activist_case,
            resolved_on=TODAY,
            approved_on=TODAY,
            reason="x",
        )
    with pytest.raises(RuleViolation, match="不能早于支部大会决议"):
        services.probation_cancel(
            actor=None,
            scope=Scope.system(),
            case=probationer,
            resolved_on=TODAY,
            approved_on=D(2026, 11, 1),
            reason="x",
        )


def test_to_dos_follow_a_return(world, activist_case, college_organizer, secretary2) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.workbench.todos import todos_for

    def titles(user) -> list[str]:
        return [i.title for i in todos_for(user, resolve_scope(user)) if i.source == "recruitment"]

    assert any("待上级党委办理" in t for t in titles(college_organizer))
    services.step_return(actor=None, scope=Scope.system(), case=activist_case, reason="缺材料")
    assert not any("待上级党委办理" in t for t in titles(college_organizer))
    assert any("被上级党委退回" in t for t in titles(secretary2))


def test_the_form_pages_render(
    world, activist_case, probationer, login, college_organizer, secretary2
) -> None:
    upper, branch = login(college_organizer), login(secretary2)
    record = StepRecord.objects.get(case=activist_case, step__code="activist")
    assert (
        "退回“推荐和确定入党积极分子”"
        in upper.get(reverse("recruitment:return", args=[activist_case.pk])).content.decode()
    )
    assert upper.get(reverse("recruitment:cancel", args=[probationer.pk])).status_code == 200
    assert (
        upper.get(reverse("recruitment:cancel", args=[activist_case.pk])).status_code == 404
    )  # not a probationer
    assert branch.get(reverse("recruitment:resubmit", args=[activist_case.pk, record.pk])).status_code == 404
    services.step_return(actor=None, scope=Scope.system(), case=activist_case, reason="缺材料")
    page = branch.get(reverse("recruitment:resubmit", args=[activist_case.pk, record.pk])).content.decode()
    assert "退回原因：缺材料" in page and 'value="推优"' in page
    assert (
        branch.get(reverse("recruitment:document_add", args=[activist_case.pk, record.pk])).status_code == 200
    )
    assert branch.get(reverse("recruitment:import")).status_code == 200


def test_an_outsider_cannot_return_from_their_queue(world, activist_case, login, outsider_organizer) -> None:
    login(outsider_organizer).post(
        reverse("recruitment:queue") + "?step=activist_filed",
        {"case": [activist_case.pk], "action": "return", "resolution": "x"},
    )
    assert not StepRecord.objects.filter(returned_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="recruitment.step_return").exists()


def test_a_return_reason_longer_than_its_field_is_refused(activist_case, login, college_organizer) -> None:
    """The batch form sends the reason unchecked: the service refuses 301 characters (a DataError on
    PostgreSQL before) and the queue says so; 300 are kept."""
    with pytest.raises(RuleViolation, match="退回原因不能超过 300 个字") as refused:
        services.step_return(actor=None, scope=Scope.system(), case=activist_case, reason="长" * 301)
    assert refused.value.field == "reason"
    response = login(college_organizer).post(
        reverse("recruitment:queue") + "?step=activist_filed",
        {
            "case": [activist_case.pk],
            "action": "return",
            "resolution": "长" * 301,
            f"expected_status_{activist_case.pk}": state(activist_case),
        },
        follow=True,
    )
    assert "退回原因不能超过 300 个字" in response.content.decode()
    record = StepRecord.objects.get(case=activist_case, step__code="activist")
    assert record.returned_at is None
    services.step_return(actor=None, scope=Scope.system(), case=activist_case, reason="长" * 300)
    record.refresh_from_db()
    assert record.return_reason == "长" * 300


def test_a_resolution_longer_than_its_field_is_refused(activist_case) -> None:
    with pytest.raises(RuleViolation, match="结论不能超过 300 个字") as refused:
        services.step_record(
            actor=None,
            scope=Scope.system(),
            case=activist_case,
            code="activist_filed",
            done_on=TODAY,
            resolution="长" * 301,
            today=TODAY,
        )
    assert refused.value.field == "resolution"
    record = StepRecord.objects.get(case=activist_case, step__code="activist")
    services.step_return(actor=None, scope=Scope.system(), case=activist_case, reason="补材料")
    with pytest.raises(RuleViolation, match="结论不能超过 300 个字"):
        services.step_resubmit(
            actor=None, scope=Scope.system(), record=record, done_on=TODAY, resolution="长" * 301, today=TODAY
        )


def test_a_long_cancel_reason_is_refused_and_the_membership_note_fits(world, probationer) -> None:
    with pytest.raises(RuleViolation, match="终止原因不能超过 300 个字"):
        services.probation_cancel(
            actor=None,
            scope=Scope.system(),
            case=probationer,
            resolved_on=D(2026, 11, 10),
            approved_on=D(2026, 11, 18),
            reason="长" * 301,
            today=TODAY,
        )
    services.probation_cancel(
        actor=None,
        scope=Scope.system(),
        case=probationer,
        resolved_on=D(2026, 11, 10),
        approved_on=D(2026, 11, 18),
        reason="长" * 300,
        today=TODAY,
    )
    membership = Membership.objects.get(person=probationer.person)
    assert len(membership.standing_note) <= 200 and membership.standing_note.startswith("取消预备党员资格")
    assert Case.objects.get(pk=probationer.pk).close_reason == "长" * 300


def test_a_queue_id_that_is_not_an_ascii_number_is_ignored(activist_case, login, college_organizer) -> None:
    """ "²" is a digit to str.isdigit() but not to int(): the queue answered with a 500."""
    response = login(college_organizer).post(
        reverse("recruitment:queue") + "?step=activist_filed",
        {
            "case": ["²", str(activist_case.pk)],
            "action": "return",
            "resolution": "请补充材料",
            f"expected_status_{activist_case.pk}": state(activist_case),
        },
    )
    assert response.status_code == 302
    assert StepRecord.objects.get(case=activist_case, step__code="activist").return_reason == "请补充材料"

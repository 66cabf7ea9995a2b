"""Transfers: 校内 (branch → college → receiving college, membership moves), 转出 (letter, 回执),
each step by its own side, rejection, withdrawal, one open transfer per member."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.core.models import Membership, Person, Standing
from dangjian.kit.errors import RuleViolation
from dangjian.transfers import services
from dangjian.transfers.models import Letter, TransferStatus

S = TransferStatus


def scope(user):
    return resolve_scope(user)


@pytest.fixture
def in_school(world, member_user):
    return services.transfer_start(
        scope=Scope.system(),
        actor=member_user,
        person=world.member,
        kind="in_school",
        reason="调入外国语学院工作",
        to_college=world.fl,
    )


def test_in_school_transfer_moves_the_membership(
    world, in_school, branch_secretary, college_organizer, fl_organizer
) -> None:
    t = services.transfer_approve(actor=branch_secretary, scope=scope(branch_secretary), transfer=in_school)
    assert t.status == S.BRANCH_APPROVED
    t = services.transfer_approve(actor=college_organizer, scope=scope(college_organizer), transfer=t)
    assert t.status == S.COLLEGE_APPROVED
    t = services.transfer_accept(
        actor=fl_organizer, scope=scope(fl_organizer), transfer=t, branch=world.fl_branch
    )
    assert t.status == S.COMPLETED and t.to_org == world.fl_branch
    membership = Membership.objects.get(person=world.member)
    assert membership.organization == world.fl_branch
    assert Person.objects.get(pk=world.member.pk).organization == world.fl_branch
    orgs = [h.organization_id for h in membership.history.order_by("history_date")]
    assert orgs[0] == world.cs_branch.pk and orgs[-1] == world.fl_branch.pk  # history shows both branches
    assert [e.action for e in t.events.all()] == ["start", "approve", "approve", "accept"]


def test_each_side_acts_only_on_its_own_steps(
    world, in_school, branch_secretary, college_organizer, fl_organizer
) -> None:
    with pytest.raises(RuleViolation, match="转出支部"):
        services.transfer_approve(actor=fl_organizer, scope=scope(fl_organizer), transfer=in_school)
    services.transfer_approve(actor=branch_secretary, scope=scope(branch_secretary), transfer=in_school)
    with pytest.raises(RuleViolation, match="转出方的院系"):
        services.transfer_approve(actor=branch_secretary, scope=scope(branch_secretary), transfer=in_school)
    with pytest.raises(RuleViolation, match="转出方的院系"):
        services.transfer_approve(actor=fl_organizer, scope=scope(fl_organizer), transfer=in_school)
    services.transfer_approve(actor=college_organizer, scope=scope(college_organizer), transfer=in_school)
    with pytest.raises(RuleViolation, match="接收方"):
        services.transfer_accept(
            actor=college_organizer,
            scope=scope(college_organizer),
            transfer=in_school,
            branch=world.fl_branch,
        )
    with pytest.raises(RuleViolation, match="接收党组织下的党支部"):
        services.transfer_accept(
            actor=fl_organizer, scope=scope(fl_organizer), transfer=in_school, branch=world.cs_branch
        )


def test_one_open_transfer_per_member(world, in_school, member_user) -> None:
    with pytest.raises(RuleViolation, match="正在办理"):
        services.transfer_start(
            scope=Scope.system(),
            actor=member_user,
            person=world.member,
            kind="out_national",
            reason="x",
            external_org="某单位党委",
        )


def test_reject_and_withdraw(world, in_school, member_user, branch_secretary) -> None:
    with pytest.raises(RuleViolation):
        services.transfer_reject(
            actor=branch_secretary, scope=scope(branch_secretary), transfer=in_school, reason=""
        )
    t = services.transfer_reject(
        actor=branch_secretary, scope=scope(branch_secretary), transfer=in_school, reason="材料不全"
    )
    assert t.status == S.REJECTED
    again = services.transfer_start(
        scope=Scope.system(),
        actor=member_user,
        person=world.member,
        kind="in_school",
        reason="再次申请",
        to_college=world.fl,
    )
    with pytest.raises(RuleViolation, match="申请人"):
        services.transfer_withdraw(actor=branch_secretary, scope=scope(branch_secretary), transfer=again)
    withdrawn = services.transfer_withdraw(actor=member_user, scope=scope(member_user), transfer=again)
    assert withdrawn.status == S.WITHDRAWN


@pytest.fixture
def out_national(world, branch_secretary, college_organizer):
    t = services.transfer_start(
        scope=Scope.system(),
        actor=branch_secretary,
        person=world.member,
        kind="out_national",
        reason="毕业就业",
        external_org="中共某市某公司委员会",
    )
    services.transfer_approve(actor=branch_secretary, scope=scope(branch_secretary), transfer=t)
    return services.transfer_approve(actor=college_organizer, scope=scope(college_organizer), transfer=t)


def test_outgoing_transfer_issues_a_letter_and_completes_on_the_receipt(
    world, out_national, college_organizer
) -> None:
    letter = Letter.objects.get(transfer=out_national)
    assert letter.serial == f"CS-{letter.year}-0001" and letter.issuing_org == world.cs
    assert (
        Membership.objects.get(person=world.member).standing == Standing.NORMAL
    )  # still ours until the 回执
    t = services.transfer_complete(
        actor=college_organizer,
        scope=scope(college_organizer),
        transfer=out_national,
        receipt_on=date.today(),
    )
    assert t.status == S.COMPLETED
    assert Membership.objects.get(person=world.member).standing == Standing.TRANSFERRED_OUT


def test_a_reissued_letter_takes_a_new_serial_and_the_old_stays_void(
    world, out_national, college_organizer
) -> None:
    old = Letter.objects.get(transfer=out_national)
    new = services.letter_reissue(
        actor=college_organizer, scope=scope(college_organizer), letter=old, reason="已过期"
    )
    old.refresh_from_db()
    assert old.voided_at is not None and new.number == old.number + 1 and new.serial != old.serial


@pytest.mark.parametrize("who", ["branch_secretary", "outsider_organizer"])
def test_only_the_issuing_side_reissues_a_letter_as_its_button_says(
    world, out_national, who, request
) -> None:
    """The service asks the one predicate the reissue button asks (``access.may_reissue``)."""
    from dangjian.transfers import access

    user = request.getfixturevalue(who)
    old = Letter.objects.get(transfer=out_national)
    assert not access.may_reissue(scope(user), old)
    with pytest.raises(RuleViolation, match="这封介绍信不能重开"):
        services.letter_reissue(actor=user, scope=scope(user), letter=old, reason="x")
    old.refresh_from_db()
    assert old.voided_at is None and Letter.objects.filter(transfer=out_national).count() == 1


def test_letter_validity_is_within_the_policy_range(world, out_national, college_organizer) -> None:
    old = Letter.objects.get(transfer=out_national)
    with pytest.raises(RuleViolation, match="有效期"):
        services.letter_reissue(
            actor=college_organizer, scope=scope(college_organizer), letter=old, reason="x", valid_days=200
        )


def test_dues_paid_up_to_comes_from_the_ledger(world, branch_secretary, college_organizer) -> None:
    from decimal import Decimal

    from dangjian.accounts.scope import Scope
    from dangjian.dues import services as dues
    from dangjian.dues.billing import bills_generate

    dues.assessment_set(
        actor=None,
        scope=Scope.system(),
        person=world.member,
        from_month=date(2026, 9, 1),
        category="employee",
        base=Decimal("5000"),
    )
    for m in (9, 10, 11):
        bills_generate(date(2026, m, 1))
    dues.payment_record(
        actor=None,
        scope=Scope.system(),
        person=world.member,
        months=[date(2026, 9, 1), date(2026, 10, 1)],
        method="cash",
        today=date(2026, 11, 5),
    )
    t = services.transfer_start(
        scope=Scope.system(),
        actor=branch_secretary,
        person=world.member,
        kind="out_province",
        reason="调动",
        external_org="省内某单位党支部",
    )
    services.transfer_approve(actor=branch_secretary, scope=scope(branch_secretary), transfer=t)
    services.transfer_approve(actor=college_organizer, scope=scope(college_organizer), transfer=t)
    assert Letter.objects.get(transfer=t).dues_paid_to == date(2026, 10, 1)


def test_to_dos_for_each_side_and_the_overdue_receipt_warning(
    world, out_national, branch_secretary, college_organizer
) -> None:
    import time_machine

    from dangjian.workbench.todos import todos_for

    assert not [i for i in todos_for(branch_secretary, scope(branch_secretary)) if i.source == "transfers"]
    with time_machine.travel(date.today() + timedelta(days=70), tick=False):
        items = [i for i in todos_for(college_organizer, scope(college_organizer)) if i.source == "transfers"]
    assert any("未收到回执" in i.title and i.severity == "danger" for i in items)


def test_a_new_request_is_waiting_for_the_branch(world, member_user, branch_secretary) -> None:
    from dangjian.workbench.todos import todos_for

    services.transfer_start(
        scope=Scope.system(),
        actor=member_user,
        person=world.member,
        kind="in_school",
        reason="x",
        to_college=world.fl,
    )
    items = [i for i in todos_for(branch_secretary, scope(branch_secretary)) if i.source == "transfers"]
    assert [i.count for i in items] == [1]


def test_monthly_counts_per_college(
    world, in_school, branch_secretary, college_organizer, fl_organizer, school_admin
) -> None:
    from dangjian.transfers.selectors import monthly_counts

    services.transfer_approve(actor=branch_secretary, scope=scope(branch_secretary), transfer=in_school)
    services.transfer_approve(actor=college_organizer, scope=scope(college_organizer), transfer=in_school)
    services.transfer_accept(
        actor=fl_organizer, scope=scope(fl_organizer), transfer=in_school, branch=world.fl_branch
    )
    stats = monthly_counts(scope(school_admin))
    rows = {org.code: counts for org, counts in stats["rows"]}
    assert rows["CS"][-1] == 1 and rows["FL"][-1] == 1  # sent by CS, received by FL, this month


def test_a_completed_transfer_ends_a_graduate_keep(world, college_organizer, branch_secretary) -> None:
    from dangjian.transfers.models import GraduateKeep

    services.graduate_keep(
        actor=college_organizer, scope=scope(college_organizer), person=world.member, reason="待就业"
    )
    t = services.transfer_start(
        scope=Scope.system(),
        actor=branch_secretary,
        person=world.member,
        kind="out_national",
        reason="就业",
        external_org="某公司党委",
    )
    services.transfer_approve(actor=branch_secretary, scope=scope(branch_secretary), transfer=t)
    services.transfer_approve(actor=college_organizer, scope=scope(college_organizer), transfer=t)
    services.transfer_complete(
        actor=college_organizer, scope=scope(college_organizer), transfer=t, receipt_on=date.today()
    )
    assert GraduateKeep.objects.get(person=world.member).ended_on == date.today()


def test_an_open_recruitment_case_follows_the_member(
    world, in_school, branch_secretary, college_organizer, fl_organizer
) -> None:
    from dangjian.recruitment.models import Case

    case = Case.objects.create(
        person=world.member, branch=world.cs_branch, applied_on=date(2024, 3, 1), stage="probationary"
    )
    services.transfer_approve(actor=branch_secretary, scope=scope(branch_secretary), transfer=in_school)
    services.transfer_approve(actor=college_organizer, scope=scope(college_organizer), transfer=in_school)
    services.transfer_accept(
        actor=fl_organizer, scope=scope(fl_organizer), transfer=in_school, branch=world.fl_branch
    )
    case.refresh_from_db()
    assert case.branch == world.fl_branch and case.applied_on == date(2024, 3, 1)
    # Moved by recruitment's own service (the reaction to membership_moved), audited at both branches.
    from dangjian.audit.models import AuditEvent

    follows = AuditEvent.objects.filter(action="recruitment.case_follow", target_id=str(case.pk))
    assert {e.org_path for e in follows} == {world.cs_branch.path, world.fl_branch.path}


def test_monthly_counts_show_the_busiest_colleges_and_total_them_all(
    world, in_school, branch_secretary, college_organizer, fl_organizer, school_admin
) -> None:
    from dangjian.transfers.selectors import monthly_counts

    services.transfer_approve(actor=branch_secretary, scope=scope(branch_secretary), transfer=in_school)
    services.transfer_approve(actor=college_organizer, scope=scope(college_organizer), transfer=in_school)
    services.transfer_accept(
        actor=fl_organizer, scope=scope(fl_organizer), transfer=in_school, branch=world.fl_branch
    )
    everyone = monthly_counts(scope(school_admin))
    assert everyone["left_out"] == 0 and everyone["totals"][-1] == 2
    one = monthly_counts(scope(school_admin), limit=1)
    assert len(one["rows"]) == 1 and one["left_out"] == 1
    assert one["totals"] == everyone["totals"]  # the colleges left out still count in the total

"""志愿服务's services: sign-up within the audience and the places (the last place goes once), double
clicks, cancelling, the QR check-in (forged, expired, another activity's or a meeting's code refused;
walk-ins while places remain), the hours correction, the 补录 of someone who did not sign up (within
the audience and the organizer's scope, once, within the length), cancel and finish, each audited."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from dangjian.audit.models import AuditEvent
from dangjian.kit import rotating_codes
from dangjian.kit.errors import NotFound, RuleViolation, StaleState
from dangjian.volunteer import checkin, selectors, services
from dangjian.volunteer.models import SignUp
from dangjian.volunteer.rules import ActivityStatus, CheckinMethod
from dangjian.workbench.models import Notification
from tests import factories as f
from tests.volunteer.conftest import END, START, SYSTEM, as_person


def _sign(activity, person, **kw):
    return services.signup_create(actor=None, scope=as_person(person), activity=activity, **kw)


def _scan(activity, person, at, shown_at=None):
    token = checkin.make_token(activity, shown_at or at)
    return services.checkin_scan(actor=None, scope=as_person(person), token=token, now=at)


def test_a_member_signs_up_once_and_it_is_audited(world, make_activity) -> None:
    activity = make_activity()
    first = _sign(activity, world.member)
    again = _sign(activity, world.member)  # a double click
    assert first.pk == again.pk
    assert SignUp.objects.filter(activity=activity).count() == 1
    assert AuditEvent.objects.filter(action="volunteer.signup_create").count() == 1


def test_the_last_place_goes_once_and_the_next_hears_full(world, make_activity) -> None:
    activity = make_activity(places=2)
    third = f.member(world.cs_branch, "周全")
    _sign(activity, world.member)
    _sign(activity, world.secretary)
    with pytest.raises(RuleViolation, match="名额已满"):
        _sign(activity, third)
    assert selectors.taken(activity) == 2


def test_a_cancelled_place_can_be_taken_again(world, make_activity) -> None:
    activity = make_activity(places=1)
    _sign(activity, world.member)
    services.signup_cancel(actor=None, scope=as_person(world.member), activity=activity)
    _sign(activity, world.secretary)
    with pytest.raises(RuleViolation, match="名额已满"):
        _sign(activity, world.member)


def test_the_service_counts_under_the_activitys_row_lock(
    world, make_activity, django_assert_num_queries
) -> None:
    """The count of places taken runs after SELECT … FOR UPDATE of the activity (the race's guard)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    activity = make_activity(places=5)
    with CaptureQueriesContext(connection) as ctx:
        _sign(activity, world.member)
    sqls = [q["sql"] for q in ctx.captured_queries]
    lock = next(i for i, s in enumerate(sqls) if 'FROM "volunteer_activity"' in s and "WHERE" in s and i > 0)
    count = next(i for i, s in enumerate(sqls) if "COUNT(" in s and "volunteer_signup" in s)
    assert lock < count


def test_outside_the_audience_is_not_found_or_refused_in_chinese(world, make_activity) -> None:
    activity = make_activity()
    with pytest.raises(NotFound):
        _sign(activity, world.fl_member)  # another college: the activity does not exist for them
    college_wide = make_activity(world.cs)  # the college's activity: the branch's members are in it
    assert _sign(college_wide, world.member).pk
    school = make_activity(world.cs_branch, audience="school")
    assert _sign(school, world.fl_member).pk  # a school-wide activity is open to every member
    outsider = f.person("群众甲", organization=world.cs_branch)
    with pytest.raises(NotFound):
        _sign(school, outsider)  # not a member: no activity is shown to them
    # An organizer of the college whose own membership is elsewhere sees the branch's activity, and is
    # told why they may not sign up.
    from dangjian.accounts.roles import Role
    from dangjian.accounts.scope import resolve_scope

    user = f.user_for(world.fl_member, "fl_organizer_of_cs", (Role.COLLEGE_ORGANIZER, world.cs))
    with pytest.raises(RuleViolation, match="仅面向计算机学院教工第一党支部的党员"):
        services.signup_create(actor=user, scope=resolve_scope(user), activity=activity)


def test_a_draft_cannot_be_signed_up_for(world, make_activity) -> None:
    draft = make_activity(publish=False)
    with pytest.raises(NotFound):
        _sign(draft, world.member)


def test_cancel_before_the_start_only(world, make_activity) -> None:
    activity = make_activity()
    _sign(activity, world.member)
    with time_machine.travel(START, tick=False), pytest.raises(RuleViolation, match="已开始"):
        services.signup_cancel(actor=None, scope=as_person(world.member), activity=activity)
    with pytest.raises(RuleViolation, match="没有报名"):
        services.signup_cancel(actor=None, scope=as_person(world.secretary), activity=activity)


def test_check_in_by_the_code_grants_the_hours_once(world, make_activity) -> None:
    activity = make_activity()
    _sign(activity, world.member)
    signup, created = _scan(activity, world.member, START)
    again, created_again = _scan(activity, world.member, START + timedelta(minutes=5))
    assert created and not created_again
    assert signup.hours_granted == Decimal("3") and signup.checkin_method == CheckinMethod.SCAN
    assert again.checked_in_at == signup.checked_in_at
    assert AuditEvent.objects.filter(action="volunteer.checkin").count() == 1


def test_a_walk_in_takes_a_remaining_place_and_is_refused_when_full(world, make_activity) -> None:
    activity = make_activity(places=2)
    _sign(activity, world.member)
    walk_in, created = _scan(activity, world.secretary, START)
    assert created and walk_in.signed_at == START
    late = f.member(world.cs_branch, "迟到者")
    with pytest.raises(RuleViolation, match="名额已满"):
        _scan(activity, late, START)
    with pytest.raises(RuleViolation, match="仅面向"):
        _scan(make_activity(places=9), world.fl_member, START)


@pytest.mark.parametrize(
    ("token", "code"),
    [("forged", "checkin_invalid"), ("", "checkin_invalid")],
)
def test_a_forged_code_is_refused(world, make_activity, token, code) -> None:
    make_activity()
    with pytest.raises(RuleViolation) as exc:
        services.checkin_scan(actor=None, scope=as_person(world.member), token=token, now=START)
    assert exc.value.code == code


def test_an_expired_code_is_refused(world, make_activity) -> None:
    activity = make_activity()
    with pytest.raises(RuleViolation) as exc:
        _scan(activity, world.member, START + timedelta(minutes=10), shown_at=START)
    assert exc.value.code == "checkin_expired"


def test_another_activitys_code_checks_in_to_that_activity_only(world, make_activity) -> None:
    one, other = make_activity(), make_activity(title="另一场")
    _sign(one, world.member)
    signup, _ = _scan(other, world.member, START)  # the code names ``other``: a walk-in there
    assert signup.activity_id == other.pk
    assert SignUp.objects.get(activity=one, person=world.member).checked_in_at is None


def test_a_meetings_code_is_refused_here(world, make_activity) -> None:
    activity = make_activity()
    meeting_code = rotating_codes.make_code(
        activity.pk, salt="dangjian.orglife.checkin", rotate_seconds=30, now=START
    )
    with pytest.raises(RuleViolation) as exc:
        services.checkin_scan(actor=None, scope=as_person(world.member), token=meeting_code, now=START)
    assert exc.value.code == "checkin_invalid"


def test_check_in_outside_the_window_is_refused(world, make_activity) -> None:
    activity = make_activity()
    _sign(activity, world.member)
    with pytest.raises(RuleViolation) as exc:
        _scan(activity, world.member, START - timedelta(minutes=31))
    assert exc.value.code == "checkin_closed"


def test_the_organizer_corrects_the_hours_after_the_end(world, make_activity) -> None:
    activity = make_activity()
    signup = _sign(activity, world.member)
    with pytest.raises(RuleViolation, match="结束后"):
        services.signup_correct(actor=None, scope=SYSTEM, signup=signup, hours=Decimal("2"), reason="补录")
    with time_machine.travel(END + timedelta(hours=1), tick=False):
        with pytest.raises(StaleState):
            services.signup_correct(
                actor=None,
                scope=SYSTEM,
                signup=signup,
                hours=Decimal("2"),
                reason="补录",
                expected_hours="3.0",
            )
        with pytest.raises(NotFound):
            services.signup_correct(
                actor=None, scope=as_person(world.fl_member), signup=signup, hours=Decimal("2"), reason="补录"
            )
        fixed = services.signup_correct(
            actor=None,
            scope=SYSTEM,
            signup=signup,
            hours=Decimal("2.5"),
            reason="未扫码，现场确认",
            expected_hours="",
        )
    assert fixed.hours_granted == Decimal("2.5") and fixed.checkin_method == CheckinMethod.MANUAL
    event = AuditEvent.objects.get(action="volunteer.hours_correct")
    assert event.changes["hours"] == [None, "2.5"] and event.changes["reason"] == "未扫码，现场确认"


def test_cancel_tells_the_signed_up(
    world, make_activity, member_user, django_capture_on_commit_callbacks
) -> None:
    activity = make_activity()
    _sign(activity, world.member)
    with pytest.raises(RuleViolation, match="理由"):
        services.activity_cancel(
            actor=None, scope=SYSTEM, activity=activity, reason=" ", expected_status="published"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_cancel(
            actor=None, scope=SYSTEM, activity=activity, reason="暴雨预警", expected_status="published"
        )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED
    assert Notification.objects.filter(recipient=member_user, body="暴雨预警").exists()
    with pytest.raises(StaleState):
        services.activity_cancel(
            actor=None, scope=SYSTEM, activity=activity, reason="再取消", expected_status="published"
        )


def test_finish_after_the_end_and_the_yearly_hours(world, make_activity) -> None:
    activity = make_activity()
    _sign(activity, world.member)
    _scan(activity, world.member, START)
    with pytest.raises(RuleViolation, match="尚未结束"):
        services.activity_finish(actor=None, scope=SYSTEM, activity=activity, expected_status="published")
    with time_machine.travel(END, tick=False):
        services.activity_finish(actor=None, scope=SYSTEM, activity=activity, expected_status="published")
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.FINISHED
    years = selectors.yearly_hours(world.member.pk)
    assert [(y.year, y.hours, y.activities) for y in years] == [(2026, Decimal("3.0"), 1)]
    assert selectors.hours_in_year([world.member.pk, world.secretary.pk], 2026) == {
        world.member.pk: Decimal("3.0")
    }


def test_only_an_organizer_of_the_organization_publishes(world, make_activity) -> None:
    from dangjian.accounts.scope import resolve_scope

    user = f.user_for(world.fl_member, "fl")
    with pytest.raises(RuleViolation, match="负责的党组织"):
        services.activity_create(
            actor=user, scope=resolve_scope(user), organization=world.cs_branch, data={"title": "x"}
        )
    activity = make_activity(publish=False)
    with pytest.raises(NotFound):
        services.activity_publish(
            actor=user, scope=resolve_scope(user), activity=activity, expected_status="draft"
        )


def test_an_edit_keeps_the_places_taken(world, make_activity) -> None:
    from tests.volunteer.conftest import data

    activity = make_activity(places=3)
    _sign(activity, world.member)
    _sign(activity, world.secretary)
    with pytest.raises(RuleViolation, match="已有 2 人报名"):
        services.activity_update(
            actor=None, scope=SYSTEM, activity=activity, data=data(places=1), expected_status="published"
        )
    services.activity_update(
        actor=None, scope=SYSTEM, activity=activity, data=data(places=2), expected_status="published"
    )
    activity.refresh_from_db()
    assert activity.places == 2


def test_the_todos(world, make_activity, member_user, branch_secretary) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.volunteer.todos import volunteer_todos

    activity = make_activity()  # in two days and four hours: not yet
    _sign(activity, world.member)
    assert volunteer_todos(member_user, resolve_scope(member_user)) == []
    with time_machine.travel(START - timedelta(days=1), tick=False):
        items = volunteer_todos(member_user, resolve_scope(member_user))
        assert [i.link for i in items] == [f"/volunteer/{activity.pk}/"]
    with time_machine.travel(END + timedelta(minutes=1), tick=False):
        items = volunteer_todos(branch_secretary, resolve_scope(branch_secretary))
        assert [i.count for i in items] == [1] and "待确认" in items[0].title


# ---------------------------------------------------------------- 补录 of someone who did not sign up

RUNNING = START + timedelta(hours=1)


def _add(activity, person, hours="3", scope=SYSTEM, reason="现场参加，未报名"):
    return services.signup_add(
        actor=None, scope=scope, activity=activity, person_id=person.pk, hours=Decimal(hours), reason=reason
    )


def test_the_organizer_adds_a_participant_who_did_not_sign_up(world, make_activity) -> None:
    activity = make_activity()
    walker = f.member(world.cs_branch, "未报名者")
    with time_machine.travel(RUNNING, tick=False):
        added = _add(activity, walker, "2.5")
    assert (added.person, added.checkin_method, added.hours_granted) == (
        walker,
        CheckinMethod.MANUAL,
        Decimal("2.5"),
    )
    assert added.hours_note == "现场参加，未报名" and added.checked_in_at is None
    event = AuditEvent.objects.get(action="volunteer.signup_add")
    assert event.changes == {
        "activity": activity.pk,
        "person": walker.pk,
        "hours": "2.5",
        "reason": "现场参加，未报名",
    }
    assert selectors.yearly_hours(walker.pk)[0].hours == Decimal("2.5")


def test_a_finished_activity_takes_a_participant_too(world, make_activity) -> None:
    activity = make_activity()
    with time_machine.travel(END + timedelta(hours=1), tick=False):
        services.activity_finish(actor=None, scope=SYSTEM, activity=activity, expected_status="published")
        assert _add(activity, world.member).hours_granted == Decimal("3")


def test_adding_before_the_start_or_to_a_draft_is_refused_and_writes_nothing(world, make_activity) -> None:
    with pytest.raises(RuleViolation, match="活动开始后"):
        _add(make_activity(), world.member)
    draft = make_activity(publish=False)
    with time_machine.travel(RUNNING, tick=False), pytest.raises(RuleViolation, match="未举行"):
        _add(draft, world.member)
    assert (
        not SignUp.objects.exists() and not AuditEvent.objects.filter(action="volunteer.signup_add").exists()
    )


@pytest.mark.parametrize(("hours", "ok"), [("0", False), ("0.1", True), ("3", True), ("3.1", False)])
def test_the_hours_added_are_above_zero_and_at_most_the_length(world, make_activity, hours, ok) -> None:
    activity = make_activity(hours=Decimal("2"))  # 3 hours long, 2 credited: the length bounds it
    with time_machine.travel(RUNNING, tick=False):
        if ok:
            assert _add(activity, world.member, hours).hours_granted == Decimal(hours)
        else:
            with pytest.raises(RuleViolation) as exc:
                _add(activity, world.member, hours)
            assert exc.value.field == "hours" and "时长" in exc.value.message
            assert not SignUp.objects.exists()


def test_someone_already_signed_up_is_pointed_to_the_correction(world, make_activity) -> None:
    activity = make_activity()
    signup = _sign(activity, world.member)
    with time_machine.travel(RUNNING, tick=False), pytest.raises(RuleViolation, match="更正") as exc:
        _add(activity, world.member)
    assert exc.value.code == "already_signed_up"
    signup.refresh_from_db()
    assert signup.hours_granted is None and SignUp.objects.count() == 1


def test_a_double_submit_adds_once(world, make_activity) -> None:
    activity = make_activity()
    with time_machine.travel(RUNNING, tick=False):
        _add(activity, world.member)
        with pytest.raises(RuleViolation, match="已报名"):
            _add(activity, world.member, "1")
    assert SignUp.objects.get().hours_granted == Decimal("3")
    assert AuditEvent.objects.filter(action="volunteer.signup_add").count() == 1


def test_a_cancelled_sign_up_does_not_stop_the_addition(world, make_activity) -> None:
    activity = make_activity()
    _sign(activity, world.member)
    services.signup_cancel(actor=None, scope=as_person(world.member), activity=activity)
    with time_machine.travel(RUNNING, tick=False):
        _add(activity, world.member)
    assert (
        SignUp.objects.filter(activity=activity, cancelled_at__isnull=True).get().checkin_method == "manual"
    )


def test_outside_the_audience_or_the_organizers_scope_is_not_found(
    world, make_activity, branch_secretary, outsider_organizer
) -> None:
    from dangjian.accounts.scope import resolve_scope

    subtree = make_activity()
    school = make_activity(audience="school", title="全校活动")
    secretary = resolve_scope(branch_secretary)
    with time_machine.travel(RUNNING, tick=False):
        with pytest.raises(NotFound):
            _add(subtree, world.fl_member)  # not of the branch's audience
        with pytest.raises(NotFound):
            _add(school, world.fl_member, scope=secretary)  # of the audience, not the secretary's to add
        with pytest.raises(NotFound):
            _add(subtree, world.member, scope=resolve_scope(outsider_organizer))  # not their activity
        assert _add(school, world.member, scope=secretary).person == world.member
        assert _add(school, world.fl_member).person == world.fl_member  # the school-wide organizer may
    assert SignUp.objects.count() == 2


def test_the_search_finds_by_login_name_staff_number_or_name_within_the_range(
    world, make_activity, branch_secretary, member_user
) -> None:
    from dangjian.accounts.scope import resolve_scope

    activity = make_activity(audience="school")
    scope = resolve_scope(branch_secretary)
    _sign(activity, world.secretary)
    by_login = selectors.search_addable(scope, activity, "member")
    by_number = selectors.search_addable(scope, activity, world.member.staff_number)
    by_name = selectors.search_addable(scope, activity, world.member.name)
    assert [c.person for c in by_login] == [c.person for c in by_number] == [world.member]
    assert world.member in [c.person for c in by_name]
    assert selectors.search_addable(scope, activity, world.fl_member.staff_number) == []
    assert selectors.search_addable(scope, activity, world.fl_member.name) == []
    signed = selectors.search_addable(scope, activity, world.secretary.staff_number)
    assert [(c.person, c.signed_up) for c in signed] == [(world.secretary, True)]

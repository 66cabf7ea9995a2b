"""志愿服务's rules at their boundaries: the activity's hours against its length, sign-up closing and
capacity, cancelling, the check-in window, walk-ins, corrections, the 补录 of someone who did not sign
up, the year the hours count in."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from dangjian.kit.errors import RuleViolation
from dangjian.policy import Policy
from dangjian.volunteer import rules
from dangjian.volunteer.rules import ActivityStatus as S

START = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)  # 14:00 Shanghai
END = START + timedelta(hours=3)
POLICY = Policy()


def _activity(**over):
    base = {
        "title": "义诊",
        "place": "社区",
        "starts_at": START,
        "ends_at": END,
        "places": 1,
        "hours": Decimal("3"),
    }
    rules.check_activity(**{**base, **over})


@pytest.mark.parametrize(
    ("hours", "field"),
    [
        (Decimal("0"), "hours"),
        (Decimal("-1"), "hours"),
        (Decimal("0.1"), None),
        (Decimal("2.9"), None),
        (Decimal("3.0"), None),
        (Decimal("3.1"), "hours"),
        (Decimal("1.25"), "hours"),
    ],
)
def test_the_hours_are_positive_one_decimal_and_at_most_the_length(hours, field) -> None:
    if field is None:
        _activity(hours=hours)
    else:
        with pytest.raises(RuleViolation) as exc:
            _activity(hours=hours)
        assert exc.value.field == field


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"places": 0}, "places"),
        ({"places": 1}, None),
        ({"places": rules.MAX_PLACES + 1}, "places"),
        ({"ends_at": START}, "ends_at"),
        ({"ends_at": START - timedelta(minutes=1)}, "ends_at"),
        ({"title": "  "}, "title"),
        ({"title": "长" * (rules.MAX_TITLE + 1)}, "title"),
        ({"place": ""}, "place"),
    ],
)
def test_an_activity_that_cannot_be_held_is_refused(over, field) -> None:
    if field is None:
        _activity(**over)
    else:
        with pytest.raises(RuleViolation) as exc:
            _activity(**over)
        assert exc.value.field == field


def test_the_length_is_rounded_down_to_a_tenth() -> None:
    assert rules.length_hours(START, START + timedelta(minutes=95)) == Decimal("1.5")
    assert rules.length_hours(START, START + timedelta(minutes=90)) == Decimal("1.5")
    assert rules.length_hours(START, START + timedelta(minutes=5)) == Decimal("0")


@pytest.mark.parametrize(
    ("closes_before", "at_minutes", "ok"),
    [(0, -1, True), (0, 0, False), (0, 1, False), (60, -61, True), (60, -60, False)],
)
def test_sign_up_closes_at_the_start_less_the_policys_minutes(closes_before, at_minutes, ok) -> None:
    policy = replace(POLICY, volunteer_signup_closes_minutes_before=closes_before)
    at = START + timedelta(minutes=at_minutes)
    kwargs = {"status": S.PUBLISHED, "now": at, "starts_at": START, "taken": 0, "places": 1, "policy": policy}
    if ok:
        rules.check_signup(**kwargs)
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_signup(**kwargs)
        assert exc.value.code == "signup_closed"


@pytest.mark.parametrize(
    ("taken", "places", "ok"), [(0, 1, True), (1, 1, False), (4, 5, True), (5, 5, False)]
)
def test_sign_up_is_refused_over_the_places(taken, places, ok) -> None:
    kwargs = {"status": S.PUBLISHED, "now": START - timedelta(days=1), "starts_at": START}
    if ok:
        rules.check_signup(taken=taken, places=places, policy=POLICY, **kwargs)
    else:
        with pytest.raises(RuleViolation, match="名额已满"):
            rules.check_signup(taken=taken, places=places, policy=POLICY, **kwargs)


@pytest.mark.parametrize("status", [S.DRAFT, S.FINISHED, S.CANCELLED])
def test_sign_up_only_while_published(status) -> None:
    with pytest.raises(RuleViolation) as exc:
        rules.check_signup(
            status=status, now=START - timedelta(days=1), starts_at=START, taken=0, places=5, policy=POLICY
        )
    assert exc.value.code == "not_open"


@pytest.mark.parametrize(
    ("at_minutes", "checked_in", "code"),
    [(-1, False, None), (0, False, "started"), (-60, True, "checked_in")],
)
def test_cancel_a_sign_up_before_the_start_and_before_checking_in(at_minutes, checked_in, code) -> None:
    kwargs = {"now": START + timedelta(minutes=at_minutes), "starts_at": START, "checked_in": checked_in}
    if code is None:
        rules.check_cancel_signup(**kwargs)
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_cancel_signup(**kwargs)
        assert exc.value.code == code


@pytest.mark.parametrize(
    ("offset_minutes", "ok"),
    [(-31, False), (-30, True), (0, True), (180, True), (181, False)],
)
def test_the_check_in_window_runs_from_30_minutes_before_the_start_to_the_end(offset_minutes, ok) -> None:
    window = rules.checkin_window(START, END, POLICY)
    at = START + timedelta(minutes=offset_minutes)
    if ok:
        rules.check_checkin(status=S.PUBLISHED, now=at, window=window)
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_checkin(status=S.PUBLISHED, now=at, window=window)
        assert exc.value.code == "checkin_closed"


@pytest.mark.parametrize("status", [S.DRAFT, S.FINISHED, S.CANCELLED])
def test_no_check_in_unless_published(status) -> None:
    with pytest.raises(RuleViolation):
        rules.check_checkin(status=status, now=START, window=rules.checkin_window(START, END, POLICY))


def test_the_check_in_window_follows_the_policy() -> None:
    window = rules.checkin_window(START, END, replace(POLICY, volunteer_checkin_opens_minutes=10))
    assert window.opens == START - timedelta(minutes=10) and window.closes == END


@pytest.mark.parametrize(("taken", "places", "ok"), [(2, 3, True), (3, 3, False)])
def test_a_walk_in_takes_a_remaining_place_only(taken, places, ok) -> None:
    if ok:
        rules.check_walk_in(taken=taken, places=places)
    else:
        with pytest.raises(RuleViolation, match="名额已满"):
            rules.check_walk_in(taken=taken, places=places)


@pytest.mark.parametrize(
    ("at", "hours", "reason", "status", "problem"),
    [
        (END - timedelta(seconds=1), Decimal("3"), "补录", S.PUBLISHED, "not_ended"),
        (END, Decimal("3"), "补录", S.PUBLISHED, None),
        (END, Decimal("0"), "未到场", S.FINISHED, None),
        (END, Decimal("3.1"), "补录", S.PUBLISHED, "hours"),
        (END, Decimal("-0.5"), "补录", S.PUBLISHED, "hours"),
        (END, Decimal("1.55"), "补录", S.PUBLISHED, "hours"),
        (END, Decimal("2"), "  ", S.PUBLISHED, "reason"),
        (END, Decimal("2"), "补录", S.CANCELLED, "not_held"),
        (END, Decimal("2"), "补录", S.DRAFT, "not_held"),
    ],
)
def test_the_organizer_corrects_hours_after_the_end_with_a_reason(at, hours, reason, status, problem) -> None:
    kwargs = {
        "status": status,
        "now": at,
        "ends_at": END,
        "hours": hours,
        "length": Decimal("3"),
        "reason": reason,
    }
    if problem is None:
        rules.check_correction(**kwargs)
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_correction(**kwargs)
        assert problem in (exc.value.code, exc.value.field)


@pytest.mark.parametrize(
    ("at", "hours", "reason", "status", "problem"),
    [
        (START - timedelta(seconds=1), Decimal("3"), "未报名", S.PUBLISHED, "not_started"),
        (START, Decimal("3"), "未报名", S.PUBLISHED, None),  # running
        (END + timedelta(days=3), Decimal("0.1"), "未报名", S.FINISHED, None),
        (END, Decimal("3"), "未报名", S.FINISHED, None),  # exactly the length
        (END, Decimal("3.1"), "未报名", S.FINISHED, "hours"),
        (END, Decimal("0"), "未报名", S.FINISHED, "hours"),
        (END, Decimal("-1"), "未报名", S.FINISHED, "hours"),
        (END, Decimal("1.55"), "未报名", S.FINISHED, "hours"),
        (END, Decimal("2"), " ", S.FINISHED, "reason"),
        (END, Decimal("2"), "x" * 501, S.FINISHED, "reason"),
        (END, Decimal("2"), "未报名", S.CANCELLED, "not_held"),
        (END, Decimal("2"), "未报名", S.DRAFT, "not_held"),
    ],
)
def test_a_participant_who_did_not_sign_up_is_added_once_started_within_the_length(
    at, hours, reason, status, problem
) -> None:
    kwargs = {
        "status": status,
        "now": at,
        "starts_at": START,
        "hours": hours,
        "length": Decimal("3"),
        "reason": reason,
    }
    if problem is None:
        rules.check_manual_add(**kwargs)
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_manual_add(**kwargs)
        assert problem in (exc.value.code, exc.value.field)


@pytest.mark.parametrize(
    ("status", "at", "ok"),
    [
        (S.DRAFT, START - timedelta(seconds=1), True),
        (S.DRAFT, START, False),
        (S.PUBLISHED, START - timedelta(days=1), False),
    ],
)
def test_publish_a_draft_before_its_start(status, at, ok) -> None:
    if ok:
        rules.check_publish(status=status, now=at, starts_at=START)
    else:
        with pytest.raises(RuleViolation):
            rules.check_publish(status=status, now=at, starts_at=START)


@pytest.mark.parametrize(
    ("status", "at", "ok"),
    [(S.PUBLISHED, END - timedelta(seconds=1), False), (S.PUBLISHED, END, True), (S.DRAFT, END, False)],
)
def test_finish_a_published_activity_once_it_ended(status, at, ok) -> None:
    if ok:
        rules.check_finish(status=status, now=at, ends_at=END)
    else:
        with pytest.raises(RuleViolation):
            rules.check_finish(status=status, now=at, ends_at=END)


@pytest.mark.parametrize(
    ("status", "at", "reason", "ok"),
    [
        (S.PUBLISHED, END - timedelta(seconds=1), "下雨", True),
        (S.PUBLISHED, END, "下雨", False),
        (S.DRAFT, START, "不办了", True),
        (S.PUBLISHED, START, "", False),
        (S.CANCELLED, START, "下雨", False),
    ],
)
def test_cancel_before_the_end_with_a_reason(status, at, reason, ok) -> None:
    if ok:
        rules.check_cancel(status=status, now=at, ends_at=END, reason=reason)
    else:
        with pytest.raises(RuleViolation):
            rules.check_cancel(status=status, now=at, ends_at=END, reason=reason)


@pytest.mark.parametrize(
    ("taken", "places", "new_start", "ok"),
    [(2, 2, START, True), (3, 2, START, False), (0, 1, START - timedelta(days=10), False)],
)
def test_a_published_activity_keeps_its_places_and_a_start_ahead(taken, places, new_start, ok) -> None:
    kwargs = {
        "status": S.PUBLISHED,
        "now": START - timedelta(days=1),
        "starts_at": START,
        "new_starts_at": new_start,
    }
    if ok:
        rules.check_edit(taken=taken, places=places, **kwargs)
    else:
        with pytest.raises(RuleViolation):
            rules.check_edit(taken=taken, places=places, **kwargs)


@pytest.mark.parametrize(
    ("moment", "year"),
    [(datetime(2026, 12, 31, 15, 59, tzinfo=UTC), 2026), (datetime(2026, 12, 31, 16, 0, tzinfo=UTC), 2027)],
)
def test_the_hours_count_in_the_local_year_of_the_start(moment, year) -> None:
    assert rules.hours_year(moment) == year


def test_the_hours_text() -> None:
    assert rules.hours_text(Decimal("6.0")) == "6 小时"
    assert rules.hours_text(Decimal("1.5")) == "1.5 小时"
    assert rules.hours_text(None) == "0 小时"


def test_the_policys_defaults_and_a_schools_override(settings) -> None:
    from dangjian.policy import get_policy

    policy = get_policy()
    assert (policy.volunteer_signup_closes_minutes_before, policy.volunteer_checkin_opens_minutes) == (0, 30)
    assert (policy.volunteer_qr_rotate_seconds, policy.volunteer_qr_valid_seconds) == (30, 120)
    settings.DANGJIAN_POLICY = {"volunteer_signup_closes_minutes_before": 120}
    assert rules.signup_closes_at(START, get_policy()) == START - timedelta(hours=2)

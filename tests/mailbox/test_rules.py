"""The rules' boundary tables: the reply deadline in working days (weekends and the National Day holiday
skipped, kit.workdays), the member's daily cap, the day a replied letter closes itself, overdue."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dangjian.mailbox import rules
from dangjian.policy import Policy

POLICY = Policy()


def test_the_policy_defaults_are_the_local_practice():
    assert (POLICY.mailbox_reply_workdays, POLICY.mailbox_daily_letters, POLICY.mailbox_auto_close_days) == (
        5,
        3,
        7,
    )


@pytest.mark.parametrize(
    ("written", "days", "due"),
    [
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # 国庆 1–7 October 2026 skipped
        (date(2026, 9, 29), 1, date(2026, 9, 30)),
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # a Friday: the weekend skipped
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # written on a Saturday
        (date(2026, 11, 30), 5, date(2026, 12, 7)),  # Monday + 5 working days
        (date(2026, 11, 27), 5, date(2026, 12, 4)),
    ],
)
def test_the_reply_deadline_counts_working_days(written, days, due):
    assert rules.due_on(written, replace(POLICY, mailbox_reply_workdays=days)) == due


@pytest.mark.parametrize(
    ("written_today", "refused"), [(0, False), (1, False), (2, False), (3, True), (4, True)]
)
def test_the_daily_cap_lets_three_letters_through_and_refuses_the_fourth(written_today, refused):
    assert rules.over_daily_cap(written_today, POLICY) is refused


@pytest.mark.parametrize(
    ("status", "due", "today", "overdue"),
    [
        ("submitted", date(2026, 11, 30), date(2026, 11, 30), False),
        ("submitted", date(2026, 11, 29), date(2026, 11, 30), True),
        ("transferred", date(2026, 11, 29), date(2026, 11, 30), True),
        ("replied", date(2026, 11, 1), date(2026, 11, 30), False),
        ("closed", date(2026, 11, 1), date(2026, 11, 30), False),
    ],
)
def test_only_a_waiting_letter_past_its_deadline_is_overdue(status, due, today, overdue):
    assert rules.is_overdue(status, due, today) is overdue


def test_a_replied_letter_closes_itself_seven_days_after_the_reply():
    assert rules.closes_itself_on(date(2026, 11, 30), POLICY) == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("status", "rated", "allowed"),
    [("submitted", False, False), ("replied", False, True), ("closed", False, True), ("closed", True, False)],
)
def test_an_answer_is_rated_once_after_the_reply(status, rated, allowed):
    assert rules.may_rate(status, rated) is allowed

"""The catalogue's rules: who asks whom, the handling deadline in working days, the masked name, the
details each kind needs."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.kit.errors import RuleViolation
from dangjian.onestop import rules
from dangjian.onestop.details import clean_details
from dangjian.onestop.rules import Asker, Handler, RequestKind
from dangjian.policy import Policy


@pytest.mark.parametrize(
    ("kind", "asker", "handler"),
    [
        (RequestKind.LONG_LEAVE, Asker.MEMBER, Handler.BRANCH),
        (RequestKind.FLOWING, Asker.MEMBER, Handler.BRANCH),
        (RequestKind.FUNDS, Asker.BRANCH, Handler.COLLEGE),
        (RequestKind.VENUE, Asker.BRANCH, Handler.COLLEGE),
        (RequestKind.SPEAKER, Asker.BRANCH, Handler.COLLEGE),
        (RequestKind.PROOF_MEMBERSHIP, Asker.MEMBER, Handler.COMMITTEE),
        (RequestKind.PROOF_PARTY_AGE, Asker.MEMBER, Handler.COMMITTEE),
        (RequestKind.PROOF_RELATION, Asker.MEMBER, Handler.COMMITTEE),
    ],
)
def test_each_kind_names_who_asks_and_who_handles(kind: str, asker: str, handler: str) -> None:
    entry = rules.entry(kind)
    assert entry is not None
    assert (entry.asker, entry.handler) == (asker, handler)
    assert isinstance(getattr(Policy(), entry.deadline_setting), int)


def test_every_kind_is_in_the_catalogue_and_only_proofs_issue_proofs() -> None:
    assert set(rules.CATALOGUE) == set(RequestKind.values)
    assert {k for k in RequestKind.values if rules.is_proof(k)} == {
        "proof_membership",
        "proof_party_age",
        "proof_relation",
    }


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 11, 30), 0, date(2026, 11, 30)),  # Monday, no days
        (date(2026, 11, 30), 1, date(2026, 12, 1)),
        (date(2026, 11, 30), 4, date(2026, 12, 4)),  # Friday
        (date(2026, 11, 30), 5, date(2026, 12, 7)),  # over the weekend to Monday
        (date(2026, 12, 4), 1, date(2026, 12, 7)),  # Friday + 1 → Monday
        (date(2026, 12, 5), 1, date(2026, 12, 7)),  # Saturday + 1 → Monday
        (date(2026, 12, 6), 1, date(2026, 12, 7)),  # Sunday + 1 → Monday
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # over the National Day holiday
        (date(2026, 10, 8), 2, date(2026, 10, 10)),  # the make-up Saturday is a working day
        (date(2026, 12, 31), 3, date(2027, 1, 5)),  # a year the calendar does not cover: Monday–Friday
    ],
)
def test_workdays_skip_weekends_and_public_holidays(start: date, days: int, due: date) -> None:
    assert rules.add_workdays(start, days) == due


@pytest.mark.parametrize(
    ("kind", "due"),
    [
        (RequestKind.LONG_LEAVE, date(2026, 12, 7)),  # 5 working days
        (RequestKind.FUNDS, date(2026, 12, 14)),  # 10
        (RequestKind.PROOF_RELATION, date(2026, 12, 3)),  # 3
    ],
)
def test_due_date_comes_from_the_policy_setting_of_the_kind(kind: str, due: date) -> None:
    assert rules.due_on(kind, date(2026, 11, 30), Policy()) == due


def test_a_school_sets_its_own_deadline() -> None:
    policy = Policy(service_proof_workdays=1)
    assert rules.due_on(RequestKind.PROOF_MEMBERSHIP, date(2026, 12, 4), policy) == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        ("submitted", date(2026, 11, 29), True),
        ("handling", date(2026, 11, 29), True),
        ("submitted", date(2026, 11, 30), False),  # due today is not late yet
        ("done", date(2026, 11, 1), False),
        ("refused", date(2026, 11, 1), False),
    ],
)
def test_overdue_only_while_open_and_after_the_due_day(status: str, due: date, overdue: bool) -> None:
    assert rules.is_overdue(status, due, date(2026, 11, 30)) is overdue


@pytest.mark.parametrize(
    ("name", "masked"),
    [("王建国", "王*国"), ("李红", "李*"), ("欧阳小明", "欧**明"), ("王", "王"), (" 张伟 ", "张*")],
)
def test_names_are_masked_keeping_first_and_last(name: str, masked: str) -> None:
    assert rules.mask_name(name) == masked


def test_details_are_checked_and_unknown_keys_dropped() -> None:
    cleaned = clean_details(
        RequestKind.FUNDS, {"amount": "3000", "activity": "党日", "budget": "印制", "x": 1}
    )
    assert cleaned == {"amount": "3000.00", "activity": "党日", "budget": "印制"}


@pytest.mark.parametrize(
    ("kind", "details", "field"),
    [
        (RequestKind.FUNDS, {"amount": "0", "activity": "a", "budget": "b"}, "amount"),
        (RequestKind.FUNDS, {"amount": "abc", "activity": "a", "budget": "b"}, "amount"),
        (RequestKind.LONG_LEAVE, {"start_on": "2026-12-01", "end_on": "2026-11-01", "reason": "r"}, "end_on"),
        (RequestKind.LONG_LEAVE, {"start_on": "明天", "end_on": "2026-11-01", "reason": "r"}, "start_on"),
        (RequestKind.PROOF_MEMBERSHIP, {}, "purpose"),
        (RequestKind.VENUE, {"on": "2026-12-01", "activity": "a", "attendees": "-3"}, "attendees"),
    ],
)
def test_bad_details_are_refused_in_chinese_naming_the_field(kind: str, details: dict, field: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        clean_details(kind, details)
    assert exc.value.field == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)

"""The 发展党员 timing rules and vote checks, each with its edge dates (../shared/DOMAIN.md §3)."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.kit.workdays import WorkdayCalendar, add_working_days, working_days_between
from dangjian.recruitment import rules

D = date


@pytest.mark.parametrize(
    ("birth", "applied", "ok"),
    [
        (D(2008, 3, 15), D(2026, 3, 14), False),  # the day before the 18th birthday
        (D(2008, 3, 15), D(2026, 3, 15), True),  # the birthday itself
        (D(2008, 2, 29), D(2026, 2, 28), False),  # leap-day birthday: 18 on 1 March
        (D(2008, 2, 29), D(2026, 3, 1), True),
    ],
)
def test_application_age(birth, applied, ok) -> None:
    assert rules.application_age(birth, applied).ok is ok


@pytest.mark.parametrize(
    ("applied", "talked", "today", "ok"),
    [
        (D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 1), True),  # month end clamps: due 2026-02-28
        (D(2026, 1, 31), D(2026, 3, 1), D(2026, 3, 1), False),
        (D(2026, 5, 10), None, D(2026, 6, 10), True),  # not yet talked, still within the month
        (D(2026, 5, 10), None, D(2026, 6, 11), False),  # overdue
        (D(2026, 5, 10), D(2026, 5, 9), D(2026, 5, 20), False),  # before the application
    ],
)
def test_talk_within_a_month(applied, talked, today, ok) -> None:
    assert rules.talk(applied, talked, today).ok is ok


@pytest.mark.parametrize(
    ("activist", "candidate", "ok"),
    [
        (D(2025, 3, 1), D(2026, 2, 28), False),
        (D(2025, 3, 1), D(2026, 3, 1), True),  # exactly one year
        (D(2024, 2, 29), D(2025, 2, 28), False),  # leap day: the year ends on 1 March (policy)
        (D(2024, 2, 29), D(2025, 3, 1), True),
    ],
)
def test_a_year_as_activist(activist, candidate, ok) -> None:
    assert rules.activist_duration(activist, candidate).ok is ok


def test_working_days_follow_the_holidays_and_make_up_days() -> None:
    # 2026 National Day: 1–7 October off; Saturday 10 October is a make-up workday.
    assert working_days_between(D(2026, 9, 29), D(2026, 10, 10))[0] == 5
    assert add_working_days(D(2026, 9, 29), 5) == (D(2026, 10, 10), False)


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        (D(2026, 9, 29), D(2026, 10, 9), False),  # across 国庆: only 4 working days
        (D(2026, 9, 29), D(2026, 10, 10), True),  # the make-up Saturday completes 5
        (D(2026, 11, 2), D(2026, 11, 6), True),  # Monday to Friday
        (D(2026, 11, 3), D(2026, 11, 9), True),  # Tue–Mon across a weekend
        (D(2026, 11, 3), D(2026, 11, 8), False),
    ],
)
def test_publicity_at_least_five_working_days(start, end, ok) -> None:
    assert rules.publicity(start, end).ok is ok


def test_a_year_the_package_does_not_know_falls_back_and_says_so() -> None:
    check = rules.publicity(D(2030, 1, 7), D(2030, 1, 11))  # Monday–Friday
    assert check.ok and "按周一至周五计算" in check.note
    holidays = WorkdayCalendar.of(holidays=[D(2030, 1, 9)])
    assert not rules.publicity(D(2030, 1, 7), D(2030, 1, 11), holidays).ok


@pytest.mark.parametrize(
    ("count", "full", "ok"),
    [(0, True, False), (1, True, True), (2, True, True), (3, True, False), (2, False, False)],
)
def test_contacts(count, full, ok) -> None:
    assert rules.contacts(count, full).ok is ok


@pytest.mark.parametrize(
    ("count", "full", "sanctioned", "ok"),
    [
        (2, True, False, True),
        (1, True, False, False),
        (3, True, False, False),
        (2, False, False, False),
        (2, True, True, False),
    ],
)
def test_introducers(count, full, sanctioned, ok) -> None:
    assert rules.introducers(count, full, sanctioned).ok is ok


@pytest.mark.parametrize(
    ("days", "hours", "ok"), [(3, 0, True), (2.5, 23.5, False), (0, 24, True), (2, 30, True), (0, 0, False)]
)
def test_training(days, hours, ok) -> None:
    assert rules.training(days, hours).ok is ok


@pytest.mark.parametrize(
    ("leaving", "ok"), [(None, True), (D(2026, 7, 1), False), (D(2026, 7, 10), False), (D(2026, 7, 11), True)]
)
def test_not_leaving_within_three_months(leaving, ok) -> None:
    assert rules.not_leaving(D(2026, 4, 10), leaving).ok is ok


@pytest.mark.parametrize(
    ("meeting", "ok"),
    [(D(2026, 4, 9), False), (D(2026, 4, 10), True), (D(2026, 5, 10), True), (D(2026, 5, 11), False)],
)
def test_branch_meeting_within_a_month_of_prereview(meeting, ok) -> None:
    assert rules.branch_meeting(D(2026, 4, 10), meeting).ok is ok


@pytest.mark.parametrize(
    ("approved", "special", "ok"),
    [
        (D(2026, 8, 20), False, True),
        (D(2026, 8, 21), False, False),
        (D(2026, 11, 20), True, True),
        (D(2026, 11, 21), True, False),
    ],
)
def test_approval_within_three_months(approved, special, ok) -> None:
    assert rules.approval(D(2026, 5, 20), approved, special=special).ok is ok


@pytest.mark.parametrize(
    ("oath_on", "ok"),
    [(D(2026, 6, 1), True), (D(2026, 7, 1), True), (D(2026, 7, 2), False), (D(2026, 5, 31), False)],
)
def test_oath_within_a_month(oath_on, ok) -> None:
    assert rules.oath(D(2026, 6, 1), oath_on).ok is ok


def test_probation_and_its_one_extension() -> None:
    assert rules.probation_end(D(2026, 5, 20)) == D(2027, 5, 20)
    assert rules.probation_end(D(2026, 5, 20), 6) == D(2027, 11, 20)
    assert rules.extension(6, False).ok and rules.extension(12, False).ok
    assert not rules.extension(5, False).ok and not rules.extension(13, False).ok
    assert not rules.extension(6, True).ok


def test_half_yearly_evaluations() -> None:
    assert rules.evaluation_due(D(2026, 3, 31)) == D(2026, 9, 30)


@pytest.mark.parametrize(
    ("entitled", "present", "yes", "no", "abstain", "valid", "quorum", "passed"),
    [
        (20, 11, 11, 0, 0, True, True, True),  # 11 of 20 present and yes: more than half
        (20, 10, 10, 0, 0, True, False, False),  # exactly half present: no quorum
        (20, 15, 10, 5, 0, True, True, False),  # 10 yes of 20 entitled is not more than half
        (21, 15, 11, 2, 2, True, True, True),
        (20, 21, 21, 0, 0, False, False, False),  # more present than entitled
        (20, 15, 10, 2, 2, False, False, False),  # 14 votes for 15 present
        (0, 0, 0, 0, 0, False, False, False),
        (20, 12, -1, 13, 0, False, False, False),
    ],
)
def test_vote(entitled, present, yes, no, abstain, valid, quorum, passed) -> None:
    result = rules.vote(entitled, present, yes, no, abstain)
    assert (result.valid, result.quorum, result.passed) == (valid, quorum, passed)
    assert result.message


def test_the_table_holds_a_check_for_every_rule_a_step_names(db) -> None:
    """The steps name their checks; the age (checked when a case opens) and the approval of full
    membership (no deadline checked) have none in the table."""
    from dangjian.recruitment.models import StepDefinition

    named = set(StepDefinition.objects.exclude(rule="").values_list("rule", flat=True))
    assert named - set(rules.CHECKS) == {"age", "full_approval"}
    assert set(rules.CHECKS) <= named


UNCOUNTED_VOTE = dict.fromkeys(rules.VOTE_FIELDS, 1)  # yes + no + abstain is not the number present


@pytest.mark.parametrize(
    ("name", "facts", "codes"),
    [
        ("talk", {"done_on": D(2026, 2, 28)}, {"talk": True}),
        ("talk", {"done_on": D(2026, 3, 1)}, {"talk": False}),
        ("activist_year", {"done_on": D(2026, 3, 1)}, {"order": False}),  # no activist date yet
        ("activist_year", {"done_on": D(2026, 3, 1), "after_on": D(2025, 3, 1)}, {"activist_year": True}),
        ("meeting", {"done_on": D(2026, 3, 1), "after_on": D(2026, 2, 1)}, {"meeting": True, "vote": False}),
        ("publicity", {"done_on": D(2026, 3, 1)}, {"publicity": False}),  # no dates given
        ("training", {"done_on": D(2026, 3, 1), "data": {"hours": 24}}, {"training": True}),
        ("full_meeting", {"done_on": D(2026, 3, 1), "data": UNCOUNTED_VOTE}, {"vote": False}),
    ],
)
def test_the_checks_of_the_table_read_plain_facts(name, facts, codes) -> None:
    values = {"applied_on": D(2026, 1, 31), "today": D(2026, 3, 1), "data": {}, **facts}
    checks = rules.CHECKS[name].run(rules.StepFacts(**values))
    assert {c.code: c.ok for c in checks} == codes


def test_a_publicity_ending_months_after_it_starts_is_refused_whatever_the_mode() -> None:
    from dangjian.kit.errors import RuleViolation

    data = {"publicity_start": "2026-01-05", "publicity_end": "2026-03-09"}  # 63 days
    facts = rules.StepFacts(applied_on=D(2025, 1, 1), done_on=D(2026, 3, 10), today=D(2026, 3, 10), data=data)
    with pytest.raises(RuleViolation, match="开始日期后 60 天"):
        rules.CHECKS["publicity"].run(facts)


# ---------------------------------------------------------------- block or warn: defaults in code, settings

# The modes migration 0002 wrote on the step naming each check (before they moved to code).
DEFAULT_MODES = {
    "talk": "warn",  # 2 党组织派人谈话
    "contacts": "block",  # 5 指定培养联系人
    "activist_year": "block",  # 7 确定发展对象
    "publicity": "block",  # 8 报上级党委备案
    "introducers": "block",  # 9 确定入党介绍人
    "training": "block",  # 11 开展集中培训
    "leaving": "block",  # 13 上级党委预审
    "meeting": "block",  # 15 支部大会讨论接收
    "approval": "warn",  # 17 上级党委审批
    "oath": "warn",  # 20 入党宣誓
    "full_meeting": "block",  # 23 支部大会讨论转正
}


def test_the_table_holds_every_check_and_nothing_else() -> None:
    assert set(rules.CHECKS) == set(DEFAULT_MODES)


@pytest.mark.parametrize(("name", "mode"), sorted(DEFAULT_MODES.items()))
def test_each_check_blocks_or_warns_by_default(name, mode) -> None:
    assert rules.CHECKS[name].mode == mode
    assert rules.check_modes()[name] == mode


def test_the_defaults_are_the_modes_migration_0002_wrote() -> None:
    import importlib

    steps = importlib.import_module("dangjian.recruitment.migrations.0002_the_25_steps").STEPS
    written = {rule: mode for _n, _code, _name, _stage, _actor, rule, mode, *_rest in steps if rule}
    assert {name: written[name] for name in rules.CHECKS} == DEFAULT_MODES
    # The rules a step names with no check in the table: the age (checked when a case opens, always
    # blocking) and the approval of full membership (no deadline checked).
    assert set(written) - set(rules.CHECKS) == {"age", "full_approval"}


LATE_APPROVAL = rules.Check(False, "approval", "应在支部大会决议后三个月内审批")
FAILED_VOTE = rules.Check(False, "vote", "未通过")


@pytest.mark.parametrize(
    ("overrides", "name", "checks", "refused"),
    [
        ({}, "approval", [LATE_APPROVAL], []),  # warn by default: kept on the record
        ({"approval": "block"}, "approval", [LATE_APPROVAL], [LATE_APPROVAL]),
        ({}, "meeting", [rules.Check(False, "meeting", "超期")], [rules.Check(False, "meeting", "超期")]),
        ({"meeting": "warn"}, "meeting", [rules.Check(False, "meeting", "超期")], []),
        ({"meeting": "warn"}, "meeting", [rules.Check(True, "meeting"), FAILED_VOTE], [FAILED_VOTE]),
        ({"full_meeting": "warn"}, "full_meeting", [FAILED_VOTE], [FAILED_VOTE]),  # a vote always blocks
        ({"oath": "block"}, "oath", [rules.Check(True, "oath")], []),  # passing checks never refuse
        ({}, "full_approval", [LATE_APPROVAL], []),  # a name without a check: nothing blocks
    ],
)
def test_a_school_setting_overrides_the_default(settings, overrides, name, checks, refused) -> None:
    settings.RECRUITMENT_CHECK_MODES = overrides
    assert rules.refusing(name, checks) == refused
    assert rules.check_modes() == {**DEFAULT_MODES, **overrides}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"publicty": "warn"}, "未知的检查: publicty"),
        ({"talk": "refuse"}, "talk 只能是 block 或 warn"),
    ],
)
def test_a_mistyped_setting_is_refused(settings, overrides, message) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.RECRUITMENT_CHECK_MODES = overrides
    with pytest.raises(ImproperlyConfigured, match=message):
        rules.check_modes()

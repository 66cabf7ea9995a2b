import pytest

from dangjian.policy import get_policy


def test_defaults_follow_the_regulations() -> None:
    policy = get_policy()
    assert (policy.branch_min_full_members, policy.branch_committee_threshold_full_members) == (3, 7)
    assert policy.branch_max_members == 50
    assert (policy.term_years_committee, policy.term_years_branch) == (5, 3)
    assert policy.term_reminder_months == (6, 3)


def test_school_override_from_settings(settings) -> None:
    settings.DANGJIAN_POLICY = {"branch_max_members": 45, "term_reminder_months": [6, 3, 1]}
    policy = get_policy()
    assert policy.branch_max_members == 45
    assert policy.term_reminder_months == (6, 3, 1)


def test_unknown_override_is_refused(settings) -> None:
    settings.DANGJIAN_POLICY = {"branch_maximum": 45}
    with pytest.raises(ValueError, match="branch_maximum"):
        get_policy()


def test_dues_rule_sets_can_be_overridden_from_json(settings) -> None:
    from datetime import date
    from decimal import Decimal

    settings.DANGJIAN_POLICY = {
        "dues_rounding": "0.1",
        "dues_large_payment_threshold": "2000",
        "dues_rule_sets": [
            {
                "code": "X",
                "effective_from": "2008-04-01",
                "employee": [["3000", "0.005"], [None, "0.01"]],
                "retiree": [[None, "0.005"]],
                "fixed": {"student": "0.20"},
                "farmer_min": "0.20",
                "farmer_max": "1.00",
            }
        ],
    }
    policy = get_policy()
    assert policy.dues_large_payment_threshold == Decimal("2000")
    assert policy.dues_rule_sets[0].employee[1] == (None, Decimal("0.01"))
    assert policy.dues_rule_sets[0].effective_from == date(2008, 4, 1)


@pytest.mark.parametrize(("override", "days"), [(None, 7), (3, 3), (14, 14)])
def test_minutes_on_time_days_are_a_school_setting(settings, override: int | None, days: int) -> None:
    # [local practice] minutes recorded within 7 days of the meeting count as on time (issue 16);
    # the boundary itself (day 7 on time, day 8 late) is in tests/orglife/test_indicators.py.
    settings.DANGJIAN_POLICY = {} if override is None else {"orglife_minutes_within_days": override}
    assert get_policy().orglife_minutes_within_days == days


def test_warning_thresholds_default_to_the_rules_and_local_practice() -> None:
    policy = get_policy()
    # DOMAIN §9: 失联 at 6 months without contact; the warning before it at 4 [local practice].
    assert (policy.lost_contact_warning_months, policy.lost_contact_months) == (4, 6)
    # 党费规定 / 党章 第九条: 6 consecutive months unpaid; the secretary is warned at 3 [local practice].
    assert (policy.dues_unpaid_warning_months, policy.dues_lapse_months) == (3, 6)
    # 基层选举条例: an extension of a term is at most 1 year.
    assert policy.term_extension_max_months == 12
    # [local practice] the running month's or quarter's plan is submitted within 10 days.
    assert policy.orglife_plan_due_days == 10


@pytest.mark.parametrize(
    ("share", "participants", "allowed"),
    [
        (0.3, 10, 3),
        (0.3, 9, 2),
        (0.3, 3, 0),
        (0.3, 4, 1),
        (0.3, 20, 6),
        (0.3, 70, 21),
        (0.25, 8, 2),
        (1, 5, 5),
    ],
)
def test_appraisal_excellent_cap_is_the_floor_of_the_share(settings, share, participants, allowed) -> None:
    from dangjian.appraisal.rules import excellent_cap

    assert get_policy().appraisal_excellent_max_share == 0.3  # [local practice] DOMAIN §10
    settings.DANGJIAN_POLICY = {"appraisal_excellent_max_share": share}
    assert excellent_cap(participants, get_policy().appraisal_excellent_max_share) == allowed

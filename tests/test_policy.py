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

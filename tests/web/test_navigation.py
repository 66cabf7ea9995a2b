"""The left navigation shows each entry to those it serves: by permission, or by who the user is."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.recruitment import services as recruitment
from tests import factories as f


def _nav(client) -> str:
    return client.get(reverse("web:home")).content.decode()


def test_an_applicant_with_a_case_sees_their_progress_and_others_do_not(world, login, member_user) -> None:
    applicant = f.person("陈同学", organization=world.cs_branch2, birth=date(2003, 5, 1))
    recruitment.case_open(
        scope=Scope.system(),
        actor=None,
        person=applicant,
        branch=world.cs_branch2,
        applied_on=date(2026, 11, 2),
    )
    assert "我的入党进度" in _nav(login(f.user_for(applicant, "applicant")))
    assert "我的入党进度" not in _nav(login(member_user))  # a full member, no case


def test_only_the_school_admin_sees_the_holidays_page(login, school_admin, college_organizer) -> None:
    assert reverse("recruitment:holidays") in _nav(login(school_admin))
    assert reverse("recruitment:holidays") not in _nav(login(college_organizer))


def test_training_and_orglife_entries(login, member_user, college_organizer) -> None:
    page = _nav(login(member_user))
    assert reverse("orglife:home") in page and reverse("learning:me") in page
    classes = f'href="{reverse("learning:classes")}"'
    assert classes not in page
    assert classes in _nav(login(college_organizer))

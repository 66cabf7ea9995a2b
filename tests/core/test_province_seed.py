"""The province data set generator (PostgreSQL), run at a tiny size: counts, names with pinyin, resume."""

from __future__ import annotations

import pytest
from django.db import connection

from dangjian.accounts.models import User
from dangjian.core.demo import province
from dangjian.core.models import Membership, Organization, Person, Position
from dangjian.core.pinyin import name_initials

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the province generator is PostgreSQL SQL"),
    pytest.mark.django_db,
]


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setattr(province, "COMMITTEES", 3)
    monkeypatch.setattr(province, "BRANCHES_PER_COMMITTEE", 2)
    monkeypatch.setattr(province, "MEMBERS_PER_BRANCH", 4)
    monkeypatch.setattr(province, "NON_MEMBERS_PER_BRANCH", 2)


def test_generates_the_tree_people_members_and_secretaries(tiny) -> None:
    lines: list[str] = []
    counts = province.generate(log=lines.append)
    assert counts == {"organizations": 10, "people": 36, "members": 24}
    assert Organization.objects.count() == 10 and Organization.objects.find_problems() == ([], [], [], [], [])
    assert Person.objects.count() == 36 and Membership.objects.count() == 24
    assert Position.objects.filter(title="secretary").count() == 6
    for p in Person.objects.all()[:10]:
        assert p.name_initials == name_initials(p.name) and len(p.name) == 2
    assert User.objects.filter(username__in=["school_admin", "branch_secretary", "member"]).count() == 3
    again: list[str] = []
    province.generate(log=again.append)  # resumes: every stage is already there
    assert all("skipped" in line for line in again[1:])
    assert Person.objects.count() == 36

"""No dead links: every link the core pages draw (person, org, people list, dashboard) opens for the
viewer who sees it — a link to a page that answers 404 is not drawn."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.accounts.roles import Role
from dangjian.accounts.scope import Scope
from dangjian.core import services
from dangjian.core.models import PositionTitle
from dangjian.recruitment import services as recruitment
from dangjian.transfers import services as transfers
from tests import factories as f

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static/", "/accounts/logout", "/i18n/")


def dead_links(client: Client, url: str) -> list[str]:
    page = client.get(url)
    assert page.status_code == 200, url
    links = {h.replace("&amp;", "&") for h in HREF.findall(page.content.decode())}
    return sorted(h for h in links if not h.startswith(SKIP) and client.get(h).status_code == 404)


@pytest.fixture
def busy_world(world, school_admin):
    """A member with an open transfer and an applicant with a recruitment case, in the CS branch."""
    transfers.transfer_start(
        scope=Scope.system(),
        actor=school_admin,
        person=world.member,
        kind="out_national",
        reason="毕业",
        external_org="某市委组织部",
    )
    applicant = f.person("申请人", organization=world.cs_branch, birth=date(2000, 1, 1))
    recruitment.case_open(
        scope=Scope.system(),
        actor=school_admin,
        person=applicant,
        branch=world.cs_branch,
        applied_on=date(2025, 3, 1),
    )
    return world, applicant


@pytest.fixture
def committee_member(world):
    """支委委员 by position: may view the branch's people, may not handle transfers or recruitment."""
    person = f.member(world.cs_branch, "组织委员")
    services.position_assign(
        actor=None,
        person=person,
        organization=world.cs_branch,
        title=PositionTitle.ORGANIZATION,
        started_on=date(2024, 9, 1),
    )
    return f.user_for(person, "committee_member")


def test_committee_member_sees_no_link_to_the_transfer_or_case_they_cannot_open(
    busy_world, login, committee_member
) -> None:
    world, applicant = busy_world
    client = login(committee_member)
    member_page = client.get(reverse("core:person_detail", args=[world.member.pk])).content.decode()
    transfer_links = re.findall(r'href="/transfers/\d+/"', member_page)
    assert "转接办理中" in member_page and transfer_links == []
    applicant_page = client.get(reverse("core:person_detail", args=[applicant.pk])).content.decode()
    assert "/recruitment/case/" not in applicant_page
    assert dead_links(client, reverse("core:person_detail", args=[world.member.pk])) == []
    assert dead_links(client, reverse("core:person_detail", args=[applicant.pk])) == []


@pytest.mark.parametrize("persona", ["school_admin", "college_organizer", "branch_secretary", "member_user"])
def test_person_pages_draw_only_links_that_open(busy_world, login, request, persona) -> None:
    world, applicant = busy_world
    client = login(request.getfixturevalue(persona))
    for person in (world.member, applicant, world.secretary):
        url = reverse("core:person_detail", args=[person.pk])
        if client.get(url).status_code == 200:
            assert dead_links(client, url) == [], (persona, person.name)


@pytest.mark.parametrize(
    "persona", ["school_admin", "college_organizer", "branch_secretary", "outsider_organizer"]
)
def test_org_people_and_home_pages_draw_only_links_that_open(busy_world, login, request, persona) -> None:
    world, _applicant = busy_world
    client = login(request.getfixturevalue(persona))
    for url in ("/", reverse("core:person_list"), reverse("core:org_tree")):
        assert dead_links(client, url) == [], (persona, url)
    for org in (world.cs, world.cs_branch):
        url = reverse("core:org_detail", args=[org.pk])
        if client.get(url).status_code == 200:
            assert dead_links(client, url) == [], (persona, url)


def test_committee_of_a_college_links_only_people_the_viewer_may_open(world, login) -> None:
    """A college committee member whose branch is in another college: the other college's organizer
    sees the name, not a link that would answer 404."""
    services.position_assign(
        actor=None,
        person=world.fl_member,
        organization=world.cs,
        title=PositionTitle.MEMBER,
        started_on=date(2025, 1, 1),
    )
    viewer = f.user_for(None, "cs_only", (Role.COLLEGE_ORGANIZER, world.cs))
    page = login(viewer).get(reverse("core:org_detail", args=[world.cs.pk])).content.decode()
    assert world.fl_member.name in page
    assert reverse("core:person_detail", args=[world.fl_member.pk]) not in page

"""What a page costs once the user's scope and bell are warm (issue 20, ADR 0004), over the demo university:
a detail page at most 8 queries (session, user and the page's own), a list at most 12, as each persona
who opens it. The second request is counted: the first warms the per-user cache, as any session's first
click does. The few pages still above 8 are pinned where they stand, with the reason beside them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client

from dangjian.accounts.models import User
from dangjian.core.models import Organization, OrgKind
from dangjian.learning.models import TrainingClass
from dangjian.orglife.models import Meeting
from dangjian.recruitment.models import Case
from dangjian.transfers.models import Transfer

pytestmark = pytest.mark.django_db

DETAIL = 8
LIST = 12
# The 工作台 (issue 20): session and user, the scope's overview (counts 1, rule checks 1–2), every to-do
# provider's and every tile's counts in one statement (``DashboardTile.ask``), and the tiles that read rows:
# the next meeting (1), the branches run (1), next month's plans (1), the year's study hours (1), and the
# dues owed (2, only when some bill is unpaid) — one card each, the count grows with the modules' cards,
# not with the data. The person page's module cards are lazy (``PersonPanel.lazy``): a detail.
HOME = {"school_admin": LIST, "college_organizer": LIST, "branch_secretary": LIST, "member": 6}


def _pages() -> dict[str, list[tuple[str, int]]]:
    """Persona → [(url, most queries)], from the demo's own member, branch and college."""
    member = User.objects.select_related("person__organization").get(username="member").person
    branch = member.organization
    college = Organization.objects.get_parent(branch)
    meeting = Meeting.objects.filter(organization=branch, minutes__isnull=False).order_by("pk").first()
    attended = Meeting.objects.filter(attendees__person=member).order_by("pk").first()
    case = Case.objects.filter(branch=branch).order_by("pk").first()
    transfer = Transfer.objects.order_by("pk").first()
    klass = TrainingClass.objects.order_by("pk").first()
    assert meeting and attended and case and transfer and klass and branch.kind == OrgKind.BRANCH
    details = [
        f"/orgs/{branch.pk}/",
        f"/orglife/meetings/{meeting.pk}/",
        f"/recruitment/case/{case.pk}/",
        f"/dues/person/{member.pk}/",
        f"/dues/org/{branch.pk}/",
    ]
    lists = ["/people/", "/orglife/meetings/", "/recruitment/", "/transfers/", "/workbench/notifications/"]
    return {
        "school_admin": [
            ("/", HOME["school_admin"]),
            (f"/people/{member.pk}/", DETAIL),
            (f"/people/{member.pk}/cards/appraisal/", DETAIL),
            *((url, DETAIL) for url in details),
            (f"/transfers/{transfer.pk}/", DETAIL),
            (f"/learning/{klass.pk}/", DETAIL),
            (f"/people/{member.pk}/history/", DETAIL),
            # A college: its members' total from the summaries' counts, no COUNT of its own.
            (f"/orgs/{college.pk}/", DETAIL),
            *((url, LIST) for url in [*lists, "/audit/", "/orgs/", "/learning/"]),
        ],
        "college_organizer": [
            ("/", HOME["college_organizer"]),
            (f"/people/{member.pk}/", DETAIL),
            *((url, DETAIL) for url in details),
            (f"/orgs/{college.pk}/", DETAIL),
            *((url, LIST) for url in lists),
        ],
        "branch_secretary": [
            ("/", HOME["branch_secretary"]),
            (f"/people/{member.pk}/", DETAIL),
            *((url, DETAIL) for url in details),
            *((url, LIST) for url in lists),
        ],
        "member": [
            ("/", HOME["member"]),
            (f"/people/{member.pk}/", DETAIL),
            (f"/people/{member.pk}/cards/volunteer/", DETAIL),
            (f"/orglife/meetings/{attended.pk}/", DETAIL),
            ("/learning/me/", DETAIL),
            ("/dues/me/", DETAIL),
            ("/workbench/notifications/", LIST),
        ],
    }


def test_pages_cost_a_fixed_few_queries_once_warm(
    settings, tmp_path, django_assert_max_num_queries: Callable[..., object]
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.RATE_LIMITS_ENABLED = False
    call_command("seed_demo", size="small", seed=2026)
    for username, pages in _pages().items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url, most in pages:
            assert client.get(url).status_code == 200, (username, url)  # warms scope and bell
            with django_assert_max_num_queries(most, info=f"{username} {url}"):  # type: ignore[operator]
                assert client.get(url).status_code == 200

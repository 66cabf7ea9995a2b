"""The export is the screen: its link carries the page's month and the file holds the same rows; a
dues page draws a link only when its viewer may open it."""

from __future__ import annotations

import io
import re
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.roles import Role
from dangjian.core.models import Membership
from dangjian.dues import selectors, services
from tests import factories as f

OCT = date(2026, 10, 1)


def _rows(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [tuple(c.value for c in row) for row in book.active.iter_rows(min_row=2)]


def _export_href(html: str) -> str:
    (href,) = re.findall(r'href="([^"]*export\.xlsx[^"]*)"', html)
    return href.replace("&amp;", "&")


def test_the_export_link_carries_the_month_on_screen_and_the_file_holds_its_rows(
    billed, login, college_organizer
) -> None:
    services.payment_record(actor=None, person=billed.member, months=[OCT], method="cash")
    client = login(college_organizer)
    page = client.get(reverse("dues:org", args=[billed.cs_branch.pk]) + "?month=2026-10").content.decode()
    href = _export_href(page)
    assert href == reverse("dues:org_export", args=[billed.cs_branch.pk]) + "?month=2026-10"
    rows = _rows(client.get(href))
    screen = selectors.member_lines(billed.cs_branch, OCT)
    assert [r[0] for r in rows] == [line.name for line in screen]
    assert all(line.name in page for line in screen)
    member_row = next(r for r in rows if r[0] == "李晓红")
    assert str(member_row[6]) in ("76.5", "76.50")  # collected in October, as on the screen


def test_the_college_export_lists_the_child_orgs_shown(billed, login, college_organizer) -> None:
    client = login(college_organizer)
    page = client.get(reverse("dues:org", args=[billed.cs.pk]) + "?month=2026-11").content.decode()
    rows = _rows(client.get(_export_href(page)))
    assert [r[0] for r in rows] == [billed.cs_branch.name, billed.cs_branch2.name]
    assert all(r[0] in page for r in rows)


def test_a_viewer_without_export_sees_no_export_link_and_gets_404(billed, login) -> None:
    committee = f.user_for(None, "committee", (Role.BRANCH_COMMITTEE, billed.cs_branch))
    client = login(committee)
    page = client.get(reverse("dues:org", args=[billed.cs_branch.pk])).content.decode()
    assert page and "export.xlsx" not in page
    assert client.get(reverse("dues:org_export", args=[billed.cs_branch.pk])).status_code == 404


def test_a_member_who_moved_out_of_scope_is_listed_without_a_dead_link(
    billed, login, college_organizer
) -> None:
    services.payment_record(actor=None, person=billed.member, months=[OCT], method="cash")
    Membership.objects.filter(person=billed.member).update(organization=billed.fl_branch)  # transferred
    client = login(college_organizer)
    page = client.get(reverse("dues:org", args=[billed.cs_branch.pk]) + "?month=2026-10").content.decode()
    assert "李晓红" in page
    assert reverse("dues:person", args=[billed.member.pk]) not in page
    assert reverse("dues:person", args=[billed.secretary.pk]) in page
    assert client.get(reverse("dues:person", args=[billed.member.pk])).status_code == 404


def test_queues_link_only_to_members_the_viewer_may_open(billed, login, college_organizer) -> None:
    relief = services.relief_request(
        actor=None, person=billed.member, kind="exempt", from_month=OCT, to_month=OCT, reason="困难"
    )
    client = login(college_organizer)
    assert (
        reverse("dues:person", args=[billed.member.pk])
        in client.get(reverse("dues:reliefs")).content.decode()
    )
    Membership.objects.filter(person=billed.member).update(organization=billed.fl_branch)
    queue = client.get(reverse("dues:reliefs")).content.decode()
    assert "李晓红" in queue and reverse("dues:person", args=[billed.member.pk]) not in queue
    assert reverse("dues:relief_decide", args=[relief.pk]) in queue

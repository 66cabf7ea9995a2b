"""The export is the screen: its link carries the page's month and the file holds the same rows; a
dues page draws a link only when its viewer may open it."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.roles import Role
from dangjian.accounts.scope import Scope
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
    services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[OCT], method="cash"
    )
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
    services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[OCT], method="cash"
    )
    Membership.objects.filter(person=billed.member).update(organization=billed.fl_branch)  # transferred
    client = login(college_organizer)
    page = client.get(reverse("dues:org", args=[billed.cs_branch.pk]) + "?month=2026-10").content.decode()
    assert "李晓红" in page
    assert reverse("dues:person", args=[billed.member.pk]) not in page
    assert reverse("dues:person", args=[billed.secretary.pk]) in page
    assert client.get(reverse("dues:person", args=[billed.member.pk])).status_code == 404


def test_queues_link_only_to_members_the_viewer_may_open(billed, login, college_organizer) -> None:
    relief = services.relief_request(
        actor=None,
        scope=Scope.system(),
        person=billed.member,
        kind="exempt",
        from_month=OCT,
        to_month=OCT,
        reason="困难",
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


# ---------------------------------------------------------------- 冲正 after a member moved


def _reverse_links(html: str) -> set[str]:
    return set(re.findall(r'href="(/dues/entries/\d+/reverse/)"', html))


@pytest.fixture
def moved(billed, today):
    """The member paid October in her old branch, then moved to 本科生党支部 and paid November there."""
    from dangjian.core.services import membership_move

    (old,) = services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[OCT], method="cash"
    )
    membership_move(
        actor=None,
        membership=Membership.objects.get(person=billed.member),
        to_branch=billed.cs_branch2,
        on=today,
        reason="调动",
    )
    (new,) = services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[date(2026, 11, 1)], method="cash"
    )
    assert old.organization == billed.cs_branch and new.organization == billed.cs_branch2
    return {"old": old, "new": new}


def test_the_new_branch_sees_no_reversal_link_on_the_old_branchs_entries(billed, moved, login) -> None:
    new_secretary = f.user_for(None, "new_secretary", (Role.BRANCH_SECRETARY, billed.cs_branch2))
    client = login(new_secretary)
    page = client.get(reverse("dues:person", args=[billed.member.pk]))
    assert page.status_code == 200
    assert _reverse_links(page.content.decode()) == {reverse("dues:entry_reverse", args=[moved["new"].pk])}
    assert client.get(reverse("dues:entry_reverse", args=[moved["old"].pk])).status_code == 404


def test_the_branch_that_recorded_an_entry_still_reverses_it(
    billed, moved, login, branch_secretary, college_organizer
) -> None:
    old_url = reverse("dues:entry_reverse", args=[moved["old"].pk])
    # the old branch's secretary no longer opens the member's page, but the entry's correction is theirs
    assert login(branch_secretary).get(old_url).status_code == 200
    assert login(branch_secretary).get(reverse("dues:person", args=[billed.member.pk])).status_code == 404
    # whoever collects for both branches sees both links
    page = login(college_organizer).get(reverse("dues:person", args=[billed.member.pk])).content.decode()
    assert _reverse_links(page) == {old_url, reverse("dues:entry_reverse", args=[moved["new"].pk])}


def test_my_dues_draws_no_reversal_link_even_for_a_secretary(billed, login, branch_secretary) -> None:
    services.payment_record(
        actor=None, scope=Scope.system(), person=billed.secretary, months=[OCT], method="cash"
    )
    page = login(branch_secretary).get(reverse("dues:me")).content.decode()
    assert "¥76.50" in page and not _reverse_links(page)


def test_the_person_page_queries_do_not_grow_with_its_ledger(
    billed, login, college_organizer, django_assert_max_num_queries
) -> None:
    from decimal import Decimal

    from dangjian.dues.models import Entry

    def add_entries(n: int) -> None:
        Entry.objects.bulk_create(
            Entry(
                person=billed.member,
                organization=billed.cs_branch if i % 2 else billed.cs_branch2,
                kind="payment",
                month=OCT,
                period=OCT,
                amount=Decimal("1.00"),
                method="cash",
                batch=f"b{n}-{i}",
            )
            for i in range(n)
        )

    client = login(college_organizer)
    url = reverse("dues:person", args=[billed.member.pk])
    add_entries(2)
    client.get(url)  # warm the session and scope caches
    with django_assert_max_num_queries(QUERIES_PERSON_PAGE):
        few = client.get(url)
    add_entries(48)
    with django_assert_max_num_queries(QUERIES_PERSON_PAGE):
        many = client.get(url)
    assert len(_reverse_links(many.content.decode())) == 50 > len(_reverse_links(few.content.decode()))


QUERIES_PERSON_PAGE = 11  # the whole page, whatever the number of ledger rows


def test_the_record_link_follows_the_core_rule_of_who_may_open_a_person(
    billed, login, branch_secretary
) -> None:
    from dangjian.core.models import Person

    record = reverse("core:person_detail", args=[billed.member.pk])
    client = login(branch_secretary)
    assert record in client.get(reverse("dues:person", args=[billed.member.pk])).content.decode()
    # her responsible org is now another college's branch: her record no longer opens for this secretary
    Person.objects.filter(pk=billed.member.pk).update(organization=billed.fl_branch)
    page = client.get(reverse("dues:person", args=[billed.member.pk]))
    assert page.status_code == 200 and record not in page.content.decode()
    assert client.get(record).status_code == 404


def test_the_org_page_draws_its_buttons_by_the_access_predicates(
    billed, login, college_organizer, monkeypatch
) -> None:
    from dangjian.dues import access

    client = login(college_organizer)
    branch_url = reverse("dues:org", args=[billed.cs_branch.pk])
    year_link = reverse("dues:year_confirm", args=[billed.cs_branch.pk])
    assert year_link in client.get(branch_url).content.decode()
    monkeypatch.setattr(access, "may_manage", lambda scope, org: False)
    assert year_link not in client.get(branch_url).content.decode()
    college = client.get(reverse("dues:org", args=[billed.cs.pk]))
    assert college.context["can_confirm_children"] is True
    monkeypatch.setattr(access, "may_confirm_below", lambda scope, org: False)
    college = client.get(reverse("dues:org", args=[billed.cs.pk]))
    assert college.context["can_confirm_children"] is False

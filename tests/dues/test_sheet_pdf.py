"""The branch's printed 党费收缴表 (A4 PDF) for a month."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.dues import selectors, services

URL = "dues:org_sheet_pdf"


def test_the_sheet_lists_each_member_with_state_and_totals(billed) -> None:
    services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[date(2026, 11, 1)], method="cash"
    )
    services.declaration_submit(
        actor=None, scope=Scope.system(), person=billed.secretary, months=[date(2026, 11, 1)], method="cash"
    )
    sheet = selectors.collection_sheet(billed.cs_branch, date(2026, 11, 1))
    states = {r.name: (r.state, r.paid_on, str(r.base), r.rate) for r in sheet["rows"]}
    assert states["李晓红"] == ("paid", date(2026, 11, 15), "5100.00", "1.5%")
    assert states["王建国"][0] == "pending" and states["王建国"][1] is None
    assert str(sheet["due_total"]) == "229.50" and str(sheet["paid_total"]) == "76.50"
    assert sheet["counts"]["paid"] == 1 and sheet["counts"]["pending"] == 1


def test_secretary_prints_the_month_as_a_pdf(
    billed, login, branch_secretary, django_assert_max_num_queries
) -> None:
    client = login(branch_secretary)
    page = client.get(reverse("dues:org", args=[billed.cs_branch.pk]) + "?month=2026-11").content.decode()
    url = reverse(URL, args=[billed.cs_branch.pk]) + "?month=2026-11"
    assert url.replace("&", "&amp;") in page and "打印收缴表" in page
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "dues-sheet-" in response["Content-Disposition"]


def test_outsider_gets_404(billed, login, outsider_organizer) -> None:
    url = reverse(URL, args=[billed.cs_branch.pk]) + "?month=2026-11"
    assert login(outsider_organizer).get(url).status_code == 404


def test_a_plain_member_gets_404(billed, login, member_user) -> None:
    assert login(member_user).get(reverse(URL, args=[billed.cs_branch.pk])).status_code == 404


def test_only_branches_have_a_sheet(billed, login, college_organizer) -> None:
    assert login(college_organizer).get(reverse(URL, args=[billed.cs.pk])).status_code == 404

"""The dues to-dos: branches yet to hand up last month's dues are one line when there are several."""

from __future__ import annotations

from django.urls import reverse

from dangjian.accounts.requests import scope_of
from dangjian.dues.models import MonthReport, ReportStatus
from dangjian.dues.todos import dues_todos


def _titles(client, user) -> list[str]:
    request = client.get("/").wsgi_request
    return [t.title for t in dues_todos(user, scope_of(request))]


def test_several_branches_to_hand_up_read_as_one_line(billed, login, school_admin) -> None:
    reports = MonthReport.objects.filter(month__year=2026, month__month=10, due_count__gt=0)
    assert reports.count() > 1
    titles = _titles(login(school_admin), school_admin)
    assert f"{reports.count()} 个党支部 2026-10 党费待上交" in titles
    assert not any(t.endswith("党支部 2026-10 党费待上交") and "个党支部" not in t for t in titles)


def test_a_single_branch_to_hand_up_is_named(billed, login, school_admin, world) -> None:
    october = MonthReport.objects.filter(month__year=2026, month__month=10)
    october.exclude(organization=world.cs_branch).delete()
    titles = _titles(login(school_admin), school_admin)
    assert f"{world.cs_branch.name} 2026-10 党费待上交" in titles


def test_a_secretarys_month_sent_back_is_named_as_a_warning_from_the_counts(
    billed, login, branch_secretary, world, django_assert_max_num_queries
) -> None:
    october = MonthReport.objects.filter(month__year=2026, month__month=10)
    october.filter(organization=world.cs_branch).update(status=ReportStatus.RETURNED)
    request = login(branch_secretary).get("/").wsgi_request
    scope = scope_of(request)
    with django_assert_max_num_queries(1):  # the counts; the branch's name is the secretary's grant
        items = [t for t in dues_todos(branch_secretary, scope) if "党费待上交" in t.title]
    assert [(t.title, t.severity) for t in items] == [
        (f"{world.cs_branch.name} 2026-10 党费待上交", "warning")
    ]
    assert items[0].link == reverse("dues:org", args=[world.cs_branch.pk]) + "?month=2026-10"

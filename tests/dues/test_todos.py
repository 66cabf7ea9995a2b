"""The dues to-dos: branches yet to hand up last month's dues are one line when there are several."""

from __future__ import annotations

from dangjian.accounts.requests import scope_of
from dangjian.dues.models import MonthReport
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

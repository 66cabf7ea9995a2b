"""工作台 tiles: 我的党费 for a member, the declarations waiting for a collector."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.dues import services
from dangjian.dues.panels import declarations_tile, my_dues_tile


def _context(tile, user, django_assert_max_num_queries, limit):
    request = RequestFactory().get("/")
    request.user = user
    scope = resolve_scope(user)
    with django_assert_max_num_queries(limit):
        return tile(request, scope)


def _declare(person, month: int) -> None:
    services.declaration_submit(
        actor=None, scope=Scope.system(), person=person, months=[date(2026, month, 1)], method="cash"
    )


def test_member_tile_says_what_is_owed_with_a_one_tap_link(
    billed, login, member_user, django_assert_max_num_queries
) -> None:
    # On its own: the two counts (on the 工作台 they ride with the to-dos), the declarations, the bills.
    tile = _context(my_dues_tile, member_user, django_assert_max_num_queries, 4)
    assert tile["owed_count"] == 3 and str(tile["owed_total"]) == "229.50" and tile["pending_count"] == 0
    home = login(member_user).get(reverse("web:home")).content.decode()
    assert 'data-tile="dues.mine"' in home and "3 个月未交" in home and reverse("dues:declare") in home
    assert 'data-tile="dues.declarations"' not in home  # a plain member collects nothing


def test_member_tile_shows_months_waiting_for_the_branch(
    billed, login, member_user, django_assert_max_num_queries
) -> None:
    services.payment_record(
        actor=None,
        scope=Scope.system(),
        person=billed.member,
        months=[date(2026, 9, 1), date(2026, 10, 1)],
        method="cash",
    )
    _declare(billed.member, 11)
    tile = _context(my_dues_tile, member_user, django_assert_max_num_queries, 4)
    assert (tile["owed_count"], tile["pending_count"]) == (0, 1)
    home = login(member_user).get(reverse("web:home")).content.decode()
    assert "待确认" in home and "已申报，等待支部确认" in home


def test_member_tile_says_paid_up(billed, login, member_user, django_assert_max_num_queries) -> None:
    services.payment_record(
        actor=None,
        scope=Scope.system(),
        person=billed.member,
        months=[date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)],
        method="cash",
    )
    tile = _context(
        my_dues_tile, member_user, django_assert_max_num_queries, 2
    )  # nothing unpaid: no rows read
    assert tile == {"owed_count": 0, "owed_total": 0, "pending_count": 0, "pending_total": 0}
    home = login(member_user).get(reverse("web:home")).content.decode()
    assert 'data-tile="dues.mine"' in home and "已交清" in home


def test_no_member_tile_for_someone_without_a_membership(
    billed, college_organizer, django_assert_max_num_queries
) -> None:
    assert _context(my_dues_tile, college_organizer, django_assert_max_num_queries, 1) is None


@pytest.mark.parametrize("persona", ["branch_secretary", "college_organizer"])
def test_collectors_see_the_declarations_waiting_with_a_link_to_the_batch(
    persona, billed, login, request, django_assert_max_num_queries
) -> None:
    user = request.getfixturevalue(persona)
    assert _context(declarations_tile, user, django_assert_max_num_queries, 1) is None  # nothing waiting
    _declare(billed.member, 11)
    _declare(billed.secretary, 11)
    tile = _context(declarations_tile, user, django_assert_max_num_queries, 1)
    assert tile == {"count": 2}
    home = login(user).get(reverse("web:home")).content.decode()
    assert 'data-tile="dues.declarations"' in home and "2 条申报等待确认收到" in home
    assert reverse("dues:declarations") in home


def test_an_outsider_collector_sees_no_count_from_another_college(
    billed, outsider_organizer, django_assert_max_num_queries
) -> None:
    _declare(billed.member, 11)
    assert _context(declarations_tile, outsider_organizer, django_assert_max_num_queries, 1) is None

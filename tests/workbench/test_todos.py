"""The to-do centre asks every counting provider's questions in one query, and lists what each provider
would list on its own."""

from __future__ import annotations

import pytest

from dangjian import hooks
from dangjian.accounts.scope import resolve_scope
from dangjian.kit.counting import count_together
from dangjian.workbench.todos import todos_for

PERSONAS = ["school_admin", "college_organizer", "branch_secretary", "member_user"]


def _alone(user, scope) -> list[hooks.TodoItem]:
    items: list[hooks.TodoItem] = []
    for provider in hooks.todos.all():
        if provider.ask is not None and provider.answer is not None:
            items.extend(provider.answer(user, scope, count_together(provider.ask(user, scope))))
        elif provider.items is not None:
            items.extend(provider.items(user, scope))
    return items


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_centre_lists_what_each_provider_lists_on_its_own(persona, request) -> None:
    user = request.getfixturevalue(persona)
    together = todos_for(user, resolve_scope(user))
    assert sorted(together, key=repr) == sorted(_alone(user, resolve_scope(user)), key=repr)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_counting_providers_cost_one_query_together(
    persona, request, django_assert_max_num_queries
) -> None:
    user = request.getfixturevalue(persona)
    scope = resolve_scope(user)
    counting = [p for p in hooks.todos.all() if p.ask is not None]
    assert len(counting) >= 12
    # One statement for every counting provider; the rule-check digest (2) and the alerts' grouped
    # count (1) are the two that read rows; the dues' unpaid sum and a single branch's month to hand up
    # are read only when there are some.
    with django_assert_max_num_queries(6):
        todos_for(user, scope)


def test_a_provider_gives_items_or_ask_and_answer() -> None:
    def answer(user, scope, counts):
        return []

    with pytest.raises(ValueError):
        hooks.TodoProvider("neither")
    with pytest.raises(ValueError):
        hooks.TodoProvider("both", items=lambda u, s: [], ask=lambda u, s: {}, answer=answer)
    with pytest.raises(ValueError):
        hooks.TodoProvider("half", ask=lambda u, s: {})
    assert hooks.TodoProvider("counting", ask=lambda u, s: {}, answer=answer).answer is answer


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_tiles_questions_ride_with_the_to_dos_and_read_back_the_same(persona, request) -> None:
    """A tile that asks (``DashboardTile.ask``) is counted in the to-dos' statement; its card is the one
    it draws when it counts on its own."""
    from django.test import RequestFactory

    user = request.getfixturevalue(persona)
    asking = [t for t in hooks.tiles.all() if t.ask is not None]
    assert {t.key for t in asking} >= {"dues.mine", "orglife.secretary"}
    http = RequestFactory().get("/")
    http.user = user
    together = resolve_scope(user)
    questions = {f"tile.{t.key}:{k}": qs for t in asking for k, qs in t.ask(http, together).items()}
    todos_for(user, together, also=questions)
    for tile in asking:
        assert tile.context(http, together) == tile.context(http, resolve_scope(user)), tile.key

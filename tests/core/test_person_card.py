"""A module's lazy card on the person page (``hooks.PersonPanel.lazy``): the page draws only its place,
and the card comes from its own URL when that place comes into view — through the same door as the page
(404 out of scope), nothing when the module has nothing to show."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dangjian import hooks
from dangjian.hooks import PersonPanel


def _grades(request: Any, scope: Any, person: Any) -> dict[str, Any] | None:
    return {"name": person.name} if person.name != "nobody" else None


LAZY = PersonPanel("test.lazy", "dummy_module/_card.html", order=98, context=_grades, slot="cards", lazy=True)


@pytest.fixture
def lazy_card():
    with hooks.person_panels.contributed(LAZY):
        yield LAZY


def test_the_page_draws_the_place_and_the_card_comes_from_its_url(
    world, login, school_admin, lazy_card
) -> None:
    client = login(school_admin)
    page = client.get(reverse("core:person_detail", args=[world.member.pk])).content.decode()
    url = reverse("core:person_card", args=[world.member.pk, "test.lazy"])
    assert f'hx-get="{url}"' in page and 'hx-trigger="revealed"' in page
    card = client.get(url, HTTP_HX_REQUEST="true")
    assert card.status_code == 200 and "<html" not in card.content.decode()
    assert card.content.decode() == client.get(url).content.decode()


def test_a_card_with_nothing_to_show_leaves_nothing(world, login, school_admin, lazy_card) -> None:
    world.member.name = "nobody"
    world.member.save(update_fields=["name"])
    card = login(school_admin).get(reverse("core:person_card", args=[world.member.pk, "test.lazy"]))
    assert card.status_code == 200 and card.content == b""


def test_a_card_is_refused_outside_the_scope(
    world, login, outsider_organizer, member_user, lazy_card
) -> None:
    url = reverse("core:person_card", args=[world.member.pk, "test.lazy"])
    assert login(outsider_organizer).get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert login(member_user).get(url).status_code == 200  # their own record


def test_only_a_lazy_card_has_a_url(world, login, school_admin, lazy_card) -> None:
    client = login(school_admin)
    for key in ("no.such.card", "dummy.card", "dues"):  # unknown; a card drawn with the page; an action
        assert client.get(reverse("core:person_card", args=[world.member.pk, key])).status_code == 404


def test_only_a_card_can_be_lazy() -> None:
    with pytest.raises(ValueError, match="only a card"):
        PersonPanel("x", "x.html", order=1, context=_grades, slot="actions", lazy=True)

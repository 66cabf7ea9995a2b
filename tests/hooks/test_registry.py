"""The registries: ordered, typed, one item per key; demo seeders run after what they need."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from dangjian import hooks
from dangjian.hooks.points import DemoSeeder, NavEntry
from dangjian.hooks.registry import Registry
from dangjian.hooks.seeding import seeding_order


def _entry(url_name: str, order: int) -> NavEntry:
    return NavEntry(url_name, url_name, "x", order=order)


def test_items_come_by_order_then_key() -> None:
    nav: Registry[NavEntry] = Registry("nav", key=lambda e: e.url_name, order=lambda e: e.order)
    for entry in (_entry("b", 20), _entry("c", 10), _entry("a", 20)):
        nav.add(entry)
    assert [e.url_name for e in nav.all()] == ["c", "a", "b"]


def test_a_key_is_contributed_once() -> None:
    nav: Registry[NavEntry] = Registry("nav", key=lambda e: e.url_name)
    nav.add(_entry("a", 1))
    nav.add(_entry("a", 1))  # the same item again (a module imported twice) is harmless
    with pytest.raises(ImproperlyConfigured, match="contributed twice"):
        nav.add(_entry("a", 2))


def test_contributed_adds_for_a_block_only() -> None:
    before = len(hooks.nav)
    with hooks.nav.contributed(_entry("web:home-test", 1)):
        assert "web:home-test" in hooks.nav
    assert "web:home-test" not in hooks.nav and len(hooks.nav) == before


def _seeder(name: str, *after: str) -> DemoSeeder:
    return DemoSeeder(name, lambda seed: {}, after=after)


def test_seeders_run_after_what_they_need_ties_in_contribution_order() -> None:
    order = seeding_order([_seeder("c", "b"), _seeder("a"), _seeder("b", "a"), _seeder("d")])
    assert [s.name for s in order] == ["a", "b", "c", "d"]


@pytest.mark.parametrize(
    ("seeders", "message"),
    [
        ([_seeder("a", "nobody")], "nobody seeds"),
        ([_seeder("a", "b"), _seeder("b", "a")], "wait for each other"),
    ],
)
def test_seeding_refuses_a_missing_or_circular_need(seeders: list[DemoSeeder], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        seeding_order(seeders)


def test_the_platform_seeds_its_modules_in_the_order_their_data_needs() -> None:
    names = [s.name for s in seeding_order(hooks.seeders.all())]
    platform = [n for n in names if n != "dummy"]
    assert platform == [
        "dues",
        "transfers",
        "recruitment",
        "learning",
        "orglife",
        "orglife.supervision",
        "orglife.absence",
        "reporting",
        "returns",
        "appraisal",
        "onestop",
        "news",
        "news.attention",
        "news.feeds",
        "mailbox",
        # After every module whose data they read: the warnings find the letters overdue, the indices
        # count the reads and the volunteers.
        "insights.warnings",
        "volunteer",
        "insights.indices",
        "insights.assessment",
    ]


def test_every_menu_entry_sits_in_a_declared_section_in_the_platforms_order() -> None:
    sections = [s.key for s in hooks.nav_sections.all()]
    assert [k for k in sections if k != "dummy"] == [
        "people",
        "orglife",
        "recruitment",
        "dues",
        "learning",
        "transfers",
        "insights",
        "news",
        "services",
        "stats",
        "system",
        "mine",
    ]
    for entry in hooks.nav.all():
        assert entry.group == "" or entry.group in sections, entry


def test_last_contacts_are_keyed_and_contributed_for_a_block() -> None:
    from datetime import date

    contact = hooks.LastContact("test.contact", "Test", lambda: [(1, date(2026, 1, 1))])
    with hooks.last_contacts.contributed(contact):
        assert list(hooks.last_contacts.get("test.contact").last_dates()) == [(1, date(2026, 1, 1))]
        with pytest.raises(ImproperlyConfigured, match="contributed twice"):
            hooks.last_contacts.add(hooks.LastContact("test.contact", "Other", lambda: []))
    assert "test.contact" not in hooks.last_contacts

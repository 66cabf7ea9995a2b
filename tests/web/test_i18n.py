"""Chinese by default (whatever the browser says); English when the user chooses it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation


def test_chinese_by_default_even_for_an_english_browser(login, member_user) -> None:
    page = login(member_user).get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "工作台" in page and 'lang="zh-hans"' in page


def test_english_when_chosen(login, member_user) -> None:
    client = login(member_user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("web:home")).content.decode()
    assert "Workbench" in page and 'lang="en"' in page


def test_rule_messages_are_translated(world, login, school_admin) -> None:
    client = login(school_admin)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("core:org_detail", args=[world.cs_branch2.pk])).content.decode()
    assert "not enough to form a Party Branch" in page


def test_a_page_asked_in_english_leaves_english_active_in_the_thread(login, member_user) -> None:
    """Why tests/conftest.py resets the language around every test (the next one below checks it)."""
    client = login(member_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.get(reverse("web:home"))
    assert translation.get_language() == "en"  # what the middleware leaves in the thread


def test_a_test_after_an_english_page_starts_in_chinese() -> None:
    assert translation.get_language() == "zh-hans"

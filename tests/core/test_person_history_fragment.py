"""The person page's 变更历史 card is drawn when it comes into view (htmx), from its own URL: the same
door as the page, the same timeline, a page of its own without JavaScript."""

from __future__ import annotations

from django.urls import reverse

from dangjian.core import services


def test_the_page_leaves_the_history_to_its_fragment(world, login, school_admin) -> None:
    services.person_update(actor=None, person=world.member, title="教授")
    client = login(school_admin)
    page = client.get(reverse("core:person_detail", args=[world.member.pk])).content.decode()
    url = reverse("core:person_history", args=[world.member.pk])
    assert f'hx-get="{url}"' in page and 'hx-trigger="revealed"' in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "人员信息" in fragment and "修改" in fragment and "<html" not in fragment
    full = client.get(url).content.decode()
    assert "<html" in full and "变更历史" in full and "人员信息" in full


def test_the_history_is_refused_outside_the_scope(world, login, outsider_organizer, member_user) -> None:
    url = reverse("core:person_history", args=[world.member.pk])
    assert login(outsider_organizer).get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert login(member_user).get(url).status_code == 200  # their own record

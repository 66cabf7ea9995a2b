"""Every main page renders for the personas who may see it."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "name",
    [
        "web:home",
        "core:org_tree",
        "core:rule_checks",
        "core:person_list",
        "audit:log",
        "workbench:notifications",
        "accounts:me",
    ],
)
def test_school_admin_sees_main_pages(name, login, school_admin) -> None:
    response = login(school_admin).get(reverse(name))
    assert response.status_code == 200


def test_org_detail_and_person_detail_render(login, college_organizer, world) -> None:
    client = login(college_organizer)
    assert client.get(reverse("core:org_detail", args=[world.cs_branch.pk])).status_code == 200
    assert client.get(reverse("core:person_detail", args=[world.member.pk])).status_code == 200
    assert (
        client.get(reverse("core:person_detail", args=[world.member.pk]) + "?as_of=2020-01-01").status_code
        == 200
    )
    assert client.get(reverse("core:org_children", args=[world.cs.pk])).status_code == 200

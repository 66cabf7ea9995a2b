"""The import pages share one layout: the template link, the dry-run steps and the column notes."""

from __future__ import annotations

from django.urls import reverse


def test_the_people_import_page_lists_the_steps_and_columns(login, college_organizer) -> None:
    page = login(college_organizer).get(reverse("core:import", args=["people"])).content.decode()
    assert reverse("core:import_template", args=["people"]) in page
    assert "也可以只导入无误的行" in page and "列说明" in page and "身份证号码" in page


def test_the_recruitment_import_page_says_rules_only_warn(login, college_organizer) -> None:
    page = login(college_organizer).get(reverse("recruitment:import")).content.decode()
    assert reverse("recruitment:import_template") in page
    assert "不阻止导入" in page and "任何一行出错都不写入" in page and "列说明" in page

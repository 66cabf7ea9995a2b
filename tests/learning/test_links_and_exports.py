"""No dead links on the 党校 pages, and the class roster export: the page's live query, the rows the
class page shows (every page of them), with the same columns of personal data."""

from __future__ import annotations

import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.scope import Scope
from dangjian.core.models import PoliticalStatus
from dangjian.learning import services
from dangjian.learning.models import ClassKind
from tests.learning.conftest import make_class, with_status
from tests.recruitment.test_links_and_exports import assert_no_dead_links, links


def test_the_class_pages_have_no_dead_links(school, candidate_class, login, college_organizer) -> None:
    services.enrolment_add(
        actor=None, scope=Scope.system(), training_class=candidate_class, person=school.candidate
    )
    client = login(college_organizer)
    for url in (
        reverse("learning:classes"),
        reverse("learning:class", args=[candidate_class.pk]),
        reverse("learning:certificates"),
        reverse("learning:me"),
    ):
        for href in links(client, url, prefix="/learning/"):
            assert client.get(href).status_code != 404, href
    assert_no_dead_links(client, reverse("learning:class", args=[candidate_class.pk]))


def test_the_roster_export_holds_every_row_of_the_class_page(world, login, college_organizer) -> None:
    training_class = make_class(world, ClassKind.ACTIVIST)
    for i in range(5):
        person = with_status(f"学员{i}", world.cs_branch2, PoliticalStatus.ACTIVIST, staff_number=f"S{i:03d}")
        services.enrolment_add(actor=None, scope=Scope.system(), training_class=training_class, person=person)
    client = login(college_organizer)
    url = reverse("learning:class", args=[training_class.pk]) + "?page=1"
    page = client.get(url).content.decode()
    export = [h for h in links(client, url, prefix="/learning/") if "export" in h]
    assert export == [reverse("learning:class_export", args=[training_class.pk])]  # the page number dropped
    response = client.get(export[0])
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    on_screen = re.findall(r'<a href="/learning/\d+/enrolments/\d+/">([^<]+)</a>', page)
    assert [r[1] for r in rows[1:]] == on_screen and len(on_screen) == 5
    # The staff number is on the screen beside the name, and in the file: the same personal data.
    assert all(r[0] in page for r in rows[1:])

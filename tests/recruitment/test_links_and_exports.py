"""No dead links on the 发展党员 pages (every link a page draws opens for its viewer), and the Excel
export carries the board's live filters and holds the rows the board shows."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.scope import Scope
from dangjian.recruitment import services
from dangjian.recruitment.models import StepRecord
from tests import factories as f

D = date
TODAY = D(2026, 11, 20)
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def links(client, url: str, prefix: str = "/recruitment/") -> set[str]:
    page = client.get(url)
    assert page.status_code == 200, url
    hrefs = {html.unescape(h) for h in re.findall(r'href="([^"#]+)"', page.content.decode())}
    return {h for h in hrefs if h.startswith(prefix)}


def assert_no_dead_links(client, url: str) -> set[str]:
    found = links(client, url)
    dead = [h for h in found if client.get(h).status_code == 404]
    assert not dead, dead
    return found


@pytest.fixture
def applicant(world):
    return f.person("陈同学", organization=world.cs_branch2, birth=D(2003, 5, 1))


@pytest.fixture
def case(world, applicant):
    c = services.case_open(
        scope=Scope.system(), actor=None, person=applicant, branch=world.cs_branch2, applied_on=D(2026, 9, 1)
    )
    services.step_record(
        actor=None, scope=Scope.system(), case=c, code="talk", done_on=D(2026, 9, 10), today=TODAY
    )
    for code in ("apply", "talk"):
        record = StepRecord.objects.get(case=c, step__code=code)
        services.document_add(
            actor=None, scope=Scope.system(), record=record, upload=SimpleUploadedFile(f"{code}.pdf", PDF)
        )
    return c


def test_the_applicants_own_case_page_draws_only_links_they_may_open(case, applicant, login) -> None:
    client = login(f.user_for(applicant, "chen"))
    url = reverse("recruitment:case", args=[case.pk])
    found = assert_no_dead_links(client, url)
    apply, talk = (StepRecord.objects.get(case=case, step__code=c) for c in ("apply", "talk"))
    assert reverse("recruitment:record_pdf", args=[case.pk]) not in found  # the branch's 纪实表
    assert reverse("recruitment:document_add", args=[case.pk, apply.pk]) in found  # their own 申请书
    assert reverse("recruitment:document_add", args=[case.pk, talk.pk]) not in found  # the branch's step
    assert reverse("recruitment:document", args=[case.pk, talk.documents.get().pk]) not in found
    assert_no_dead_links(client, reverse("recruitment:me"))


@pytest.mark.parametrize("persona", ["college_organizer", "school_admin"])
def test_the_organizers_pages_have_no_dead_links(case, login, persona, request) -> None:
    client = login(request.getfixturevalue(persona))
    found = assert_no_dead_links(client, reverse("recruitment:case", args=[case.pk]))
    assert reverse("recruitment:record_pdf", args=[case.pk]) in found
    assert_no_dead_links(client, reverse("recruitment:board"))
    assert_no_dead_links(client, reverse("recruitment:queue"))
    assert_no_dead_links(client, reverse("recruitment:alerts"))
    assert_no_dead_links(client, reverse("recruitment:alerts") + "?kind=violations")


def test_the_holiday_pages_have_no_dead_links(login, school_admin) -> None:
    client = login(school_admin)
    for href in links(client, reverse("recruitment:holidays")):
        assert_no_dead_links(client, href)


def test_a_stopped_case_draws_no_upload_and_the_upload_page_is_404(world, login, college_organizer) -> None:
    p = f.person("预备丙", organization=world.cs_branch2, birth=D(2000, 1, 1))
    c = services.case_open(
        scope=Scope.system(), actor=None, person=p, branch=world.cs_branch2, applied_on=D(2024, 1, 1)
    )
    from tests.recruitment.steps import advance

    advance(c, "assign_group", today=TODAY)
    services.probation_cancel(
        actor=None,
        scope=Scope.system(),
        case=c,
        resolved_on=D(2026, 11, 10),
        approved_on=D(2026, 11, 18),
        reason="x",
    )
    client = login(college_organizer)
    found = assert_no_dead_links(client, reverse("recruitment:case", args=[c.pk]))
    record = StepRecord.objects.get(case=c, step__code="talk")
    url = reverse("recruitment:document_add", args=[c.pk, record.pk])
    assert url not in found and client.get(url).status_code == 404


def _names(response) -> list[str]:
    rows = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    return [str(r[0]) for r in list(rows)[1:]]


@pytest.mark.parametrize("query", ["?stage=activist", "?q=ji", "?stage=applicant&q=zhang", ""])
def test_the_export_link_carries_the_boards_filters_and_holds_its_rows(
    world, login, college_organizer, query
) -> None:
    for name, activist in (("积极甲", True), ("积极乙", True), ("张申请", False), ("李申请", False)):
        p = f.person(name, organization=world.cs_branch2, birth=D(2000, 1, 1))
        c = services.case_open(
            scope=Scope.system(), actor=None, person=p, branch=world.cs_branch2, applied_on=D(2026, 9, 1)
        )
        if activist:
            services.step_record(
                actor=None, scope=Scope.system(), case=c, code="talk", done_on=D(2026, 9, 5), today=TODAY
            )
            services.step_record(
                actor=None, scope=Scope.system(), case=c, code="activist", done_on=D(2026, 11, 1), today=TODAY
            )
    client = login(college_organizer)
    board = reverse("recruitment:board") + query + ("&" if query else "?") + "page=1"
    page = client.get(board).content.decode()
    export = [h for h in links(client, board) if h.startswith(reverse("recruitment:export"))]
    assert len(export) == 1 and "page=" not in export[0]
    for key_value in query.lstrip("?").split("&") if query else []:
        assert key_value in export[0]
    on_screen = re.findall(r'href="/recruitment/case/\d+/">([^<]+)</a>', page)
    assert on_screen and _names(client.get(export[0])) == on_screen


def test_the_export_link_is_drawn_only_for_who_may_export(world, case, login, college_organizer) -> None:
    """A branch secretary who manages recruitment and may export in the branch gets a working link."""
    from dangjian.core import services as core

    sec = f.member(world.cs_branch2, "支部书记乙", joined_on=D(2010, 7, 1), full_on=D(2011, 7, 1))
    core.position_assign(
        actor=None, person=sec, organization=world.cs_branch2, title="secretary", started_on=D(2024, 9, 1)
    )
    client = login(f.user_for(sec, "secretary2"))
    found = assert_no_dead_links(client, reverse("recruitment:board"))
    assert any(h.startswith(reverse("recruitment:export")) for h in found)
    assert reverse("recruitment:queue") not in found  # the committee above's queue

"""Who recorded a step shows as the person's name (``User.display_name``), not the login name."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from dangjian import audit
from dangjian.accounts.scope import Scope
from dangjian.recruitment import services
from tests import factories as f


@pytest.fixture
def recorder(world):
    """A branch secretary whose login name is not her name."""
    from dangjian.core import services as core

    sec = f.member(world.cs_branch2, "周书记", joined_on=date(2010, 7, 1), full_on=date(2011, 7, 1))
    core.position_assign(
        actor=None, person=sec, organization=world.cs_branch2, title="secretary", started_on=date(2024, 9, 1)
    )
    return f.user_for(sec, "zhou_login")


@pytest.fixture
def case(world, recorder):
    applicant = f.person("陈同学", organization=world.cs_branch2, birth=date(2003, 5, 1))
    case = services.case_open(
        scope=Scope.system(),
        actor=None,
        person=applicant,
        branch=world.cs_branch2,
        applied_on=date(2026, 1, 5),
    )
    services.step_record(
        actor=recorder,
        scope=Scope.system(),
        case=case,
        code="talk",
        done_on=date(2026, 1, 20),
        resolution="已谈话",
        today=date(2026, 2, 1),
    )
    return case


def test_the_case_page_names_who_recorded_a_step(case, login, recorder) -> None:
    client = login(recorder)
    page = client.get(reverse("recruitment:case", args=[case.pk])).content.decode()
    assert "周书记" in page and "zhou_login" not in page


def test_the_record_pdf_names_who_recorded_a_step(case, login, recorder) -> None:
    response = login(recorder).get(reverse("recruitment:record_pdf", args=[case.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "周书记" in text and "zhou_login" not in text


def test_the_audit_log_names_the_actor_as_a_person(world, login, school_admin, recorder) -> None:
    with transaction.atomic():
        audit.record(actor=recorder, action="recruitment.step", org=world.cs_branch2)
    page = login(school_admin).get(reverse("audit:log"), {"actor": "周书记"})
    rows = page.context["rows"]
    assert [r.event.actor_id for r in rows] == [recorder.pk]
    assert "周书记" in page.content.decode() and "zhou_login" not in page.content.decode()

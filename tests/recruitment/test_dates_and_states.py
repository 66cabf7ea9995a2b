"""Dates of things that happened are not in the future (an application dated tomorrow got round the age
rule), and every transition refuses a case that is no longer in the state the page showed."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.kit.errors import RuleViolation, StaleState
from dangjian.recruitment import services
from dangjian.recruitment.models import Case, StepDocument, StepRecord
from tests import factories as f
from tests.recruitment.steps import advance, shown_state, state

D = date
TODAY = D(2026, 11, 20)
TOMORROW = D(2026, 11, 21)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def applicant(world):
    return f.person("陈同学", organization=world.cs_branch2, birth=D(2003, 5, 1))


@pytest.fixture
def case(world, applicant):
    return services.case_open(
        scope=Scope.system(), actor=None, person=applicant, branch=world.cs_branch2, applied_on=D(2026, 11, 2)
    )


# ---------------------------------------------------------------- dates in the future


def test_an_application_dated_tomorrow_is_refused(world, applicant) -> None:
    with pytest.raises(RuleViolation) as refused:
        services.case_open(
            scope=Scope.system(), actor=None, person=applicant, branch=world.cs_branch2, applied_on=TOMORROW
        )
    assert (refused.value.code, refused.value.field) == ("date_in_future", "applied_on")
    assert "申请入党日期不能晚于今天(2026-11-20)" in refused.value.message
    assert not Case.objects.exists()


def test_an_application_dated_tomorrow_cannot_get_round_the_age_rule(world) -> None:
    """Eighteen tomorrow: today's application is refused by the age rule, tomorrow's by the date."""
    young = f.person("明天成年", organization=world.cs_branch2, birth=D(2008, 11, 21))
    with pytest.raises(RuleViolation) as too_young:
        services.case_open(
            scope=Scope.system(), actor=None, person=young, branch=world.cs_branch2, applied_on=TODAY
        )
    assert too_young.value.code == "rule_age"
    with pytest.raises(RuleViolation) as future:
        services.case_open(
            scope=Scope.system(), actor=None, person=young, branch=world.cs_branch2, applied_on=TOMORROW
        )
    assert future.value.code == "date_in_future"


def test_the_open_page_shows_the_future_date_on_its_field(world, applicant, login, college_organizer) -> None:
    response = login(college_organizer).post(
        reverse("recruitment:open", args=[applicant.pk]), {"applied_on": TOMORROW.isoformat()}
    )
    assert response.status_code == 200
    assert "申请入党日期不能晚于今天" in response.content.decode()
    assert not Case.objects.exists()


def test_a_step_dated_tomorrow_is_refused(case) -> None:
    with pytest.raises(RuleViolation) as refused:
        services.step_record(actor=None, scope=Scope.system(), case=case, code="talk", done_on=TOMORROW)
    assert (refused.value.code, refused.value.field) == ("date_in_future", "done_on")


def test_a_publicity_starting_tomorrow_is_refused(world) -> None:
    p = f.person("公示", organization=world.cs_branch2, birth=D(2000, 1, 1))
    c = services.case_open(
        scope=Scope.system(), actor=None, person=p, branch=world.cs_branch2, applied_on=D(2024, 1, 1)
    )
    advance(c, "candidate", today=TODAY)
    with pytest.raises(RuleViolation) as refused:
        services.step_record(
            actor=None,
            scope=Scope.system(),
            case=c,
            code="candidate_filed",
            done_on=TODAY,
            data={"publicity_start": TOMORROW.isoformat(), "publicity_end": D(2026, 11, 27).isoformat()},
        )
    assert (refused.value.code, refused.value.field) == ("date_in_future", "publicity_start")


def test_a_resubmission_dated_tomorrow_is_refused(world, case) -> None:
    services.step_record(actor=None, scope=Scope.system(), case=case, code="talk", done_on=D(2026, 11, 5))
    services.step_record(
        actor=None, scope=Scope.system(), case=case, code="activist", done_on=D(2026, 11, 10)
    )
    record = services.step_return(actor=None, scope=Scope.system(), case=case, reason="补材料")
    with pytest.raises(RuleViolation) as refused:
        services.step_resubmit(actor=None, scope=Scope.system(), record=record, done_on=TOMORROW)
    assert refused.value.code == "date_in_future"


@pytest.mark.parametrize(
    ("resolved", "approved", "field"),
    [(TOMORROW, TOMORROW, "resolved_on"), (TODAY, TOMORROW, "approved_on")],
)
def test_a_cancellation_dated_tomorrow_is_refused(world, resolved, approved, field) -> None:
    p = f.person("预备丙", organization=world.cs_branch2, birth=D(2000, 1, 1))
    c = services.case_open(
        scope=Scope.system(), actor=None, person=p, branch=world.cs_branch2, applied_on=D(2024, 1, 1)
    )
    advance(c, "assign_group", today=TODAY)
    with pytest.raises(RuleViolation) as refused:
        services.probation_cancel(
            actor=None, scope=Scope.system(), case=c, resolved_on=resolved, approved_on=approved, reason="x"
        )
    assert (refused.value.code, refused.value.field) == ("date_in_future", field)


def test_an_imported_case_with_a_future_step_is_refused(world, applicant) -> None:
    with pytest.raises(RuleViolation) as refused:
        services.case_import(
            scope=Scope.system(),
            actor=None,
            person=applicant,
            branch=world.cs_branch2,
            applied_on=D(2026, 11, 2),
            dates={"talk": [TOMORROW]},
            warnings={},
        )
    assert (refused.value.code, refused.value.field) == ("date_in_future", "talk")


# ---------------------------------------------------------------- the state the page showed


def test_a_step_on_a_case_that_moved_on_is_stale_and_records_nothing(case) -> None:
    seen = state(case)
    services.step_record(
        actor=None, scope=Scope.system(), case=case, code="talk", done_on=TODAY, expected_status=seen
    )
    with pytest.raises(StaleState) as stale:
        services.step_record(
            actor=None, scope=Scope.system(), case=case, code="activist", done_on=TODAY, expected_status=seen
        )
    assert (stale.value.code, stale.value.status) == ("stale", 409)
    assert not StepRecord.objects.filter(case=case, step__code="activist").exists()


def test_an_empty_expected_state_from_a_form_is_refused(case) -> None:
    with pytest.raises(StaleState):
        services.step_record(
            actor=None, scope=Scope.system(), case=case, code="talk", done_on=TODAY, expected_status=""
        )


def test_stale_comes_before_any_other_check(case) -> None:
    """A stale request with a bad date is told it is stale (the date may be what someone else fixed)."""
    with pytest.raises(StaleState):
        services.step_record(
            actor=None, scope=Scope.system(), case=case, code="talk", done_on=TOMORROW, expected_status="x"
        )


def test_a_stale_step_form_shows_the_message_and_records_nothing(case, login, college_organizer) -> None:
    client = login(college_organizer)
    url = reverse("recruitment:step_new", args=[case.pk, "talk"])
    seen = shown_state(client, url)
    assert seen == state(case)
    services.step_record(actor=None, scope=Scope.system(), case=case, code="talk", done_on=TODAY)
    response = client.post(url, {"done_on": TODAY.isoformat(), "expected_status": seen})
    assert response.status_code == 200 and "该事项已由他人处理" in response.content.decode()
    assert StepRecord.objects.filter(case=case, step__code="talk").count() == 1


def test_a_form_without_its_state_is_refused(case, login, college_organizer) -> None:
    response = login(college_organizer).post(
        reverse("recruitment:step_new", args=[case.pk, "talk"]), {"done_on": TODAY.isoformat()}
    )
    assert response.status_code == 200 and "该事项已由他人处理" in response.content.decode()
    assert not StepRecord.objects.filter(case=case, step__code="talk").exists()


def test_the_api_answers_409_for_a_stale_case_and_422_without_the_field(case, college_organizer) -> None:
    from tests.recruitment.test_api import client_for

    api = client_for(college_organizer)
    url = f"/api/v1/recruitment/cases/{case.pk}/steps"
    seen = api.get(f"/api/v1/recruitment/cases/{case.pk}").json()["state"]
    assert seen == state(case)
    missing = api.post(url, {"code": "talk", "done_on": "2026-11-10"}, content_type="application/json")
    assert missing.status_code == 422
    first = api.post(
        url,
        {"code": "talk", "done_on": "2026-11-10", "expected_status": seen},
        content_type="application/json",
    )
    assert first.status_code == 201
    again = api.post(
        url,
        {"code": "talk", "done_on": "2026-11-10", "expected_status": seen},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "stale"


def test_a_double_submitted_upload_is_stored_once(case, login, college_organizer) -> None:
    record = StepRecord.objects.get(case=case, step__code="apply")
    client = login(college_organizer)
    url = reverse("recruitment:document_add", args=[case.pk, record.pk])
    seen = shown_state(client, url)
    pdf = b"%PDF-1.4\n%test\n"
    for _ in range(2):
        client.post(url, {"file": SimpleUploadedFile("申请书.pdf", pdf), "expected_status": seen})
    assert StepDocument.objects.filter(record=record).count() == 1


def test_a_holiday_year_saved_by_someone_else_meanwhile_is_not_overwritten(login, school_admin) -> None:
    client = login(school_admin)
    url = reverse("recruitment:holiday_year", args=[2040])
    seen = shown_state(client, url)
    assert seen == "new"
    first = client.post(url, {"holidays": "2040-01-01 元旦", "workdays": "", "expected_status": seen})
    assert first.status_code == 302
    second = client.post(url, {"holidays": "2040-10-01 国庆节", "workdays": "", "expected_status": seen})
    assert second.status_code == 200 and "该事项已由他人处理" in second.content.decode()
    from dangjian.recruitment.models import Holiday

    assert list(Holiday.objects.values_list("name", flat=True)) == ["元旦"]


def test_the_service_refuses_to_open_a_case_outside_the_callers_scope(world, outsider_organizer) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.kit.errors import NotFound
    from dangjian.recruitment.models import Case

    person = f.person("外院申请", organization=world.cs_branch2, birth=D(2000, 1, 1))
    with pytest.raises(NotFound):
        services.case_open(
            actor=outsider_organizer,
            scope=resolve_scope(outsider_organizer),
            person=person,
            branch=world.cs_branch2,
            applied_on=D(2026, 11, 1),
        )
    assert not Case.objects.filter(person=person).exists()

"""Every dues transition takes the state the user saw: a different state (someone acted first, a
double click) is refused with the stale message and changes nothing; pages send the state they show."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.dues import reconciliation as rec
from dangjian.dues import services
from dangjian.dues.models import DecisionStatus, Entry, MonthReport, ReportStatus, YearConfirmation
from dangjian.kit.errors import StaleState

NOV = date(2026, 11, 1)
STALE = "该事项已由他人处理"


@pytest.fixture
def submitted(billed):
    services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[NOV], method="cash"
    )
    return rec.report_submit(
        actor=None, scope=Scope.system(), org=billed.cs_branch, month=NOV, handed_up_amount=Decimal("76.50")
    )


@pytest.fixture
def relief(billed):
    return services.relief_request(
        actor=None,
        scope=Scope.system(),
        person=billed.member,
        kind="exempt",
        from_month=date(2027, 1, 1),
        to_month=date(2027, 3, 1),
        reason="困难",
    )


@pytest.fixture
def declaration(billed):
    return services.declaration_submit(
        actor=None, scope=Scope.system(), person=billed.member, months=[NOV], method="cash"
    )


@pytest.fixture
def entry(billed):
    (entry,) = services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[NOV], method="cash"
    )
    return entry


def test_confirming_a_report_no_longer_submitted_is_stale(submitted) -> None:
    rec.report_confirm(actor=None, scope=Scope.system(), report=submitted, expected_status="submitted")
    with pytest.raises(StaleState) as caught:
        rec.report_confirm(actor=None, scope=Scope.system(), report=submitted, expected_status="submitted")
    assert caught.value.status == 409 and caught.value.code == "stale"
    assert AuditEvent.objects.filter(action="dues.report_confirm").count() == 1


def test_returning_a_report_confirmed_meanwhile_is_stale_before_the_reason_is_checked(submitted) -> None:
    rec.report_confirm(actor=None, scope=Scope.system(), report=submitted)
    with pytest.raises(StaleState):
        rec.report_return(
            actor=None, scope=Scope.system(), report=submitted, reason="", expected_status="submitted"
        )
    assert MonthReport.objects.get(pk=submitted.pk).status == ReportStatus.CONFIRMED


def test_submitting_a_month_submitted_meanwhile_is_stale(billed, submitted) -> None:
    with pytest.raises(StaleState):
        rec.report_submit(
            actor=None,
            scope=Scope.system(),
            org=billed.cs_branch,
            month=NOV,
            handed_up_amount=Decimal("76.50"),
            expected_status="open",
        )


def test_a_page_that_sends_no_state_is_refused(submitted) -> None:
    with pytest.raises(StaleState):
        rec.report_confirm(actor=None, scope=Scope.system(), report=submitted, expected_status="")


def test_deciding_a_relief_decided_meanwhile_is_stale(relief) -> None:
    services.relief_decide(
        actor=None, scope=Scope.system(), relief=relief, approve=True, expected_status="pending"
    )
    with pytest.raises(StaleState):
        services.relief_decide(
            actor=None, scope=Scope.system(), relief=relief, approve=False, note="", expected_status="pending"
        )
    relief.refresh_from_db()
    assert relief.status == DecisionStatus.APPROVED


def test_deciding_a_declaration_decided_meanwhile_is_stale(declaration) -> None:
    services.declaration_decide(
        actor=None, scope=Scope.system(), declaration=declaration, approve=True, expected_status="pending"
    )
    with pytest.raises(StaleState):
        services.declaration_decide(
            actor=None, scope=Scope.system(), declaration=declaration, approve=True, expected_status="pending"
        )
    assert Entry.objects.count() == 1


def test_reversing_an_entry_already_reversed_is_stale(entry) -> None:
    assert services.entry_state(entry) == "recorded"
    services.entry_reverse(
        actor=None, scope=Scope.system(), entry=entry, reason="登记错人", expected_status="recorded"
    )
    assert services.entry_state(entry) == "reversed"
    with pytest.raises(StaleState):
        services.entry_reverse(
            actor=None, scope=Scope.system(), entry=entry, reason="登记错人", expected_status="recorded"
        )
    assert Entry.objects.filter(reverses=entry).count() == 1


def test_confirming_a_year_confirmed_meanwhile_is_stale(billed, branch_secretary) -> None:
    services.year_confirm(
        actor=branch_secretary,
        scope=resolve_scope(branch_secretary),
        org=billed.cs_branch,
        year=2026,
        expected_status="open",
    )
    with pytest.raises(StaleState):
        services.year_confirm(
            actor=branch_secretary,
            scope=resolve_scope(branch_secretary),
            org=billed.cs_branch,
            year=2026,
            expected_status="open",
        )
    assert YearConfirmation.objects.count() == 1


# ---------------------------------------------------------------- pages


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_pages_draw_the_state_they_show(billed, submitted, relief, login, college_organizer) -> None:
    client = login(college_organizer)
    queue = client.get(reverse("dues:confirm_queue")).content.decode()
    assert 'name="expected_status" value="submitted"' in queue
    decide = client.get(reverse("dues:relief_decide", args=[relief.pk])).content.decode()
    assert 'name="expected_status"' in decide and 'value="pending"' in decide


def test_the_second_confirm_from_a_stale_page_shows_the_message_and_does_nothing(
    submitted, login, college_organizer
) -> None:
    client = login(college_organizer)
    url = reverse("dues:report_confirm", args=[submitted.pk])
    client.post(url, {"expected_status": "submitted"})
    again = client.post(url, {"expected_status": "submitted"})
    assert again.status_code == 302 and STALE in _messages(again)[-1]
    assert AuditEvent.objects.filter(action="dues.report_confirm").count() == 1


def test_a_stale_decision_form_shows_the_message(relief, login, college_organizer) -> None:
    client = login(college_organizer)
    url = reverse("dues:relief_decide", args=[relief.pk])
    assert client.post(url, {"decision": "approve", "expected_status": "pending"}).status_code == 302
    again = client.post(url, {"decision": "refuse", "note": "x", "expected_status": "pending"})
    assert again.status_code == 200 and STALE in again.content.decode()
    relief.refresh_from_db()
    assert relief.status == DecisionStatus.APPROVED


def test_a_stale_reversal_form_shows_the_message(entry, login, branch_secretary) -> None:
    client = login(branch_secretary)
    url = reverse("dues:entry_reverse", args=[entry.pk])
    assert 'value="recorded"' in client.get(url).content.decode()
    client.post(url, {"reason": "错记", "expected_status": "recorded"})
    again = client.post(url, {"reason": "错记", "expected_status": "recorded"})
    assert again.status_code == 200 and STALE in again.content.decode()
    assert Entry.objects.filter(reverses=entry).count() == 1


def test_the_year_page_sends_its_state(billed, login, branch_secretary) -> None:
    url = reverse("dues:year_confirm", args=[billed.cs_branch.pk]) + "?year=2026"
    client = login(branch_secretary)
    assert 'name="expected_status" value="open"' in client.get(url).content.decode()
    client.post(url, {"expected_status": "open"})
    again = client.post(url, {"expected_status": "open"})
    assert STALE in _messages(again)[-1]
    assert YearConfirmation.objects.count() == 1

"""Ten identical requests at once (a double click, a retry, impatient taps) give exactly one transition;
the others are answered with the stale refusal or the first result — never a 500 (PostgreSQL)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.dues import reconciliation as rec
from dangjian.dues import services
from dangjian.dues.models import DecisionStatus, Entry, MonthReport, ReportStatus, YearConfirmation
from tests.race import parallel_posts

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
NOV = date(2026, 11, 1)
STALE = "该事项已由他人处理"


def _message(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _one_success_rest_stale_pages(responses) -> None:
    """Form pages: the winner redirects; the others re-show the form with the stale message."""
    assert all(r.status_code in (200, 302) for r in responses)
    assert sum(r.status_code == 302 for r in responses) == 1
    assert all(STALE in r.content.decode() for r in responses if r.status_code == 200)


def _one_success_rest_stale_messages(responses) -> None:
    """Button posts: everyone is redirected; all but one carry the stale message."""
    assert all(r.status_code == 302 for r in responses)
    assert sum(STALE in _message(r) for r in responses) == len(responses) - 1


@pytest.fixture
def paid(billed):
    services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[NOV], method="cash"
    )
    return billed


def test_ten_report_submits_hand_up_once(paid, branch_secretary) -> None:
    url = reverse("dues:report_submit", args=[paid.cs_branch.pk]) + "?month=2026-11"
    responses = parallel_posts(
        branch_secretary, url, {"handed_up_amount": "76.50", "expected_status": "open"}
    )
    _one_success_rest_stale_messages(responses)
    assert AuditEvent.objects.filter(action="dues.report_submit").count() == 1
    assert MonthReport.objects.get(organization=paid.cs_branch, month=NOV).status == ReportStatus.SUBMITTED


def test_ten_report_confirms_confirm_once(paid, college_organizer) -> None:
    report = rec.report_submit(
        actor=None, scope=Scope.system(), org=paid.cs_branch, month=NOV, handed_up_amount=Decimal("76.50")
    )
    url = reverse("dues:report_confirm", args=[report.pk])
    _one_success_rest_stale_messages(parallel_posts(college_organizer, url, {"expected_status": "submitted"}))
    assert AuditEvent.objects.filter(action="dues.report_confirm").count() == 1


def test_ten_relief_decisions_decide_once(billed, college_organizer) -> None:
    relief = services.relief_request(
        actor=None,
        scope=Scope.system(),
        person=billed.member,
        kind="exempt",
        from_month=NOV,
        to_month=NOV,
        reason="困难",
    )
    url = reverse("dues:relief_decide", args=[relief.pk])
    _one_success_rest_stale_pages(
        parallel_posts(college_organizer, url, {"decision": "approve", "expected_status": "pending"})
    )
    relief.refresh_from_db()
    assert relief.status == DecisionStatus.APPROVED
    assert AuditEvent.objects.filter(action="dues.relief_decide").count() == 1


def test_ten_declaration_decisions_record_one_payment(billed, branch_secretary) -> None:
    declaration = services.declaration_submit(
        actor=None, scope=Scope.system(), person=billed.member, months=[NOV], method="cash"
    )
    url = reverse("dues:declaration_decide", args=[declaration.pk])
    _one_success_rest_stale_pages(
        parallel_posts(branch_secretary, url, {"decision": "approve", "expected_status": "pending"})
    )
    assert Entry.objects.filter(person=billed.member).count() == 1
    assert AuditEvent.objects.filter(action="dues.declaration_decide").count() == 1


def test_ten_reversals_reverse_once(paid, branch_secretary) -> None:
    entry = Entry.objects.get(person=paid.member)
    url = reverse("dues:entry_reverse", args=[entry.pk])
    _one_success_rest_stale_pages(
        parallel_posts(branch_secretary, url, {"reason": "登记错人", "expected_status": "recorded"})
    )
    assert Entry.objects.filter(reverses=entry).count() == 1


def test_ten_year_confirmations_confirm_once(billed, branch_secretary) -> None:
    url = reverse("dues:year_confirm", args=[billed.cs_branch.pk]) + "?year=2026"
    _one_success_rest_stale_messages(parallel_posts(branch_secretary, url, {"expected_status": "open"}))
    assert YearConfirmation.objects.count() == 1


def test_ten_identical_payment_forms_record_one_batch_and_all_show_its_result(
    billed, branch_secretary
) -> None:
    url = reverse("dues:payment_new", args=[billed.member.pk])
    data = {"months": ["2026-11-01", "2026-12-01"], "method": "cash", "idempotency_key": "tap-tap"}
    responses = parallel_posts(branch_secretary, url, data)
    assert all(r.status_code == 302 for r in responses), [r.status_code for r in responses]
    assert all("已登记交纳 2 个月，共 153.00 元" in _message(r) for r in responses)
    assert Entry.objects.filter(person=billed.member).values("batch").distinct().count() == 1
    assert Entry.objects.filter(person=billed.member).count() == 2


def test_ten_identical_declarations_make_one(billed, member_user) -> None:
    data = {"months": ["2026-11-01"], "method": "cash", "idempotency_key": "decl-tap"}
    responses = parallel_posts(member_user, reverse("dues:declare"), data)
    assert all(r.status_code == 302 for r in responses), [r.status_code for r in responses]
    from dangjian.dues.models import Declaration

    assert Declaration.objects.count() == 1

"""Who may act on dues: the services ask the same predicates as the pages, so a call with the user's
scope is refused even when a page forgot to check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.core.models import Organization
from dangjian.dues import access, services
from dangjian.dues import reconciliation as rec
from dangjian.dues.models import (
    Assessment,
    DecisionStatus,
    Declaration,
    Entry,
    MonthReport,
    OnlineOrder,
    Relief,
    ReportStatus,
    YearConfirmation,
)
from dangjian.dues.payments import FakeProvider
from dangjian.kit.errors import NotFound

NOV = date(2026, 11, 1)


@pytest.fixture
def submitted(billed):
    services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[NOV], method="cash"
    )
    return rec.report_submit(
        actor=None, scope=Scope.system(), org=billed.cs_branch, month=NOV, handed_up_amount=Decimal("76.50")
    )


def test_a_branch_cannot_confirm_its_own_month_even_through_the_service(
    submitted, branch_secretary, college_organizer
) -> None:
    with pytest.raises(NotFound):
        rec.report_confirm(
            actor=branch_secretary,
            report=submitted,
            expected_status="submitted",
            scope=resolve_scope(branch_secretary),
        )
    assert MonthReport.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED
    rec.report_confirm(
        actor=college_organizer,
        report=submitted,
        expected_status="submitted",
        scope=resolve_scope(college_organizer),
    )


def test_another_college_cannot_return_or_decide(billed, submitted, outsider_organizer) -> None:
    scope = resolve_scope(outsider_organizer)
    with pytest.raises(NotFound):
        rec.report_return(actor=outsider_organizer, report=submitted, reason="x", scope=scope)
    relief = services.relief_request(
        actor=None,
        scope=Scope.system(),
        person=billed.member,
        kind="exempt",
        from_month=NOV,
        to_month=NOV,
        reason="困难",
    )
    with pytest.raises(NotFound):
        services.relief_decide(actor=outsider_organizer, relief=relief, approve=True, scope=scope)
    relief.refresh_from_db()
    assert relief.status == DecisionStatus.PENDING


def test_a_plain_member_cannot_decide_their_own_declaration(billed, member_user) -> None:
    declaration = services.declaration_submit(
        actor=None, scope=Scope.system(), person=billed.member, months=[NOV], method="cash"
    )
    with pytest.raises(NotFound):
        services.declaration_decide(
            actor=member_user, declaration=declaration, approve=True, scope=resolve_scope(member_user)
        )


def test_relief_deciders_follow_the_approver_org(billed, branch_secretary, college_organizer) -> None:
    # a non-retiree's relief is decided by the committee above the branch, not by the branch
    assert not access.may_decide_relief(resolve_scope(branch_secretary), billed.cs)
    assert access.may_decide_relief(resolve_scope(college_organizer), billed.cs)
    assert access.may_decide_relief(resolve_scope(branch_secretary), billed.cs_branch)


# ---------------------------------------------------------------- every service refuses an outsider's scope


def _counts() -> tuple[int, ...]:
    return (
        Assessment.objects.count(),
        Entry.objects.count(),
        Relief.objects.count(),
        Declaration.objects.count(),
        OnlineOrder.objects.count(),
        MonthReport.objects.filter(status=ReportStatus.SUBMITTED).count(),
        YearConfirmation.objects.count(),
        AuditEvent.objects.count(),
    )


def _recorded(billed) -> Entry:
    (entry,) = services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[NOV], method="cash"
    )
    return entry


# (service, its arguments from `billed` and a ledger entry); each asked with the other college's scope.
OUTSIDER_CALLS = [
    (
        "assessment_set",
        lambda w, e: {"person": w.member, "from_month": date(2026, 12, 1), "category": "student"},
    ),
    (
        "relief_request",
        lambda w, e: {
            "person": w.member,
            "kind": "exempt",
            "from_month": date(2027, 1, 1),
            "to_month": date(2027, 2, 1),
            "reason": "困难",
        },
    ),
    ("payment_record", lambda w, e: {"person": w.member, "months": [date(2026, 10, 1)], "method": "cash"}),
    ("large_payment_record", lambda w, e: {"person": w.member, "amount": Decimal("2000"), "method": "cash"}),
    ("entry_reverse", lambda w, e: {"entry": e, "reason": "登记错人"}),
    ("year_confirm", lambda w, e: {"org": w.cs_branch, "year": 2026}),
    # a member declares and pays online only for themself
    (
        "declaration_submit",
        lambda w, e: {"person": w.member, "months": [date(2026, 10, 1)], "method": "cash"},
    ),
    (
        "online_order_create",
        lambda w, e: {"person": w.member, "months": [date(2026, 10, 1)], "provider": FakeProvider()},
    ),
    ("bills_run", lambda w, e: {"month": date(2026, 12, 1)}),
]


@pytest.mark.parametrize(("name", "arguments"), OUTSIDER_CALLS, ids=[c[0] for c in OUTSIDER_CALLS])
def test_every_service_refuses_a_scope_that_does_not_cover_it(
    billed, outsider_organizer, name, arguments
) -> None:
    entry = _recorded(billed)
    before = _counts()
    with pytest.raises(NotFound):
        getattr(services, name)(
            actor=outsider_organizer, scope=resolve_scope(outsider_organizer), **arguments(billed, entry)
        )
    assert _counts() == before


def test_report_submit_refuses_another_college(billed, outsider_organizer) -> None:
    scope = resolve_scope(outsider_organizer)
    with pytest.raises(NotFound):
        rec.report_submit(
            actor=outsider_organizer,
            scope=scope,
            org=billed.cs_branch,
            month=NOV,
            handed_up_amount=Decimal(0),
        )
    assert not MonthReport.objects.filter(status=ReportStatus.SUBMITTED).exists()


def test_a_member_declares_for_themself_not_for_another(billed, member_user) -> None:
    scope = resolve_scope(member_user)
    with pytest.raises(NotFound):
        services.declaration_submit(
            actor=member_user, scope=scope, person=billed.secretary, months=[NOV], method="cash"
        )
    declaration = services.declaration_submit(
        actor=member_user, scope=scope, person=billed.member, months=[NOV], method="cash"
    )
    assert declaration.person == billed.member


def test_a_college_organizer_cannot_run_the_schools_bills(
    billed, login, college_organizer, school_admin
) -> None:
    with pytest.raises(NotFound):
        services.bills_run(actor=college_organizer, scope=resolve_scope(college_organizer), month=NOV)
    url = reverse("dues:generate_bills") + "?month=2026-12"
    assert login(college_organizer).post(url).status_code == 404
    assert not AuditEvent.objects.filter(action="dues.bills_generate").exists()
    assert login(school_admin).post(url).status_code == 302
    assert AuditEvent.objects.filter(action="dues.bills_generate").count() == 1


# ---------------------------------------------------------------- the predicates as a table

PERSONAS = (
    "school_admin",
    "college_organizer",
    "branch_secretary",
    "member_user",
    "outsider_organizer",
    "auditor",
)


def _scopes(request) -> dict[str, Scope]:
    scopes = {name: resolve_scope(request.getfixturevalue(name)) for name in PERSONAS}
    return {**scopes, "system": Scope.system()}


# (predicate, object in `world`) -> who may; everyone else (of PERSONAS and "system") may not.
TABLE = [
    ("may_view", "cs_branch", {"school_admin", "college_organizer", "branch_secretary", "system"}),
    ("may_view", "fl_branch", {"school_admin", "outsider_organizer", "system"}),
    ("may_export", "cs_branch", {"school_admin", "college_organizer", "branch_secretary", "system"}),
    ("may_manage", "cs_branch", {"school_admin", "college_organizer", "branch_secretary", "system"}),
    ("may_manage", "fl_branch", {"school_admin", "outsider_organizer", "system"}),
    ("may_submit", "cs_branch", {"school_admin", "college_organizer", "branch_secretary", "system"}),
    ("may_submit", "cs", {"school_admin", "college_organizer", "system"}),
    ("may_confirm", "cs_branch", {"school_admin", "college_organizer", "system"}),
    ("may_confirm", "cs", {"school_admin", "system"}),
    ("may_confirm", "school", set()),  # the top has no one above it
    ("may_confirm_below", "cs", {"school_admin", "college_organizer", "system"}),
    ("may_confirm_below", "cs_branch", {"school_admin", "college_organizer", "system"}),
    ("may_decide_relief", "cs_branch", {"school_admin", "college_organizer", "branch_secretary", "system"}),
    ("may_decide_relief", "cs", {"school_admin", "college_organizer", "system"}),
    ("may_decide_relief", "fl", {"school_admin", "outsider_organizer", "system"}),
    ("may_declare", "member", {"member_user", "system"}),
    ("may_declare", "secretary", {"branch_secretary", "system"}),
]


@pytest.mark.parametrize(
    ("predicate", "target", "allowed"), TABLE, ids=lambda v: v if isinstance(v, str) else ""
)
def test_who_may_act(request, world, predicate, target, allowed) -> None:
    obj = getattr(world, target)
    answers = {name: getattr(access, predicate)(scope, obj) for name, scope in _scopes(request).items()}
    assert {name for name, yes in answers.items() if yes} == allowed


def test_only_the_schools_organizers_may_run_the_bills(request, world) -> None:
    answers = {name: access.may_generate_bills(scope) for name, scope in _scopes(request).items()}
    assert {name for name, yes in answers.items() if yes} == {"school_admin", "system"}
    scopes = _scopes(request)
    assert access.may_generate_bills_at(scopes["school_admin"], world.school)
    assert not access.may_generate_bills_at(scopes["school_admin"], world.cs)  # the button is on the top page
    assert not access.may_generate_bills_at(scopes["college_organizer"], world.cs)


@pytest.mark.parametrize("persona", [*PERSONAS, "system"])
def test_the_filters_say_what_the_predicates_say(request, world, persona) -> None:
    scope = _scopes(request)[persona]
    orgs = list(Organization.objects.all())
    for q, may in (
        (access.view_q(scope), access.may_view),
        (access.manage_q(scope), access.may_manage),
        (access.confirm_q(scope, ""), access.may_confirm),
    ):
        assert set(Organization.objects.filter(q)) == {o for o in orgs if may(scope, o)}
    reliefs = [
        Relief.objects.create(
            person=world.member, kind="exempt", from_month=NOV, to_month=NOV, reason="x", approver_org=org
        )
        for org in orgs
    ]
    decidable = set(Relief.objects.filter(access.decide_relief_q(scope)))
    assert decidable == {r for r in reliefs if access.may_decide_relief(scope, r.approver_org)}

"""Dues pages: who sees and does what; outsiders get 404 on every mutating endpoint; bounded queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.dues import reconciliation as rec
from dangjian.dues import services
from dangjian.dues.models import Assessment, Declaration, Entry, MonthReport, Relief, ReportStatus
from tests import factories as f

D = Decimal
NOV = "2026-11"


def test_secretary_sees_the_branch_month_with_members(billed, login, branch_secretary) -> None:
    page = login(branch_secretary).get(reverse("dues:org", args=[billed.cs_branch.pk]) + f"?month={NOV}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "李晓红" in html and "¥229.50" in html and "上交" in html


def test_dues_home_leads_each_role_to_its_place(billed, login, branch_secretary, member_user) -> None:
    assert login(branch_secretary).get(reverse("dues:home")).url == reverse(
        "dues:org", args=[billed.cs_branch.pk]
    )
    assert login(member_user).get(reverse("dues:home")).url == reverse("dues:me")


def test_member_sees_own_dues_with_the_working(billed, login, member_user) -> None:
    html = login(member_user).get(reverse("dues:me")).content.decode()
    assert "¥76.50" in html and "5100.00 × 1.5%" in html
    # The rule in words for the member; the code is organizers' jargon.
    assert "按月工资收入 5000 元以上至 10000 元(含)：1.5%" in html and "2008/E3" not in html


def test_organizers_read_the_rule_code_beside_the_words(billed, login, branch_secretary) -> None:
    html = login(branch_secretary).get(reverse("dues:person", args=[billed.member.pk])).content.decode()
    assert "按月工资收入 5000 元以上至 10000 元(含)：1.5%" in html and "2008/E3" in html


def test_recording_a_payment_in_the_browser(billed, login, branch_secretary) -> None:
    client = login(branch_secretary)
    url = reverse("dues:payment_new", args=[billed.member.pk])
    form = client.get(url).content.decode()
    assert "2026-09" in form and "预交" in form
    data = {"months": ["2026-09-01", "2026-10-01"], "method": "cash", "idempotency_key": "abc"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code in (200, 302)  # the double submit: still one payment
    assert Entry.objects.filter(person=billed.member).count() == 2


def test_a_bad_base_gets_a_chinese_message_and_changes_nothing(billed, login, branch_secretary) -> None:
    url = reverse("dues:assessment_edit", args=[billed.member.pk])
    page = login(branch_secretary).post(url, {"from_month": "2026-12", "category": "employee", "base": "-5"})
    assert page.status_code == 200 and "金额不能为负数" in page.content.decode()
    assert Assessment.objects.filter(person=billed.member).count() == 1


def test_setting_a_standard_from_pay_items(billed, login, branch_secretary) -> None:
    url = reverse("dues:assessment_edit", args=[billed.member.pk])
    data = {
        "from_month": "2026-12",
        "category": "employee",
        "post_wage": "4200",
        "scale_wage": "1800",
        "basic_performance": "2100",
        "fixed_allowances": "600",
        "income_tax": "180",
        "social_insurance": "620",
        "housing_fund": "900",
        "annuity": "300",
    }
    assert login(branch_secretary).post(url, data).status_code == 302
    standard = Assessment.objects.get(person=billed.member, from_month=date(2026, 12, 1))
    assert (standard.base, standard.amount, standard.base_method) == (D("6700.00"), D("100.50"), "items")


def test_college_confirms_a_branch_month_from_its_page(
    billed, login, branch_secretary, college_organizer
) -> None:
    services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[date(2026, 11, 1)], method="cash"
    )
    submit = reverse("dues:report_submit", args=[billed.cs_branch.pk]) + f"?month={NOV}"
    posted = {"handed_up_amount": "76.50", "expected_status": "open"}
    assert login(branch_secretary).post(submit, posted).status_code == 302
    report = MonthReport.objects.get(organization=billed.cs_branch, month=date(2026, 11, 1))
    college_page = login(college_organizer).get(reverse("dues:org", args=[billed.cs.pk]) + f"?month={NOV}")
    assert "已上交待确认" in college_page.content.decode()
    login(college_organizer).post(
        reverse("dues:report_confirm", args=[report.pk]), {"expected_status": "submitted"}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.CONFIRMED
    assert AuditEvent.objects.filter(action="dues.report_confirm").count() == 1


def test_a_branch_cannot_confirm_its_own_month(billed, login, branch_secretary) -> None:
    services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[date(2026, 11, 1)], method="cash"
    )
    report = rec.report_submit(
        actor=None,
        scope=Scope.system(),
        org=billed.cs_branch,
        month=date(2026, 11, 1),
        handed_up_amount=D("76.50"),
    )
    assert login(branch_secretary).post(reverse("dues:report_confirm", args=[report.pk])).status_code == 404


def test_export_is_audited(billed, login, college_organizer) -> None:
    response = login(college_organizer).get(reverse("dues:org_export", args=[billed.cs.pk]) + f"?month={NOV}")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert AuditEvent.objects.filter(action="dues.export").count() == 1


def test_the_export_event_says_what_left_and_the_file_keeps_its_name(
    billed, login, college_organizer
) -> None:
    response = login(college_organizer).get(reverse("dues:org_export", args=[billed.cs.pk]) + f"?month={NOV}")
    assert 'filename="dues-CS-2026-11.xlsx"' in response["Content-Disposition"]
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(action="dues.export")
    assert event.org_path == billed.cs.path and event.actor_id == college_organizer.pk
    assert event.changes["filters"] == {"month": NOV} and event.changes["rows"] == 2  # the two branches


def test_annual_report_and_queues_render(billed, login, college_organizer) -> None:
    client = login(college_organizer)
    assert (
        "2026-11" in client.get(reverse("dues:annual", args=[billed.cs.pk]) + "?year=2026").content.decode()
    )
    for name in ("dues:confirm_queue", "dues:reliefs", "dues:declarations"):
        assert client.get(reverse(name)).status_code == 200


def test_member_declares_and_secretary_confirms(billed, login, member_user, branch_secretary) -> None:
    login(member_user).post(
        reverse("dues:declare"), {"months": ["2026-11-01"], "method": "cash", "idempotency_key": "x"}
    )
    declaration = Declaration.objects.get()
    queue = login(branch_secretary).get(reverse("dues:declarations")).content.decode()
    assert "李晓红" in queue and queue.count('name="declaration"') == 1
    login(branch_secretary).post(
        reverse("dues:declaration_decide", args=[declaration.pk]),
        {"decision": "approve", "expected_status": "pending"},
    )
    assert Entry.objects.filter(person=billed.member).count() == 1


def test_year_confirmation_lists_members_and_confirms_once(billed, login, branch_secretary) -> None:
    url = reverse("dues:year_confirm", args=[billed.cs_branch.pk]) + "?year=2026"
    client = login(branch_secretary)
    assert "¥76.50" in client.get(url).content.decode()
    client.post(url, {"expected_status": "open"})
    assert "已于" in client.get(url).content.decode()


# ---------------------------------------------------------------- outsiders


@pytest.fixture
def objects(billed):
    (entry,) = services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[date(2026, 9, 1)], method="cash"
    )
    relief = services.relief_request(
        actor=None,
        scope=Scope.system(),
        person=billed.member,
        kind="exempt",
        from_month=date(2027, 1, 1),
        to_month=date(2027, 3, 1),
        reason="困难",
    )
    declaration = services.declaration_submit(
        actor=None, scope=Scope.system(), person=billed.member, months=[date(2026, 10, 1)], method="cash"
    )
    services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[date(2026, 11, 1)], method="cash"
    )
    report = rec.report_submit(
        actor=None,
        scope=Scope.system(),
        org=billed.cs_branch,
        month=date(2026, 11, 1),
        handed_up_amount=D("76.50"),
    )
    return {"entry": entry, "relief": relief, "declaration": declaration, "report": report}


MUTATIONS = [
    ("dues:assessment_edit", "member", {"from_month": "2026-12", "category": "student"}),
    ("dues:payment_new", "member", {"months": ["2026-10-01"], "method": "cash", "idempotency_key": "z"}),
    ("dues:large_payment_new", "member", {"amount": "2000", "method": "cash", "idempotency_key": "y"}),
    (
        "dues:relief_new",
        "member",
        {"kind": "exempt", "from_month": "2027-05", "to_month": "2027-06", "reason": "x"},
    ),
    ("dues:entry_reverse", "entry", {"reason": "x"}),
    ("dues:relief_decide", "relief", {"decision": "approve"}),
    ("dues:declaration_decide", "declaration", {"decision": "approve"}),
    ("dues:report_confirm", "report", {}),
    ("dues:report_return", "report", {"reason": "x"}),
    ("dues:report_submit", "branch", {"handed_up_amount": "0"}),
    ("dues:year_confirm", "branch", {}),
]


@pytest.mark.parametrize(("name", "target", "data"), MUTATIONS)
def test_outsiders_are_refused_every_mutation(
    name, target, data, objects, billed, login, outsider_organizer
) -> None:
    ids = {"member": billed.member.pk, "branch": billed.cs_branch.pk, **{k: v.pk for k, v in objects.items()}}
    before = (
        Entry.objects.count(),
        Assessment.objects.count(),
        Relief.objects.filter(status="pending").count(),
        MonthReport.objects.filter(status="submitted").count(),
        AuditEvent.objects.count(),
    )
    response = login(outsider_organizer).post(reverse(name, args=[ids[target]]), data)
    assert response.status_code == 404
    after = (
        Entry.objects.count(),
        Assessment.objects.count(),
        Relief.objects.filter(status="pending").count(),
        MonthReport.objects.filter(status="submitted").count(),
        AuditEvent.objects.count(),
    )
    assert before == after


def test_a_plain_member_cannot_see_the_branch_or_others(billed, login, member_user) -> None:
    client = login(member_user)
    assert client.get(reverse("dues:org", args=[billed.cs_branch.pk])).status_code == 404
    assert client.get(reverse("dues:person", args=[billed.secretary.pk])).status_code == 404
    assert client.post(reverse("dues:generate_bills")).status_code == 404


def test_outsider_cannot_view_another_colleges_pages(billed, login, outsider_organizer) -> None:
    client = login(outsider_organizer)
    assert client.get(reverse("dues:org", args=[billed.cs.pk])).status_code == 404
    assert client.get(reverse("dues:person", args=[billed.member.pk])).status_code == 404
    assert client.get(reverse("dues:org_export", args=[billed.cs_branch.pk])).status_code == 404


# ---------------------------------------------------------------- bounded queries


def test_reconciliation_pages_have_bounded_queries(
    billed, login, school_admin, django_assert_max_num_queries
) -> None:
    for i in range(15):
        m = f.member(billed.cs_branch, f"党员{i}")
        services.assessment_set(
            actor=None, scope=Scope.system(), person=m, from_month=date(2026, 9, 1), category="student"
        )
    from dangjian.dues.billing import bills_generate

    bills_generate(date(2026, 11, 1))
    client = login(school_admin)
    for org in (billed.school, billed.cs, billed.cs_branch):
        with django_assert_max_num_queries(16):
            assert client.get(reverse("dues:org", args=[org.pk]) + f"?month={NOV}").status_code == 200
    with django_assert_max_num_queries(14):
        client.get(reverse("dues:person", args=[billed.member.pk]))


def test_dues_pages_speak_english_when_chosen(billed, login, branch_secretary) -> None:
    client = login(branch_secretary)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("dues:org", args=[billed.cs_branch.pk]) + f"?month={NOV}").content.decode()
    assert "Collected this month" in page and "Hand up" in page


def test_the_confirmation_queue_counts_mismatches_with_bounded_queries(
    billed, login, college_organizer, django_assert_max_num_queries
) -> None:
    from dangjian.core.models import Membership

    for person in [m.person for m in Membership.objects.filter(organization=billed.cs_branch)]:
        services.payment_record(
            actor=None, scope=Scope.system(), person=person, months=[date(2026, 11, 1)], method="cash"
        )
    report = rec.report_submit(
        actor=None,
        scope=Scope.system(),
        org=billed.cs_branch,
        month=date(2026, 11, 1),
        handed_up_amount=D("229.50"),
    )
    for month in (9, 10):
        services.payment_record(
            actor=None,
            scope=Scope.system(),
            person=billed.member,
            months=[date(2026, month, 1)],
            method="cash",
        )
        rec.report_submit(
            actor=None,
            scope=Scope.system(),
            org=billed.cs_branch,
            month=date(2026, month, 1),
            handed_up_amount=D("76.50"),
        )
    (entry,) = [e for e in Entry.objects.filter(person=billed.member, month=date(2026, 11, 1))]
    services.entry_reverse(
        actor=None, scope=Scope.system(), entry=entry, reason="错记"
    )  # the November report no longer matches
    client = login(college_organizer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("dues:confirm_queue")).content.decode()
    assert page.count("与账面一致") == 2 and "1 处与账面不符" in page
    assert MonthReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_an_upper_org_hands_up_what_its_branches_reports_collected_without_summing_the_ledger(
    billed, login, college_organizer
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.payment_record(
        actor=None, scope=Scope.system(), person=billed.member, months=[date(2026, 11, 1)], method="cash"
    )
    client = login(college_organizer)
    url = reverse("dues:org", args=[billed.cs.pk]) + f"?month={NOV}"
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    assert 'name="handed_up_amount" inputmode="decimal" value="76.50"' in html
    assert not [q for q in ctx.captured_queries if '"dues_entry"' in q["sql"]]

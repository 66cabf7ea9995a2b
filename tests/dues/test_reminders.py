"""Monthly reminders: members with unpaid bills, branch warnings, 6 consecutive months; once per month."""

from __future__ import annotations

from datetime import date

from dangjian.accounts.scope import Scope
from dangjian.dues import services
from dangjian.dues.billing import bills_generate
from dangjian.dues.reminders import send_dues_reminders
from dangjian.workbench.models import Notification


def test_members_with_unpaid_bills_are_reminded_once(billed, member_user) -> None:
    first = send_dues_reminders(today=date(2026, 11, 10))
    again = send_dues_reminders(today=date(2026, 11, 20))
    assert first["members"] >= 1 and again["members"] == 0
    assert Notification.objects.filter(recipient=member_user, kind="dues_unpaid").count() == 1


def test_paid_up_members_are_not_reminded(billed, member_user) -> None:
    services.payment_record(
        actor=None,
        scope=Scope.system(),
        person=billed.member,
        months=[date(2026, m, 1) for m in (9, 10, 11)],
        method="cash",
    )
    send_dues_reminders(today=date(2026, 11, 10))
    assert not Notification.objects.filter(recipient=member_user).exists()


def test_three_months_unpaid_warns_the_secretary(billed, branch_secretary) -> None:
    sent = send_dues_reminders(today=date(2026, 11, 10))
    assert sent["branches"] == 2  # both branches have members three months behind
    assert Notification.objects.filter(recipient=branch_secretary, kind="dues_branch_unpaid").count() == 1


def test_six_consecutive_unpaid_months_warn_branch_and_college(
    world, today, branch_secretary, college_organizer
) -> None:
    services.assessment_set(
        actor=None, scope=Scope.system(), person=world.member, from_month=date(2026, 1, 1), category="student"
    )
    for m in range(6, 12):
        bills_generate(date(2026, m, 1))
    sent = send_dues_reminders(today=date(2026, 11, 10))
    assert sent["lapses"] == 1
    for user in (branch_secretary, college_organizer):
        note = Notification.objects.get(recipient=user, kind="dues_lapse")
        assert "连续 6 个月" in note.title and "李晓红" in note.title


def test_reminders_are_also_mailed_when_email_is_configured(
    billed, member_user, settings, mailoutbox
) -> None:
    settings.EMAIL_URL = "smtp://mail.example.edu.cn"
    member_user.email = "lxh@example.edu.cn"
    member_user.save()
    send_dues_reminders(today=date(2026, 11, 10))
    assert [m.to for m in mailoutbox] == [["lxh@example.edu.cn"]]

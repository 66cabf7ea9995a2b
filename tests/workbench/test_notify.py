from __future__ import annotations

from django.urls import reverse

from dangjian import workbench
from dangjian.accounts.scope import resolve_scope
from dangjian.workbench.models import Notification
from dangjian.workbench.services import notification_mark_read, reminder_claim
from dangjian.workbench.todos import todos_for


def test_notify_creates_one_per_distinct_recipient(world, member_user, branch_secretary) -> None:
    assert (
        workbench.notify([member_user, member_user, branch_secretary, None], "test", "标题", "内容", "/x")
        == 2
    )
    assert Notification.objects.count() == 2


def test_mark_read_touches_only_own_notifications(world, member_user, branch_secretary) -> None:
    workbench.notify([member_user, branch_secretary], "test", "标题")
    other = Notification.objects.get(recipient=branch_secretary)
    assert notification_mark_read(user=member_user, notification_id=other.pk) == 0
    assert notification_mark_read(user=member_user) == 1
    other.refresh_from_db()
    assert other.read_at is None


def test_bell_and_list_pages(world, login, member_user) -> None:
    workbench.notify([member_user], "test", "换届提醒")
    client = login(member_user)
    assert "1" in client.get(reverse("workbench:bell")).content.decode()
    assert "换届提醒" in client.get(reverse("workbench:notifications")).content.decode()
    client.post(reverse("workbench:mark_read"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_reminder_claim_is_idempotent(db) -> None:
    assert reminder_claim("k1") is True
    assert reminder_claim("k1") is False


def test_todos_collect_rule_check_problems_for_organizers(world, college_organizer, member_user) -> None:
    items = todos_for(college_organizer, resolve_scope(college_organizer))
    assert any(
        i.source == "core" and i.severity == "danger" for i in items
    )  # 本科生党支部 has 0 full members
    assert todos_for(member_user, resolve_scope(member_user)) == []


def test_mark_read_twice_is_harmless(world, login, member_user) -> None:
    """Idempotent by nature: the second click changes nothing and is not an error."""
    workbench.notify([member_user], "test", "标题")
    client = login(member_user)
    note = Notification.objects.get()
    for _ in range(2):
        assert client.post(reverse("workbench:mark_read"), {"id": note.pk}).status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_mark_read_with_a_non_ascii_digit_id_is_not_a_500(world, login, member_user) -> None:
    workbench.notify([member_user], "test", "标题")
    response = login(member_user).post(reverse("workbench:mark_read"), {"id": "²"})
    assert response.status_code == 302


def test_mark_read_never_redirects_to_another_site(world, login, member_user) -> None:
    response = login(member_user).post(reverse("workbench:mark_read"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("workbench:notifications")
    inside = login(member_user).post(reverse("workbench:mark_read"), {"next": "/people/"})
    assert inside["Location"] == "/people/"

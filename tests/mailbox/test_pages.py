"""The signed-in pages: 我要写信 and 我的来信 (read, close, rate), the handlers' inbox and a letter's page
with 回复 / 转办 / 办结; outsiders answer 404 on every POST; an anonymous writer is never named to the
handlers; the lists cost a fixed number of queries."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from dangjian.mailbox.models import Letter, Reply
from dangjian.workbench.models import Notification
from dangjian.workbench.todos import todos_for
from tests.mailbox.conftest import replied, write


def test_a_member_writes_from_the_page(world, member_user, login):
    client = login(member_user)
    page = client.get(reverse("mailbox:write"))
    assert page.status_code == 200
    body = page.content.decode()
    assert world.cs.name in body and world.fl.name not in body and "匿名" in body
    response = client.post(
        reverse("mailbox:write"),
        {"organization": world.cs.pk, "category": "advice", "subject": "建议", "body": "内容"},
    )
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert (letter.organization, letter.author) == (world.cs, world.member)
    assert "建议" in client.get(reverse("mailbox:mine")).content.decode()


def test_a_bad_form_shows_chinese_errors_and_stores_nothing(world, member_user, login):
    response = login(member_user).post(
        reverse("mailbox:write"),
        {"organization": world.fl.pk, "category": "advice", "subject": "", "body": ""},
    )
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    assert not Letter.objects.exists()


def test_the_fourth_letter_of_the_day_is_refused_on_the_page(world, member_user, login):
    for _ in range(3):
        write(world.member, world.cs_branch)
    response = login(member_user).post(
        reverse("mailbox:write"),
        {"organization": world.cs_branch.pk, "category": "other", "subject": "又一封", "body": "内容"},
    )
    assert response.status_code == 200 and "每人每天最多写 3 封信" in response.content.decode()
    assert Letter.objects.count() == 3


def test_a_double_click_on_send_makes_one_letter(world, member_user, login):
    client = login(member_user)
    url = reverse("mailbox:write")
    key = client.get(url).context["form"]["idempotency_key"].value()
    form = {
        "organization": world.cs_branch.pk,
        "category": "advice",
        "subject": "s",
        "body": "b",
        "idempotency_key": key,
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    assert Letter.objects.count() == 1


def test_the_secretary_replies_and_the_member_reads_rates_and_closes(
    world, member_user, branch_secretary, login, django_capture_on_commit_callbacks
):
    letter = write(world.member, world.cs_branch)
    secretary = login(branch_secretary)
    assert "关于支部学习安排" in secretary.get(reverse("mailbox:inbox")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(
            reverse("mailbox:reply", args=[letter.pk]),
            {"body": "下月起调整。", "expected_status": "submitted"},
        )
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=member_user, kind="mailbox").exists()
    member = login(member_user)
    page = member.get(reverse("mailbox:own", args=[letter.pk])).content.decode()
    assert "下月起调整。" in page and reverse("mailbox:rate", args=[letter.pk]) in page
    assert (
        member.post(
            reverse("mailbox:rate", args=[letter.pk]), {"score": 5, "expected_status": "replied"}
        ).status_code
        == 302
    )
    assert (
        member.post(
            reverse("mailbox:own_close", args=[letter.pk]), {"expected_status": "replied"}
        ).status_code
        == 302
    )
    letter.refresh_from_db()
    assert (letter.status, letter.satisfaction, letter.closed_how) == ("closed", 5, "writer")


def test_the_college_transfers_a_letter_to_the_branch(world, college_organizer, branch_secretary, login):
    letter = write(world.member, world.cs)
    client = login(college_organizer)
    page = client.get(reverse("mailbox:letter", args=[letter.pk])).content.decode()
    assert world.cs_branch.name in page and world.fl_branch.name not in page
    response = client.post(
        reverse("mailbox:transfer", args=[letter.pk]),
        {"to_org": world.cs_branch.pk, "reason": "属支部事项", "expected_status": "submitted"},
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.organization, letter.status) == (world.cs_branch, "transferred")
    assert login(branch_secretary).get(reverse("mailbox:letter", args=[letter.pk])).status_code == 200


def test_the_handler_closes_an_answered_letter(world, branch_secretary, login):
    letter = replied(write(world.member, world.cs_branch))
    response = login(branch_secretary).post(
        reverse("mailbox:close", args=[letter.pk]), {"expected_status": "replied"}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.status, letter.closed_how) == ("closed", "handler")


def test_a_stale_reply_answers_409_and_adds_nothing(world, branch_secretary, login):
    letter = replied(write(world.member, world.cs_branch))
    response = login(branch_secretary).post(
        reverse("mailbox:reply", args=[letter.pk]), {"body": "再答", "expected_status": "submitted"}
    )
    assert response.status_code == 409
    assert Reply.objects.count() == 1


HANDLER_POSTS = [
    ("mailbox:reply", {"body": "答复", "expected_status": "submitted"}),
    ("mailbox:transfer", {"to_org": "", "reason": "理由", "expected_status": "submitted"}),
    ("mailbox:close", {"expected_status": "replied"}),
    ("mailbox:letter", {}),
]


@pytest.mark.parametrize(("name", "form"), HANDLER_POSTS)
def test_an_outsider_is_refused_on_every_handler_action(
    world, outsider_organizer, member_user, login, name, form
):
    letter = write(world.member, world.cs_branch)
    if form.get("to_org") == "":
        form = {**form, "to_org": world.cs.pk}
    before = Letter.objects.values().get(pk=letter.pk)
    for client in (login(outsider_organizer), login(member_user)):
        assert client.post(reverse(name, args=[letter.pk]), form).status_code == 404
        assert client.get(reverse(name, args=[letter.pk])).status_code == 404
    assert Letter.objects.values().get(pk=letter.pk) == before and not Reply.objects.exists()


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("mailbox:rate", {"score": 5, "expected_status": "replied"}),
        ("mailbox:own_close", {"expected_status": "replied"}),
    ],
)
def test_only_the_writer_closes_or_rates(world, outsider_organizer, branch_secretary, login, name, form):
    letter = replied(write(world.member, world.cs_branch))
    for user in (outsider_organizer, branch_secretary):
        assert login(user).post(reverse(name, args=[letter.pk]), form).status_code == 404
        assert login(user).get(reverse("mailbox:own", args=[letter.pk])).status_code == 404
    letter.refresh_from_db()
    assert (letter.status, letter.satisfaction) == ("replied", None)


def test_an_anonymous_writer_is_never_named_to_the_handlers(
    world,
    member_user,
    branch_secretary,
    college_organizer,
    school_admin,
    login,
    django_capture_on_commit_callbacks,
):
    client = login(member_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("mailbox:write"),
            {
                "organization": world.cs_branch.pk,
                "category": "problem",
                "subject": "匿名反映",
                "body": "情况",
                "anonymous": "on",
            },
        )
    letter = Letter.objects.get()
    assert letter.anonymous and letter.author == world.member  # kept: 我的来信 and the daily cap
    name = world.member.name
    for handler in (branch_secretary, college_organizer, school_admin):
        c = login(handler)
        pages = [
            c.get(reverse("mailbox:inbox")),
            c.get(reverse("mailbox:inbox"), {"status": "all"}),
            c.get(reverse("mailbox:letter", args=[letter.pk])),
            c.get("/api/v1/mailbox/letters"),
            c.get(reverse("workbench:notifications")),
        ]
        for response in pages:
            assert response.status_code == 200
            assert name not in response.content.decode()
        assert "匿名来信" in pages[2].content.decode()
    for notice in Notification.objects.filter(kind="mailbox"):
        assert name not in notice.title + notice.body
    # the member still sees it as theirs
    assert "匿名反映" in client.get(reverse("mailbox:mine")).content.decode()


def test_the_handlers_todo_calls_out_overdue_letters_first(world, branch_secretary):
    from dangjian.accounts.scope import resolve_scope

    write(world.member, world.cs_branch)
    late = write(world.secretary, world.cs)  # the secretary's own letter is not theirs to handle
    Letter.objects.filter(pk=late.pk).update(organization=world.cs_branch)
    old = write(world.fl_member, world.fl_branch)
    Letter.objects.filter(pk=old.pk).update(organization=world.cs_branch, due_on="2026-11-20")
    items = [t for t in todos_for(branch_secretary, resolve_scope(branch_secretary)) if t.source == "mailbox"]
    assert [(t.severity, t.count) for t in items] == [("danger", 1), ("info", 2)]


def _many(world, n: int) -> None:
    people = [world.member, world.secretary]
    for i in range(n):
        with time_machine.travel(f"2026-11-{1 + i:02d} 10:00 +0800", tick=False):  # under the daily cap
            letter = write(people[i % 2], world.cs_branch, anonymous=i % 2 == 0)
        if i % 4 == 0:
            replied(letter)


@pytest.mark.parametrize("n", [3, 15])
def test_the_inbox_costs_fixed_queries(world, college_organizer, login, django_assert_max_num_queries, n):
    _many(world, n)
    client = login(college_organizer)
    client.get(reverse("mailbox:inbox"))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("mailbox:inbox"), {"status": "all"})
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 15])
def test_my_letters_cost_fixed_queries(world, member_user, login, django_assert_max_num_queries, n):
    _many(world, n)
    client = login(member_user)
    client.get(reverse("mailbox:mine"))
    with django_assert_max_num_queries(6):
        assert client.get(reverse("mailbox:mine")).status_code == 200

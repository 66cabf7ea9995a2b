"""志愿服务's pages: the member's list and sign-up, the scan page, the organizer's pages, the export;
outsiders answered 404 on every page and POST; the lists' query counts pinned."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.volunteer import checkin, services
from dangjian.volunteer.models import Activity, SignUp
from dangjian.volunteer.rules import ActivityStatus
from tests import factories as f
from tests.volunteer.conftest import END, START, as_person


@pytest.fixture
def activity(world, make_activity):
    return make_activity()


def _signup_of(world, activity):
    return services.signup_create(actor=None, scope=as_person(world.member), activity=activity)


POSTS = [
    ("volunteer:signup", {}),
    ("volunteer:signup_cancel", {}),
    ("volunteer:activity_edit", {"expected_status": "published", "title": "改"}),
    ("volunteer:publish", {"expected_status": "draft"}),
    ("volunteer:cancel", {"expected_status": "published", "reason": "不办了"}),
    ("volunteer:finish", {"expected_status": "published"}),
]


@pytest.mark.parametrize(("name", "body"), POSTS)
def test_an_outsider_is_answered_404_and_nothing_changes(
    world, activity, outsider_organizer, login, name, body
):
    client = login(outsider_organizer)
    assert client.post(reverse(name, args=[activity.pk]), body).status_code == 404
    assert client.get(reverse(name, args=[activity.pk])).status_code == 404
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PUBLISHED and activity.title == "社区环境整治"
    assert not SignUp.objects.exists()


@pytest.mark.parametrize(
    "name", ["volunteer:activity", "volunteer:signups", "volunteer:screen", "volunteer:screen_code"]
)
def test_an_outsider_cannot_open_the_activitys_pages(world, activity, outsider_organizer, login, name):
    assert login(outsider_organizer).get(reverse(name, args=[activity.pk])).status_code == 404


def test_an_outsider_cannot_correct_hours(world, activity, outsider_organizer, login):
    signup = _signup_of(world, activity)
    with time_machine.travel(END + timedelta(hours=1), tick=False):
        response = login(outsider_organizer).post(
            reverse("volunteer:correct", args=[signup.pk]),
            {"hours": "1", "reason": "x", "expected_status": ""},
        )
    assert response.status_code == 404
    signup.refresh_from_db()
    assert signup.hours_granted is None


def test_a_member_of_another_college_does_not_see_the_branchs_activity(world, activity, login):
    user = f.user_for(world.fl_member, "fl_member")
    client = login(user)
    assert client.get(reverse("volunteer:activity", args=[activity.pk])).status_code == 404
    assert client.post(reverse("volunteer:signup", args=[activity.pk])).status_code == 404
    assert activity.title not in client.get(reverse("volunteer:home")).content.decode()


def test_a_member_signs_up_from_the_page_once(world, activity, member_user, login):
    client = login(member_user)
    assert "社区环境整治" in client.get(reverse("volunteer:home")).content.decode()
    url = reverse("volunteer:signup", args=[activity.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a double click
    assert SignUp.objects.filter(activity=activity, person=world.member).count() == 1
    page = client.get(reverse("volunteer:activity", args=[activity.pk])).content.decode()
    assert "取消报名" in page


def test_a_full_activity_says_so_in_chinese(world, make_activity, member_user, login):
    full = make_activity(places=1)
    services.signup_create(actor=None, scope=as_person(world.secretary), activity=full)
    client = login(member_user)
    response = client.post(reverse("volunteer:signup", args=[full.pk]), follow=True)
    assert "名额已满" in response.content.decode()
    assert not SignUp.objects.filter(activity=full, person=world.member).exists()


def test_the_scan_page_refuses_a_forged_code_and_checks_in_with_a_real_one(
    world, activity, member_user, login
):
    client = login(member_user)
    forged = client.post(reverse("volunteer:scan", args=["forged"]))
    assert forged.status_code == 400 and "签到码无效" in forged.content.decode()
    _signup_of(world, activity)
    with time_machine.travel(START, tick=False):
        client = login(member_user)  # a fresh session: the first one idled out over two days
        url = reverse("volunteer:scan", args=[checkin.make_token(activity)])
        assert "确认签到" in client.get(url).content.decode()
        response = client.post(url)
    assert response.status_code == 200 and "签到成功" in response.content.decode()
    assert SignUp.objects.get(activity=activity, person=world.member).checked_in_at == START


def test_the_screen_shows_the_code_inside_the_window(world, activity, branch_secretary, login):
    client = login(branch_secretary)
    before = client.get(reverse("volunteer:screen", args=[activity.pk])).content.decode()
    assert "签到尚未开始" in before and "/volunteer/c/" not in before
    with time_machine.travel(START - timedelta(minutes=30), tick=False):
        client = login(branch_secretary)
        page = client.get(reverse("volunteer:screen", args=[activity.pk])).content.decode()
        fragment = client.get(reverse("volunteer:screen_code", args=[activity.pk])).content.decode()
    assert "dj-qr" in page and "dj-qr" in fragment


def test_the_organizer_drafts_once_publishes_and_cancels(world, branch_secretary, login):
    client = login(branch_secretary)
    form = client.get(reverse("volunteer:activity_new"))
    key = form.context["form"]["idempotency_key"].value()
    body = {
        "organization": world.cs_branch.pk,
        "title": "敬老院慰问",
        "place": "东湖敬老院",
        "starts_at": "2026-12-05T09:00",
        "ends_at": "2026-12-05T11:00",
        "places": "5",
        "hours": "2",
        "audience": "subtree",
        "idempotency_key": key,
    }
    assert client.post(reverse("volunteer:activity_new"), body).status_code == 302
    assert client.post(reverse("volunteer:activity_new"), body).status_code == 302
    activity = Activity.objects.get()
    assert activity.status == ActivityStatus.DRAFT and activity.created_by == branch_secretary
    bad = client.post(reverse("volunteer:activity_new"), {**body, "idempotency_key": "other", "hours": "2.5"})
    assert bad.status_code == 200 and "不能超过活动时长" in bad.content.decode()
    assert Activity.objects.count() == 1
    client.post(reverse("volunteer:publish", args=[activity.pk]), {"expected_status": "draft"})
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PUBLISHED
    client.post(
        reverse("volunteer:cancel", args=[activity.pk]), {"expected_status": "published", "reason": "下雨"}
    )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED and activity.cancel_reason == "下雨"


def test_the_sign_up_list_exports_to_excel_audited(world, activity, branch_secretary, login):
    _signup_of(world, activity)
    response = login(branch_secretary).get(
        reverse("volunteer:signups", args=[activity.pk]), {"format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    b"".join(response.streaming_content)
    assert AuditEvent.objects.filter(action="volunteer.signups_export").exists()


def test_the_correction_page_records_the_hours(world, activity, branch_secretary, login):
    signup = _signup_of(world, activity)
    with time_machine.travel(END + timedelta(hours=1), tick=False):
        client = login(branch_secretary)
        url = reverse("volunteer:correct", args=[signup.pk])
        missing = client.post(url, {"hours": "2", "reason": "", "expected_status": ""})
        assert missing.status_code == 200 and not SignUp.objects.get(pk=signup.pk).hours_granted
        client.post(url, {"hours": "2", "reason": "现场确认", "expected_status": ""})
    signup.refresh_from_db()
    assert str(signup.hours_granted) == "2.0"


def test_my_hours_page(world, activity, member_user, login):
    _signup_of(world, activity)
    services.checkin_scan(
        actor=None, scope=as_person(world.member), token=checkin.make_token(activity, START), now=START
    )
    page = login(member_user).get(reverse("volunteer:hours")).content.decode()
    assert "3.0 小时" in page and "社区环境整治" in page


def _many(world, make_activity, n):
    people = [f.member(world.cs_branch, f"志愿者{i}") for i in range(3)]
    for i in range(n):
        activity = make_activity(title=f"活动{i}", places=10)
        for person in [world.member, *people]:
            services.signup_create(actor=None, scope=as_person(person), activity=activity)


@pytest.mark.parametrize("n", [2, 12])
def test_the_members_list_costs_fixed_queries(
    world, make_activity, member_user, login, django_assert_max_num_queries, n
):
    _many(world, make_activity, n)
    client = login(member_user)
    client.get(reverse("volunteer:home"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("volunteer:home")).status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_the_organizers_list_costs_fixed_queries(
    world, make_activity, branch_secretary, login, django_assert_max_num_queries, n
):
    _many(world, make_activity, n)
    client = login(branch_secretary)
    client.get(reverse("volunteer:manage"))
    with django_assert_max_num_queries(7):
        assert client.get(reverse("volunteer:manage")).status_code == 200


@pytest.mark.parametrize("n", [2, 30])
def test_the_sign_up_list_costs_fixed_queries(
    world, make_activity, branch_secretary, login, django_assert_max_num_queries, n
):
    activity = make_activity(places=100)
    for i in range(n):
        person = f.member(world.cs_branch, f"报名者{i}")
        services.signup_create(actor=None, scope=as_person(person), activity=activity)
    client = login(branch_secretary)
    client.get(reverse("volunteer:signups", args=[activity.pk]))
    with django_assert_max_num_queries(7):
        assert client.get(reverse("volunteer:signups", args=[activity.pk])).status_code == 200


def test_the_person_page_shows_the_hours_to_the_branch_not_to_an_outsider(
    world, activity, branch_secretary, member_user, login
):
    from dangjian.accounts.scope import resolve_scope
    from dangjian.volunteer.panels import hours_panel

    _signup_of(world, activity)
    services.checkin_scan(
        actor=None, scope=as_person(world.member), token=checkin.make_token(activity, START), now=START
    )
    panel = hours_panel(None, resolve_scope(branch_secretary), world.member)
    assert panel is not None and panel["years"][0].year == 2026
    assert hours_panel(None, resolve_scope(member_user), world.member) is not None
    assert hours_panel(None, resolve_scope(member_user), world.secretary) is None
    client = login(branch_secretary)
    card = reverse("core:person_card", args=[world.member.pk, "volunteer"])
    assert card in client.get(reverse("core:person_detail", args=[world.member.pk])).content.decode()
    assert "志愿服务时长" in client.get(card, HTTP_HX_REQUEST="true").content.decode()


def test_the_printed_code_checks_in_inside_the_window_only(
    world, activity, branch_secretary, member_user, login
):
    sheet = login(branch_secretary).get(reverse("volunteer:print_sheet", args=[activity.pk]))
    page = sheet.content.decode()
    assert sheet.status_code == 200 and "<svg" in page and "社区环境整治" in page
    printed = checkin.make_print_token(activity)
    assert f"/volunteer/c/{printed}/" in page
    _signup_of(world, activity)
    url = reverse("volunteer:scan", args=[printed])
    early = login(member_user).post(url)
    assert early.status_code == 400
    assert SignUp.objects.get(activity=activity, person=world.member).checked_in_at is None
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        response = login(member_user).post(url)
    assert response.status_code == 200 and "签到成功" in response.content.decode()
    assert SignUp.objects.get(activity=activity, person=world.member).checked_in_at is not None


def test_an_outsider_cannot_print_the_code(world, activity, outsider_organizer, member_user, login):
    assert (
        login(outsider_organizer).get(reverse("volunteer:print_sheet", args=[activity.pk])).status_code == 404
    )
    assert login(member_user).get(reverse("volunteer:print_sheet", args=[activity.pk])).status_code == 404


# ---------------------------------------------------------------- 补录 of someone who did not sign up


def _add_url(activity, **query):
    url = reverse("volunteer:signup_add", args=[activity.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_organizer_finds_and_adds_a_participant_through_the_page(
    world, activity, branch_secretary, login
):
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        client = login(branch_secretary)  # signed in then: a session idle for two days has ended
        page = client.get(reverse("volunteer:activity", args=[activity.pk])).content.decode()
        assert _add_url(activity) in page and "补录未报名的参加者" in page
        found = client.get(_add_url(activity, q=world.member.staff_number)).content.decode()
        assert world.member.name in found and _add_url(activity, person=world.member.pk) in found
        form = client.get(_add_url(activity, person=world.member.pk))
        assert form.status_code == 200 and form.context["form"]["hours"].value() == activity.hours
        response = client.post(
            _add_url(activity), {"person": world.member.pk, "hours": "3", "reason": "现场参加，未报名"}
        )
    assert response.status_code == 302 and response["Location"] == reverse(
        "volunteer:signups", args=[activity.pk]
    )
    added = SignUp.objects.get()
    assert (added.person, added.checkin_method, str(added.hours_granted)) == (world.member, "manual", "3.0")
    assert AuditEvent.objects.filter(action="volunteer.signup_add", actor=branch_secretary).count() == 1


def test_a_coming_activity_offers_no_addition(world, activity, branch_secretary, login):
    client = login(branch_secretary)
    assert (
        _add_url(activity)
        not in client.get(reverse("volunteer:activity", args=[activity.pk])).content.decode()
    )
    response = client.post(_add_url(activity), {"person": world.member.pk, "hours": "3", "reason": "未报名"})
    assert response.status_code == 200 and "活动开始后才能补录" in response.content.decode()
    assert not SignUp.objects.exists()


@pytest.mark.parametrize(("hours", "message"), [("0", "必须大于 0"), ("3.1", "不能超过活动时长")])
def test_hours_out_of_bounds_are_refused_in_chinese(world, activity, branch_secretary, login, hours, message):
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        response = login(branch_secretary).post(
            _add_url(activity), {"person": world.member.pk, "hours": hours, "reason": "未报名"}
        )
    assert response.status_code == 200 and message in response.content.decode()
    assert not SignUp.objects.exists()


def test_someone_signed_up_is_pointed_to_the_correction_on_the_page(world, activity, branch_secretary, login):
    _signup_of(world, activity)
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        client = login(branch_secretary)  # signed in then: a session idle for two days has ended
        found = client.get(_add_url(activity, q=world.member.staff_number)).content.decode()
        assert "已报名" in found and "在报名名单中更正时长" in found
        response = client.post(
            _add_url(activity), {"person": world.member.pk, "hours": "3", "reason": "未报名"}
        )
    assert response.status_code == 200 and "更正其时长" in response.content.decode()
    assert SignUp.objects.get().hours_granted is None


def test_a_double_submit_adds_once_through_the_page(world, activity, branch_secretary, login):
    body = {"person": world.member.pk, "hours": "3", "reason": "未报名"}
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        client = login(branch_secretary)
        assert client.post(_add_url(activity), body).status_code == 302
        assert client.post(_add_url(activity), body).status_code == 200
    assert SignUp.objects.count() == 1


def test_a_person_out_of_range_is_not_found(world, activity, branch_secretary, login):
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        client = login(branch_secretary)  # signed in then: a session idle for two days has ended
        assert client.get(_add_url(activity, q=world.fl_member.staff_number)).context["results"] == []
        assert client.get(_add_url(activity, person=world.fl_member.pk)).status_code == 404
        response = client.post(
            _add_url(activity), {"person": world.fl_member.pk, "hours": "3", "reason": "x"}
        )
    assert response.status_code == 404 and not SignUp.objects.exists()


@pytest.mark.parametrize("who", ["outsider_organizer", "member_user"])
def test_an_outsider_cannot_add_a_participant(world, activity, login, request, who):
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        client = login(request.getfixturevalue(who))
        assert client.get(_add_url(activity, q=world.member.staff_number)).status_code == 404
        response = client.post(_add_url(activity), {"person": world.member.pk, "hours": "3", "reason": "x"})
    assert response.status_code == 404 and not SignUp.objects.exists()
    assert not AuditEvent.objects.filter(action="volunteer.signup_add").exists()

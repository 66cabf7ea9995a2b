"""The shell every page shares: the grouped menu and the phone's tab bar by role, the header search inside
the scope, the installable web app (manifest, icons, favicon), the first-visit guide, the login page."""

from __future__ import annotations

from django.urls import reverse

from dangjian.audit.models import AuditEvent
from tests import factories as f


def _menu(client):
    return client.get(reverse("web:home")).context["menu"]


def test_a_member_has_five_tabs_and_a_short_menu(login, member_user) -> None:
    menu = _menu(login(member_user))
    assert [t.label for t in menu.tabs] == ["工作台", "组织生活", "党费", "通知", "我的"]
    assert [t.url for t in menu.tabs][2] == reverse("dues:me")  # a member's 党费 tab is their own dues
    labels = [i.label for i in menu.items]
    assert "人员" not in labels and "审计日志" not in labels


def test_a_secretary_s_dues_tab_opens_the_branch_dues(login, branch_secretary) -> None:
    tabs = _menu(login(branch_secretary)).tabs
    assert [t.url for t in tabs if t.label == "党费"] == [reverse("dues:home")]


def test_an_organizer_sees_the_menu_in_sections(login, college_organizer) -> None:
    groups = {g.key: [i.label for i in g.items] for g in _menu(login(college_organizer)).groups}
    assert groups["people"] == ["组织", "人员", "规范检查"]
    assert "发展党员" in groups["recruitment"] and "组织生活统计" in groups["stats"]
    assert "安全策略" not in groups.get("system", [])


def test_the_auditor_is_not_offered_member_pages(login, auditor) -> None:
    labels = [i.label for i in _menu(login(auditor)).items]
    assert "审计日志" in labels
    for label in ("我的党费", "组织关系转接", "组织生活"):
        assert label not in labels


def test_the_active_tab_follows_the_section(login, member_user) -> None:
    page = login(member_user).get(reverse("dues:me")).content.decode()
    assert 'class="tabbar-item active" href="/dues/me/"' in page


def test_search_finds_people_and_orgs_in_scope_only(
    login, world, college_organizer, outsider_organizer
) -> None:
    page = login(college_organizer).get(reverse("web:search"), {"q": "lxh"}).content.decode()
    assert "李晓红" in page
    fl = login(outsider_organizer).get(reverse("web:search"), {"q": "lxh"}).content.decode()
    assert "李晓红" not in fl and "没有找到" in fl
    orgs = login(college_organizer).get(reverse("web:search"), {"q": "外国语"}).content.decode()
    assert world.fl_branch.name not in orgs


def test_search_costs_the_same_few_queries_however_many_match(
    login, world, college_organizer, django_assert_max_num_queries
) -> None:
    for i in range(30):
        f.person(f"李测试{i}", organization=world.cs_branch)
    client = login(college_organizer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("web:search"), {"q": "李"})
    assert response.content.decode().count("list-group-item-action") <= 16


def test_an_account_with_nothing_to_search_gets_no_search_box(login, auditor) -> None:
    page = login(auditor).get(reverse("web:home")).content.decode()
    assert 'name="q"' not in page


def test_search_finds_meetings_and_cases(login, world, college_organizer, member_user) -> None:
    from datetime import date, time

    from dangjian.accounts.scope import Scope
    from dangjian.orglife.meetings import services as orglife
    from dangjian.recruitment import services as recruitment

    meeting = orglife.meeting_create(
        actor=None,
        scope=Scope.system(),
        org=world.cs_branch,
        kind="theme_day",
        topic="学习二十大精神",
        day=date(2026, 12, 3),
        start_time=time(14, 30),
    )
    applicant = f.person("陈同学", organization=world.cs_branch, birth=date(2003, 5, 1))
    recruitment.case_open(
        scope=Scope.system(),
        actor=None,
        person=applicant,
        branch=world.cs_branch,
        applied_on=date(2026, 11, 2),
    )
    page = login(college_organizer).get(reverse("web:search"), {"q": "陈同学"}).content.decode()
    assert (
        "发展党员" in page
        and reverse("recruitment:case", args=[applicant.recruitment_cases.get().pk]) in page
    )
    mine = login(member_user).get(reverse("web:search"), {"q": "二十大"}).content.decode()
    assert reverse("orglife:meeting", args=[meeting.pk]) in mine  # a member finds their branch's meeting


def test_the_site_is_installable(client) -> None:
    manifest = client.get(reverse("web:manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    body = manifest.json()
    assert body["display"] == "standalone" and {i["sizes"] for i in body["icons"]} >= {"192x192", "512x512"}
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 301 and favicon["Location"].endswith("favicon.ico")


def test_the_login_page_says_what_the_platform_is_and_whom_to_ask(client, settings) -> None:
    settings.EMAIL_URL = ""
    settings.SUPPORT_CONTACT = "党委组织部 010-12345678"
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'id="platform-line"' in page and reverse("accounts:password_forgot") in page
    forgot = client.get(reverse("accounts:password_forgot")).content.decode()
    assert "党委组织部 010-12345678" in forgot and 'name="email"' not in forgot


def test_with_mail_a_forgotten_password_is_reset_by_a_link(client, settings, member_user, mailoutbox) -> None:
    settings.EMAIL_URL = "smtp://localhost:25"
    member_user.email = "lxh@example.edu.cn"
    member_user.save()
    response = client.post(reverse("accounts:password_forgot"), {"email": "lxh@example.edu.cn"})
    assert response.status_code == 302 and len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"new_password1": "Xin-mima-2026!", "new_password2": "Xin-mima-2026!"},
    )
    member_user.refresh_from_db()
    assert member_user.check_password("Xin-mima-2026!")
    assert AuditEvent.objects.filter(action="account.password_reset").count() == 1


def test_the_first_visit_guide_is_dismissed_once_and_audited(login, branch_secretary) -> None:
    client = login(branch_secretary)
    assert 'id="first-visit-guide"' in client.get(reverse("web:home")).content.decode()
    client.post(reverse("accounts:guide_dismiss"))
    client.post(reverse("accounts:guide_dismiss"))  # a double click
    assert 'id="first-visit-guide"' not in client.get(reverse("web:home")).content.decode()
    assert AuditEvent.objects.filter(action="account.guide_dismiss").count() == 1


def test_charts_load_only_where_a_chart_is_drawn(login, member_user, school_admin) -> None:
    assert "echarts" not in login(member_user).get(reverse("web:home")).content.decode()
    assert "echarts" in login(school_admin).get(reverse("web:home")).content.decode()
    assert "echarts" not in login(school_admin).get(reverse("core:person_list")).content.decode()


def test_an_account_without_a_person_is_shown_by_its_name(login, db) -> None:
    from dangjian.accounts.models import User

    user = User.objects.create_user("zzb_admin", password="x", first_name="赵敏")
    assert user.display_name == "赵敏"
    assert "你好，赵敏" in login(user).get(reverse("web:home")).content.decode()


def test_the_language_menu_names_each_language_in_itself(login, member_user) -> None:
    page = login(member_user).get(reverse("web:home")).content.decode()
    assert "English" in page and "英语" not in page


def test_the_auditor_s_workbench_shows_the_recent_exports(login, auditor, college_organizer) -> None:
    from django.db import transaction

    from dangjian import audit

    with transaction.atomic():
        audit.record(actor=college_organizer, action="person.export_unmasked", changes={"rows": 3})
    home = login(auditor).get(reverse("web:home"))
    tile = dict(home.context["tiles"])["audit/_exports_tile.html"]
    assert (tile["counts"]["exports"], tile["counts"]["unmasked"]) == (1, 1)
    assert 'id="tile-audit-exports"' in home.content.decode()
    assert 'id="tile-audit-exports"' not in login(college_organizer).get(reverse("web:home")).content.decode()

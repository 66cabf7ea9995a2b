"""The shell on a 360 px phone: the tab bar, the grouped menu behind ☰, pages that fit, 40 px tap targets."""

from __future__ import annotations

import pytest

from tests.web.browsing import PHONE, assert_fits_a_phone, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_moves_around_by_the_tab_bar(world, member_user, live_server, browser) -> None:
    page = browser.new_page(viewport=PHONE)
    login(page, live_server.url, "member")
    tabs = page.locator(".tabbar .tabbar-item")
    assert tabs.all_inner_texts() == ["工作台", "组织生活", "党费", "通知", "我的"]
    assert_fits_a_phone(page, "工作台")
    tabs.nth(2).click()
    page.wait_for_url("**/dues/me/")
    assert page.locator(".tabbar-item.active").inner_text() == "党费"
    for path in ("/accounts/me/", "/workbench/notifications/", "/search/?q=%E6%9D%8E"):
        page.goto(live_server.url + path)
        assert_fits_a_phone(page, path)


def test_the_menu_behind_the_burger_is_grouped(world, college_organizer, live_server, browser) -> None:
    page = browser.new_page(viewport=PHONE)
    login(page, live_server.url, "college_organizer")
    page.click(".navbar-toggler")
    page.wait_for_selector("#nav-group-people", state="visible")
    assert page.locator("#nav-group-recruitment").is_visible()
    assert_fits_a_phone(page, "menu")


def test_login_and_forgotten_password_fit_a_phone(db, live_server, browser) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + "/accounts/login/")
    assert page.locator("#platform-line").is_visible()
    assert_fits_a_phone(page, "login")
    page.click("text=忘记密码？")
    page.wait_for_url("**/password/forgot/")
    assert_fits_a_phone(page, "forgot")

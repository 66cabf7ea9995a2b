"""The Django admin: for the 系统管理员 in emergencies, showing accounts but no member data."""

from __future__ import annotations

from dangjian.accounts.roles import Role
from tests.factories import user_for


def test_system_admin_reaches_admin_but_no_member_data(world, login) -> None:
    sysadmin = user_for(None, "sysadmin", (Role.SYSTEM_ADMIN, None))
    sysadmin.is_staff = True
    sysadmin.save()
    client = login(sysadmin)
    index = client.get("/sysadmin/")
    assert index.status_code == 200
    assert "/sysadmin/accounts/user/" in index.content.decode()
    assert "/sysadmin/core/" not in index.content.decode()
    assert client.get("/people/").status_code == 404
    assert client.get(f"/people/{world.member.pk}/").status_code == 404


def test_staff_flag_alone_does_not_open_the_admin(world, login, school_admin) -> None:
    school_admin.is_staff = True
    school_admin.save()
    response = login(school_admin).get("/sysadmin/")
    assert response.status_code == 302  # sent to the admin login: not a system administrator

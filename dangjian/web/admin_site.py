"""The Django admin, for the 系统管理员 in emergencies only.

It lists accounts, role assignments, tokens and security records — never member data (三权分立: the system
administrator manages accounts but reads no Party records). Business data is edited through the services.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from dangjian.accounts.requests import scope_of


class SystemAdminSite(admin.AdminSite):
    site_header = gettext_lazy("智慧党建 · 系统管理(应急)")
    site_title = gettext_lazy("智慧党建")

    def has_permission(self, request: HttpRequest) -> bool:
        from dangjian.accounts.roles import Role

        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return bool(user.is_superuser or Role.SYSTEM_ADMIN in scope_of(request).roles)


class SystemAdminConfig(AdminConfig):
    default_site = "dangjian.web.admin_site.SystemAdminSite"

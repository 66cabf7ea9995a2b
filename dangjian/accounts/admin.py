from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.forms import ModelForm
from django.http import HttpRequest

from dangjian.accounts.models import ApiToken, RoleAssignment, User
from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Role
from dangjian.accounts.scope import scope_changed


class SystemAdminOnly:
    """Full rights for the 系统管理员 role (or a superuser); nobody else, whatever Django perms say."""

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or Role.SYSTEM_ADMIN in scope_of(request).roles)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


class RoleAssignmentInline(SystemAdminOnly, admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("organization",)


@admin.register(User)
class DangjianUserAdmin(SystemAdminOnly, UserAdmin):
    inlines = [RoleAssignmentInline]
    raw_id_fields = ("person",)
    list_display = ("username", "is_active", "is_staff", "last_login")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("人员", {"fields": ("person",)}),
    )

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        # Role assignments given, edited or deleted here (and the person link, is_active) change the
        # user's scope: the cached one is looked up under a new version from the next request on.
        super().save_related(request, form, formsets, change)
        scope_changed(user_ids=[form.instance.pk])


@admin.register(ApiToken)
class ApiTokenAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("token_hash", "prefix")

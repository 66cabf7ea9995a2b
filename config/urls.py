from django.contrib import admin
from django.urls import include, path

from dangjian import hooks
from dangjian.api.root import api
from dangjian.kit.access_rules import LOGIN, admin_site, declare_url, nowhere, public

urlpatterns = [
    path("", include("dangjian.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Every app's pages under its prefix (``hooks.url_mounts``: core, accounts, audit, workbench, modules).
    *(path(mount.prefix, include(mount.urls)) for mount in hooks.url_mounts.all()),
    path("api/v1/", api.urls),
    path("sysadmin/", admin.site.urls),
]

# Views the platform mounts but did not write (dangjian/kit/access_rules.py).
declare_url("set_language", public())
declare_url("api:openapi-json", public())
declare_url("api:openapi-view", public())
declare_url("api:api-root", nowhere())
declare_url("admin:", admin_site())
declare_url("admin:login", public())
declare_url("admin:logout", public(sysadmin=LOGIN))
# Chinese error pages (and JSON under /api/); no technical page is ever shown when DEBUG is off.
handler400 = "dangjian.web.errors.bad_request"
handler403 = "dangjian.web.errors.permission_denied"
handler404 = "dangjian.web.errors.page_not_found"
handler500 = "dangjian.web.errors.server_error"

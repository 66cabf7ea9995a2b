from django.contrib import admin
from django.urls import include, path

from dangjian.api.root import api

urlpatterns = [
    path("", include("dangjian.web.urls")),
    path("", include("dangjian.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("dangjian.accounts.urls")),
    path("audit/", include("dangjian.audit.urls")),
    path("workbench/", include("dangjian.workbench.urls")),
    path("workbench/jobs/", include("dangjian.jobs.urls")),
    path("dues/", include("dangjian.dues.urls")),
    path("transfers/", include("dangjian.transfers.urls")),
    path("recruitment/", include("dangjian.recruitment.urls")),
    path("orglife/", include("dangjian.orglife.urls")),
    path("learning/", include("dangjian.learning.urls")),
    path("api/v1/", api.urls),
    path("sysadmin/", admin.site.urls),
]

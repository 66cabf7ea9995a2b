"""/orglife/: the pages of the three sub-domains, all in the "orglife" namespace (督查 names start with
``sup_``, compliance names with ``stats_``)."""

from django.urls import include, path

app_name = "orglife"

urlpatterns = [
    path("", include("dangjian.orglife.meetings.urls")),
    path("supervision/", include("dangjian.orglife.supervision.urls")),
    path("stats/", include("dangjian.orglife.compliance.urls")),
]

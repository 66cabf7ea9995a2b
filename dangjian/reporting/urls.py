from django.urls import path

from dangjian.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("recompute/", views.recompute, name="recompute"),
    path("<int:org_id>/", views.org_statistics, name="org"),
    path("<int:org_id>/export.xlsx", views.org_export, name="export"),
    path("<int:org_id>/cells/<slug:key>/", views.explain, name="explain"),
    path("<int:org_id>/cells/<slug:key>/export.xlsx", views.explain_export, name="explain_export"),
]

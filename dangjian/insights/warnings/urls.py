"""The 预警 centre's pages, mounted by ``insights.urls`` under /insights/."""

from django.urls import path

from dangjian.insights.warnings import views

urlpatterns = [
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/export.xlsx", views.warning_export, name="warnings_export"),
    path("warnings/<int:alert_id>/", views.warning_detail, name="warning"),
    path("warnings/<int:alert_id>/take/", views.warning_take, name="warning_take"),
    path("warnings/<int:alert_id>/close/", views.warning_close, name="warning_close"),
]

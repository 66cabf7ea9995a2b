"""/orglife/stats/: compliance matrix, attendance, 党课 and 双重组织生活, absence warnings, exports."""

from django.urls import path

from dangjian.orglife.compliance import views

urlpatterns = [
    path("", views.matrix, name="stats_matrix"),
    path("export/", views.matrix_export, name="stats_matrix_export"),
    path("cell/", views.cell, name="stats_cell"),
    path("remind/", views.remind, name="stats_remind"),
    path("attendance/", views.attendance, name="stats_attendance"),
    path("attendance/export/", views.attendance_export, name="stats_attendance_export"),
    path("meetings/export/", views.meetings_export, name="stats_meetings_export"),
    path("lectures/", views.lectures, name="stats_lectures"),
    path("warnings/", views.warnings_list, name="stats_warnings"),
    path("warnings/<int:warning_id>/handle/", views.warning_handle, name="stats_warning_handle"),
]

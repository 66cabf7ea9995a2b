"""/orglife/stats/: compliance matrix, attendance, 党课 and 双重组织生活, absence warnings, exports."""

from django.urls import path

from dangjian.orglife import views_stats

urlpatterns = [
    path("", views_stats.matrix, name="stats_matrix"),
    path("export/", views_stats.matrix_export, name="stats_matrix_export"),
    path("attendance/", views_stats.attendance, name="stats_attendance"),
    path("attendance/export/", views_stats.attendance_export, name="stats_attendance_export"),
    path("meetings/export/", views_stats.meetings_export, name="stats_meetings_export"),
    path("lectures/", views_stats.lectures, name="stats_lectures"),
    path("warnings/", views_stats.warnings_list, name="stats_warnings"),
    path("warnings/<int:warning_id>/handle/", views_stats.warning_handle, name="stats_warning_handle"),
]

from django.urls import include, path

from dangjian.orglife import views, views_checkin, views_plans

app_name = "orglife"

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/notify/", views.meeting_notify, name="meeting_notify"),
    path("meetings/<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:meeting_id>/invite/", views.meeting_invite, name="meeting_invite"),
    path("meetings/<int:meeting_id>/leave/", views.leave_new, name="leave_new"),
    path("meetings/<int:meeting_id>/leave/<int:leave_id>/", views.leave_decide, name="leave_decide"),
    path("meetings/<int:meeting_id>/check-in/manual/", views.checkin_manual, name="checkin_manual"),
    path("meetings/<int:meeting_id>/check-in/", views_checkin.screen, name="checkin_screen"),
    path("meetings/<int:meeting_id>/check-in/code/", views_checkin.screen_code, name="checkin_code"),
    path("meetings/<int:meeting_id>/minutes/", views.minutes_edit, name="minutes"),
    path("meetings/<int:meeting_id>/close/", views.meeting_close, name="meeting_close"),
    path("meetings/<int:meeting_id>/correct/", views.minutes_correct, name="minutes_correct"),
    path("meetings/<int:meeting_id>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "meetings/<int:meeting_id>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path("c/<str:token>/", views_checkin.scan, name="scan"),
    path("plans/", views_plans.plans, name="plans"),
    path("plans/new/", views_plans.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", views_plans.plan_detail, name="plan"),
    path("plans/<int:plan_id>/<str:action>/", views_plans.plan_action, name="plan_action"),
    path("supervision/", include("dangjian.orglife.urls_supervision")),
    path("stats/", include("dangjian.orglife.urls_stats")),
]

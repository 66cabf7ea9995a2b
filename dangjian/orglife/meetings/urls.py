"""The pages of plans, meetings and check-in, under /orglife/ (included by ``orglife.urls``)."""

from django.urls import path

from dangjian.orglife.meetings import calendar_views, checkin_views, plan_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.meetings, name="meetings"),
    path("calendar/", calendar_views.month, name="calendar"),
    path("calendar/feed/<str:action>/", calendar_views.feed_action, name="calendar_feed_action"),
    path("calendar/<str:token>.ics", calendar_views.feed, name="calendar_feed"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/notify/", views.meeting_notify, name="meeting_notify"),
    path("meetings/<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:meeting_id>/invite/", views.meeting_invite, name="meeting_invite"),
    path("meetings/<int:meeting_id>/leave/", views.leave_new, name="leave_new"),
    path("meetings/<int:meeting_id>/leave/<int:leave_id>/", views.leave_decide, name="leave_decide"),
    path("meetings/<int:meeting_id>/check-in/manual/", views.checkin_manual, name="checkin_manual"),
    path("meetings/<int:meeting_id>/attendance/", views.attendance_batch, name="attendance_batch"),
    path("meetings/<int:meeting_id>/check-in/", checkin_views.screen, name="checkin_screen"),
    path("meetings/<int:meeting_id>/check-in/code/", checkin_views.screen_code, name="checkin_code"),
    path("meetings/<int:meeting_id>/check-in/print/", checkin_views.print_sheet, name="checkin_print"),
    path("meetings/<int:meeting_id>/check-in/projector/", checkin_views.projector, name="checkin_projector"),
    path("meetings/<int:meeting_id>/check-in/live/", checkin_views.live, name="checkin_live"),
    path("meetings/<int:meeting_id>/minutes/", views.minutes_edit, name="minutes"),
    path("meetings/<int:meeting_id>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:meeting_id>/close/", views.meeting_close, name="meeting_close"),
    path("meetings/<int:meeting_id>/correct/", views.minutes_correct, name="minutes_correct"),
    path("meetings/<int:meeting_id>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "meetings/<int:meeting_id>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path("c/<str:token>/", checkin_views.scan, name="scan"),
    path("plans/", plan_views.plans, name="plans"),
    path("plans/new/", plan_views.plan_new, name="plan_new"),
    path("plans/copy/", plan_views.plan_copy, name="plan_copy"),
    path("plans/approve/", plan_views.plan_batch_approve, name="plan_batch_approve"),
    path("plans/<int:plan_id>/", plan_views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/pdf/", plan_views.plan_pdf, name="plan_pdf"),
    path("plans/<int:plan_id>/<str:action>/", plan_views.plan_action, name="plan_action"),
]

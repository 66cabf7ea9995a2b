from django.urls import path

from dangjian.volunteer import views

app_name = "volunteer"

urlpatterns = [
    path("", views.home, name="home"),
    path("hours/", views.hours, name="hours"),
    path("manage/", views.manage, name="manage"),
    path("new/", views.activity_new, name="activity_new"),
    path("<int:activity_id>/", views.activity, name="activity"),
    path("<int:activity_id>/signup/", views.signup, name="signup"),
    path("<int:activity_id>/signup/cancel/", views.signup_cancel, name="signup_cancel"),
    path("<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:activity_id>/publish/", views.publish, name="publish"),
    path("<int:activity_id>/cancel/", views.cancel, name="cancel"),
    path("<int:activity_id>/finish/", views.finish, name="finish"),
    path("<int:activity_id>/signups/", views.signups, name="signups"),
    path("<int:activity_id>/signups/add/", views.signup_add, name="signup_add"),
    path("<int:activity_id>/screen/", views.screen, name="screen"),
    path("<int:activity_id>/screen/code/", views.screen_code, name="screen_code"),
    path("<int:activity_id>/screen/print/", views.print_sheet, name="print_sheet"),
    path("signups/<int:signup_id>/correct/", views.correct, name="correct"),
    path("c/<str:token>/", views.scan, name="scan"),
]

"""The public pages of the 书记信箱 (no sign-in): write a letter, see the tracking code, track a letter, and
rate and close it with the tracking code."""

from django.urls import path

from dangjian.mailbox import views_public

app_name = "mailbox_public"

urlpatterns = [
    path("write/", views_public.write, name="write"),
    path("write/sent/", views_public.sent, name="sent"),
    path("track/", views_public.track, name="track"),
    path("track/rate/", views_public.track_rate, name="track_rate"),
    path("track/close/", views_public.track_close, name="track_close"),
]

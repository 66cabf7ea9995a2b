from django.urls import path

from dangjian.workbench import views

app_name = "workbench"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_read, name="mark_read"),
    path("notifications/bell/", views.bell, name="bell"),
]

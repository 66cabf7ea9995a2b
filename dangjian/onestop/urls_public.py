"""The public pages of 智慧服务 (no sign-in): the verification of a proof by its code."""

from django.urls import path

from dangjian.onestop import views_public

app_name = "proofs"

urlpatterns = [
    path("verify/<str:code>/", views_public.verify, name="verify"),
]

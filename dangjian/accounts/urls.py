from django.urls import path

from dangjian.accounts import security, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("otp/", views.otp_view, name="otp"),
    path("me/", views.me, name="me"),
    path("security/", security.security, name="security"),
    path("security/unlock/", security.unlock, name="unlock"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]

from django.urls import path

from dangjian.accounts import passwords, security, sso_views, views
from dangjian.kit.access_rules import declare_url, public

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/change/", passwords.password_change, name="password_change"),
    # 统一身份认证: always routed; 404 while the provider's setting is empty.
    path("sso/cas/login/", sso_views.cas_login, name="cas_login"),
    path("sso/oidc/authenticate/", sso_views.oidc_authenticate, name="oidc_authenticate"),
    path("sso/oidc/callback/", sso_views.oidc_callback, name="oidc_callback"),
    path("password/forgot/", passwords.password_forgot, name="password_forgot"),
    path("password/sent/", passwords.ResetDone.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", passwords.ResetConfirm.as_view(), name="password_reset_confirm"),
    path("password/done/", passwords.ResetComplete.as_view(), name="password_reset_complete"),
    path("otp/", views.otp_view, name="otp"),
    path("me/", views.me, name="me"),
    path("guide/dismiss/", views.guide_dismiss, name="guide_dismiss"),
    path("security/", security.security, name="security"),
    path("security/unlock/", security.unlock, name="unlock"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]

# Django's own password-reset views, mounted here.
for _name in ("password_reset_done", "password_reset_confirm", "password_reset_complete"):
    declare_url(f"accounts:{_name}", public())

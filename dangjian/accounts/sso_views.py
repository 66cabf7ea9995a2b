"""统一身份认证 pages: thin wrappers around django-cas-ng's and mozilla-django-oidc's views that answer
404 while the provider is off, remember where the session came from, and show a refusal on our login
page in Chinese."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django_cas_ng import views as cas_views
from mozilla_django_oidc import views as oidc_views

from dangjian.accounts import sso
from dangjian.accounts.views import render_login
from dangjian.kit.access_rules import access_rule, proof, public


class _CasLogin(cas_views.LoginView):
    def successful_login(self, request: HttpRequest, next_page: str) -> HttpResponse:
        if request.GET.get("ticket"):  # not when someone already logged in with a password passes by
            request.session[sso.SESSION_KEY] = "cas"
        return super().successful_login(request, next_page)


@access_rule(public())
@csrf_exempt  # the CAS server's single-logout POST carries no CSRF token; it only ends sessions by ticket
def cas_login(request: HttpRequest) -> HttpResponseBase:
    """Sends the visitor to the CAS server; back with a ticket, logs them in (or says why not). A POST
    with a logoutRequest is the CAS server's single logout."""
    if not sso.cas_on():
        raise Http404
    target = request.GET.get("next", "")
    if target and not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        # django-cas-ng takes ?next as given; only our own pages are a place to go after login.
        return HttpResponseBadRequest()
    try:
        return _CasLogin.as_view()(request)
    except PermissionDenied:
        return render_login(request, sso_error=sso.refusal_of(request), status=403)


@access_rule(public())
def oidc_authenticate(request: HttpRequest) -> HttpResponseBase:
    if not sso.oidc_on():
        raise Http404
    return oidc_views.OIDCAuthenticationRequestView.as_view()(request)


class _OidcCallback(oidc_views.OIDCAuthenticationCallbackView):
    def login_success(self) -> HttpResponse:
        response = super().login_success()
        self.request.session[sso.SESSION_KEY] = "oidc"
        return response

    def login_failure(self) -> HttpResponse:
        return render_login(self.request, sso_error=sso.refusal_of(self.request), status=403)


@access_rule(proof())
def oidc_callback(request: HttpRequest) -> HttpResponseBase:
    if not sso.oidc_on():
        raise Http404
    return _OidcCallback.as_view()(request)

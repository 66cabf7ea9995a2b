"""The public 书记信箱 (no sign-in, rate limited per address): a letter to the school (组织部) or a college,
with a honeypot field against robots; the tracking code shown once after sending; the tracking page where
the code shows the state and the answers. An unknown code answers 404 with a Chinese page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from dangjian.kit.access_rules import access_rule, public
from dangjian.kit.errors import DomainError
from dangjian.kit.form_errors import add_service_error
from dangjian.kit.ratelimit import rate_limit_hit, rate_limited, rate_limited_response
from dangjian.mailbox import lines, selectors, services
from dangjian.mailbox.forms import HONEYPOT, PublicWriteForm, TrackForm

SESSION_KEY = "mailbox_sent_code"


@access_rule(public())
@never_cache
def write(request: HttpRequest) -> HttpResponse:
    """The limit ``mailbox`` counts the letters an address sends (a valid form about to be stored), not
    every POST: a form refused for its errors or its honeypot stores nothing and must not use up what a
    campus behind one NAT address may send (the access matrix posts empty forms as nine people)."""
    form = PublicWriteForm(request.POST or None, targets=lines.public_targets())
    if request.method == "POST" and form.is_valid():
        wait = rate_limit_hit(request, "mailbox")
        if wait is not None:
            return rate_limited_response(request, wait)
        data = form.cleaned_data
        try:
            letter = services.letter_write_public(
                organization=data.get("organization"),
                name=data.get("name", ""),
                contact=data["contact"],
                subject=data["subject"],
                body=data["body"],
                category=data["category"],
                idempotency_key=data.get("idempotency_key") or None,
            )
        except (DomainError, ValidationError) as exc:
            add_service_error(form, exc)
        else:
            request.session[SESSION_KEY] = letter.tracking_code
            return redirect("mailbox_public:sent")
    return render(request, "mailbox/public/write.html", {"form": form, "honeypot": HONEYPOT})


@access_rule(public())
@never_cache
def sent(request: HttpRequest) -> HttpResponse:
    """The tracking code of the letter just sent, shown to its writer (it lives in their session only)."""
    return render(request, "mailbox/public/sent.html", {"code": request.session.get(SESSION_KEY, "")})


@access_rule(public())
@rate_limited("mailbox_track")
@never_cache
def track(request: HttpRequest) -> HttpResponse:
    """The code is posted, not put in the address: it would stay in histories and logs."""
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        letter = selectors.letter_by_code(form.cleaned_data["code"])
        if letter is None:
            return render(request, "mailbox/public/track_unknown.html", status=404)
        return render(request, "mailbox/public/tracked.html", {"letter": letter})
    return render(request, "mailbox/public/track.html", {"form": form})

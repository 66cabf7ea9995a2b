"""The public 书记信箱 (no sign-in, rate limited per address): a letter to the school (组织部) or a college,
with a honeypot field against robots; the tracking code shown once after sending; the tracking page where
the code shows the state and the answers and, once answered, lets its holder rate the answer and close
the letter (the code travels in the posted form, as on the tracking page). An unknown code answers 404
with a Chinese page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dangjian.kit.access_rules import access_rule, public
from dangjian.kit.errors import DomainError, NotFound, StaleState
from dangjian.kit.form_errors import add_service_error
from dangjian.kit.ratelimit import rate_limit_hit, rate_limited, rate_limited_response
from dangjian.kit.transitions import posted_state
from dangjian.mailbox import access, lines, selectors, services
from dangjian.mailbox.forms import HONEYPOT, PublicRateForm, PublicWriteForm, RateForm, TrackForm
from dangjian.mailbox.models import Letter

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
            return _unknown(request)
        return _tracked(request, letter, form.cleaned_data["code"])
    return render(request, "mailbox/public/track.html", {"form": form})


def _unknown(request: HttpRequest) -> HttpResponse:
    return render(request, "mailbox/public/track_unknown.html", status=404)


def _tracked(
    request: HttpRequest, letter: Letter, code: str, *, notice: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "letter": letter,
        "may_rate": access.may_rate_by_code(letter, code),
        "may_close": access.may_close_by_code(letter, code),
        "rate_form": RateForm(),
        "notice": notice,
        "error": error,
    }
    return render(request, "mailbox/public/tracked.html", context, status=status)


Step = Callable[[Letter, str, dict[str, Any]], object]


def _tracked_step(request: HttpRequest, form: TrackForm, step: Step, success: str) -> HttpResponse:
    """A step the holder of the code takes on the tracking page; the page shows the letter again with the
    outcome. A form without a code goes back to the tracking form; an unknown code answers 404."""
    if not form.is_valid():
        return redirect("mailbox_public:track")
    code = form.cleaned_data["code"]
    letter = selectors.letter_by_code(code)
    if letter is None:
        return _unknown(request)
    try:
        step(letter, code, form.cleaned_data)
    except NotFound:
        return _unknown(request)
    except DomainError as exc:
        status = exc.status if isinstance(exc, StaleState) else 200
        return _tracked(request, _reread(letter, code), code, error=exc.message, status=status)
    return _tracked(request, _reread(letter, code), code, notice=success)


def _reread(letter: Letter, code: str) -> Letter:
    return selectors.letter_by_code(code) or letter


@access_rule(public())
@require_POST
@rate_limited("mailbox_track")
@never_cache
def track_rate(request: HttpRequest) -> HttpResponse:
    """满意度评价 by the holder of the tracking code (once, after the reply)."""
    return _tracked_step(
        request,
        PublicRateForm(request.POST),
        lambda letter, code, data: services.letter_public_rate(
            letter=letter, code=code, score=data.get("score"), expected_status=posted_state(request)
        ),
        _("感谢你的评价。"),
    )


@access_rule(public())
@require_POST
@rate_limited("mailbox_track")
@never_cache
def track_close(request: HttpRequest) -> HttpResponse:
    """“问题已解决，关闭来信”: the holder of the tracking code closes the answered letter."""
    return _tracked_step(
        request,
        TrackForm(request.POST),
        lambda letter, code, data: services.letter_public_close(
            letter=letter, code=code, expected_status=posted_state(request)
        ),
        _("来信已办结，感谢你的来信。"),
    )

"""The one flow of every form page: validate, call the service, redirect with a message or show errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangjian.kit.errors import DomainError, StaleState
from dangjian.kit.form_errors import add_service_error
from dangjian.kit.transitions import posted_state


def service_form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    action: Callable[[dict[str, Any]], Any],
    success: str | Callable[[Any], str],
    next_url: str | Callable[[Any], str],
    context: dict[str, Any],
    template: str = "core/form.html",
    state: object | None = None,
) -> HttpResponse:
    """With ``state`` (the object's state as the page shows it), the form sends it as
    ``expected_status`` (core.transitions) and a stale submission answers 409 with the refusal; the
    form shown again keeps the posted state, so submitting it again is refused too."""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            add_service_error(form, exc)
            if state is not None and isinstance(exc, StaleState):
                status = exc.status
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(next_url(result) if callable(next_url) else next_url)
    # After a POST the form keeps the state the user saw, not the one the object has now: a stale page
    # shown again must stay stale until the user reloads it and sees what changed.
    shown = posted_state(request) if request.method == "POST" else state
    extra = {"expected": shown} if state is not None else {}
    return render(request, template, {"form": form, **context, **extra}, status=status)


def service_action(request: HttpRequest, call: Callable[[str], Any], success: str, back: str) -> HttpResponse:
    """A one-button state change (推进, 公布, 上报 …): ``call`` gets the state the page showed
    (``expected_status``); the outcome — the service's refusal or ``success`` — is the message on ``back``."""
    try:
        call(posted_state(request))
    except (DomainError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [])))
    else:
        messages.success(request, success)
    return redirect(back)

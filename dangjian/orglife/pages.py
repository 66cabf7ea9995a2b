"""The flow of a 组织生活 page that changes something's state: the page carries the state it showed
(``expected_status``, a hidden field) and the service refuses when someone acted first.

A stale form is not shown again with its old hidden value (it could never succeed): the user goes back
to the object's page, with the message, and sees where it stands now. This is why these pages do not
use ``kit.form_pages.service_form_page(state=...)`` directly: that flow shows the stale form again
(409, the refusal above it), which is not what a 组织生活 user sees. Everything else is the kit's flow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from dangjian.kit.errors import DomainError, StaleState
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.transitions import FIELD, posted_state


class _Stale(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def with_state(form: forms.Form, state: object) -> forms.Form:
    """Add the hidden ``expected_status`` field showing ``state`` (a bound form keeps what was posted)."""
    form.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, initial=str(state))
    return form


def state_form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    state: object,
    action: Callable[[dict[str, Any], str], Any],
    back: str,
    **kwargs: Any,
) -> HttpResponse:
    """``service_form_page`` for a state change: ``action(cleaned_data, expected_status)``; a stale
    submission returns to ``back`` with the refusal."""
    with_state(form, state)

    def run(data: dict[str, Any]) -> Any:
        try:
            return action(data, posted_state(request))
        except StaleState as exc:
            raise _Stale(exc.message) from exc

    try:
        return service_form_page(request, form, action=run, **kwargs)
    except _Stale as exc:
        messages.error(request, exc.message)
        return redirect(back)


def post_action(request: HttpRequest, call: Callable[[str], Any], success: str, back: str) -> HttpResponse:
    """A one-button state change: ``call(expected_status)`` with the state the page posted; the message
    either way, back to the page."""
    try:
        call(posted_state(request))
    except (DomainError, ValidationError) as exc:
        messages.error(
            request, getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)]))
        )
    else:
        messages.success(request, success)
    return redirect(back)

"""The one base of every form that changes a state (see ``core.transitions``).

It carries the state the page showed in the hidden ``expected_status`` field — pass ``state=`` (or an
``initial`` value) when building the form; the view hands ``posted_state(request)`` to the service. A
stale refusal names that hidden field, so it is shown above the form, where a person sees it.
"""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.kit.transitions import FIELD


class StateForm(forms.Form):
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, state: object | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if state is not None:
            self.fields[FIELD].initial = state

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(None if field == FIELD else field, error)

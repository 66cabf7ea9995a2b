"""The forms of 智慧服务: one request form per kind, built from ``details.FIELDS``; the handler's
complete/refuse forms, the rating, the withdrawal of a proof."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization
from dangjian.onestop.details import DATE, FIELDS, LONG_TEXT, MAX_LONG_TEXT, MAX_TEXT, MONEY, NUMBER


def _field(spec: Any) -> forms.Field:
    common = {"label": spec.label, "required": spec.required}
    if spec.type == DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.type == MONEY:
        return forms.DecimalField(max_digits=10, decimal_places=2, min_value=0.01, **common)
    if spec.type == NUMBER:
        return forms.IntegerField(min_value=1, max_value=100000, **common)
    if spec.type == LONG_TEXT:
        return forms.CharField(max_length=MAX_LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3}), **common)
    return forms.CharField(max_length=MAX_TEXT, **common)


class RequestForm(forms.Form):
    """The fields of ``kind``; for a branch's request, the branch it is made for."""

    def __init__(self, *args: Any, kind: str, branches: list[Organization] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # A one-time key per form shown: a double click submits it twice, the service makes one request.
        self.fields["idempotency_key"] = forms.CharField(
            widget=forms.HiddenInput, max_length=64, required=False, initial=uuid.uuid4().hex
        )
        if branches is not None:
            self.fields["from_org"] = forms.ModelChoiceField(
                label=_("申请支部"),
                queryset=Organization.objects.filter(pk__in=[b.pk for b in branches]).order_by("path"),
                empty_label=None,
            )
        for spec in FIELDS.get(kind, ()):
            self.fields[spec.name] = _field(spec)

    def details(self) -> dict[str, Any]:
        return {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in self.cleaned_data.items()
            if name not in ("from_org", "idempotency_key") and value not in (None, "")
        }


class CompleteForm(forms.Form):
    note = forms.CharField(label=_("办理意见"), max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class TakeForm(forms.Form):
    pass


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("满意度"),
        coerce=int,
        choices=[(5, "5"), (4, "4"), (3, "3"), (2, "2"), (1, "1")],
    )
    comment = forms.CharField(label=_("评价"), max_length=500, required=False)

"""The forms of 志愿服务: an activity (new and edit), a reason (cancel), the hours correction, the 补录 of
someone who did not sign up."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization
from dangjian.volunteer.rules import MAX_PLACE, MAX_PLACES, MAX_REASON, MAX_TITLE, Audience

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_DESCRIPTION = 5000


class ActivityForm(forms.Form):
    """With ``organizations`` (a new activity), the organization it is published by."""

    title = forms.CharField(label=_("活动名称"), max_length=MAX_TITLE)
    place = forms.CharField(label=_("活动地点"), max_length=MAX_PLACE)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    places = forms.IntegerField(label=_("名额"), min_value=1, max_value=MAX_PLACES)
    hours = forms.DecimalField(
        label=_("每人认定志愿时长(小时)"), max_digits=4, decimal_places=1, min_value=0.1
    )
    audience = forms.ChoiceField(label=_("面向"), choices=Audience.choices, initial=Audience.SUBTREE)
    description = forms.CharField(
        label=_("活动内容"),
        max_length=MAX_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, organizations: list[Organization] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"] = forms.ModelChoiceField(
                label=_("发布组织"),
                queryset=Organization.objects.filter(pk__in=[o.pk for o in organizations]),
                initial=organizations[0].pk if len(organizations) == 1 else None,
            )
            self.order_fields(["organization"])
            # A one-time key per form shown: a double click submits it twice, the service makes one draft.
            self.fields["idempotency_key"] = forms.CharField(
                widget=forms.HiddenInput, max_length=64, required=False, initial=uuid.uuid4().hex
            )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3}))


class CorrectForm(forms.Form):
    hours = forms.DecimalField(label=_("认定时长(小时)"), max_digits=4, decimal_places=1, min_value=0)
    reason = forms.CharField(
        label=_("补录或更正理由"), max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3})
    )


class AddForm(forms.Form):
    """补录 one person (chosen on the page's search) with their hours; the service checks the bounds."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    hours = forms.DecimalField(label=_("认定时长(小时)"), max_digits=4, decimal_places=1)
    reason = forms.CharField(
        label=_("补录理由"), max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3})
    )

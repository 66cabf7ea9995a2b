"""The 专题培训 form; the rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganizerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class TopicForm(forms.Form):
    title = forms.CharField(label=_("培训名称"), max_length=120)
    organizer = OrganizerChoice(label=_("组织单位"), queryset=Organization.objects.none(), empty_label=None)
    on = forms.DateField(label=_("培训日期"), widget=DATE)
    hours = forms.DecimalField(
        label=_("学时"),
        min_value=0,
        max_digits=4,
        decimal_places=1,
        help_text=_("每位参训人员计入的学时"),
    )
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    note = forms.CharField(
        label=_("说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # One key per form shown: the same form submitted twice records one training.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, organizers: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organizer"]
        field.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizers]).order_by("path")  # type: ignore[attr-defined]

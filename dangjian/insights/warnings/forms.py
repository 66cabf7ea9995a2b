"""The two forms of a warning's page: 我来处理 (a button) and closing it with what was done."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.insights.warnings.services import NOTE_MAX
from dangjian.kit.state_forms import StateForm


class TakeForm(StateForm):
    pass


class CloseForm(StateForm):
    note = forms.CharField(
        label=_("处理情况"),
        max_length=NOTE_MAX,
        required=False,  # the service says what is missing, in the words of the rule
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "如：已谈心谈话了解原因、已督促补办、经核实情况属实已报上级等。关闭预警不改变任何人的党籍或状态。"
        ),
    )

"""Forms of the compliance pages: what a branch did about an absence warning."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class HandleForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("处理情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("如：已谈心谈话了解原因、已提醒按时参加组织生活等。本操作不改变党籍。"),
    )

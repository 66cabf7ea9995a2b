"""The period of the attention pages: the last 7, 30 (the default) or 90 days, or from one date to
another (at most a year)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.news.attention.selectors import Period

SPANS = (("7", _("近 7 天")), ("30", _("近 30 天")), ("90", _("近 90 天")), ("custom", _("自定义")))
DEFAULT_DAYS = 30
MAX_DAYS = 366


class PeriodForm(forms.Form):
    span = forms.ChoiceField(label=_("时间段"), choices=SPANS, required=False)
    start = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("span") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("自定义时间段须填写开始日期和结束日期"))
            if start > end:
                raise forms.ValidationError(_("开始日期不能晚于结束日期"))
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(_("时间段最长一年"))
        return data

    def period(self, today: date) -> Period:
        """The chosen period (the last 30 days when nothing valid was chosen)."""
        days = DEFAULT_DAYS
        if self.is_bound and self.is_valid():
            span = self.cleaned_data.get("span") or ""
            if span == "custom":
                return Period(self.cleaned_data["start"], self.cleaned_data["end"])
            if span.isdigit():
                days = int(span)
        return Period(today - timedelta(days=days - 1), today)

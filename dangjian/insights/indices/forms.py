"""The form of a new version of an index: one row per indicator (weight, the value scored 0, the value
scored 100; an empty weight leaves the indicator out), the score bands and the day it takes effect."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.insights.models import IndexVersion


class VersionForm(forms.Form):
    effective_from = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    good_from = forms.FloatField(label=_("良好线(分)"), min_value=0, max_value=100)
    fair_from = forms.FloatField(label=_("关注线(分)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("修订说明"), max_length=200, required=False)

    def __init__(
        self, *args: Any, indicators: Sequence[hooks.Indicator], current: IndexVersion | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        now = {c["indicator"]: c for c in (current.components if current else [])}
        if current is not None:
            self.fields["good_from"].initial = current.good_from
            self.fields["fair_from"].initial = current.fair_from
        for ind in self.indicators:
            given = now.get(ind.code, {})
            self.fields[f"w_{ind.code}"] = forms.FloatField(
                label=_("权重"), required=False, min_value=0, max_value=1, initial=given.get("weight")
            )
            self.fields[f"z_{ind.code}"] = forms.FloatField(
                label=_("0 分值"), required=False, initial=given.get("zero")
            )
            self.fields[f"f_{ind.code}"] = forms.FloatField(
                label=_("满分值"), required=False, initial=given.get("full")
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "indicator": ind,
                "weight": self[f"w_{ind.code}"],
                "zero": self[f"z_{ind.code}"],
                "full": self[f"f_{ind.code}"],
                "fields": [self[f"w_{ind.code}"], self[f"z_{ind.code}"], self[f"f_{ind.code}"]],
            }
            for ind in self.indicators
        ]

    def meta_fields(self) -> list[Any]:
        return [self["effective_from"], self["good_from"], self["fair_from"], self["note"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for ind in self.indicators:
            weight = data.get(f"w_{ind.code}")
            if not weight:
                continue
            for key in ("z", "f"):
                if data.get(f"{key}_{ind.code}") is None:
                    self.add_error(f"{key}_{ind.code}", _("计入的指标须填写 0 分值和满分值。"))
        return data

    def components(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "indicator": ind.code,
                "weight": data[f"w_{ind.code}"],
                "zero": data[f"z_{ind.code}"],
                "full": data[f"f_{ind.code}"],
            }
            for ind in self.indicators
            if data.get(f"w_{ind.code}")
        ]

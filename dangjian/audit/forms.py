from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dangjian.audit.vocabulary import Vocabulary
from dangjian.core.models import Organization


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=50)
    action = forms.ChoiceField(label=_("操作"), required=False)
    org = forms.ModelChoiceField(
        label=_("党组织(含下级)"), required=False, queryset=Organization.objects.none(), empty_label=_("全部")
    )
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, orgs: QuerySet[Organization], vocabulary: Vocabulary, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.vocabulary = vocabulary
        self.fields["org"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["action"].choices = vocabulary.choices()  # type: ignore[attr-defined]
        self.fields["action"].error_messages["invalid_choice"] = _("请从列表中选择一种操作。")

    def clean_action(self) -> tuple[str, ...]:
        """The codes the choice means: one, or all of an area's; none chosen, no filter."""
        value = self.cleaned_data.get("action") or ""
        return self.vocabulary.codes_for(value) if value else ()

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data

"""Forms of the 党校 pages; the rules stay in the services."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Scope
from dangjian.kit.state_forms import StateForm
from dangjian.learning.models import ClassKind, ExamResult
from dangjian.learning.selectors import organizers_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganizerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ClassForm(StateForm):
    """A class; ``expected_status`` is sent when editing only, ``idempotency_key`` when creating only."""

    name = forms.CharField(label=_("班次名称"), max_length=120)
    kind = forms.ChoiceField(label=_("培训类别"), choices=ClassKind.choices)
    organizer = OrganizerChoice(label=_("主办党组织"), queryset=None, empty_label=None)  # type: ignore[arg-type]
    starts_on = forms.DateField(label=_("开班日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    days = forms.DecimalField(
        label=_("培训天数"), min_value=0, max_digits=4, decimal_places=1, help_text=_("实际授课天数")
    )
    hours = forms.DecimalField(
        label=_("培训学时"),
        min_value=0,
        max_digits=5,
        decimal_places=1,
        help_text=_("发展对象集中培训不少于 3 天或 24 学时"),
    )
    place = forms.CharField(label=_("培训地点"), max_length=120, required=False)
    # One key per creation form shown: the same form submitted twice makes one class.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, scope: Scope, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organizer"]
            del self.fields["idempotency_key"]
        else:
            del self.fields["expected_status"]
            self.fields["organizer"].queryset = organizers_for(scope)  # type: ignore[attr-defined]
            self.fields["idempotency_key"].initial = uuid.uuid4().hex


class ResultForm(StateForm):
    attended_hours = forms.DecimalField(
        label=_("出勤学时"), required=False, min_value=0, max_digits=5, decimal_places=1
    )
    score = forms.DecimalField(
        label=_("考试成绩"), required=False, min_value=0, max_value=100, max_digits=5, decimal_places=1
    )
    result = forms.ChoiceField(
        label=_("考试结果"), required=False, choices=[("", _("未录入")), *ExamResult.choices]
    )

"""Forms of 数据报送's pages. The checks that matter (deadline, fields, cells) are the services'; these
parse what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization
from dangjian.kit.state_forms import StateForm
from dangjian.returns.models import FieldType, RowsPer


class DesignForm(StateForm):
    designer = forms.ModelChoiceField(label=_("发起组织"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("标题"), max_length=100)
    instructions = forms.CharField(
        label=_("填报说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    rows_per = forms.ChoiceField(label=_("填报方式"), choices=RowsPer.choices)
    deadline = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, designers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if designers is None:
            del self.fields["designer"]
        else:
            self.fields["designer"].queryset = designers  # type: ignore[attr-defined]
            self.fields["designer"].label_from_instance = lambda o: o.name  # type: ignore[attr-defined]


class FieldForm(forms.Form):
    label = forms.CharField(label=_("字段名称"), max_length=60)
    type = forms.ChoiceField(label=_("类型"), choices=FieldType.choices)
    required = forms.BooleanField(label=_("必填"), required=False)
    min_value = forms.DecimalField(label=_("最小值"), required=False, max_digits=14, decimal_places=2)
    max_value = forms.DecimalField(label=_("最大值"), required=False, max_digits=14, decimal_places=2)
    choices = forms.CharField(
        label=_("选项"), required=False, help_text=_("每行一个选项"), widget=forms.Textarea(attrs={"rows": 2})
    )
    sum_of = forms.MultipleChoiceField(
        label=_("等于以下各项之和"), required=False, widget=forms.CheckboxSelectMultiple
    )
    figure = forms.ChoiceField(label=_("从统计数预填"), required=False)

    def __init__(
        self, *args: Any, numbers: list[tuple[str, str]], figures: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["sum_of"].choices = numbers  # type: ignore[attr-defined]
        self.fields["figure"].choices = [("", _("不预填")), *figures]  # type: ignore[attr-defined]


class TargetsForm(StateForm):
    TARGETS = (
        ("branches", _("下级全部党支部")),
        ("children", _("直接下级组织")),
        ("picked", _("指定组织")),
    )
    targets = forms.ChoiceField(label=_("填报组织"), choices=TARGETS, widget=forms.RadioSelect)
    picked = forms.MultipleChoiceField(
        label=_("指定组织"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, candidates: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["picked"].choices = [(str(o.pk), o.name) for o in candidates]  # type: ignore[attr-defined]


class ReasonForm(StateForm):
    reason = forms.CharField(label=_("退回原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("统计年度"), min_value=2000, max_value=2100)


class ReopenForm(StateForm):
    reason = forms.CharField(
        label=_("重新开放原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

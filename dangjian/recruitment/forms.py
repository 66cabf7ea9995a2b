"""Forms of the recruitment pages; the rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The extra fields each timing rule needs (see services.evaluate).
RULE_FIELDS = {
    "contacts": ("contacts",),
    "publicity": ("publicity_start", "publicity_end"),
    "introducers": ("introducers",),
    "training": ("days", "hours"),
    "leaving": ("leaving_on",),
    "meeting": ("entitled", "present", "yes", "no", "abstain"),
    "full_meeting": ("entitled", "present", "yes", "no", "abstain"),
    "approval": ("special",),
}


class OpenCaseForm(forms.Form):
    applied_on = forms.DateField(label=_("申请入党日期"), widget=DATE, initial=timezone.localdate)


class StepForm(forms.Form):
    done_on = forms.DateField(label=_("日期"), widget=DATE, initial=timezone.localdate)
    resolution = forms.CharField(label=_("结论/说明"), max_length=300, required=False)
    contacts = forms.CharField(label=_("培养联系人(姓名，用顿号分隔)"), required=False, max_length=100)
    introducers = forms.CharField(label=_("入党介绍人(姓名，用顿号分隔)"), required=False, max_length=100)
    publicity_start = forms.DateField(label=_("公示开始"), widget=DATE, required=False)
    publicity_end = forms.DateField(label=_("公示结束"), widget=DATE, required=False)
    days = forms.DecimalField(
        label=_("培训天数"), required=False, min_value=0, max_digits=5, decimal_places=1
    )
    hours = forms.DecimalField(
        label=_("培训学时"), required=False, min_value=0, max_digits=5, decimal_places=1
    )
    leaving_on = forms.DateField(label=_("预计离校/离开日期"), widget=DATE, required=False)
    entitled = forms.IntegerField(
        label=_("应到会有表决权党员"), required=False, min_value=0, max_value=100000
    )
    present = forms.IntegerField(label=_("实到"), required=False, min_value=0, max_value=100000)
    yes = forms.IntegerField(label=_("赞成"), required=False, min_value=0, max_value=100000)
    no = forms.IntegerField(label=_("反对"), required=False, min_value=0, max_value=100000)
    abstain = forms.IntegerField(label=_("弃权"), required=False, min_value=0, max_value=100000)
    special = forms.BooleanField(label=_("特殊情况(审批期限6个月)"), required=False)

    def __init__(self, *args: Any, rule: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = {"done_on", "resolution", *RULE_FIELDS.get(rule, ())}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def step_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key, value in self.cleaned_data.items():
            if key in ("done_on", "resolution") or value in (None, ""):
                continue
            if key in ("contacts", "introducers"):
                data[key] = [n.strip() for n in str(value).replace(",", "、").split("、") if n.strip()]
            elif hasattr(value, "isoformat"):
                data[key] = value.isoformat()
            else:
                data[key] = float(value) if key in ("days", "hours") else value
        return data


class ExtendForm(forms.Form):
    months = forms.IntegerField(
        label=_("延长月数"), min_value=1, max_value=24, help_text=_("6 至 12 个月，只能延长一次")
    )
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

"""Forms of the recruitment pages; the rules stay in the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.kit.state_forms import StateForm
from dangjian.recruitment import rules

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The extra fields each step's check reads (``rules.CHECKS``).
RULE_FIELDS = {name: check.reads for name, check in rules.CHECKS.items() if check.reads}


class OpenCaseForm(forms.Form):
    applied_on = forms.DateField(label=_("申请入党日期"), widget=DATE, initial=timezone.localdate)


class StepForm(StateForm):
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
    file = forms.FileField(
        label=_("材料文件"),
        required=False,
        help_text=_(
            "可随本步骤一并上传一份材料：PDF、JPG、PNG 或 Word(.docx)；更多材料记录后可在档案页继续上传"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
    )

    def __init__(self, *args: Any, rule: str = "", documents: str = "", **kwargs: Any) -> None:
        """``documents``: the materials the step's definition expects; the form then offers an upload."""
        super().__init__(*args, **kwargs)
        keep = {"expected_status", "done_on", "resolution", *RULE_FIELDS.get(rule, ())}
        if documents:
            keep.add("file")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if documents and self.is_bound:  # a browser never sends a file again: say so beside the field
            self.fields["file"].help_text = _("出错后请重新选择文件。") + str(self.fields["file"].help_text)

    def step_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key, value in self.cleaned_data.items():
            if key in ("expected_status", "done_on", "resolution", "file") or value in (None, ""):
                continue
            if key in ("contacts", "introducers"):
                data[key] = [n.strip() for n in str(value).replace(",", "、").split("、") if n.strip()]
            elif hasattr(value, "isoformat"):
                data[key] = value.isoformat()
            else:
                data[key] = float(value) if key in ("days", "hours") else value
        return data


class ExtendForm(StateForm):
    months = forms.IntegerField(
        label=_("延长月数"), min_value=1, max_value=24, help_text=_("6 至 12 个月，只能延长一次")
    )
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(StateForm):
    reason = forms.CharField(label=_("退回原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class CancelProbationForm(StateForm):
    resolved_on = forms.DateField(label=_("支部大会决议日期"), widget=DATE)
    approved_on = forms.DateField(label=_("上级党委批准日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


def _parse_days(text: str) -> list[tuple[date, str]]:
    """Lines of ``2030-01-01 元旦`` or ``2030-10-01~2030-10-07 国庆节`` (name optional)."""
    days: list[tuple[date, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        head, _sep, name = line.partition(" ")
        first, _tilde, last = head.replace("～", "~").partition("~")
        try:
            start = date.fromisoformat(first.strip())
            end = date.fromisoformat(last.strip()) if last else start
        except ValueError:
            raise forms.ValidationError(
                _("第 %(n)s 行“%(l)s”不是日期(格式 2030-01-01 或 2030-10-01~2030-10-07)"),
                params={"n": number, "l": line},
            ) from None
        if end < start or (end - start).days > 31:
            raise forms.ValidationError(_("第 %(n)s 行的日期范围无效"), params={"n": number})
        day = start
        while day <= end:
            days.append((day, name.strip()))
            day += timedelta(days=1)
    return days


class HolidayYearForm(StateForm):
    holidays = forms.CharField(
        label=_("放假日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("每行一个日期或日期范围，可加名称，如：2030-10-01~2030-10-07 国庆节"),
    )
    workdays = forms.CharField(
        label=_("调休上班日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("周末调休上班的日期，每行一个，如：2030-10-12 国庆节调休"),
    )

    def clean_holidays(self) -> list[tuple[date, str]]:
        return _parse_days(self.cleaned_data.get("holidays") or "")

    def clean_workdays(self) -> list[tuple[date, str]]:
        return _parse_days(self.cleaned_data.get("workdays") or "")


class NewHolidayYearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2200)

"""Forms of the 督查 pages; the rules (score maxima, dates, who may act) stay in ``supervision``."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization
from dangjian.kit.dates import add_months
from dangjian.policy import get_policy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrgChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class SupervisorAddForm(forms.Form):
    staff_number = forms.CharField(
        label=_("工号/学号"), max_length=30, help_text=_("督查员须为党籍状态正常的正式党员")
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


def _next_month() -> tuple[date, date]:
    start = add_months(timezone.localdate().replace(day=1), 1)
    return start, add_months(start, 1) - timedelta(days=1)


class DrawForm(forms.Form):
    scope_org = OrgChoice(label=_("抽查范围"), queryset=Organization.objects.none())
    period_from = forms.DateField(label=_("会议日期自"), widget=DATE)
    period_to = forms.DateField(label=_("会议日期至"), widget=DATE)
    n = forms.IntegerField(
        label=_("抽查会议数"), min_value=1, max_value=500, required=False, help_text=_("与抽查比例二选一")
    )
    rate_percent = forms.IntegerField(
        label=_("按院系抽查比例(%)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("每个院系按比例抽取，向上取整"),
    )
    seed = forms.IntegerField(
        label=_("随机种子"),
        min_value=0,
        max_value=2**63 - 1,
        required=False,
        help_text=_("一般留空，由系统随机生成并记录"),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, orgs: QuerySet[Organization], **kwargs: Any) -> None:
        start, end = _next_month()
        kwargs.setdefault("initial", {}).update({"period_from": start, "period_to": end})
        super().__init__(*args, **kwargs)
        self.fields["scope_org"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        if orgs[:2].count() == 1:
            self.fields["scope_org"].initial = orgs[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("n") is None) == (data.get("rate_percent") is None) and not self.errors:
            self.add_error("n", _("请填写抽查会议数或抽查比例（二选一）"))
        return data


ATTENDED_CHOICES = [("1", _("现场督查")), ("0", _("审阅会议纪要"))]


class FeedbackForm(forms.Form):
    """One score field per policy item (``score_<code>``), then how it was supervised, problems, advice."""

    attended = forms.TypedChoiceField(
        label=_("督查方式"), choices=ATTENDED_CHOICES, coerce=lambda v: v == "1", initial="1"
    )
    problems = forms.CharField(
        label=_("发现问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个问题；没有问题可留空"),
    )
    suggestions = forms.CharField(
        label=_("意见建议"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scores: dict[str, forms.Field] = {}
        for code, name, maximum in get_policy().orglife_supervision_items:
            scores[f"score_{code}"] = forms.IntegerField(
                label=_("%(item)s（满分 %(max)s）") % {"item": _(name), "max": maximum},
                min_value=0,
                max_value=maximum,
            )
        self.fields = {**scores, **self.fields}

    def scores(self) -> dict[str, Any]:
        return {
            code: self.cleaned_data.get(f"score_{code}")
            for code, _name, _max in get_policy().orglife_supervision_items
        }

    def problem_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("problems", "").splitlines() if line.strip()]


class AnswerForm(forms.Form):
    rectification = forms.CharField(
        label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    rectify_by = forms.DateField(label=_("整改完成日期"), widget=DATE)


def quarter_of(day: date) -> tuple[date, date]:
    start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return start, add_months(start, 3) - timedelta(days=1)


class ReportForm(forms.Form):
    org = OrgChoice(label=_("党组织"), queryset=Organization.objects.none())
    period_from = forms.DateField(label=_("会议日期自"), widget=DATE)
    period_to = forms.DateField(label=_("会议日期至"), widget=DATE)

    def __init__(self, data: Any, *, orgs: QuerySet[Organization]) -> None:
        start, end = quarter_of(timezone.localdate())
        values = {"period_from": start.isoformat(), "period_to": end.isoformat()}
        first = orgs.first()
        if first is not None:
            values["org"] = str(first.pk)
        values.update({k: v for k, v in data.items() if k in ("org", "period_from", "period_to") and v})
        super().__init__(values)
        self.fields["org"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["org"].widget.attrs["class"] = "form-select"
        for name in ("period_from", "period_to"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period_from") and data.get("period_to") and data["period_from"] > data["period_to"]:
            self.add_error("period_to", _("开始日期不能晚于结束日期"))
        return data

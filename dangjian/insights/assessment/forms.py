"""The forms of 述职评议考核; the rules stay in the services (a form only shapes the input)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.insights.assessment.models import Grade, Target
from dangjian.policy import get_policy


class AssessmentForm(forms.Form):
    year = forms.IntegerField(label=_("考核年度"))
    indicator_weight = forms.DecimalField(
        label=_("指标得分权重"),
        min_value=0,
        max_value=1,
        decimal_places=2,
        help_text=_(
            "综合得分 = 指标得分 × 权重 + 评议得分 × (1 − 权重)；指标得分取该组织当年三项评价指数的平均分。"
        ),
    )
    good_from = forms.DecimalField(label=_("“好”的最低分"), min_value=0, max_value=100, decimal_places=1)
    fairly_good_from = forms.DecimalField(
        label=_("“较好”的最低分"), min_value=0, max_value=100, decimal_places=1
    )
    average_from = forms.DecimalField(
        label=_("“一般”的最低分"),
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text=_("低于此分为“差”。"),
    )
    note = forms.CharField(
        label=_("说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        policy = get_policy()
        good, fairly, average = policy.assessment_grade_bands
        self.fields["year"].initial = timezone.localdate().year - 1
        self.fields["indicator_weight"].initial = policy.assessment_indicator_weight
        self.fields["good_from"].initial = good
        self.fields["fairly_good_from"].initial = fairly
        self.fields["average_from"].initial = average

    def bands(self) -> tuple[float, float, float]:
        d = self.cleaned_data
        return (float(d["good_from"]), float(d["fairly_good_from"]), float(d["average_from"]))


class ReviewersForm(forms.Form):
    usernames = forms.CharField(
        label=_("评议人登录名（工号/学号）"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一个，或用逗号、空格分隔。已提交评分的评议人不能移除。"),
        error_messages={"required": _("请至少指定一名评议人。")},
    )

    def names(self) -> list[str]:
        raw = self.cleaned_data["usernames"]
        for sep in (",", "，", "、", ";", "；", "\n", "\t"):
            raw = raw.replace(sep, " ")
        return [n for n in raw.split(" ") if n]


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("述职报告"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("围绕履行党建工作责任、抓基层党建重点任务、存在问题及原因、下一步工作思路等方面述职。"),
        error_messages={"required": _("请填写述职报告。")},
    )


class ScoresForm(forms.Form):
    """One 0–100 score per assessed organization; an empty box is not scored yet."""

    def __init__(self, *args: Any, targets: list[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        for t in targets:
            self.fields[f"s{t.pk}"] = forms.DecimalField(
                label=t.organization.name,
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=1,
                error_messages={
                    "min_value": _("评分须在 0 到 100 之间。"),
                    "max_value": _("评分须在 0 到 100 之间。"),
                    "invalid": _("请输入 0 到 100 之间的分数。"),
                    "max_decimal_places": _("分数最多保留一位小数。"),
                },
                widget=forms.NumberInput(
                    attrs={"step": "0.5", "min": "0", "max": "100", "inputmode": "decimal"}
                ),
            )

    def field(self, target: Target) -> forms.BoundField:
        return self[f"s{target.pk}"]

    def scores(self) -> dict[int, Decimal]:
        return {t.pk: v for t in self.targets if (v := self.cleaned_data.get(f"s{t.pk}")) is not None}


class GradesForm(forms.Form):
    """The committee's grade for each organization (the scheme's grade preselected) and a reason when
    it differs."""

    def __init__(self, *args: Any, targets: list[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        for t in targets:
            self.fields[f"g{t.pk}"] = forms.ChoiceField(
                label=t.organization.name,
                choices=Grade.choices,
                initial=t.grade or t.proposed_grade,
                error_messages={
                    "required": _("请评定等次。"),
                    "invalid_choice": _("考核等次只能是“好”“较好”“一般”“差”之一。"),
                },
            )
            self.fields[f"why{t.pk}"] = forms.CharField(
                label=_("调整理由"), required=False, max_length=300, initial=t.grade_reason
            )

    def field(self, prefix: str, target: Target) -> forms.BoundField:
        return self[f"{prefix}{target.pk}"]

    def grades(self) -> dict[int, tuple[str, str]]:
        d = self.cleaned_data
        return {t.pk: (d[f"g{t.pk}"], d.get(f"why{t.pk}", "")) for t in self.targets}

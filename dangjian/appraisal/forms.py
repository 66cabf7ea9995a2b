"""The forms of 民主评议党员; the rules stay in the services (a form only shapes the input)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.appraisal.models import Grade, Handling, Participant

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
GRADE_ERRORS = {
    "required": _("请选择等次。"),
    "invalid_choice": _("评价只能是“优秀”“合格”“基本合格”“不合格”之一。"),
}


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("评议年度"))
    rating_closes_on = forms.DateField(
        label=_("民主测评截止日期"), required=False, widget=DATE, help_text=_("提醒党员按时评分；可不填")
    )
    note = forms.CharField(
        label=_("说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class SelfReviewForm(forms.Form):
    text = forms.CharField(
        label=_("自我评价"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("对照党员标准，总结本年度思想、学习、工作和作风等方面的情况，查找不足，明确努力方向。"),
        error_messages={"required": _("请填写自我评价。")},
    )


def _key(prefix: str, participant: Participant) -> str:
    return f"{prefix}{participant.pk}"


class RatingsForm(forms.Form):
    """One row per colleague with the four grades as radio buttons."""

    def __init__(self, *args: Any, colleagues: list[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.colleagues = colleagues
        for p in colleagues:
            self.fields[_key("r", p)] = forms.ChoiceField(
                label=p.person.name,
                choices=Grade.choices,
                widget=forms.RadioSelect,
                error_messages=GRADE_ERRORS,
            )

    def rows(self) -> list[tuple[Participant, forms.BoundField]]:
        return [(p, self[_key("r", p)]) for p in self.colleagues]

    def grades(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[_key("r", p)] for p in self.colleagues}


class GradesForm(forms.Form):
    """A grade for every participant: the committee's proposal (with a reason) or the meeting's decision
    (with its date)."""

    def __init__(self, *args: Any, people: list[Participant], decision: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        self.decision = decision
        if decision:
            self.fields["decided_on"] = forms.DateField(
                label=_("支部党员大会日期"), widget=DATE, initial=timezone.localdate()
            )
        for p in people:
            self.fields[_key("g", p)] = forms.ChoiceField(
                label=p.person.name,
                choices=[("", "—"), *Grade.choices],
                initial=((p.decided_grade or p.proposed_grade) if decision else p.proposed_grade) or "",
                error_messages=GRADE_ERRORS,
            )
            if not decision:
                self.fields[_key("why", p)] = forms.CharField(
                    label=_("理由"), max_length=300, required=False, initial=p.proposal_reason
                )

    def field(self, prefix: str, p: Participant) -> forms.BoundField | None:
        key = _key(prefix, p)
        return self[key] if key in self.fields else None

    def grades(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[_key("g", p)] for p in self.people}

    def proposals(self) -> dict[int, tuple[str, str]]:
        return {
            p.pk: (self.cleaned_data[_key("g", p)], self.cleaned_data.get(_key("why", p), ""))
            for p in self.people
        }


class HandlingForm(forms.Form):
    handling = forms.ChoiceField(
        label=_("处置方式"),
        choices=Handling.choices,
        widget=forms.RadioSelect,
        help_text=_("依照党章第九条，由支部党员大会讨论决定；平台只登记和上报，不改变党籍。"),
        error_messages={"required": _("请选择处置方式。")},
    )
    note = forms.CharField(
        label=_("处置说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

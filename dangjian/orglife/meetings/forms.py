"""Forms of the 组织生活 pages; the rules stay in the services."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, OrgKind, Person, PoliticalStatus
from dangjian.kit.dates import add_months
from dangjian.orglife.models import Attendee, MeetingKind, PeriodKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _month_of(value: str) -> date | None:
    """ "2026-09" (what an input of type month posts; "2026-09-15" from a browser without one)."""
    try:
        parts = [int(x) for x in value.strip().split("-")[:2]]
        return date(parts[0], parts[1], 1) if len(parts) == 2 else None
    except ValueError:
        return None


def next_period(kind: str, today: date) -> date:
    """The first day of the period after the one ``today`` is in: a plan is made for what comes next."""
    if kind == PeriodKind.YEAR:
        return date(today.year + 1, 1, 1)
    months = 3 if kind == PeriodKind.QUARTER else 1
    first = date(today.year, (today.month - 1) // months * months + 1, 1)
    return add_months(first, months)


class PlanForm(forms.Form):
    """The period a plan is for, picked as a whole period: a month (next month by default), a quarter
    (of the next six) or a year (this one or the next). Which picker shows is ``kind`` (the page's
    tabs); the service takes the period's first day."""

    period_kind = forms.ChoiceField(choices=PeriodKind.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, kind: str, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.kind = kind
        self.fields["period_kind"].initial = kind
        start = next_period(kind, today)
        field: forms.Field
        if kind == PeriodKind.MONTH:
            low, high = date(2000, 1, 1), add_months(today.replace(day=1), 24)
            field = forms.CharField(
                label=_("计划月份"),
                initial=f"{start:%Y-%m}",
                widget=forms.TextInput(
                    attrs={"type": "month", "min": f"{low:%Y-%m}", "max": f"{high:%Y-%m}"}
                ),
            )
            self._month_range = (low, high)
        elif kind == PeriodKind.QUARTER:
            this_quarter = add_months(start, -3)
            quarters = [add_months(this_quarter, 3 * i) for i in range(6)]
            field = forms.ChoiceField(
                label=_("计划季度"),
                initial=start.isoformat(),
                choices=[
                    (q.isoformat(), _("%(y)s年第%(q)s季度") % {"y": q.year, "q": (q.month - 1) // 3 + 1})
                    for q in quarters
                ],
            )
        else:
            field = forms.ChoiceField(
                label=_("计划年度"),
                initial=start.isoformat(),
                choices=[
                    (date(y, 1, 1).isoformat(), _("%(y)s年") % {"y": y}) for y in (today.year, today.year + 1)
                ],
            )
        self.fields = {
            "period_kind": self.fields["period_kind"],
            "period": field,
            "note": self.fields["note"],
        }

    def clean_period_kind(self) -> str:
        value = str(self.cleaned_data["period_kind"])
        if value != self.kind:
            raise forms.ValidationError(_("计划周期与所选页签不一致，请重新选择"))
        return value

    def clean_period(self) -> date:
        value = str(self.cleaned_data["period"])
        if self.kind != PeriodKind.MONTH:
            return date.fromisoformat(value)
        start = _month_of(value)
        if start is None:
            raise forms.ValidationError(_("请选择计划月份，格式如 2026-09"))
        low, high = self._month_range
        if not low <= start <= high:
            raise forms.ValidationError(
                _("计划月份须在 %(low)s 至 %(high)s 之间") % {"low": f"{low:%Y-%m}", "high": f"{high:%Y-%m}"}
            )
        return start


def speakers_for(org: Organization) -> Any:
    """党课 speakers to choose from: the branch's members and the leading cadres assigned to it."""
    return (
        Person.objects.filter(
            Q(membership__organization=org) | Q(cadre__dual_life_branch=org) | Q(positions__organization=org)
        )
        .distinct()
        .order_by("name_pinyin", "pk")
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    topic = forms.CharField(label=_("主题"), max_length=200)
    date = forms.DateField(label=_("日期"), widget=DATE)
    start_time = forms.TimeField(label=_("开始时间"), widget=TIME, initial="14:30")
    duration_minutes = forms.IntegerField(label=_("时长(分钟)"), min_value=10, max_value=600, initial=90)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    speaker = PersonChoice(
        label=_("党课主讲人（本支部）"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("本支部党员或在本支部过双重组织生活的领导干部；特邀主讲人请填写下方两项"),
    )
    speaker_name = forms.CharField(label=_("特邀主讲人姓名"), max_length=50, required=False)
    speaker_title = forms.CharField(
        label=_("特邀主讲人职务/单位"),
        max_length=100,
        required=False,
        help_text=_("如：马克思主义学院教授"),
    )
    group = forms.ModelChoiceField(label=_("党小组"), queryset=Organization.objects.none(), required=False)
    # One key per form shown: the same form submitted twice makes one meeting (services.meeting_create).
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        self.fields["speaker"].queryset = speakers_for(org)  # type: ignore[attr-defined]
        self.fields["group"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            path__startswith=org.path, kind=OrgKind.GROUP, is_active=True
        ).order_by("path")


class MeetingEditForm(MeetingForm):
    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, org=org, **kwargs)
        del self.fields["kind"]
        del self.fields["group"]
        del self.fields["idempotency_key"]  # an edit is guarded by the meeting's state instead


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("请假事由"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class InviteForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("列席人员"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, org: Organization, exclude: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Activists, development targets and applicants of the branch; cadres assigned here.
        qs = Person.objects.filter(
            Q(
                organization=org,
                political_status__in=[
                    PoliticalStatus.APPLICANT,
                    PoliticalStatus.ACTIVIST,
                    PoliticalStatus.CANDIDATE,
                ],
            )
            | Q(cadre__dual_life_branch=org)
        ).exclude(pk__in=exclude)
        self.fields["people"].queryset = qs.order_by("name_pinyin", "pk")[:200]  # type: ignore[attr-defined]
        field: Any = self.fields["people"]
        field.label_from_instance = lambda p: f"{p.name}（{p.get_political_status_display()}）"


class MinutesForm(forms.Form):
    host = PersonChoice(label=_("主持人"), queryset=Person.objects.none(), required=False)
    recorder = PersonChoice(label=_("记录人"), queryset=Person.objects.none(), required=False)
    content = forms.CharField(label=_("会议内容"), widget=forms.Textarea(attrs={"rows": 8}))
    resolutions = forms.CharField(
        label=_("会议决议"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, meeting: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(
            pk__in=Attendee.objects.filter(meeting=meeting).values("person_id")
        ).order_by("name_pinyin", "pk")
        self.fields["host"].queryset = people  # type: ignore[attr-defined]
        self.fields["recorder"].queryset = people  # type: ignore[attr-defined]
        # One reason field per attendee who neither checked in nor is on leave.
        self.absent = list(
            Attendee.objects.filter(meeting=meeting, attendance__in=["expected", "absent"])
            .select_related("person")
            .order_by("person__name_pinyin", "pk")
        )
        for row in self.absent:
            self.fields[f"absent_{row.person_id}"] = forms.CharField(
                label=_("%(n)s 缺席原因") % {"n": row.person.name},
                max_length=200,
                required=False,
                initial=row.absence_reason,
            )

    def absence_reasons(self) -> dict[int, str]:
        return {
            row.person_id: self.cleaned_data.get(f"absent_{row.person_id}", "")
            for row in self.absent
            if self.cleaned_data.get(f"absent_{row.person_id}")
        }


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("更正原因"), max_length=300)
    content = forms.CharField(label=_("会议内容"), widget=forms.Textarea(attrs={"rows": 8}))
    resolutions = forms.CharField(
        label=_("会议决议"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("会议照片或附件"))

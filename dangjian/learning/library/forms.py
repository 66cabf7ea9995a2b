"""The 学习库's forms: a material, a course, a lesson, a study plan; the rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, PoliticalStatus
from dangjian.learning.exams.models import Quiz
from dangjian.learning.library.models import Audience, Course, Material, MaterialKind, Topic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrgChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _orgs(organizations: list[Organization]) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=[o.pk for o in organizations]).order_by("path")


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    kind = forms.ChoiceField(label=_("类型"), choices=MaterialKind.choices)
    topic = forms.ChoiceField(label=_("专题"), choices=Topic.choices)
    organization = OrgChoice(label=_("发布党组织"), queryset=Organization.objects.none(), empty_label=None)
    audiences = forms.MultipleChoiceField(
        label=_("适用对象"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(label=_("简介"), max_length=300, required=False)
    body = forms.CharField(
        label=_("正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("文章填写；段落之间空一行"),
    )
    url = forms.URLField(
        label=_("链接地址"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("外部链接填写"),
    )
    file = forms.FileField(
        label=_("文件"), required=False, help_text=_("文档上传 PDF；音频上传 MP3、M4A；视频上传 MP4")
    )

    def __init__(
        self, *args: Any, organizations: list[Organization], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # the kind, organization and file stay as uploaded
            for name in ("kind", "organization", "file"):
                del self.fields[name]
        else:
            self.fields["organization"].queryset = _orgs(organizations)  # type: ignore[attr-defined]


class CourseForm(forms.Form):
    title = forms.CharField(label=_("课程名称"), max_length=120)
    topic = forms.ChoiceField(label=_("专题"), choices=Topic.choices)
    organization = OrgChoice(label=_("发布党组织"), queryset=Organization.objects.none(), empty_label=None)
    hours = forms.DecimalField(
        label=_("课程学时"),
        min_value=0,
        max_digits=4,
        decimal_places=1,
        help_text=_("学完全部课时后计入学时台账的学时"),
    )
    summary = forms.CharField(label=_("简介"), max_length=300, required=False)
    quiz = forms.ModelChoiceField(
        label=_("结课测试"),
        queryset=Quiz.objects.none(),
        required=False,
        empty_label=_("不需要"),
        help_text=_("选择后，学完全部课时并通过该测试才算完成课程"),
    )

    def __init__(
        self,
        *args: Any,
        organizations: list[Organization],
        quizzes: Any = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = _orgs(organizations)  # type: ignore[attr-defined]
        if quizzes is not None:
            self.fields["quiz"].queryset = quizzes  # type: ignore[attr-defined]


class MaterialChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title}（{obj.get_kind_display()}）"


class LessonForm(forms.Form):
    material = MaterialChoice(label=_("学习资料"), queryset=Material.objects.none())
    hours = forms.DecimalField(label=_("学时"), min_value=0, max_digits=4, decimal_places=1)

    def __init__(self, *args: Any, materials: QuerySet[Material], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = materials  # type: ignore[attr-defined]


class CourseChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


PLAN_STATUS_CHOICES = [
    ("", _("党员（预备党员和正式党员）")),
    (PoliticalStatus.ACTIVIST, PoliticalStatus.ACTIVIST.label),
    (PoliticalStatus.CANDIDATE, PoliticalStatus.CANDIDATE.label),
    (PoliticalStatus.PROBATIONARY, PoliticalStatus.PROBATIONARY.label),
    (PoliticalStatus.FULL, PoliticalStatus.FULL.label),
]


class PlanForm(forms.Form):
    title = forms.CharField(label=_("计划名称"), max_length=120)
    organization = OrgChoice(label=_("党组织"), queryset=Organization.objects.none(), empty_label=None)
    political_status = forms.ChoiceField(label=_("学习对象"), choices=PLAN_STATUS_CHOICES, required=False)
    deadline = forms.DateField(label=_("完成期限"), widget=DATE)
    courses = CourseChoices(
        label=_("课程"), queryset=Course.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, organizations: list[Organization], courses: QuerySet[Course], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(organizations)  # type: ignore[attr-defined]
        self.fields["courses"].queryset = courses  # type: ignore[attr-defined]

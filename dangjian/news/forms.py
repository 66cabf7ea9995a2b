"""The forms of 智慧宣传; the rules (sanitising, the chain) stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dangjian.core.groups import PersonGroup
from dangjian.core.models import Organization
from dangjian.news.models import Audience, Category, Status
from dangjian.news.services import ArticleInput


class ArticleForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("发布组织"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("标题"), max_length=120)
    summary = forms.CharField(
        label=_("摘要"), max_length=300, required=False, help_text=_("不填则取正文开头"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "可使用 HTML：段落、标题、加粗、列表、引用、链接、图片和表格；其余标签和脚本在保存时清除。"
        ),
    )
    category = forms.ChoiceField(label=_("栏目"), choices=Category.choices)
    audience = forms.ChoiceField(label=_("发布范围"), choices=Audience.choices)
    groups = forms.MultipleChoiceField(
        label=_("指定人群"),
        choices=PersonGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("发布范围为“指定人群”时必选：本组织及下级党组织中这些人群可以阅读"),
    )
    tags = forms.CharField(
        label=_("标签"), max_length=100, required=False, help_text=_("用逗号分隔，最多 8 个")
    )
    publish_at = forms.DateTimeField(
        label=_("定时发布"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("不填则审核通过后立即发布"),
    )
    cover = forms.FileField(label=_("封面图片"), required=False, help_text=_("JPG 或 PNG"))

    def __init__(self, *args: Any, orgs: QuerySet[Organization] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if orgs is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = orgs  # type: ignore[attr-defined]

    def article_input(self) -> ArticleInput:
        d = self.cleaned_data
        return ArticleInput(
            title=d["title"],
            body=d["body"],
            summary=d["summary"],
            category=d["category"],
            audience=d["audience"],
            groups=tuple(d.get("groups") or ()),
            tags=d["tags"],
            publish_at=d["publish_at"],
            cover=d.get("cover"),
        )


class AttachmentForm(forms.Form):
    # Empty files reach the service, which refuses them in its own words.
    file = forms.FileField(label=_("附件"), allow_empty_file=True)


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *Status.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("栏目"), choices=[("", _("全部栏目")), *Category.choices], required=False
    )


class SubscriptionForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("订阅栏目"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("不选则订阅全部栏目。有您可阅读的新稿件发布时，站内通知您。"),
    )
    by_email = forms.BooleanField(
        label=_("同时发送邮件"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

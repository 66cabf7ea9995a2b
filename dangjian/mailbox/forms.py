"""The forms of the 书记信箱: a member's letter (the organizations of their line), the public letter
(with a honeypot field a person never sees), the tracking code, the handler's reply and transfer, the
writer's rating. The services check everything again; the forms only shape the input."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization
from dangjian.mailbox.models import MAX_BODY, MAX_SUBJECT
from dangjian.mailbox.rules import Category

HONEYPOT = "website"


def _key_field() -> forms.CharField:
    # A one-time key per form shown: a double click submits it twice, the service makes one letter.
    return forms.CharField(widget=forms.HiddenInput, max_length=64, required=False, initial=uuid.uuid4().hex)


def _orgs(orgs: list[Organization]) -> Any:
    return Organization.objects.filter(pk__in=[o.pk for o in orgs]).order_by("path")


class _LetterFields(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    subject = forms.CharField(label=_("标题"), max_length=MAX_SUBJECT)
    body = forms.CharField(label=_("内容"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 6}))


class WriteForm(_LetterFields):
    """我要写信: to an organization of one's own line; anonymously if one is a member."""

    def __init__(self, *args: Any, line: list[Organization], member: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = forms.ModelChoiceField(
            label=_("写给"), queryset=_orgs(line), empty_label=None
        )
        self.order_fields(["organization", "category", "subject", "body"])
        if member:
            self.fields["anonymous"] = forms.BooleanField(
                label=_("匿名（办理人看不到你的姓名）"), required=False
            )
        self.fields["idempotency_key"] = _key_field()


class PublicWriteForm(_LetterFields):
    """The public letter: to the school or a college; a contact the answer can reach."""

    name = forms.CharField(label=_("姓名（选填）"), max_length=50, required=False)
    contact = forms.CharField(label=_("手机号码或电子邮箱"), max_length=254)

    def __init__(self, *args: Any, targets: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = forms.ModelChoiceField(
            label=_("写给"), queryset=_orgs(targets), empty_label=None
        )
        self.order_fields(["organization", "category", "subject", "body", "name", "contact"])
        # The honeypot: hidden from people (``visually-hidden``), filled in by form-spamming robots.
        self.fields[HONEYPOT] = forms.CharField(
            label=_("请勿填写"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields["idempotency_key"] = _key_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (self.data.get(HONEYPOT) or "").strip():
            raise forms.ValidationError(_("提交未通过校验，请刷新页面后重新填写。"), code="honeypot")
        return data


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=32)


class PublicRateForm(TrackForm):
    """The rating on the tracking page: the code with it; the service checks the score (1 to 5)."""

    score = forms.CharField(label=_("满意度"), max_length=2, required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("回复内容"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 4}))


class TransferForm(forms.Form):
    def __init__(self, *args: Any, targets: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_org"] = forms.ModelChoiceField(label=_("转至"), queryset=_orgs(targets))
        self.fields["reason"] = forms.CharField(
            label=_("转办理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
        )


class StepForm(forms.Form):
    pass


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("满意度"), coerce=int, choices=[(5, "5"), (4, "4"), (3, "3"), (2, "2"), (1, "1")]
    )

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("工号/学号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _("工号/学号或密码不正确。连续失败多次后账号将被暂时锁定。"),
        "inactive": _("该账号已停用，请联系组织部。"),
    }


class OtpForm(forms.Form):
    code = forms.RegexField(
        label=_("动态验证码"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("请输入验证器应用中显示的6位数字。")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


TOKEN_DAY_CHOICES = (30, 90, 180, 365)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=60, initial="API")
    days = forms.TypedChoiceField(
        label=_("有效期"),
        coerce=int,
        initial=90,
        required=False,
        empty_value=90,  # type: ignore[arg-type]
    )
    read_only = forms.BooleanField(label=_("只读令牌"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No lifetime beyond API_TOKEN_MAX_DAYS; a school with a shorter maximum gets it as the one choice.
        longest = settings.API_TOKEN_MAX_DAYS
        days = [d for d in TOKEN_DAY_CHOICES if d <= longest] or [longest]
        self.fields["days"].choices = [(d, _("%(d)d 天") % {"d": d}) for d in days]  # type: ignore[attr-defined]
        if 90 not in days:
            self.fields["days"].initial = days[-1]

"""The form of a feed source; the checks (a valid address, a unique name) stay in the services. An
address written as a private IP is refused here already, where the person typing it sees why."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.news.feeds.fetch import literal_private_host, private_host_message
from dangjian.news.feeds.services import SourceInput


class SourceForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60)
    url = forms.CharField(
        label=_("订阅地址"),
        max_length=500,
        help_text=_("RSS 2.0 或 Atom 订阅源的网址（http:// 或 https://）"),
    )
    enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if literal_private_host(url.strip()):
            raise forms.ValidationError(private_host_message(), code="private_host")
        return url

    def source_input(self) -> SourceInput:
        d = self.cleaned_data
        return SourceInput(name=d["name"], url=d["url"], enabled=d["enabled"])

"""The upload form of every import page (the file itself is checked by ``reader.check_upload``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件(.xlsx)"),
        error_messages={
            "empty": gettext_lazy("文件是空的。"),
            "required": gettext_lazy("请选择要上传的文件。"),
        },
    )

"""Forms of the transfer pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Gender, MembershipType, Organization, OrgKind, PersonType
from dangjian.kit.state_forms import StateForm
from dangjian.transfers.models import TransferKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StartForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=[c for c in TransferKind.choices if c[0] != TransferKind.IN]
    )
    to_college = forms.ModelChoiceField(
        label=_("接收的院系党组织(校内)"), queryset=Organization.objects.none(), required=False
    )
    external_org = forms.CharField(label=_("接收党组织全称(转出)"), max_length=200, required=False)
    reason = forms.CharField(label=_("转接原因"), max_length=300, help_text=_("如：毕业就业、工作调动、升学"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_college"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            is_active=True, depth=2, kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH]
        ).order_by("path")


class ReasonForm(StateForm):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(StateForm):
    branch = forms.ModelChoiceField(label=_("接收党支部"), queryset=Organization.objects.none())

    def __init__(self, *args: Any, college: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            path__startswith=college.path, kind=OrgKind.BRANCH, is_active=True
        ).order_by("path")


class ReceiptForm(StateForm):
    receipt_on = forms.DateField(label=_("回执返回日期"), widget=DATE, initial=timezone.localdate)
    scan = forms.FileField(label=_("回执扫描件"), required=False)


class ReissueForm(StateForm):
    reason = forms.CharField(label=_("作废原因"), max_length=200, help_text=_("如：介绍信已过期"))
    valid_days = forms.IntegerField(label=_("新介绍信有效期(天)"), min_value=1, max_value=365, required=False)


class RecordInForm(forms.Form):
    """转入: the incoming letter and the member's record."""

    from_org_name = forms.CharField(label=_("转出党组织全称"), max_length=200)
    letter_serial = forms.CharField(label=_("介绍信编号"), max_length=60)
    branch = forms.ModelChoiceField(label=_("转入党支部"), queryset=Organization.objects.none())
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, help_text=_("本校已有此人时据此找到"))
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, initial="汉族")
    person_type = forms.ChoiceField(label=_("人员类别"), choices=PersonType.choices)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    membership_type = forms.ChoiceField(label=_("党员类别"), choices=MembershipType.choices)
    joined_on = forms.DateField(label=_("入党日期"), widget=DATE)
    full_on = forms.DateField(label=_("转正日期"), widget=DATE, required=False)
    reason = forms.CharField(label=_("转入原因"), max_length=300, required=False)

    def __init__(self, *args: Any, branches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches  # type: ignore[attr-defined]

"""Forms of the core module: field-level Chinese errors; querysets come from the scope selectors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dangjian.core.idnumbers import parse_id_number
from dangjian.core.models import (
    CadreRank,
    DemocraticParty,
    Education,
    Gender,
    MembershipType,
    Organization,
    OrgCategory,
    OrgKind,
    Person,
    PersonType,
    PositionTitle,
    Standing,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        return f"{obj.name}（{obj.get_kind_display()}）"


class OrganizationForm(forms.Form):
    name = forms.CharField(
        label=_("组织全称"), max_length=120, help_text=_("与印章一致，如“中共示范大学计算机学院委员会”")
    )
    short_name = forms.CharField(label=_("简称"), max_length=60, required=False)
    code = forms.RegexField(
        label=_("组织代码"),
        max_length=40,
        regex=r"^[A-Za-z0-9_-]+$",
        error_messages={"invalid": _("组织代码只能包含字母、数字、下划线和连字符。")},
    )
    kind = forms.ChoiceField(label=_("组织类型"), choices=OrgKind.choices)
    category = forms.ChoiceField(
        label=_("组织类别"), choices=[("", "—")] + list(OrgCategory.choices), required=False
    )
    unit = forms.CharField(label=_("所在单位"), max_length=120, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    established_on = forms.DateField(label=_("成立日期"), required=False, widget=DATE)
    term_started_on = forms.DateField(label=_("本届开始日期"), required=False, widget=DATE)
    term_years = forms.IntegerField(
        label=_("任期(年)"),
        required=False,
        min_value=1,
        max_value=10,
        help_text=_("留空则按规定：党委5年，党总支、党支部3年"),
    )


class OrgMoveForm(forms.Form):
    new_parent = OrgChoiceField(label=_("新的上级党组织"), queryset=Organization.objects.none())

    def __init__(self, *args: Any, parents: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents  # type: ignore[attr-defined]


class OrgDissolveForm(forms.Form):
    on = forms.DateField(label=_("撤销日期"), widget=DATE)
    reason = forms.CharField(label=_("撤销原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:  # type: ignore[override]
        return f"{obj.name}（{obj.staff_number or '-'}）"


class PositionAssignForm(forms.Form):
    person = PersonChoiceField(label=_("人员"), queryset=Person.objects.none())
    title = forms.ChoiceField(label=_("职务"), choices=PositionTitle.choices)
    started_on = forms.DateField(label=_("任职日期"), widget=DATE)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class PositionEndForm(forms.Form):
    ended_on = forms.DateField(label=_("免职日期"), widget=DATE)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class NewTermForm(forms.Form):
    """换届: the new committee, one row per title; empty rows are skipped."""

    started_on = forms.DateField(label=_("新一届开始日期"), widget=DATE)

    ROW_TITLES = [
        PositionTitle.SECRETARY,
        PositionTitle.DEPUTY_SECRETARY,
        PositionTitle.ORGANIZATION,
        PositionTitle.PUBLICITY,
        PositionTitle.DISCIPLINE,
        PositionTitle.YOUTH,
        PositionTitle.MEMBER,
        PositionTitle.MEMBER,
    ]

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i, title in enumerate(self.ROW_TITLES):
            self.fields[f"row{i}"] = PersonChoiceField(
                empty_label=_("（请选择）") if i == 0 else _("（不设）"),
                label=PositionTitle(title).label,
                queryset=people,
                required=(i == 0),
            )

    def positions(self) -> list[tuple[Person, str]]:
        return [
            (self.cleaned_data[f"row{i}"], str(t))
            for i, t in enumerate(self.ROW_TITLES)
            if self.cleaned_data.get(f"row{i}")
        ]


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=18,
        required=False,
        help_text=_("18位公民身份号码；出生日期和性别将自动核对"),
    )
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices)
    birth_date = forms.DateField(label=_("出生日期"), widget=DATE)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, initial="汉族")
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    staff_number = forms.CharField(label=_("工号/学号"), max_length=30, required=False)
    person_type = forms.ChoiceField(label=_("人员类别"), choices=PersonType.choices)
    organization = OrgChoiceField(
        label=_("所在党组织"),
        queryset=Organization.objects.none(),
        help_text=_("党员为其组织关系所在支部；入党申请人为递交申请的支部"),
    )
    unit = forms.CharField(label=_("所在单位"), max_length=120, required=False)
    education = forms.ChoiceField(
        label=_("学历"), choices=[("", "—")] + list(Education.choices), required=False
    )
    title = forms.CharField(label=_("职务/职称"), max_length=60, required=False)
    grade = forms.CharField(label=_("年级"), max_length=10, required=False)
    major = forms.CharField(label=_("专业"), max_length=60, required=False)
    class_name = forms.CharField(label=_("班级"), max_length=60, required=False)
    home_address = forms.CharField(label=_("家庭住址"), max_length=200, required=False)

    def __init__(
        self, *args: Any, orgs: QuerySet[Organization], require_id: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["id_number"].required = require_id

    def clean_id_number(self) -> str:
        raw = self.cleaned_data.get("id_number", "")
        if raw:
            return parse_id_number(raw).number
        return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = data.get("id_number")
        if raw:
            info = parse_id_number(raw)
            if data.get("birth_date") and data["birth_date"] != info.birth_date:
                self.add_error(
                    "birth_date",
                    _("出生日期与身份证号码不一致(号码中为 %(d)s)。") % {"d": info.birth_date.isoformat()},
                )
            if data.get("gender") and data["gender"] != info.gender:
                self.add_error("gender", _("性别与身份证号码不一致。"))
        return data


class MembershipAdmitForm(forms.Form):
    organization = OrgChoiceField(label=_("组织关系所在党支部"), queryset=Organization.objects.none())
    membership_type = forms.ChoiceField(label=_("党员类别"), choices=MembershipType.choices)
    joined_on = forms.DateField(label=_("入党日期(成为预备党员)"), widget=DATE)
    full_on = forms.DateField(label=_("转正日期"), required=False, widget=DATE)
    membership_number = forms.CharField(label=_("党员编号"), max_length=40, required=False)

    def __init__(self, *args: Any, branches: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = branches  # type: ignore[attr-defined]


class StandingForm(forms.Form):
    # 已转出 is set only by a completed transfer (the transfers module).
    standing = forms.ChoiceField(
        label=_("党籍状态"),
        choices=[  # these two are set by their procedures (转接, 发展党员)
            c
            for c in Standing.choices
            if c[0] not in (Standing.TRANSFERRED_OUT, Standing.PROBATION_CANCELLED)
        ],
    )
    since = forms.DateField(label=_("变更日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    flow_destination = forms.CharField(label=_("流向"), max_length=120, required=False)


class CadreForm(forms.Form):
    post = forms.CharField(label=_("职务"), max_length=100)
    rank = forms.ChoiceField(label=_("职级"), choices=CadreRank.choices)
    unit = forms.CharField(label=_("任职单位"), max_length=120)
    is_leading = forms.BooleanField(label=_("党员领导干部"), required=False, initial=True)
    dual_life_branch = OrgChoiceField(
        label=_("双重组织生活所在支部"), queryset=Organization.objects.none(), required=False
    )
    started_on = forms.DateField(label=_("任职日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, branches: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dual_life_branch"].queryset = branches  # type: ignore[attr-defined]


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("姓名 / 拼音首字母 / 工号学号 / 身份证号")}),
    )
    political_status = forms.ChoiceField(label=_("政治面貌"), required=False)
    person_type = forms.ChoiceField(
        label=_("人员类别"), required=False, choices=[("", _("全部人员类别"))] + list(PersonType.choices)
    )
    unit = forms.CharField(label=_("单位"), required=False, max_length=60)
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from dangjian.core.models import PoliticalStatus

        super().__init__(*args, **kwargs)
        self.fields["political_status"].choices = [("", _("全部政治面貌"))] + list(PoliticalStatus.choices)  # type: ignore[attr-defined]


class DemocraticPartyForm(forms.Form):
    party = forms.ChoiceField(label=_("民主党派"), choices=DemocraticParty.choices)
    joined_on = forms.DateField(label=_("加入日期"), required=False, widget=DATE)
    post = forms.CharField(label=_("党派职务"), max_length=60, required=False)


class LeaveSchoolForm(forms.Form):
    """办理离校: the day the person left; after PERSON_ANONYMISE_AFTER_YEARS their record is anonymised."""

    left_on = forms.DateField(label=_("离校日期"), widget=DATE)


class UnmaskedExportForm(forms.Form):
    """Why a file with full personal data is needed: kept in the audit event (PIPL)."""

    reason = forms.CharField(
        label=_("导出原因"),
        min_length=5,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如“报上级组织部核对党员信息”。原因将记入审计日志。"),
        error_messages={
            "required": _("请填写导出原因。"),
            "min_length": _("请具体说明导出原因(至少 5 个字)。"),
        },
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < 5:
            raise forms.ValidationError(_("请具体说明导出原因(至少 5 个字)。"))
        return reason

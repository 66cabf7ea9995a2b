"""Forms of the dues pages: validation at the edge, with Chinese messages; rules stay in the services."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.dues import rules
from dangjian.dues.models import DuesCategory, PayMethod, ReliefKind
from dangjian.dues.rules import PayItems
from dangjian.kit.errors import DomainError
from dangjian.kit.state_forms import StateForm

MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class MonthField(forms.DateField):
    """A month as YYYY-MM (the browser's month input) or any date in it; cleaned to the 1st."""

    widget = MONTH_INPUT
    input_formats = ["%Y-%m", "%Y-%m-%d", "%Y/%m", "%Y年%m月"]
    default_error_messages = {"invalid": _("请输入月份，如 2026-09")}

    def to_python(self, value: Any) -> date | None:
        result = super().to_python(value)
        return result.replace(day=1) if result else None


class MoneyField(forms.CharField):
    """A yuan amount, validated by the dues engine (non-negative, two decimals, not absurdly large)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:  # type: ignore[override]
        value = super().clean(value)
        if value in ("", None):
            return None
        try:
            return rules.parse_money(value)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


class AssessmentForm(forms.Form):
    from_month = MonthField(label=_("起始月份"), help_text=_("新工资首次发放的月份"))
    category = forms.ChoiceField(label=_("党费类别"), choices=DuesCategory.choices)
    base = MoneyField(
        label=_("交纳基数(元/月)"), required=False, help_text=_("直接填写；或留空并填写下面的工资项目")
    )
    fixed_amount = MoneyField(
        label=_("农民党员每月金额"), required=False, help_text=_("0.20 至 1.00 元，由支部确定")
    )
    post_wage = MoneyField(label=_("岗位工资"), required=False)
    scale_wage = MoneyField(label=_("薪级工资"), required=False)
    basic_performance = MoneyField(label=_("基础性绩效工资"), required=False)
    fixed_allowances = MoneyField(label=_("固定津贴补贴"), required=False)
    income_tax = MoneyField(label=_("个人所得税"), required=False)
    social_insurance = MoneyField(label=_("社会保险(个人)"), required=False)
    housing_fund = MoneyField(label=_("住房公积金(个人)"), required=False)
    annuity = MoneyField(label=_("职业年金(个人)"), required=False)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def pay_items(self) -> PayItems | None:
        data = self.cleaned_data
        names = PayItems.INCLUDED + PayItems.DEDUCTED
        if all(data.get(n) is None for n in names):
            return None
        return PayItems(**{n: data.get(n) or Decimal("0") for n in names})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("category") in rules.BASE_CATEGORIES
            and data.get("base") is not None
            and self.pay_items()
        ):
            raise forms.ValidationError(_("请只用一种方式：直接填写基数，或填写工资项目"))
        return data


def paid_on_field() -> forms.DateField:
    return forms.DateField(
        label=_("交纳日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
        required=False,
        help_text=_("实际交纳(或转账)的日期，不能晚于今天；不填为今天"),
    )


class PaymentForm(forms.Form):
    months = forms.MultipleChoiceField(
        label=_("交纳月份"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择要交纳的月份")},
    )
    method = forms.ChoiceField(label=_("交纳方式"), choices=PayMethod.choices[:2])
    paid_on = paid_on_field()
    reference = forms.CharField(label=_("凭证号/流水号"), required=False, max_length=100)
    reason = forms.CharField(
        label=_("说明"), required=False, max_length=300, help_text=_("补交超过 6 个月时必填")
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, options: list[tuple[date, Decimal, bool]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = [  # type: ignore[attr-defined]
            (m.isoformat(), f"{m:%Y-%m}  ¥{amount}" + ("" if billed else f"  ({_('预交')})"))
            for m, amount, billed in options
        ]
        self.fields["idempotency_key"].initial = uuid.uuid4().hex

    def month_dates(self) -> list[date]:
        return [date.fromisoformat(m) for m in self.cleaned_data["months"]]


class DeclarationForm(PaymentForm):
    """A member's "I paid": the same months, methods and reference; the secretary confirms it."""

    reason = None  # type: ignore[assignment]

    def __init__(self, *args: Any, options: list[tuple[date, Decimal, bool]], **kwargs: Any) -> None:
        super().__init__(*args, options=options, **kwargs)
        # One tap declares: every unpaid month is ticked, oldest first (the current one included).
        self.fields["months"].initial = [m.isoformat() for m, _amount, billed in options if billed]


class LargePaymentForm(forms.Form):
    amount = MoneyField(label=_("金额(元)"))
    method = forms.ChoiceField(label=_("交纳方式"), choices=PayMethod.choices[:2])
    paid_on = paid_on_field()
    reference = forms.CharField(label=_("凭证号/流水号"), required=False, max_length=100)
    reason = forms.CharField(label=_("说明"), required=False, max_length=300)
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, max_length=64, initial=lambda: uuid.uuid4().hex
    )


class ReasonForm(StateForm):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class ReliefForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ReliefKind.choices)
    monthly_amount = MoneyField(label=_("减交后每月金额"), required=False, help_text=_("免交时不填"))
    from_month = MonthField(label=_("起始月份"))
    to_month = MonthField(label=_("截止月份"))
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(StateForm):
    decision = forms.ChoiceField(
        label=_("审批结果"),
        choices=[("approve", _("批准/确认")), ("refuse", _("不批准/不予确认"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("意见"), required=False, max_length=300)


class SubmitForm(forms.Form):
    handed_up_amount = MoneyField(label=_("上交金额(元)"))

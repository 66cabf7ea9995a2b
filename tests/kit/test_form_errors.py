"""Service errors on forms: a field's own error beside it; an error on a hidden field above the form."""

from __future__ import annotations

from django import forms

from dangjian.kit.errors import RuleViolation, StaleState
from dangjian.kit.form_errors import add_service_error


class _Form(forms.Form):
    applied_on = forms.DateField()
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


def test_an_error_naming_a_visible_field_stays_on_that_field() -> None:
    form = _Form({"applied_on": "2026-11-29", "expected_status": "open"})
    assert form.is_valid()
    add_service_error(form, RuleViolation("申请入党日期不能晚于今天", field="applied_on"))
    assert form.errors["applied_on"] == ["申请入党日期不能晚于今天"]


def test_a_stale_refusal_on_the_hidden_state_field_is_shown_above_the_form() -> None:
    form = _Form({"applied_on": "2026-11-29", "expected_status": "open"})
    assert form.is_valid()
    add_service_error(form, StaleState("该事项已由他人处理，请刷新页面后再操作。", field="expected_status"))
    assert form.non_field_errors() == ["该事项已由他人处理，请刷新页面后再操作。"]
    assert "expected_status" not in form.errors

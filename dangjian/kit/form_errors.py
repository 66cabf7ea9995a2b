"""Turn domain errors from services into form errors (field-level where the service names a field)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from dangjian.kit.errors import DomainError


def add_service_error(form: forms.Form, exc: Exception) -> None:
    if isinstance(exc, DomainError):
        field = exc.field if exc.field in form.fields else None
        if field is not None and form.fields[field].widget.is_hidden:
            field = None  # a hidden field (expected_status) shows no errors: put it above the form
        form.add_error(field, exc.message)
    elif isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = field if field in form.fields else None
                for error in errors:
                    form.add_error(target, error)
        else:
            form.add_error(None, exc)
    else:
        raise exc

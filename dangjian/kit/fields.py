"""Text checked against the column it is stored in.

A form's ``maxlength`` is only a hint: a longer value from a batch form, an import or the API would reach
the database and fail there (PostgreSQL refuses it; SQLite would keep it). Services pass free text
through :func:`within_max_length` before they store it, so the person gets a Chinese message naming the
field instead of a 500.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from dangjian.kit.errors import RuleViolation


def within_max_length(
    value: str, model: type[Model], field_name: str, *, field: str | None = None, label: str | None = None
) -> str:
    """``value`` stripped, refused (code ``too_long``) when longer than ``model.field_name`` allows.

    ``field`` is the form or API field the error belongs to (default ``field_name``); ``label`` names it
    in the message (default the model field's verbose name)."""
    text = value.strip()
    model_field: Any = model._meta.get_field(field_name)
    limit = model_field.max_length
    if limit is not None and len(text) > limit:
        raise RuleViolation(
            _("%(f)s不能超过 %(n)s 个字") % {"f": label or model_field.verbose_name, "n": limit},
            code="too_long",
            field=field or field_name,
        )
    return text

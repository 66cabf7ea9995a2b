"""The model's own limits applied to imported values, so that what a dry run accepts the commit can write.

Read from the fields of ``ImportSpec.model`` (max_length, choices, decimal digits, validators, unique),
so a new spec gets them by naming its model: a 51-character name is a row message in the dry run, not
a database error half way through the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext as _

from dangjian.spreadsheets.spec import ImportSpec


@dataclass(frozen=True)
class FieldLimit:
    key: str  # the key in a row's values
    header: str  # what a row message calls it
    field: models.Field  # type: ignore[type-arg]
    is_column: bool  # a cleaned cell (checked at once) or a value derived by ``validate`` (checked after)

    @property
    def unique(self) -> bool:
        return bool(self.field.unique) and not self.field.primary_key

    def text_problem(self, value: Any) -> str:
        """Length and choices of a text value: checkable before the spec's own rules run."""
        if not isinstance(value, str) or value == "":
            return ""
        limit = getattr(self.field, "max_length", None)
        if limit and len(value) > limit:
            return _("不能超过 %(n)s 个字符(现有 %(m)s 个)") % {"n": limit, "m": len(value)}
        if self.allowed is not None and value not in self.allowed:
            return _("“%(v)s”不是可选值") % {"v": value}
        return ""

    @cached_property
    def allowed(self) -> frozenset[str] | None:
        """The stored values of a field with choices (None: any value)."""
        if not self.field.choices:
            return None
        return frozenset(str(choice) for choice, _label in self.field.flatchoices)

    def typed_problem(self, value: Any) -> str:
        """The field's validators (digits and places of a decimal, ranges of an integer, formats)."""
        if value in ("", None) or isinstance(value, models.Model):
            return ""
        if isinstance(value, str):
            if not isinstance(self.field, models.CharField | models.TextField):
                return ""  # a cell the spec converts itself (e.g. "3" → 3); its own rules report it
            problem = self.text_problem(value)
            if problem:
                return problem
        validators = [v for v in self.field.validators if not isinstance(v, MaxLengthValidator)]
        for validator in validators:
            try:
                validator(value)
            except ValidationError as exc:
                return "；".join(exc.messages)
            except (TypeError, AttributeError):  # a value of another type; the spec's own rules report it
                return ""
        return ""


def field_limits(spec: ImportSpec) -> tuple[FieldLimit, ...]:
    if spec.model is None:
        return ()
    headers = {c.key: c.header for c in spec.columns}
    names: dict[str, str] = {key: key for key in headers}
    names.update(spec.fields)
    limits = []
    for key, name in names.items():
        try:
            model_field = spec.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if model_field.is_relation or not model_field.concrete:
            continue
        header = headers.get(key) or str(model_field.verbose_name)
        limits.append(FieldLimit(key, header, model_field, is_column=key in headers))
    return tuple(limits)


def unique_limits(spec: ImportSpec) -> tuple[FieldLimit, ...]:
    """Unique fields other than the natural key (which ``find`` looks up itself)."""
    return tuple(limit for limit in field_limits(spec) if limit.unique and limit.key not in spec.key_columns)


def taken_values(
    spec: ImportSpec, limit: FieldLimit, values: Iterable[Any], chunk: int = 1000
) -> dict[Any, Any]:
    """Values of a unique field already stored: value → primary key of the record holding it."""
    wanted = sorted({v for v in values if v not in ("", None)}, key=str)
    taken: dict[Any, Any] = {}
    for start in range(0, len(wanted), chunk):
        taken.update(
            spec.model._default_manager.filter(**{f"{limit.field.name}__in": wanted[start : start + chunk]})
            .values_list(limit.field.name, "pk")
            .iterator()
        )
    return taken

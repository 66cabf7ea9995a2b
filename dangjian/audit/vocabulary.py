"""The audit log in words: action codes, the keys of the recorded changes and their values.

The codes are the modules' (``hooks.audit_actions``, contributed from each ``contributions.py``); what
the changes hold is named generically from the model the event names (``target_type``): a field's
``verbose_name`` and its choices' labels. A code nobody labels (an old record) shows as the code, a key
nobody names as the key. Nothing here queries the database except a module's value callable, once per
:class:`Vocabulary` and only when a change it names is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.hooks import AuditActions

GROUP_PREFIX = "@"  # a filter value naming a whole group ("@orglife"), not one code

# Keys many areas record that are no model field: the words are generic, so they live here.
COMMON_FIELDS: dict[str, Any] = {
    "reason": _("原因"),
    "note": _("备注"),
    "filters": _("筛选条件"),
    "rows": _("行数"),
    "status": _("状态"),
    "name": _("名称"),
    "person": _("人员"),
    "people": _("人员"),
    "month": _("月份"),
    "year": _("年度"),
    "created": _("新建"),
    "count": _("数量"),
    "amount": _("金额"),
    "revision": _("修订次数"),
    "before": _("变更前"),
    "after": _("变更后"),
}
EMPTY = "—"


@dataclass(frozen=True)
class ChangeLine:
    """One line of "字段名：旧值 → 新值" (``transition``) or "字段名：值"."""

    label: str
    before: str = ""
    after: str = ""
    value: str = ""
    transition: bool = False


class Vocabulary:
    """The registry read once (per page): code → label and group, and the words of changes."""

    def __init__(self) -> None:
        self.groups: list[AuditActions] = hooks.audit_actions.all()
        self._group_of: dict[str, AuditActions] = {}
        for group in self.groups:
            for code in group.actions:
                self._group_of.setdefault(code, group)
        self._values: dict[tuple[str, str], Mapping[Any, Any]] = {}

    # --- actions ---------------------------------------------------------------------------------
    def knows(self, code: str) -> bool:
        return code in self._group_of

    def action_label(self, code: str) -> str:
        group = self._group_of.get(code)
        return str(group.actions[code]) if group is not None else code

    def choices(self) -> list[tuple[str, Any]]:
        """For a select: one group per area, its first option the whole area."""
        grouped: list[tuple[str, Any]] = [("", gettext("全部操作"))]
        for group in self.groups:
            options = [(GROUP_PREFIX + group.key, gettext("%(group)s：全部操作") % {"group": group.label})]
            options += [(code, str(label)) for code, label in group.actions.items()]
            grouped.append((str(group.label), options))
        return grouped

    def codes_for(self, value: str) -> tuple[str, ...]:
        """The codes a filter value means: one code, or every code of a group."""
        if value.startswith(GROUP_PREFIX):
            key = value[len(GROUP_PREFIX) :]
            return tuple(next((g.actions for g in self.groups if g.key == key), ()))
        return (value,)

    # --- changes ---------------------------------------------------------------------------------
    def lines_of(self, event: Any) -> list[ChangeLine]:
        """The changes of an ``AuditEvent`` in words."""
        return self.change_lines(action=event.action, target_type=event.target_type, changes=event.changes)

    def change_lines(self, *, action: str, target_type: str, changes: Any) -> list[ChangeLine]:
        group = self._group_of.get(action)
        model = _model(target_type)
        if not isinstance(changes, dict):
            return [ChangeLine(label=str(_("变更内容")), value=self._value(group, model, "", changes))]
        lines: list[ChangeLine] = []
        before, after = changes.get("before"), changes.get("after")
        rest = changes
        if isinstance(before, dict) and isinstance(after, dict):  # {"before": {...}, "after": {...}}
            rest = {k: v for k, v in changes.items() if k not in ("before", "after")}
            for key in sorted(set(before) | set(after), key=str):
                if before.get(key) != after.get(key):
                    lines.append(self._transition(group, model, key, before.get(key), after.get(key)))
        for key, value in rest.items():
            if isinstance(value, dict) and set(value) == {"before", "after"}:
                lines.append(self._transition(group, model, key, value["before"], value["after"]))
            elif isinstance(value, list) and len(value) == 2 and self._is_field(group, model, key):
                lines.append(self._transition(group, model, key, value[0], value[1]))
            else:
                label = self._field_label(group, model, key)
                lines.append(ChangeLine(label=label, value=self._value(group, model, key, value)))
        return lines

    def _transition(
        self, group: AuditActions | None, model: type[models.Model] | None, key: str, before: Any, after: Any
    ) -> ChangeLine:
        return ChangeLine(
            label=self._field_label(group, model, key),
            before=self._value(group, model, key, before),
            after=self._value(group, model, key, after),
            transition=True,
        )

    def _is_field(self, group: AuditActions | None, model: type[models.Model] | None, key: str) -> bool:
        return (group is not None and key in group.values) or _field(model, key) is not None

    def _field_label(self, group: AuditActions | None, model: type[models.Model] | None, key: str) -> str:
        if group is not None and key in group.fields:
            return str(group.fields[key])
        model_field = _field(model, key)
        if model_field is not None and getattr(model_field, "verbose_name", None):
            return str(model_field.verbose_name)
        if key in COMMON_FIELDS:
            return str(COMMON_FIELDS[key])
        return key

    def _value_labels(self, group: AuditActions | None, key: str) -> Mapping[Any, Any] | None:
        if group is None or key not in group.values:
            return None
        memo = (group.key, key)
        if memo not in self._values:
            labels = group.values[key]
            self._values[memo] = labels() if callable(labels) else labels
        return self._values[memo]

    def _value(
        self, group: AuditActions | None, model: type[models.Model] | None, key: str, value: Any
    ) -> str:
        labels = self._value_labels(group, key)
        if labels is not None and _hashable(value) and value in labels:
            return str(labels[value])
        model_field = _field(model, key)
        if model_field is not None and model_field.choices and _hashable(value):
            choices = dict(model_field.flatchoices)
            if value in choices:
                return str(choices[value])
        return self._plain(group, model, value)

    def _plain(self, group: AuditActions | None, model: type[models.Model] | None, value: Any) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return EMPTY
        if isinstance(value, bool):
            return str(_("是") if value else _("否"))
        if isinstance(value, dict):
            if "repr" in value and set(value) <= {"id", "repr"}:
                return str(value["repr"])
            return "；".join(
                f"{self._field_label(group, model, str(k))}：{self._value(group, model, str(k), v)}"
                for k, v in value.items()
            )
        if isinstance(value, list | tuple):
            return "、".join(self._plain(group, model, v) for v in value)
        return str(value)


def _model(target_type: str) -> type[models.Model] | None:
    if "." not in target_type:
        return None
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> Any:
    if model is None or not key:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    # A reverse relation ("participants") has no label or choices of its own: read the key as plain.
    return found if isinstance(found, models.Field) else None


def _hashable(value: Any) -> bool:
    return not isinstance(value, dict | list)

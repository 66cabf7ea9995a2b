"""What the core writers share: field lists for the audit snapshots, row locks, date checks."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from dangjian.kit.dates import not_in_future

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")

ORG_FIELDS = (
    "name",
    "short_name",
    "code",
    "kind",
    "category",
    "unit",
    "contact_phone",
    "established_on",
    "term_started_on",
    "term_years",
)
PERSON_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "phone",
    "staff_number",
    "person_type",
    "unit",
    "education",
    "title",
    "grade",
    "major",
    "class_name",
    "home_address",
    "organization",
)


def snapshot(obj: Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def _lock(obj: Model) -> Any:
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _org_dates_not_in_future(data: dict[str, Any]) -> None:
    not_in_future(data.get("established_on"), field="established_on", label=_("成立日期"))
    not_in_future(data.get("term_started_on"), field="term_started_on", label=_("本届开始日期"))

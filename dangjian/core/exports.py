"""What the people and organization exports hold: the rows of the list on screen, masked like the screen.

An export is the list the viewer is looking at, as a file: the same selector and filters (the views pass
the list's own queryset), minus nothing and plus nothing. ID numbers and phones are masked as on the
screen, whatever the viewer's role; a file with full personal data is a separate, explicit choice of a
role with the PII permission, and it is audited with the reason given (PIPL 第六条, 第五十一条: the least
personal data needed, access recorded).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import Scope
from dangjian.core import crypto
from dangjian.core.models import Organization, Person
from dangjian.core.rules import default_term_years, term_expires_on
from dangjian.policy import get_policy

P = Permission


def mask_phone(phone: str) -> str:
    """``13912345678`` → ``139****5678``; a short or empty number shows nothing of itself."""
    phone = (phone or "").strip()
    if len(phone) >= 8:
        return phone[:3] + "****" + phone[-4:]
    return "****" if phone else ""


def person_export_headers() -> list[str]:
    return [
        _("姓名"),
        _("性别"),
        _("民族"),
        _("出生日期"),
        _("身份证号码"),
        _("工号/学号"),
        _("人员类别"),
        _("政治面貌"),
        _("所在党组织"),
        _("所在单位"),
        _("学历"),
        _("手机号码"),
    ]


# The stored values the export reads (one row of plain values per person, no model instances).
_PERSON_COLUMNS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "staff_number",
    "person_type",
    "political_status",
    "organization__name",
    "organization__path",
    "unit",
    "education",
    "phone",
    "id_number_masked",
)


def _labels(field: str) -> dict[str, str]:
    """A choice field's stored value → its label in the active language (as ``get_FOO_display``)."""
    model_field: Any = Person._meta.get_field(field)
    return {value: str(label) for value, label in model_field.flatchoices}


def person_export_rows(
    scope: Scope, people: QuerySet[Person], *, unmasked: bool
) -> Iterator[tuple[Any, ...]]:
    """One row per person of ``people`` (already the list's queryset). With ``unmasked``, ID number and
    phone are in full only where the viewer holds the PII permission over the person's org.

    Rows are read as plain values with a server-side cursor, the choice labels looked up in dicts; the
    ciphertext is read, and decrypted, only for an unmasked export, and only for the rows shown in full
    (whether a row is, is decided once per organization)."""
    columns = (*_PERSON_COLUMNS, "id_number_encrypted") if unmasked else _PERSON_COLUMNS
    gender, person_type, status, education = (
        _labels(f) for f in ("gender", "person_type", "political_status", "education")
    )
    in_full: dict[str | None, bool] = {}
    decrypt = crypto.decrypter()
    for row in people.values_list(*columns).iterator(chunk_size=2000):
        (name, g, ethnicity, birth, staff, kind, st, org_name, org_path, unit, edu, phone, masked) = row[:13]
        full = False
        if unmasked:
            known = in_full.get(org_path)
            if known is None:
                known = in_full[org_path] = scope.covers(P.VIEW_PII, org_path or "~")
            full = known
        yield (
            name,
            gender.get(g, g),
            ethnicity,
            birth.isoformat(),
            decrypt(row[13]) if full and row[13] else masked,
            staff or "",
            person_type.get(kind, kind),
            status.get(st, st),
            org_name or "",
            unit,
            education.get(edu, edu),
            phone if full else mask_phone(phone),
        )


def org_export_headers() -> list[str]:
    return [
        _("组织代码"),
        _("组织全称"),
        _("组织类型"),
        _("组织类别"),
        _("上级组织代码"),
        _("所在单位"),
        _("党员(含下级)"),
        _("正式党员(含下级)"),
        _("委员人数"),
        _("本届开始日期"),
        _("任期届满日期"),
        _("规范检查"),
        _("状态"),
    ]


def org_export_rows(orgs: list[Organization]) -> Iterator[tuple[Any, ...]]:
    """One row per org of the tree on screen (dissolved ones too, marked as on the tree)."""
    from dangjian.core.selectors import org_summaries

    codes = {o.path: o.code for o in orgs}
    policy = get_policy()
    for s in org_summaries(orgs, with_subtree=True):
        org = s.org
        expires = term_expires_on(org.term_started_on, org.term_years or default_term_years(org.kind, policy))
        yield (
            org.code,
            org.name,
            org.get_kind_display(),
            org.get_category_display(),
            codes.get(org.path[: -org.steplen], ""),
            org.unit,
            s.subtree_members,
            s.subtree_full,
            s.facts.committee_size,
            org.term_started_on,
            expires if org.is_active else None,
            "；".join(c.message for c in s.checks) if org.is_active else "",
            _("有效")
            if org.is_active
            else _("已撤销(%(d)s)") % {"d": org.dissolved_on.isoformat() if org.dissolved_on else "—"},
        )

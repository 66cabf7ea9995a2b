"""Two small kinds of import for the tests of the one flow: Django's ``auth.Group`` rows by name.

- ``flow_groups``: all or nothing, with warnings (a note on a row is a warning), only new rows.
- ``flow_members``: the valid rows of a file may be imported alone; about one group (its subject,
  ``group_id`` in the URL and the jobs' params), whose name prefixes the new groups' names.

Who may import: whoever may manage people (``college_organizer`` yes, ``member_user`` no); a group whose
name starts with "外" is outside everyone's scope (404).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.http import Http404, HttpRequest
from django.urls import reverse

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.hooks import ImportKind, ImportSubject
from dangjian.spreadsheets.spec import Column, ImportSpec


def _validate(values: dict[str, Any], context: Any) -> dict[str, str]:
    if values["name"].startswith("坏"):
        return {"name": "不能以“坏”开头"}
    prefix = context.get("prefix", "")
    values["full_name"] = f"{prefix}{values['name']}"
    return {}


def _find(values: dict[str, Any], context: Any) -> tuple[Group | None, str]:
    return Group.objects.filter(name=values["full_name"]).first(), ""


def _apply(values: dict[str, Any], existing: Group | None, context: Any) -> Group:
    return Group.objects.create(name=values["full_name"])


SPEC = ImportSpec(
    name="测试组",
    columns=(Column("name", "组名", required=True, example="一组"), Column("note", "备注")),
    natural_key="name",
    validate=_validate,
    find=_find,
    unchanged=lambda values, existing: True,
    apply=_apply,
    model=Group,
    fields={"full_name": "name"},
)


def may_import(request: HttpRequest) -> bool:
    return scope_of(request).has(Permission.MANAGE_PEOPLE)


def subject(request: HttpRequest, group_id: Any) -> ImportSubject:
    group = Group.objects.filter(pk=group_id).exclude(name__startswith="外").first()
    if group is None:
        raise Http404
    return ImportSubject(
        name=group.name,
        title=f"导入组员：{group.name}",
        back_url=reverse("flow:members", args=[group.pk]),
        back_label=group.name,
    )


def _members_context(user: Any, params: dict[str, Any]) -> dict[str, str]:
    return {"prefix": Group.objects.get(pk=params["group_id"]).name + "-"}


GROUPS = ImportKind(
    "flow_groups",
    "导入测试组",
    spec=lambda: SPEC,
    context=lambda user, params: {},
    may_import=may_import,
    template_name="groups-template.xlsx",
    upload_url="flow:import",
    template_url="flow:import_template",
    commit_url="flow:import_commit",
    back_url="flow:home",
    valid_rows=False,
    updates=False,
    warnings=lambda values: [f"备注：{values['note']}"] if values.get("note") else [],
    dry_run_note="上传后先预检；备注只是提醒。",
)

MEMBERS = ImportKind(
    "flow_members",
    "导入组员",
    spec=lambda: SPEC,
    context=_members_context,
    may_import=may_import,
    template_name="members-template.xlsx",
    upload_url="flow:members",
    template_url="flow:members_template",
    commit_url="flow:members_commit",
    subject_param="group_id",
    subject=subject,
)

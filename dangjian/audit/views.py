from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.decorators import requires
from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_recorded, live_filters
from dangjian.audit.forms import AuditFilterForm
from dangjian.audit.models import AuditEvent
from dangjian.audit.selectors import audit_event_list
from dangjian.audit.vocabulary import ChangeLine, Vocabulary
from dangjian.core.models import OrgKind
from dangjian.core.selectors import organizations_within
from dangjian.kit.access_rules import access_rule, anywhere
from dangjian.kit.xlsx import xlsx_response


def _filtered(request: HttpRequest, vocabulary: Vocabulary) -> tuple[AuditFilterForm, Any]:
    scope = scope_of(request)
    orgs = (
        organizations_within(scope, Permission.VIEW_AUDIT)
        .filter(is_active=True)
        .exclude(kind=OrgKind.GROUP)
        .order_by("path")
    )
    form = AuditFilterForm(request.GET or None, orgs=orgs, vocabulary=vocabulary)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return form, audit_event_list(scope, **filters)


@access_rule(anywhere(Permission.VIEW_AUDIT))
@login_required
@requires(Permission.VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    vocabulary = Vocabulary()
    form, events = _filtered(request, vocabulary)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = [
        LogRow(
            event=e,
            action_label=vocabulary.action_label(e.action),
            known=vocabulary.knows(e.action),
            lines=vocabulary.lines_of(e),
        )
        for e in page
    ]
    return render(
        request, "audit/log.html", {"form": form, "page": page, "rows": rows, "title": _("审计日志")}
    )


@access_rule(anywhere(Permission.VIEW_AUDIT))
@login_required
@requires(Permission.VIEW_AUDIT)
def audit_export(request: HttpRequest) -> FileResponse:
    """The log on screen as a file: the same filters (the page's own filter code), every matching row."""
    vocabulary = Vocabulary()
    _form, events = _filtered(request, vocabulary)
    rows = (
        (
            e.occurred_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor.display_name if e.actor else e.actor_name,
            vocabulary.action_label(e.action),
            e.target_repr,
            e.org_name,
            str(e.ip or ""),
            _format_changes(vocabulary.lines_of(e)),
            e.action,
        )
        for e in events.iterator(chunk_size=2000)
    )
    headers = [
        _("时间"),
        _("操作人"),
        _("操作"),
        _("对象"),
        _("党组织"),
        _("IP 地址"),
        _("变更内容"),
        _("操作代码"),
    ]
    return export_recorded(  # type: ignore[no-any-return]
        actor=request.user,
        action="audit.export",
        filters=live_filters(request),
        rows=rows,
        write=lambda rows: xlsx_response(f"audit-{timezone.localdate():%Y%m%d}.xlsx", headers, rows),
    )


@dataclass(frozen=True)
class LogRow:
    event: AuditEvent
    action_label: str
    known: bool
    lines: list[ChangeLine]


def _format_changes(lines: list[ChangeLine]) -> str:
    return "；".join(
        f"{line.label}：{line.before} → {line.after}" if line.transition else f"{line.label}：{line.value}"
        for line in lines
    )

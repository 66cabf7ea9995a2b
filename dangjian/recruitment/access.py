"""Who may open which 发展党员 page, as the link rules of ``core.links``: a page draws a link only when
its viewer may open it, and the view answers 404 with the same predicate (the applicant's own case page
shows no branch-only link: 纪实表, uploads to the branch's steps, the branch's documents)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.accounts.roles import Permission
from dangjian.hooks.links import link_rule
from dangjian.recruitment import services
from dangjian.recruitment.models import CaseStatus

P = Permission


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


@link_rule("recruitment:export")
def may_export(request: HttpRequest, org: Any) -> bool:
    """The board's Excel for an org: whoever manages recruitment and may export there."""
    scope = _scope(request)
    return bool(scope.has(P.MANAGE_RECRUITMENT) and scope.covers(P.EXPORT, org.path))


@link_rule("recruitment:record_pdf")
def may_print(request: HttpRequest, case: Any) -> bool:
    """发展党员纪实表: the branch and the committee above, not the person's own view."""
    return bool(_scope(request).covers(P.MANAGE_RECRUITMENT, case.branch.path))


@link_rule("recruitment:document_add")
def may_upload(request: HttpRequest, record: Any) -> bool:
    """An upload to a step record: the side that records the step, while the case has not stopped."""
    case = record.case
    return case.status != CaseStatus.STOPPED and services.may_record(_scope(request), case, record.step)


@link_rule("recruitment:document")
def may_download(request: HttpRequest, document: Any) -> bool:
    return services.may_see_document(_scope(request), document.record)


@link_rule("recruitment:queue")
def may_see_queue(request: HttpRequest, _obj: Any) -> bool:
    return bool(_scope(request).has(P.APPROVE_RECRUITMENT))

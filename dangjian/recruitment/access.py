"""Who may act on 发展党员: one predicate per decision, asked by the services (which refuse), the pages and
the API (which draw or answer 404) and the to-dos alike.

The predicates take the scope (``Scope.system()`` for the platform itself); the link rules of
``hooks.links`` at the end take the request and ask the same predicates, so a page draws a link only when
its viewer may open it (the applicant's own case page shows no branch-only link: 纪实表, uploads to the
branch's steps, the branch's documents).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission, Role
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.hooks.links import link_rule
from dangjian.recruitment.models import Actor, Case, CaseStatus, StepDefinition, StepRecord

P = Permission


def may_manage(scope: Scope, branch: Organization) -> bool:
    """The branch's side of 发展党员 (open a case, record the branch's steps): whoever manages
    recruitment over the branch."""
    return scope.covers(P.MANAGE_RECRUITMENT, branch.path)


def manage_q(scope: Scope, path_field: str = "branch__path") -> Q:
    """The cases (or rows) whose branch lies where ``may_manage`` holds."""
    return scope.q(P.MANAGE_RECRUITMENT, path_field)


def may_approve(scope: Scope, case: Case) -> bool:
    """The committee above: its own steps (备案, 预审, 审批…), 退回, 延长预备期, 取消预备党员资格."""
    return scope.covers(P.APPROVE_RECRUITMENT, case.branch.path)


def approve_q(scope: Scope, path_field: str = "branch__path") -> Q:
    """The cases (or rows) whose branch lies where ``may_approve`` holds."""
    return scope.q(P.APPROVE_RECRUITMENT, path_field)


def may_record(scope: Scope, case: Case, step: StepDefinition) -> bool:
    """Branch steps by the branch; upper steps by the committee above; the person's own steps by the
    person or the branch on their behalf."""
    if step.actor == Actor.UPPER:
        return may_approve(scope, case)
    if step.actor == Actor.PERSON and case.person_id == scope.person_id:
        return True
    return may_manage(scope, case.branch)


def may_see_document(scope: Scope, record: StepRecord) -> bool:
    """The branch and the committee above see every document of a case they handle; the person sees the
    documents of their own steps (申请书, 志愿书, 转正申请) but not the branch's (谈话记录, 政审结论…)."""
    case = record.case
    if may_manage(scope, case.branch) or may_approve(scope, case):
        return True
    return case.person_id == scope.person_id and record.step.actor == Actor.PERSON


def may_move_case(scope: Scope, case: Case, branch: Organization) -> bool:
    """A case follows its member to another branch: whoever manages recruitment at both (the reaction to
    a membership move asks with ``Scope.system()``: core checked the move itself)."""
    return may_manage(scope, case.branch) and may_manage(scope, branch)


def may_enter_holidays(scope: Scope) -> bool:
    """The holidays of years ``chinesecalendar`` lacks: the 校级管理员 (or the platform itself)."""
    return scope.is_system or scope.has_role(Role.SCHOOL_ADMIN)


# ---------------------------------------------------------------- link rules (hooks.links)


@link_rule("recruitment:export")
def may_export(request: HttpRequest, org: Any) -> bool:
    """The board's Excel for an org: whoever manages recruitment and may export there."""
    scope = scope_of(request)
    return scope.has(P.MANAGE_RECRUITMENT) and scope.covers(P.EXPORT, org.path)


@link_rule("recruitment:record_pdf")
def may_print(request: HttpRequest, case: Any) -> bool:
    """发展党员纪实表: the branch and the committee above, not the person's own view."""
    return may_manage(scope_of(request), case.branch)


@link_rule("recruitment:document_add")
def may_upload(request: HttpRequest, record: Any) -> bool:
    """An upload to a step record: the side that records the step, while the case has not stopped."""
    case = record.case
    return case.status != CaseStatus.STOPPED and may_record(scope_of(request), case, record.step)


@link_rule("recruitment:document")
def may_download(request: HttpRequest, document: Any) -> bool:
    return may_see_document(scope_of(request), document.record)


@link_rule("recruitment:queue")
def may_see_queue(request: HttpRequest, _obj: Any) -> bool:
    return scope_of(request).has(P.APPROVE_RECRUITMENT)


def may_import(request: HttpRequest) -> bool:
    """The import pages (template, upload, commit) of the module's Excel import."""
    return scope_of(request).has(P.MANAGE_RECRUITMENT)

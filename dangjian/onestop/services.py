"""Writes of 智慧服务: submit a request from the catalogue, take it, complete it (a proof request issues
its proof), refuse it with a reason, rate it once closed; withdraw a proof with a reason.

Each service takes the actor and the scope, runs in one transaction, locks the request, checks the state
the page showed (``expected_status``) and writes one audit event. The handling side is told of a new
request, the requester of its close (``workbench.notify``).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.models import User
from dangjian.accounts.recipients import organizers_at, secretary_users, upper_organizers
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.kit.transitions import expect_state
from dangjian.onestop import access, lines, rules
from dangjian.onestop.details import clean_details
from dangjian.onestop.models import Proof, ProofCounter, Request
from dangjian.onestop.proof_facts import facts_for
from dangjian.onestop.rules import Asker, Handler, RequestStatus
from dangjian.policy import get_policy
from dangjian.workbench.services import notify

MAX_REASON = 500


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _not_in_line() -> RuleViolation:
    return RuleViolation(
        _("只能向本人（本支部）组织关系所在的党组织提出申请，该组织不在你的隶属关系线上。"),
        code="not_in_line",
        field="organization",
    )


def _route(
    scope: Scope, entry: rules.Entry, from_org: Organization | None
) -> tuple[int, Organization, Organization]:
    """(requester person id, from org, handling org) of a request of ``entry``'s kind, or a refusal."""
    if scope.person_id is None:
        raise RuleViolation(_("你的账号没有关联党员信息，不能提出申请。"))
    if entry.asker == Asker.BRANCH:
        if from_org is None or not access.may_ask_for_branch(scope, from_org):
            raise RuleViolation(_("只有党支部书记可以代表本支部提出该申请。"), field="from_org")
        handler = lines.nearest_above(from_org)
        if handler is None:
            raise RuleViolation(_("未找到该支部的上级党组织。"))
        return scope.person_id, from_org, handler
    membership = lines.membership_on_roll(scope.person_id)
    if membership is None:
        raise RuleViolation(_("你不是在册党员，不能提出该申请。"))
    branch = membership.organization
    if entry.handler == Handler.BRANCH:
        return scope.person_id, branch, branch
    committee = lines.nearest_committee(branch)
    if committee is None:
        raise RuleViolation(_("未找到你所在支部的上级党委。"))
    return scope.person_id, branch, committee


def _handlers(org: Organization) -> list[User]:
    """Who hears of a new request: the organization's secretary and its own organizers, else the
    organizers above."""
    people = secretary_users(org) + organizers_at(org)
    return people or upper_organizers(org)


def request_submit(
    *,
    actor: Any,
    scope: Scope,
    kind: str,
    details: Mapping[str, Any],
    from_org: Organization | None = None,
    to_org: Organization | None = None,
    idempotency_key: str | None = None,
) -> Request:
    """Submit a request of ``kind``. The handling organization follows from the catalogue and the
    requester's own line; ``to_org``, when the client names one, must be that organization. A second
    submission with the same ``idempotency_key`` (a double click, a retried POST) answers the request the
    first one made and makes nothing."""
    key = (idempotency_key or "").strip()[:64] or None
    if key is not None:
        twin = _twin(scope, key)
        if twin is not None:
            return twin
    entry = rules.entry(kind)
    if entry is None:
        raise RuleViolation(_("没有这项服务。"), field="kind")
    person_id, origin, handler = _route(scope, entry, from_org)
    if to_org is not None and (to_org.pk != handler.pk or not lines.in_line(origin, to_org)):
        raise _not_in_line()
    cleaned = clean_details(kind, details)
    now = timezone.now()
    try:
        with transaction.atomic():
            return _create(actor, kind, person_id, origin, handler, cleaned, now, key)
    except IntegrityError:
        twin = _twin(scope, key) if key is not None else None
        if twin is None:
            raise
        return twin  # a concurrent twin committed first


def _twin(scope: Scope, key: str) -> Request | None:
    """The request this key already made — only the same requester's (another's key is a refusal)."""
    found = Request.objects.filter(idempotency_key=key).first()
    if found is None:
        return None
    if found.requested_by_id != scope.user_id:
        raise RuleViolation(_("请刷新页面后重新提交。"), code="foreign_key")
    return found


def _create(
    actor: Any,
    kind: str,
    person_id: int,
    origin: Organization,
    handler: Organization,
    cleaned: Mapping[str, Any],
    now: Any,
    key: str | None,
) -> Request:
    """The request row, its audit and the notice to the handlers (sent when the transaction commits)."""
    request = Request.objects.create(
        kind=kind,
        idempotency_key=key,
        requester_id=person_id,
        requested_by=_actor(actor),
        from_org=origin,
        handling_org=handler,
        details=cleaned,
        submitted_at=now,
        due_on=rules.due_on(kind, timezone.localdate(now), get_policy()),
    )
    audit.record(
        actor=actor,
        action="onestop.request_submit",
        target=request,
        org=handler,
        changes={"kind": kind, "from_org": origin.pk, "due_on": request.due_on.isoformat()},
    )
    link = reverse("onestop:request", args=[request.pk])
    label = str(rules.RequestKind(kind).label)
    transaction.on_commit(
        lambda: notify(
            _handlers(handler),
            "onestop",
            _("新的服务申请：%(kind)s") % {"kind": label},
            _("%(org)s 提出，请在 %(due)s 前办理。") % {"org": origin.name, "due": request.due_on},
            link,
        )
    )
    return request


def _locked(request: Request) -> Request:
    return (
        Request.objects.select_for_update()
        .select_related("handling_org", "from_org", "requester")
        .get(pk=request.pk)
    )


def _handle(scope: Scope, request: Request) -> None:
    if not access.may_handle(scope, request):
        raise NotFound(_("未找到该服务申请。"))


def request_take(*, actor: Any, scope: Scope, request: Request, expected_status: str | None) -> Request:
    """受理: the handler takes the request (提交 → 办理中)."""
    _handle(scope, request)
    with transaction.atomic():
        request = _locked(request)
        _handle(scope, request)
        expect_state(request.status, expected_status)
        if request.status != RequestStatus.SUBMITTED:
            raise RuleViolation(_("该申请已受理。"))
        request.status = RequestStatus.HANDLING
        request.taken_at = timezone.now()
        request.handled_by = _actor(actor)
        request.save(update_fields=["status", "taken_at", "handled_by"])
        audit.record(
            actor=actor,
            action="onestop.request_take",
            target=request,
            org=request.handling_org,
            changes={"status": [RequestStatus.SUBMITTED, RequestStatus.HANDLING]},
        )
    return request


def _tell_requester(request: Request, title: str, body: str) -> None:
    users = list(User.objects.filter(person_id=request.requester_id, is_active=True))
    link = reverse("onestop:mine")
    transaction.on_commit(lambda: notify(users, "onestop", title, body, link))


def request_complete(
    *, actor: Any, scope: Scope, request: Request, expected_status: str | None, note: str = ""
) -> Request:
    """办结 (办理中 → 已办结); a proof request issues its proof, with the next serial of the year."""
    _handle(scope, request)
    note = note.strip()
    if len(note) > MAX_REASON:
        raise RuleViolation(_("办理意见不能超过 %(n)s 字。") % {"n": MAX_REASON}, field="note")
    with transaction.atomic():
        request = _locked(request)
        _handle(scope, request)
        expect_state(request.status, expected_status)
        if request.status != RequestStatus.HANDLING:
            raise RuleViolation(_("请先受理该申请，再办结。"))
        before = request.status
        now = timezone.now()
        proof = _issue_proof(actor, request, now) if rules.is_proof(request.kind) else None
        request.status = RequestStatus.DONE
        request.closed_at = now
        request.handled_by = _actor(actor) or request.handled_by
        request.result_note = note
        request.save(update_fields=["status", "closed_at", "handled_by", "result_note"])
        changes: dict[str, Any] = {"status": [before, RequestStatus.DONE]}
        if proof is not None:
            changes["serial"] = proof.serial
        audit.record(
            actor=actor,
            action="onestop.request_complete",
            target=request,
            org=request.handling_org,
            changes=changes,
        )
        _tell_requester(
            request,
            _("服务申请已办结：%(kind)s") % {"kind": request.get_kind_display()},
            _("证明编号 %(serial)s，可在“我的服务”下载。") % {"serial": proof.serial} if proof else note,
        )
    return request


def _issue_proof(actor: Any, request: Request, now: Any) -> Proof:
    membership = lines.membership_on_roll(request.requester_id)
    if membership is None:
        raise RuleViolation(_("该同志已不在册，不能出具证明。"))
    on = timezone.localdate(now)
    facts = facts_for(request.kind, membership, request.handling_org, on)
    ProofCounter.objects.get_or_create(year=on.year)
    counter = ProofCounter.objects.select_for_update().get(year=on.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    proof = Proof.objects.create(
        request=request,
        kind=request.kind,
        person_id=request.requester_id,
        issuing_org=request.handling_org,
        year=on.year,
        number=counter.last,
        serial=f"DJ{on.year}-{counter.last:06d}",
        code=secrets.token_urlsafe(12),
        facts=facts,
        issued_at=now,
        issued_by=_actor(actor),
    )
    audit.record(
        actor=actor,
        action="onestop.proof_issue",
        target=proof,
        org=request.handling_org,
        changes={"serial": proof.serial, "kind": proof.kind},
    )
    return proof


def _reason(reason: str, label: str) -> str:
    reason = reason.strip()
    if not reason:
        raise RuleViolation(_("请填写%(label)s。") % {"label": label}, field="reason")
    if len(reason) > MAX_REASON:
        raise RuleViolation(_("理由不能超过 %(n)s 字。") % {"n": MAX_REASON}, field="reason")
    return reason


def request_refuse(
    *, actor: Any, scope: Scope, request: Request, expected_status: str | None, reason: str
) -> Request:
    """不予办理, with the reason the requester reads (已提交 or 办理中 → 未予办理)."""
    _handle(scope, request)
    reason = _reason(reason, _("不予办理的理由"))
    with transaction.atomic():
        request = _locked(request)
        _handle(scope, request)
        expect_state(request.status, expected_status)
        if request.status not in rules.OPEN_STATUSES:
            raise RuleViolation(_("该申请已办结。"))
        before = request.status
        request.status = RequestStatus.REFUSED
        request.closed_at = timezone.now()
        request.handled_by = _actor(actor)
        request.refusal_reason = reason
        request.save(update_fields=["status", "closed_at", "handled_by", "refusal_reason"])
        audit.record(
            actor=actor,
            action="onestop.request_refuse",
            target=request,
            org=request.handling_org,
            changes={"status": [before, RequestStatus.REFUSED], "reason": reason},
        )
        _tell_requester(
            request, _("服务申请未予办理：%(kind)s") % {"kind": request.get_kind_display()}, reason
        )
    return request


def request_rate(
    *, actor: Any, scope: Scope, request: Request, score: int, comment: str = "", expected_status: str | None
) -> Request:
    """满意度评价: once, by the requester, after the request is closed (1 to 5)."""
    if not access.is_requester(scope, request):
        raise NotFound(_("未找到该服务申请。"))
    if not 1 <= int(score) <= 5:
        raise RuleViolation(_("满意度应为 1 至 5 分。"), field="score")
    comment = comment.strip()
    if len(comment) > MAX_REASON:
        raise RuleViolation(_("评价不能超过 %(n)s 字。") % {"n": MAX_REASON}, field="comment")
    with transaction.atomic():
        request = _locked(request)
        expect_state(request.status, expected_status)
        if request.status not in rules.CLOSED_STATUSES:
            raise RuleViolation(_("申请办结后才能评价。"))
        if request.rated_at is not None:
            raise RuleViolation(_("你已评价过该申请。"), code="already_rated")
        request.satisfaction = int(score)
        request.satisfaction_comment = comment
        request.rated_at = timezone.now()
        request.save(update_fields=["satisfaction", "satisfaction_comment", "rated_at"])
        audit.record(
            actor=actor,
            action="onestop.request_rate",
            target=request,
            org=request.handling_org,
            changes={"satisfaction": request.satisfaction},
        )
    return request


def proof_state(proof: Proof) -> str:
    """The state a page shows and sends back with a withdrawal: "valid" or "withdrawn"."""
    return "valid" if proof.withdrawn_at is None else "withdrawn"


def proof_withdraw(
    *, actor: Any, scope: Scope, proof: Proof, reason: str, expected_status: str | None
) -> Proof:
    """撤回 a proof: the verification page says so from now on. The issuing side only, with a reason."""
    if not access.may_withdraw(scope, proof):
        raise NotFound(_("未找到该证明。"))
    reason = _reason(reason, _("撤回理由"))
    with transaction.atomic():
        proof = Proof.objects.select_for_update().select_related("issuing_org").get(pk=proof.pk)
        expect_state(proof_state(proof), expected_status)
        if proof.withdrawn_at is not None:
            raise RuleViolation(_("该证明已撤回。"), code="stale")
        proof.withdrawn_at = timezone.now()
        proof.withdrawn_reason = reason
        proof.withdrawn_by = _actor(actor)
        proof.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by"])
        audit.record(
            actor=actor,
            action="onestop.proof_withdraw",
            target=proof,
            org=proof.issuing_org,
            changes={"serial": proof.serial, "reason": reason},
        )
    return proof

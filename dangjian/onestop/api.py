"""The API of 智慧服务 (/api/v1/): a member submits a request and lists their own and those they handle;
anyone verifies a proof by its code (public, rate limited). Same services and selectors as the pages;
refusals answer ``{"code", "message", "fields"}`` in Chinese."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.core.models import Organization
from dangjian.kit.access_rules import ALLOWED, access_rule, person, public
from dangjian.kit.errors import NotFound
from dangjian.kit.pagination import Pages
from dangjian.kit.ratelimit import enforce_rate_limit
from dangjian.onestop import selectors, services
from dangjian.onestop.verification import verification_of

router = Router(tags=["onestop"])

ORGANIZERS = {"college_organizer": ALLOWED, "outsider_organizer": ALLOWED, "school_admin": ALLOWED}


class RequestOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    requester_id: int
    requester_name: str
    from_org_id: int
    handling_org_id: int
    handling_org_name: str
    details: dict[str, Any]
    submitted_at: datetime
    due_on: date
    overdue: bool = False
    refusal_reason: str
    satisfaction: int | None
    proof_serial: str | None

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_requester_name(obj: Any) -> str:
        return str(obj.requester.name)

    @staticmethod
    def resolve_handling_org_name(obj: Any) -> str:
        return str(obj.handling_org.name)

    @staticmethod
    def resolve_proof_serial(obj: Any) -> str | None:
        proof = getattr(obj, "proof", None)
        return proof.serial if proof is not None else None


class RequestIn(Schema):
    kind: str = Field(..., min_length=1, max_length=30)
    details: dict[str, Any] = Field(default_factory=dict)
    from_org_id: int | None = None  # a branch's request: the branch it is made for
    organization_id: int | None = None  # the organization addressed; must be the one in the requester's line
    # A client's one-time key: a retried POST answers the request the first one made.
    idempotency_key: str | None = Field(default=None, max_length=64)


class VerificationOut(Schema):
    valid: bool
    serial: str
    kind: str
    kind_label: str
    issuer: str
    issued_on: date
    name: str
    withdrawn_on: date | None


def _org(org_id: int | None, field: str) -> Organization | None:
    if org_id is None:
        return None
    org = Organization.objects.filter(pk=org_id).first()
    if org is None:
        raise NotFound(f"未找到组织 {org_id}。", field=field)
    return org


@access_rule(person())
@router.post("/services/requests", response={201: RequestOut})
def submit_request(request: HttpRequest, payload: RequestIn) -> Any:
    scope = scope_of(request)
    if scope.person_id is None:
        raise Http404
    item = services.request_submit(
        actor=request.user,
        scope=scope,
        kind=payload.kind,
        details=payload.details,
        from_org=_org(payload.from_org_id, "from_org_id"),
        to_org=_org(payload.organization_id, "organization_id"),
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, selectors.get_request_for(scope, item.pk))


@access_rule(person(**ORGANIZERS))
@router.get("/services/requests", response=list[RequestOut])
@paginate(Pages, page_size=50)
def list_requests(request: HttpRequest) -> Any:
    """One's own requests and those addressed to organizations one handles, newest first."""
    scope = scope_of(request)
    if scope.person_id is None and not scope.has(Permission.HANDLE_REQUESTS):
        raise Http404
    return selectors.visible_requests(scope)


@access_rule(public())
@router.get("/proofs/verify/{code}", response=VerificationOut, auth=None)
def verify_proof(request: HttpRequest, code: str) -> Any:
    """Public: whether a proof is valid, its kind, issuer, date and the name partly masked."""
    enforce_rate_limit(request, "proof_verify")
    proof = selectors.proof_by_code(code)
    if proof is None:
        raise NotFound("未找到该证明，请检查验证码。")
    return verification_of(proof)

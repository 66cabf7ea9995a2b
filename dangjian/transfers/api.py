"""Transfers API: list, detail, start, the steps, and the 介绍信 PDF. Same services as the pages.

Every step takes a required ``expected_status``, the ``status`` the client last read: a retry or a
second tap after the step was taken answers 409 ``{"code": "stale"}`` and never performs the next step.
Starting the same transfer again returns the first one (201, the same JSON)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.core.models import Organization, Person
from dangjian.kit.access_rules import access_rule, signed_in, within
from dangjian.kit.pagination import Pages
from dangjian.kit.pdf import pdf_response
from dangjian.transfers import access, pdf, selectors, services
from dangjian.transfers.models import TransferKind, TransferStatus

router = Router(tags=["transfers"])


class TransferOut(Schema):
    id: int
    person_id: int
    person_name: str
    kind: str
    status: str
    status_label: str
    from_org_id: int | None
    to_college_id: int | None
    to_org_id: int | None
    external_org: str
    reason: str
    completed_on: date | None
    letter_ids: list[int]

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.person.name)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_letter_ids(obj: Any) -> list[int]:
        return [letter.pk for letter in obj.letters.all() if letter.voided_at is None]


class StartIn(Schema):
    person_id: int
    kind: str = Field(..., pattern="^(in_school|out_province|out_national)$")
    reason: str = Field(..., min_length=1, max_length=300)
    to_college_id: int | None = None
    external_org: str = Field("", max_length=200)


STATE = Field(..., min_length=1, max_length=20, description="The transfer's status the client last read.")


class StepIn(Schema):
    expected_status: str = STATE


class ReasonIn(StepIn):
    reason: str = Field(..., min_length=1, max_length=300)


class AcceptIn(StepIn):
    branch_id: int


class CompleteIn(StepIn):
    receipt_on: date


@access_rule(signed_in())
@router.get("/transfers", response=list[TransferOut])
@paginate(Pages, page_size=50)
def list_transfers(request: HttpRequest, org: int | None = None, kind: str = "", status: str = "") -> Any:
    """Transfers the user's side may see; ``org`` keeps those from or to that org's subtree."""
    qs = selectors.transfer_list(
        scope_of(request),
        kind=kind if kind in TransferKind.values else "",
        status=status if status in TransferStatus.values else "",
    ).prefetch_related("letters")
    if org is not None:
        path = Organization.objects.filter(pk=org).values_list("path", flat=True).first() or "~"
        qs = qs.filter(from_org__path__startswith=path) | qs.filter(to_org__path__startswith=path)
    return qs


@access_rule(within(Permission.MANAGE_TRANSFERS))
@router.get("/transfers/{transfer_id}", response=TransferOut)
def get_transfer(request: HttpRequest, transfer_id: int) -> Any:
    return selectors.get_transfer_for(scope_of(request), transfer_id)


@access_rule(within(Permission.MANAGE_TRANSFERS))
@router.post("/transfers", response={201: TransferOut})
def start_transfer(request: HttpRequest, payload: StartIn) -> Any:
    scope = scope_of(request)
    person = Person.objects.select_related("membership__organization").filter(pk=payload.person_id).first()
    if person is None or not access.may_start(scope, person):
        raise Http404
    to_college = (
        Organization.objects.filter(pk=payload.to_college_id).first() if payload.to_college_id else None
    )
    transfer = services.transfer_start(
        actor=request.user,
        scope=scope,
        person=person,
        kind=payload.kind,
        reason=payload.reason,
        to_college=to_college,
        external_org=payload.external_org,
    )
    return Status(201, transfer)


@access_rule(within(Permission.MANAGE_TRANSFERS))
@router.post("/transfers/{transfer_id}/approve", response=TransferOut)
def approve(request: HttpRequest, transfer_id: int, payload: StepIn) -> Any:
    """The sending side's next step (branch, then college); one step per request."""
    scope = scope_of(request)
    transfer = selectors.get_transfer_for(scope, transfer_id)
    return services.transfer_approve(
        actor=request.user,
        scope=scope,
        transfer=transfer,
        expected_status=payload.expected_status,
    )


@access_rule(within(Permission.MANAGE_TRANSFERS))
@router.post("/transfers/{transfer_id}/reject", response=TransferOut)
def reject(request: HttpRequest, transfer_id: int, payload: ReasonIn) -> Any:
    scope = scope_of(request)
    transfer = selectors.get_transfer_for(scope, transfer_id)
    return services.transfer_reject(
        actor=request.user,
        scope=scope,
        transfer=transfer,
        reason=payload.reason,
        expected_status=payload.expected_status,
    )


@access_rule(within(Permission.MANAGE_TRANSFERS))
@router.post("/transfers/{transfer_id}/withdraw", response=TransferOut)
def withdraw(request: HttpRequest, transfer_id: int, payload: StepIn) -> Any:
    """The requester withdraws an open transfer."""
    scope = scope_of(request)
    transfer = selectors.get_transfer_for(scope, transfer_id)
    return services.transfer_withdraw(
        actor=request.user, scope=scope, transfer=transfer, expected_status=payload.expected_status
    )


@access_rule(within(Permission.MANAGE_TRANSFERS))
@router.post("/transfers/{transfer_id}/accept", response=TransferOut)
def accept(request: HttpRequest, transfer_id: int, payload: AcceptIn) -> Any:
    scope = scope_of(request)
    transfer = selectors.get_transfer_for(scope, transfer_id)
    branch = Organization.objects.filter(pk=payload.branch_id).first()
    if branch is None:
        raise Http404
    return services.transfer_accept(
        actor=request.user,
        scope=scope,
        transfer=transfer,
        branch=branch,
        expected_status=payload.expected_status,
    )


@access_rule(within(Permission.MANAGE_TRANSFERS))
@router.post("/transfers/{transfer_id}/complete", response=TransferOut)
def complete(request: HttpRequest, transfer_id: int, payload: CompleteIn) -> Any:
    scope = scope_of(request)
    transfer = selectors.get_transfer_for(scope, transfer_id)
    return services.transfer_complete(
        actor=request.user,
        scope=scope,
        transfer=transfer,
        receipt_on=payload.receipt_on,
        expected_status=payload.expected_status,
    )


@access_rule(within(Permission.MANAGE_TRANSFERS))
@router.get("/transfers/{transfer_id}/letter.pdf")
def letter_pdf(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """The transfer's current (not voided) 介绍信 as a PDF; for the sending side."""
    scope = scope_of(request)
    transfer = selectors.get_transfer_for(scope, transfer_id)
    letter = transfer.letters.filter(voided_at__isnull=True).select_related("issuing_org").first()
    if letter is None or not access.may_see_letters(scope, transfer):
        raise Http404
    letter.transfer = transfer
    show_id = access.may_see_id_number(scope, transfer)
    return pdf_response(pdf.render_letter(letter, show_id_number=show_id), f"letter-{letter.serial}.pdf")


@access_rule(within(Permission.MANAGE_TRANSFERS))
@router.post("/transfers/{transfer_id}/receipt-scan", response=TransferOut)
def receipt_scan(
    request: HttpRequest,
    transfer_id: int,
    expected_status: str = Form(..., min_length=1, max_length=20),
    scan: UploadedFile = File(...),  # noqa: B008
) -> Any:
    """Attach the scanned 回执 (PDF or image, at most 10 MB, content checked) to an outgoing transfer;
    the sending college. Multipart: ``scan`` and ``expected_status``."""
    scope = scope_of(request)
    transfer = selectors.get_transfer_for(scope, transfer_id)
    return services.receipt_scan_attach(
        actor=request.user, scope=scope, transfer=transfer, scan=scan, expected_status=expected_status
    )

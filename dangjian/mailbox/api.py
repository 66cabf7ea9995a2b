"""The API of the 书记信箱 (/api/v1/mailbox/letters): a signed-in person writes a letter and lists their
own letters and those they handle. Same services and selectors as the pages; the writer of an anonymous
letter is never named (``presenting.writer_label``); refusals answer ``{"code", "message", "fields"}``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.core.models import Organization
from dangjian.kit.access_rules import ALLOWED, access_rule, person
from dangjian.kit.errors import NotFound
from dangjian.kit.pagination import Pages
from dangjian.mailbox import presenting, selectors, services

router = Router(tags=["mailbox"])

ORGANIZERS = {"college_organizer": ALLOWED, "outsider_organizer": ALLOWED, "school_admin": ALLOWED}


class LetterOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    writer: str
    anonymous: bool
    category: str
    category_label: str
    subject: str
    body: str
    status: str
    status_label: str
    submitted_at: datetime
    due_on: date
    overdue: bool = False
    replied_at: datetime | None
    satisfaction: int | None

    @staticmethod
    def resolve_organization_name(obj: Any) -> str:
        return str(obj.organization.name)

    @staticmethod
    def resolve_writer(obj: Any) -> str:
        return presenting.writer_label(obj)

    @staticmethod
    def resolve_category_label(obj: Any) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class LetterIn(Schema):
    organization_id: int
    category: str = Field(..., max_length=20)
    subject: str = Field(..., max_length=200)
    body: str = Field(..., max_length=5000)
    anonymous: bool = False
    # A client's one-time key: a retried POST answers the letter the first one made.
    idempotency_key: str | None = Field(default=None, max_length=64)


@access_rule(person())
@router.post("/mailbox/letters", response={201: LetterOut})
def mailbox_write(request: HttpRequest, payload: LetterIn) -> Any:
    scope = scope_of(request)
    if scope.person_id is None:
        raise Http404
    org = Organization.objects.filter(pk=payload.organization_id).first()
    if org is None:
        raise NotFound(f"未找到组织 {payload.organization_id}。", field="organization_id")
    letter = services.letter_write(
        actor=request.user,
        scope=scope,
        organization=org,
        subject=payload.subject,
        body=payload.body,
        category=payload.category,
        anonymous=payload.anonymous,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, selectors.get_own_letter(scope, letter.pk))


@access_rule(person(**ORGANIZERS))
@router.get("/mailbox/letters", response=list[LetterOut])
@paginate(Pages, page_size=50)
def mailbox_letters(request: HttpRequest) -> Any:
    """One's own letters and those addressed to organizations one handles, newest first."""
    scope = scope_of(request)
    if scope.person_id is None and not scope.has(Permission.HANDLE_REQUESTS):
        raise Http404
    return selectors.visible_letters(scope)

"""Reads of the 书记信箱, through the scope: the inbox of the letters one handles (filtered, overdue
first), one's own letters, one letter (404 outside), a letter by its tracking code (public), the to-do's
counts. Each list is one query whatever its length."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.mailbox import access
from dangjian.mailbox.models import Letter, Reply
from dangjian.mailbox.rules import WAITING_STATUSES, LetterStatus, normalised_code
from dangjian.mailbox.services import CODE_ALPHABET, CODE_LENGTH


def _with_overdue(qs: QuerySet[Letter]) -> QuerySet[Letter]:
    today = timezone.localdate()
    return qs.annotate(
        overdue=Case(
            When(Q(status__in=WAITING_STATUSES, due_on__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _base() -> QuerySet[Letter]:
    return Letter.objects.select_related("organization", "author")


@dataclass(frozen=True)
class Filters:
    status: str = ""  # "": waiting for a reply; a LetterStatus; "overdue"; "all"


def parse_filters(data: Any) -> Filters:
    status = str(data.get("status", "") or "")
    return Filters(status=status if status in (*LetterStatus.values, "overdue", "all") else "")


def inbox(scope: Scope, filters: Filters = Filters()) -> QuerySet[Letter]:
    """The letters addressed to organizations the scope handles: overdue first, then by deadline."""
    qs = _with_overdue(_base().filter(access.handle_q(scope)))
    if filters.status == "":
        qs = qs.filter(status__in=WAITING_STATUSES)
    elif filters.status == "overdue":
        qs = qs.filter(status__in=WAITING_STATUSES, due_on__lt=timezone.localdate())
    elif filters.status != "all":
        qs = qs.filter(status=filters.status)
    return qs.order_by("-overdue", "due_on", "pk")


def own_letters(scope: Scope) -> QuerySet[Letter]:
    return _with_overdue(_base().filter(access.own_q(scope))).order_by("-submitted_at", "-pk")


def visible_letters(scope: Scope) -> QuerySet[Letter]:
    """One's own letters and those one handles (the API's list), newest first."""
    return _with_overdue(_base().filter(access.own_q(scope) | access.handle_q(scope))).order_by(
        "-submitted_at", "-pk"
    )


def waiting(scope: Scope) -> dict[str, QuerySet[Letter]]:
    """The letters waiting for a reply that one handles ("waiting") and those of them overdue
    ("overdue"), to be counted (the to-dos)."""
    handled = Letter.objects.filter(access.handle_q(scope), status__in=WAITING_STATUSES)
    return {"waiting": handled, "overdue": handled.filter(due_on__lt=timezone.localdate())}


def _replies() -> Prefetch[Any]:
    return Prefetch("replies", queryset=Reply.objects.select_related("organization"))


def _get(qs: QuerySet[Letter], letter_id: Any) -> Letter:
    try:
        return qs.prefetch_related(_replies(), "transfers__from_org", "transfers__to_org").get(
            pk=int(letter_id)
        )
    except (Letter.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def get_letter_to_handle(scope: Scope, letter_id: Any) -> Letter:
    """A letter the scope handles; otherwise 404."""
    return _get(_with_overdue(_base().filter(access.handle_q(scope))), letter_id)


def get_own_letter(scope: Scope, letter_id: Any) -> Letter:
    return _get(_with_overdue(_base().filter(access.own_q(scope))), letter_id)


def get_letter_for(scope: Scope, letter_id: Any) -> Letter:
    """Own or handled; otherwise 404."""
    return _get(_with_overdue(_base().filter(access.own_q(scope) | access.handle_q(scope))), letter_id)


def letter_by_code(code: str) -> Letter | None:
    """The public letter a tracking code names, with its replies; None for an unknown code."""
    code = normalised_code(code)
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return (
        _with_overdue(Letter.objects.select_related("organization"))
        .prefetch_related(_replies())
        .filter(tracking_code=code, author__isnull=True)
        .first()
    )

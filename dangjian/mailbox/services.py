"""Writes of the 书记信箱: a member or a public writer sends a letter; the handlers reply, pass it along
the line (up or down, with a reason) and close it once answered; the writer closes it or rates the
answer (the public writer on the tracking page, with the tracking code); a replied letter the writer
leaves alone closes itself ``mailbox_auto_close_days`` later.

Each service takes the actor and the scope, runs in one transaction, locks the letter, checks the state
the page showed (``expected_status``) and writes one audit event. An anonymous member's own acts (the
letter, its close, its rating) are audited without an actor and without the address (``_writer_audit``):
the audit log is read by the organizers, who must not learn from it who wrote.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.models import User
from dangjian.accounts.recipients import organizers_at, secretary_users, upper_organizers
from dangjian.accounts.scope import Scope
from dangjian.audit.context import RequestContext, current_request
from dangjian.core import crypto
from dangjian.core.models import Organization, Person
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.kit.fields import within_max_length
from dangjian.kit.transitions import expect_state
from dangjian.mailbox import access, lines, rules
from dangjian.mailbox.models import Letter, Reply, Transfer
from dangjian.mailbox.rules import SCORES, Category, ClosedBy, LetterStatus
from dangjian.policy import get_policy
from dangjian.workbench.services import notify

MAX_REASON = 500
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from a note
CODE_LENGTH = 12  # 32^12 ≈ 10^18: not guessed within any rate limit
_MOBILE = re.compile(r"^1\d{10}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _not_found() -> NotFound:
    return NotFound(_("未找到该来信。"))


@contextmanager
def _unattributed() -> Iterator[None]:
    """The audit events recorded inside carry no client address (the request id stays, for operations)."""
    token = current_request.set(RequestContext(ip=None, request_id=current_request.get().request_id))
    try:
        yield
    finally:
        current_request.reset(token)


def _writer_audit(letter: Letter, actor: Any, action: str, changes: dict[str, Any]) -> None:
    """Audit an act of the writer: without who and from where when the letter is anonymous."""
    if letter.anonymous:
        with _unattributed():
            audit.record(actor=None, action=action, target=letter, org=letter.organization, changes=changes)
    else:
        audit.record(actor=actor, action=action, target=letter, org=letter.organization, changes=changes)


# ---------------------------------------------------------------- writing


def _text(value: str, field_name: str, label: str) -> str:
    text = within_max_length(value or "", Letter, field_name, label=label)
    if not text:
        raise RuleViolation(_("请填写%(label)s。") % {"label": label}, field=field_name)
    return text


def _category(value: str) -> str:
    if value not in Category.values:
        raise RuleViolation(_("请选择来信类别。"), field="category")
    return value


def _twin(user_id: int | None, key: str | None) -> Letter | None:
    """The letter this key already made — only the same writer's (another's key is a refusal)."""
    if key is None:
        return None
    found = Letter.objects.filter(idempotency_key=key).first()
    if found is None:
        return None
    if found.written_by_id != user_id:
        raise RuleViolation(_("请刷新页面后重新提交。"), code="foreign_key")
    return found


def _key(value: str | None) -> str | None:
    return (value or "").strip()[:64] or None


def _today_bounds(now: datetime) -> tuple[datetime, datetime]:
    day = timezone.localdate(now)
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def _not_in_line() -> RuleViolation:
    return RuleViolation(
        _("只能写信给本人所在的党支部、院系党组织或学校党委，该组织不在你的隶属关系线上。"),
        code="not_in_line",
        field="organization",
    )


def letter_write(
    *,
    actor: Any,
    scope: Scope,
    organization: Organization | None,
    subject: str,
    body: str,
    category: str,
    anonymous: bool = False,
    idempotency_key: str | None = None,
) -> Letter:
    """A signed-in person writes to an organization of their own line; a member may write anonymously.
    At most ``mailbox_daily_letters`` a day. The same ``idempotency_key`` again answers the first letter."""
    if scope.person_id is None:
        raise RuleViolation(_("你的账号没有关联人员信息，不能写信。"))
    key = _key(idempotency_key)
    twin = _twin(scope.user_id, key)
    if twin is not None:
        return twin
    subject = _text(subject, "subject", _("标题"))
    body = _text(body, "body", _("内容"))
    category = _category(category)
    if organization is None or organization.pk not in {o.pk for o in lines.line_of(scope.person_id)}:
        raise _not_in_line()
    if anonymous and not lines.is_member(scope.person_id):
        raise RuleViolation(_("只有党员可以匿名写信。"), field="anonymous")
    policy = get_policy()
    try:
        with transaction.atomic():
            # The writer's row is the lock: two letters sent at once are counted one after the other.
            Person.objects.select_for_update().filter(pk=scope.person_id).first()
            now = timezone.now()
            start, end = _today_bounds(now)
            written = Letter.objects.filter(
                author_id=scope.person_id, submitted_at__gte=start, submitted_at__lt=end
            ).count()
            if rules.over_daily_cap(written, policy):
                raise RuleViolation(
                    _("每人每天最多写 %(n)s 封信，请明天再写。") % {"n": policy.mailbox_daily_letters},
                    code="daily_cap",
                )
            letter = Letter.objects.create(
                organization=organization,
                author_id=scope.person_id,
                written_by=_actor(actor),
                anonymous=bool(anonymous),
                subject=subject,
                body=body,
                category=category,
                submitted_at=now,
                due_on=rules.due_on(timezone.localdate(now), policy),
                idempotency_key=key,
            )
            _writer_audit(letter, actor, "mailbox.letter_write", _write_changes(letter))
            _tell_handlers(letter, organization)
            return letter
    except IntegrityError:
        twin = _twin(scope.user_id, key)
        if twin is None:
            raise
        return twin  # a concurrent twin committed first


def _write_changes(letter: Letter) -> dict[str, Any]:
    return {"category": letter.category, "due_on": letter.due_on.isoformat()}


def _contact(value: str) -> str:
    text = (value or "").strip().replace(" ", "")
    if not text:
        raise RuleViolation(_("请填写手机号码或电子邮箱，以便接收答复。"), field="contact")
    if _MOBILE.match(text) or _LANDLINE.match(text):
        return text
    try:
        validate_email(text)
    except ValidationError:
        raise RuleViolation(
            _("请填写有效的手机号码、固定电话或电子邮箱，以便接收答复。"), field="contact"
        ) from None
    if len(text) > 254:
        raise RuleViolation(_("联系方式过长。"), field="contact")
    return text


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def letter_write_public(
    *,
    organization: Organization | None,
    name: str,
    contact: str,
    subject: str,
    body: str,
    category: str,
    idempotency_key: str | None = None,
) -> Letter:
    """The public writes to the school (组织部) or a college: a contact is required (the reply must reach
    them), the name optional. The letter carries a tracking code only the writer is shown."""
    key = _key(idempotency_key)
    twin = _twin(None, key)
    if twin is not None:
        return twin
    if organization is None or organization.pk not in {o.pk for o in lines.public_targets()}:
        raise RuleViolation(_("请选择学校党委或一个院系党组织。"), field="organization")
    name = within_max_length(name or "", Letter, "public_name", field="name")
    reach = _contact(contact)
    subject = _text(subject, "subject", _("标题"))
    body = _text(body, "body", _("内容"))
    category = _category(category)
    now = timezone.now()
    try:
        with transaction.atomic():
            letter = Letter.objects.create(
                organization=organization,
                public_name=name,
                contact_encrypted=crypto.encrypt(reach),
                subject=subject,
                body=body,
                category=category,
                submitted_at=now,
                due_on=rules.due_on(timezone.localdate(now), get_policy()),
                tracking_code=new_tracking_code(),
                idempotency_key=key,
            )
            audit.record(
                actor=None,
                action="mailbox.letter_write",
                target=letter,
                org=organization,
                changes={**_write_changes(letter), "public": True},
            )
            _tell_handlers(letter, organization)
            return letter
    except IntegrityError:
        twin = _twin(None, key)
        if twin is None:
            raise
        return twin


# ---------------------------------------------------------------- notices


def handlers_of(org: Organization) -> list[User]:
    """Who hears of a letter to ``org``: its secretary and its own organizers, else the organizers above."""
    people = secretary_users(org) + organizers_at(org)
    return people or upper_organizers(org)


def _tell_handlers(letter: Letter, org: Organization, *, transferred: bool = False) -> None:
    # Nobody is told of their own letter (a secretary's to their branch goes to the organizers above);
    # and the notice never names the writer.
    def others(users: list[User]) -> list[User]:
        return [u for u in users if not (letter.author_id and u.person_id == letter.author_id)]

    users = others(handlers_of(org)) or others(upper_organizers(org))
    link = reverse("mailbox:letter", args=[letter.pk])
    title = (_("转来的书记信箱来信：%(s)s") if transferred else _("书记信箱新来信：%(s)s")) % {
        "s": letter.subject
    }
    body = _("%(org)s 收到一封来信（%(cat)s），请在 %(due)s 前回复。") % {
        "org": org.name,
        "cat": letter.get_category_display(),
        "due": letter.due_on,
    }
    transaction.on_commit(lambda: notify(users, "mailbox", title, body, link))


def _tell_writer(letter: Letter, title: str, body: str) -> None:
    if letter.author_id is None:
        return  # the public writer reads the answer on the tracking page
    users = list(User.objects.filter(person_id=letter.author_id, is_active=True))
    link = reverse("mailbox:own", args=[letter.pk])
    transaction.on_commit(lambda: notify(users, "mailbox", title, body, link))


# ---------------------------------------------------------------- handling


def _locked(letter: Letter) -> Letter:
    return Letter.objects.select_for_update().select_related("organization").get(pk=letter.pk)


def letter_reply(
    *, actor: Any, scope: Scope, letter: Letter, body: str, expected_status: str | None
) -> Reply:
    """回复: the handler answers (待回复/已转办 → 已回复); a further reply may follow while it is open."""
    if not access.may_handle(scope, letter):
        raise _not_found()
    text = within_max_length(body or "", Reply, "body", label=_("回复内容"))
    if not text:
        raise RuleViolation(_("请填写回复内容。"), field="body")
    with transaction.atomic():
        letter = _locked(letter)
        if not access.may_handle(scope, letter):
            raise _not_found()
        expect_state(letter.status, expected_status)
        if letter.status not in rules.REPLIABLE_STATUSES:
            raise RuleViolation(_("该来信已办结，不能再回复。"), code="closed")
        before = letter.status
        now = timezone.now()
        reply = Reply.objects.create(
            letter=letter, author=_actor(actor), organization=letter.organization, body=text, at=now
        )
        letter.status = LetterStatus.REPLIED
        letter.replied_at = now
        letter.save(update_fields=["status", "replied_at"])
        audit.record(
            actor=actor,
            action="mailbox.letter_reply",
            target=letter,
            org=letter.organization,
            changes={"status": [before, LetterStatus.REPLIED], "reply": reply.pk},
        )
        _tell_writer(
            letter,
            _("你的来信已回复：%(s)s") % {"s": letter.subject},
            _("%(org)s 已回复，请查看。") % {"org": letter.organization.name},
        )
    return reply


def transfer_targets(letter: Letter) -> list[Organization]:
    """Where a letter may be passed: the organizations above and below the addressed one (not 党小组)."""
    org = letter.organization
    above = [o for o in lines._with_ancestors(org) if o.pk != org.pk]
    below = Organization.objects.filter(
        path__startswith=org.path, depth__gt=org.depth, kind__in=lines.ADDRESSABLE_KINDS, is_active=True
    ).order_by("path")[:300]
    return [*above, *below]


def letter_transfer(
    *,
    actor: Any,
    scope: Scope,
    letter: Letter,
    to_org: Organization | None,
    reason: str,
    expected_status: str | None,
) -> Letter:
    """转办: pass a letter not yet answered to the organization above or below, with the reason. The new
    organization answers within a fresh deadline from today."""
    if not access.may_handle(scope, letter):
        raise _not_found()
    reason = within_max_length(reason or "", Transfer, "reason", field="reason")
    if not reason:
        raise RuleViolation(_("请填写转办理由。"), field="reason")
    with transaction.atomic():
        letter = _locked(letter)
        if not access.may_handle(scope, letter):
            raise _not_found()
        expect_state(letter.status, expected_status)
        if letter.status not in rules.WAITING_STATUSES:
            raise RuleViolation(_("已回复的来信不能再转办。"), code="replied")
        origin = letter.organization
        if (
            to_org is None
            or not to_org.is_active
            or to_org.kind not in lines.ADDRESSABLE_KINDS
            or not lines.related(origin, to_org)
        ):
            raise RuleViolation(_("只能转给本组织的上级或下级党组织。"), code="not_in_line", field="to_org")
        now = timezone.now()
        before = letter.status
        Transfer.objects.create(
            letter=letter, from_org=origin, to_org=to_org, reason=reason, by=_actor(actor), at=now
        )
        letter.organization = to_org
        letter.status = LetterStatus.TRANSFERRED
        letter.due_on = rules.due_on(timezone.localdate(now), get_policy())
        letter.save(update_fields=["organization", "status", "due_on"])
        audit.record(
            actor=actor,
            action="mailbox.letter_transfer",
            target=letter,
            org=origin,
            changes={
                "organization": [origin.pk, to_org.pk],
                "status": [before, LetterStatus.TRANSFERRED],
                "reason": reason,
            },
        )
        _tell_handlers(letter, to_org, transferred=True)
        _tell_writer(
            letter,
            _("你的来信已转办：%(s)s") % {"s": letter.subject},
            _("已转至 %(org)s 办理。") % {"org": to_org.name},
        )
    return letter


def letter_close(*, actor: Any, scope: Scope, letter: Letter, expected_status: str | None) -> Letter:
    """办结 an answered letter: the writer confirms it, or the handler closes it."""
    as_writer = access.is_writer(scope, letter)
    if not as_writer and not access.may_handle(scope, letter):
        raise _not_found()
    with transaction.atomic():
        letter = _locked(letter)
        expect_state(letter.status, expected_status)
        if letter.status != LetterStatus.REPLIED:
            raise RuleViolation(_("来信回复后才能办结。"), code="not_replied")
        letter.status = LetterStatus.CLOSED
        letter.closed_at = timezone.now()
        letter.closed_how = ClosedBy.WRITER if as_writer else ClosedBy.HANDLER
        letter.save(update_fields=["status", "closed_at", "closed_how"])
        changes = {"status": [LetterStatus.REPLIED, LetterStatus.CLOSED], "closed_how": letter.closed_how}
        if as_writer:
            _writer_audit(letter, actor, "mailbox.letter_close", changes)
        else:
            audit.record(
                actor=actor,
                action="mailbox.letter_close",
                target=letter,
                org=letter.organization,
                changes=changes,
            )
    return letter


def _score(score: Any) -> int:
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if value not in SCORES:
        raise RuleViolation(_("满意度应为 1 至 5 分。"), field="score")
    return value


def _rate_locked(letter: Letter, value: int, expected_status: str | None) -> None:
    """Rate a locked letter: once, after the reply. A second rating is refused, the first one stays."""
    expect_state(letter.status, expected_status)
    if letter.rated_at is not None:
        raise RuleViolation(_("你已评价过这封来信的答复。"), code="already_rated")
    if not rules.may_rate(letter.status, False):
        raise RuleViolation(_("来信回复后才能评价。"), code="not_replied")
    letter.satisfaction = value
    letter.rated_at = timezone.now()
    letter.save(update_fields=["satisfaction", "rated_at"])


def letter_rate(
    *, actor: Any, scope: Scope, letter: Letter, score: int, expected_status: str | None
) -> Letter:
    """满意度: once, by the writer, after the reply (1 to 5)."""
    if not access.is_writer(scope, letter):
        raise _not_found()
    value = _score(score)
    with transaction.atomic():
        letter = _locked(letter)
        _rate_locked(letter, value, expected_status)
        _writer_audit(letter, actor, "mailbox.letter_rate", {"satisfaction": value})
    return letter


# ---------------------------------------------------------------- the public writer (the tracking code)


def _public_writer_audit(letter: Letter, action: str, changes: dict[str, Any]) -> None:
    """An act of the public writer, audited as their letter was (``letter_write_public``): no actor."""
    audit.record(
        actor=None, action=action, target=letter, org=letter.organization, changes={**changes, "public": True}
    )


def letter_public_close(*, letter: Letter, code: str, expected_status: str | None) -> Letter:
    """办结 by the public writer on the tracking page (“问题已解决”): the holder of the tracking code
    confirms an answered letter. A second click finds it closed and is refused; the first close stays."""
    if not access.holds_code(letter, code):
        raise _not_found()
    with transaction.atomic():
        letter = _locked(letter)
        if letter.status == LetterStatus.CLOSED:
            raise RuleViolation(_("该来信已办结，无需重复操作。"), code="already_closed")
        expect_state(letter.status, expected_status)
        if letter.status != LetterStatus.REPLIED:
            raise RuleViolation(_("来信回复后才能办结。"), code="not_replied")
        letter.status = LetterStatus.CLOSED
        letter.closed_at = timezone.now()
        letter.closed_how = ClosedBy.WRITER
        letter.save(update_fields=["status", "closed_at", "closed_how"])
        _public_writer_audit(
            letter,
            "mailbox.letter_close",
            {"status": [LetterStatus.REPLIED, LetterStatus.CLOSED], "closed_how": ClosedBy.WRITER},
        )
    return letter


def letter_public_rate(*, letter: Letter, code: str, score: Any, expected_status: str | None) -> Letter:
    """满意度 by the public writer on the tracking page: the same scale and terms as ``letter_rate``."""
    if not access.holds_code(letter, code):
        raise _not_found()
    value = _score(score)
    with transaction.atomic():
        letter = _locked(letter)
        _rate_locked(letter, value, expected_status)
        _public_writer_audit(letter, "mailbox.letter_rate", {"satisfaction": value})
    return letter


def letters_auto_close(*, today: date | None = None) -> int:
    """Close the replied letters whose writer did nothing for ``mailbox_auto_close_days`` (nightly)."""
    today = today or timezone.localdate()
    policy = get_policy()
    last_reply_before = timezone.make_aware(
        datetime.combine(today - timedelta(days=policy.mailbox_auto_close_days - 1), time.min)
    )
    ids = list(
        Letter.objects.filter(status=LetterStatus.REPLIED, replied_at__lt=last_reply_before)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    closed = 0
    for pk in ids:
        with transaction.atomic():
            letter = Letter.objects.select_for_update().select_related("organization").get(pk=pk)
            if letter.status != LetterStatus.REPLIED or letter.replied_at is None:
                continue
            if rules.closes_itself_on(timezone.localdate(letter.replied_at), policy) > today:
                continue
            letter.status = LetterStatus.CLOSED
            letter.closed_at = timezone.now()
            letter.closed_how = ClosedBy.AUTO
            letter.save(update_fields=["status", "closed_at", "closed_how"])
            audit.record(
                actor=None,
                action="mailbox.letter_close",
                target=letter,
                org=letter.organization,
                changes={"status": [LetterStatus.REPLIED, LetterStatus.CLOSED], "closed_how": ClosedBy.AUTO},
            )
            closed += 1
    return closed

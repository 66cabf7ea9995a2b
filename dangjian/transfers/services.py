"""Writes of the transfers module: start, approve (branch, then college), reject, withdraw, accept (校内),
complete (转出, on the 回执), record an incoming transfer (转入), issue and void letters.

Every step takes the actor's scope and asks ``transfers.access`` (the predicates the pages, the API and the
to-dos ask, read from the state machine in ``transfers.rules``) whether the actor's side takes it, and
refuses with its message: the sending side acts on the sending steps, the receiving side on the receiving
step. (A start is asked of ``access.may_start`` by its page and the API before it gets here.) Each runs in
one transaction, locks the transfer and records an event and an audit entry; both sides are notified.

Every transition takes ``expected_status``, the status the user saw (``core.transitions``): it is
checked right after the row is locked, so a double-click or a retry is refused as stale and never
performs the *next* step. Creations (start, record-in) have a duplicate guard instead: the same request
again returns the first result.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.recipients import secretary_users, upper_organizers
from dangjian.accounts.scope import Scope
from dangjian.core import services as core_services
from dangjian.core.models import ON_ROLL_STANDINGS, Membership, Organization, OrgKind, Person
from dangjian.kit.dates import not_in_future
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.kit.transitions import expect_state
from dangjian.kit.uploads import checked_upload
from dangjian.policy import get_policy
from dangjian.transfers import access, rules
from dangjian.transfers.models import (
    OPEN_STATUSES,
    OUT_KINDS,
    Letter,
    SerialCounter,
    Transfer,
    TransferEvent,
    TransferKind,
    TransferStatus,
)
from dangjian.workbench.services import notify

S = TransferStatus


def college_of(branch: Organization) -> Organization:
    """The org above a branch that approves and issues letters (院系党委/党总支; the root if none)."""
    parent = Organization.objects.filter(path=branch.path[: -branch.steplen]).first()
    return parent or branch


def record_step(transfer: Transfer, actor: Any, action: str, before: str, note: str = "") -> None:
    TransferEvent.objects.create(
        transfer=transfer,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=before,
        to_status=transfer.status,
        note=note,
    )
    audit.record(
        actor=actor,
        action=f"transfer.{action}",
        target=transfer,
        org=transfer.from_org or transfer.to_org,
        changes={"status": {"before": before, "after": transfer.status}, "note": note},
    )


def _notify_sides(transfer: Transfer, title: str) -> None:
    link = reverse("transfers:detail", args=[transfer.pk])
    recipients: list[Any] = []
    for org in (transfer.from_org, transfer.to_org):
        if org is not None:
            recipients += secretary_users(org) + upper_organizers(org)
    from dangjian.accounts.models import RoleAssignment, User

    if transfer.to_college is not None:
        recipients += [
            ra.user
            for ra in RoleAssignment.objects.filter(organization=transfer.to_college).select_related("user")
            if ra.user.is_active
        ]
    recipients += list(User.objects.filter(person_id=transfer.person_id, is_active=True))
    notify(recipients, "transfer", title, "", link)


def _sending(transfer: Transfer) -> Organization:
    """The sending branch; an incoming transfer (转入) has none and no sending-side steps."""
    if transfer.from_org is None:
        raise RuleViolation(_("转入的组织关系没有转出方的审核步骤"))
    return transfer.from_org


def _check(scope: Scope, transfer: Transfer, action: str) -> str:
    """Refuse unless the user's side takes ``action`` on the transfer now (``transfers.access``, read
    from the table of ``transfers.rules``); the status the step leads to (unchanged for a document)."""
    why = access.refusal(scope, transfer, action)
    if why is not None:
        raise RuleViolation(why)
    row = rules.step(transfer.status, transfer.kind, action)
    assert row is not None  # refusal() said the step exists
    return row.to or transfer.status


def _lock(transfer: Transfer) -> Transfer:
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("person", "from_org", "to_org", "to_college")
        .get(pk=transfer.pk)
    )


def transfer_start(
    *,
    actor: Any,
    scope: Scope,
    person: Person,
    kind: str,
    reason: str,
    to_college: Organization | None = None,
    external_org: str = "",
) -> Transfer:
    """Start a transfer of a member on the roll (by the member or the branch).

    The same request again by the same person while the transfer is open (a double submit, a retry)
    returns the open transfer, before any other check but who may ask (``access.may_start``)."""
    if not access.may_start(scope, person):
        raise NotFound(_("该党员不在您的管理范围内"))
    try:
        with transaction.atomic():
            # The member's row serialises starts: a twin request waits here, then finds the first.
            Person.objects.select_for_update().get(pk=person.pk)
            existing = Transfer.objects.filter(person=person, status__in=OPEN_STATUSES).first()
            if existing is not None and _is_replay(
                existing,
                actor=actor,
                kind=kind,
                reason=reason,
                to_college=to_college,
                external_org=external_org,
            ):
                return existing
            _check_start(
                person=person, kind=kind, reason=reason, to_college=to_college, external_org=external_org
            )
            if existing is not None:
                raise RuleViolation(_("%(n)s 已有一项正在办理的组织关系转接") % {"n": person.name})
            membership = Membership.objects.select_related("organization").get(person=person)
            transfer = Transfer.objects.create(
                person=person,
                kind=kind,
                from_org=membership.organization,
                to_college=to_college if kind == TransferKind.IN_SCHOOL else None,
                external_org=external_org.strip(),
                reason=reason.strip(),
                requested_by=actor if getattr(actor, "pk", None) else None,
            )
            record_step(transfer, actor, "start", "", reason)
            _notify_sides(transfer, _("%(n)s 申请组织关系转接，待支部审核") % {"n": person.name})
    except IntegrityError:
        raise RuleViolation(_("%(n)s 已有一项正在办理的组织关系转接") % {"n": person.name}) from None
    return transfer


def _check_start(
    *, person: Person, kind: str, reason: str, to_college: Organization | None, external_org: str
) -> None:
    if kind not in (TransferKind.IN_SCHOOL, *OUT_KINDS):
        raise RuleViolation(_("未知的转接类型"), field="kind")
    if not reason.strip():
        raise RuleViolation(_("请填写转接原因"), field="reason")
    if kind == TransferKind.IN_SCHOOL and (to_college is None or to_college.kind == OrgKind.GROUP):
        raise RuleViolation(_("请选择接收的院系党组织"), field="to_college")
    if kind in OUT_KINDS and not external_org.strip():
        raise RuleViolation(_("请填写接收党组织的全称"), field="external_org")
    membership = Membership.objects.filter(person=person).select_related("organization").first()
    if membership is None or membership.standing not in ON_ROLL_STANDINGS:
        raise RuleViolation(_("%(n)s 不是在册党员") % {"n": person.name})
    if (
        kind == TransferKind.IN_SCHOOL
        and to_college is not None
        and membership.organization.path.startswith(to_college.path)
    ):
        raise RuleViolation(_("接收党组织就是现在所在的党组织"), field="to_college")


def _is_replay(
    transfer: Transfer,
    *,
    actor: Any,
    kind: str,
    reason: str,
    to_college: Organization | None,
    external_org: str,
) -> bool:
    """Whether an open transfer is this very request again (same requester, same answers)."""
    actor_id = getattr(actor, "pk", None)
    return (
        actor_id is not None
        and transfer.requested_by_id == actor_id
        and transfer.kind == kind
        and transfer.reason == reason.strip()
        and transfer.external_org == external_org.strip()
        and transfer.to_college_id
        == (to_college.pk if to_college is not None and kind == TransferKind.IN_SCHOOL else None)
    )


def transfer_approve(
    *,
    actor: Any,
    scope: Scope,
    transfer: Transfer,
    note: str = "",
    expected_status: str | None = None,
) -> Transfer:
    """The sending side's approval: the branch first, then the college (which issues the letter for 转出).
    One step per request: ``expected_status`` is the step the user saw."""
    with transaction.atomic():
        transfer = _lock(transfer)
        expect_state(transfer.status, expected_status)
        before = transfer.status
        _sending(transfer)
        transfer.status = _check(scope, transfer, rules.APPROVE)
        title = (
            _("%(n)s 的组织关系转接已经支部同意，待院系审核")
            if transfer.status == S.BRANCH_APPROVED
            else _("%(n)s 的组织关系转接已经院系同意，待接收")
        )
        transfer.save()
        record_step(transfer, actor, "approve", before, note)
        if transfer.status == S.COLLEGE_APPROVED and transfer.kind in OUT_KINDS:
            letter_issue(actor=actor, transfer=transfer)
        _notify_sides(transfer, title % {"n": transfer.person.name})
    return transfer


def transfer_reject(
    *, actor: Any, scope: Scope, transfer: Transfer, reason: str, expected_status: str | None = None
) -> Transfer:
    """Return the request with a reason, at the step the actor's side owns."""
    with transaction.atomic():
        transfer = _lock(transfer)
        expect_state(transfer.status, expected_status)
        if not reason.strip():
            raise RuleViolation(_("请填写退回原因"), field="reason")
        before = transfer.status
        transfer.status = _check(scope, transfer, rules.REJECT)
        transfer.save()
        for letter in transfer.letters.filter(voided_at__isnull=True):
            _void(letter, actor, _("转接已退回"))
        record_step(transfer, actor, "reject", before, reason)
        _notify_sides(
            transfer, _("%(n)s 的组织关系转接被退回：%(r)s") % {"n": transfer.person.name, "r": reason}
        )
    return transfer


def transfer_withdraw(
    *, actor: Any, scope: Scope, transfer: Transfer, expected_status: str | None = None
) -> Transfer:
    """The requester withdraws before the receiving side has accepted."""
    with transaction.atomic():
        transfer = _lock(transfer)
        expect_state(transfer.status, expected_status)
        before = transfer.status
        transfer.status = _check(scope, transfer, rules.WITHDRAW)
        transfer.save()
        for letter in transfer.letters.filter(voided_at__isnull=True):
            _void(letter, actor, _("转接已撤回"))
        record_step(transfer, actor, "withdraw", before)
    return transfer


def transfer_accept(
    *,
    actor: Any,
    scope: Scope,
    transfer: Transfer,
    branch: Organization,
    on: date | None = None,
    expected_status: str | None = None,
) -> Transfer:
    """校内: the receiving college accepts and assigns a branch; the membership moves at once."""
    with transaction.atomic():
        transfer = _lock(transfer)
        expect_state(transfer.status, expected_status)
        on = on or timezone.localdate()
        not_in_future(on, field="on", label=_("接收日期"))
        before = transfer.status
        after = _check(scope, transfer, rules.ACCEPT)
        assert transfer.to_college is not None  # the receiving side acts, so there is one
        if branch.kind != OrgKind.BRANCH or not branch.path.startswith(transfer.to_college.path):
            raise RuleViolation(_("请选择接收党组织下的党支部"), field="branch")
        core_services.membership_move(
            actor=actor,
            membership=Membership.objects.get(person=transfer.person),
            to_branch=branch,
            on=on,
            reason=_("校内组织关系转接 #%(id)s") % {"id": transfer.pk},
        )
        transfer.to_org, transfer.status, transfer.completed_on = branch, after, on
        transfer.save()
        _end_keep(transfer.person, on)
        record_step(transfer, actor, "accept", before, branch.name)
        _notify_sides(
            transfer, _("%(n)s 的组织关系已转入%(b)s") % {"n": transfer.person.name, "b": branch.name}
        )
    return transfer


def transfer_complete(
    *,
    actor: Any,
    scope: Scope,
    transfer: Transfer,
    receipt_on: date,
    scan: Any = None,
    expected_status: str | None = None,
) -> Transfer:
    """转出: the 回执 came back (or the provincial system confirms): the membership leaves the school.
    A scan of the 回执, when given, goes through the one upload check."""
    with transaction.atomic():
        transfer = _lock(transfer)
        expect_state(transfer.status, expected_status)
        before = transfer.status
        after = _check(scope, transfer, rules.COMPLETE)
        not_in_future(receipt_on, field="receipt_on", label=_("回执返回日期"))
        scan_name = _checked_scan(scan) if scan is not None else ""
        core_services.membership_transfer_out(
            actor=actor,
            membership=Membership.objects.get(person=transfer.person),
            on=receipt_on,
            destination=transfer.external_org,
        )
        transfer.status, transfer.completed_on, transfer.receipt_returned_on = (
            after,
            receipt_on,
            receipt_on,
        )
        _end_keep(transfer.person, receipt_on)
        if scan is not None:
            transfer.receipt_scan.save(scan_name, scan, save=False)
        transfer.save()
        record_step(transfer, actor, "complete", before, receipt_on.isoformat())
        _notify_sides(transfer, _("%(n)s 的组织关系已转出，回执已返回") % {"n": transfer.person.name})
    return transfer


# ---------------------------------------------------------------- letters


def letter_issue(
    *,
    actor: Any,
    transfer: Transfer,
    valid_days: int | None = None,
    on: date | None = None,
    expected_status: str | None = None,
) -> Letter:
    """Issue a 介绍信 with the next serial of the issuing org for the year: locked, so never a gap or twin.
    Called by the college's approval and the graduates' batch (the transfer already locked by them)."""
    from dangjian.dues.selectors import paid_up_to

    policy = get_policy()
    with transaction.atomic():
        transfer = _lock(transfer)
        expect_state(transfer.status, expected_status)
        on = on or timezone.localdate()
        not_in_future(on, field="on", label=_("开具日期"))
        valid_days = valid_days or policy.transfer_letter_valid_days
        if not policy.transfer_letter_min_days <= valid_days <= policy.transfer_letter_max_days:
            raise RuleViolation(
                _("有效期应为 %(a)s 至 %(b)s 天")
                % {"a": policy.transfer_letter_min_days, "b": policy.transfer_letter_max_days},
                field="valid_days",
            )
        issuer = college_of(_sending(transfer))
        if transfer.letters.filter(voided_at__isnull=True).exists():
            raise RuleViolation(_("已有有效的介绍信；请先作废再重开"))
        SerialCounter.objects.get_or_create(organization=issuer, year=on.year)
        counter = SerialCounter.objects.select_for_update().get(organization=issuer, year=on.year)
        counter.last += 1
        counter.save(update_fields=["last"])
        letter = Letter.objects.create(
            transfer=transfer,
            issuing_org=issuer,
            year=on.year,
            number=counter.last,
            serial=f"{issuer.code}-{on.year}-{counter.last:04d}",
            issued_on=on,
            valid_days=valid_days,
            dues_paid_to=paid_up_to(transfer.person),
            issued_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            action="transfer.letter_issue",
            target=letter,
            org=issuer,
            changes={"serial": letter.serial, "valid_days": valid_days, "transfer": transfer.pk},
        )
    return letter


def _void(letter: Letter, actor: Any, reason: str) -> None:
    letter.voided_at, letter.void_reason = timezone.now(), reason[:200]
    letter.save(update_fields=["voided_at", "void_reason"])
    audit.record(
        actor=actor,
        action="transfer.letter_void",
        target=letter,
        org=letter.issuing_org,
        changes={"serial": letter.serial, "reason": reason},
    )


def letter_reissue(
    *,
    actor: Any,
    scope: Scope,
    letter: Letter,
    reason: str,
    valid_days: int | None = None,
    expected_status: str | None = None,
) -> Letter:
    """Void an (expired or wrong) letter and issue a new one: the old serial is never reused.
    ``expected_status`` is the letter's state the page showed (``valid``): a second click is stale."""
    with transaction.atomic():
        # The transfer first, then its letter: the same order as reject and withdraw (no deadlock).
        transfer = _lock(Transfer(pk=letter.transfer_id))
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        letter.transfer = transfer
        expect_state(letter.status, expected_status)
        if not reason.strip():
            raise RuleViolation(_("请填写作废原因"), field="reason")
        if not access.may_reissue(scope, letter):
            raise RuleViolation(str(rules.NOT_NOW[rules.REISSUE_LETTER]))
        _void(letter, actor, reason)
        return letter_issue(actor=actor, transfer=transfer, valid_days=valid_days)


# ---------------------------------------------------------------- 转入 (from outside the school)


def transfer_record_in(
    *,
    actor: Any,
    scope: Scope,
    branch: Organization,
    from_org_name: str,
    letter_serial: str,
    reason: str,
    person_data: dict[str, Any],
    membership_type: str,
    joined_on: date,
    full_on: date | None = None,
) -> Transfer:
    """Record an incoming letter and place the member in a branch: the Person is found by ID number (or
    created), the Membership keeps its original dates. Completed at once; the 回执 is printed from it.

    The same letter recorded again for the same person into the same branch (a double submit, a retry)
    returns the first record, before any other check."""
    from dangjian.core import crypto
    from dangjian.core.idnumbers import normalize_id_number
    from dangjian.core.models import Standing

    if not access.may_place_in(scope, branch):
        raise RuleViolation(_("请选择您管理范围内的党支部"), field="branch")
    today = timezone.localdate()
    with transaction.atomic():
        # One record-in at a time per branch: a twin request waits here and then finds the first one.
        Organization.objects.select_for_update().get(pk=branch.pk)
        number = (person_data.get("id_number") or "").strip()
        person = (
            Person.objects.select_for_update()
            .filter(id_number_index=crypto.blind_index(normalize_id_number(number)))
            .first()
            if number
            else None
        )
        if person is not None:
            first = Transfer.objects.filter(
                person=person,
                kind=TransferKind.IN,
                to_org=branch,
                external_org=from_org_name.strip(),
                external_serial=letter_serial.strip(),
                status=S.COMPLETED,
            ).first()
            if first is not None:
                return first
        if not from_org_name.strip():
            raise RuleViolation(_("请填写转出党组织全称"), field="from_org_name")
        not_in_future(joined_on, field="joined_on", label=_("入党日期"))
        not_in_future(full_on, field="full_on", label=_("转正日期"))
        if full_on is not None and full_on < joined_on:
            raise RuleViolation(_("转正日期不能早于入党日期"), field="full_on")
        membership = Membership.objects.filter(person=person).first() if person else None
        if membership is not None and membership.standing in ON_ROLL_STANDINGS:
            raise RuleViolation(_("%(n)s 已是本校在册党员") % {"n": person.name}, field="id_number")  # type: ignore[union-attr]
        if person is None:
            data = {k: v for k, v in person_data.items() if k != "id_number"}
            person = core_services.person_create(
                actor=actor, id_number=number or None, organization=branch, **data
            )
        if Transfer.objects.filter(person=person, status__in=OPEN_STATUSES).exists():
            raise RuleViolation(_("%(n)s 已有一项正在办理的组织关系转接") % {"n": person.name})
        if membership is None:
            core_services.membership_admit_existing(
                actor=actor,
                person=person,
                organization=branch,
                membership_type=membership_type,
                joined_on=joined_on,
                full_on=full_on,
            )
        else:  # a member who once left the school comes back
            if membership.organization_id != branch.pk:
                core_services.membership_move(
                    actor=actor, membership=membership, to_branch=branch, on=today, reason=reason
                )
            core_services.membership_change_standing(
                actor=actor,
                membership=Membership.objects.get(pk=membership.pk),
                standing=Standing.NORMAL,
                since=today,
            )
        transfer = Transfer.objects.create(
            person=person,
            kind=TransferKind.IN,
            status=S.COMPLETED,
            to_org=branch,
            external_org=from_org_name.strip(),
            external_serial=letter_serial.strip(),
            reason=reason.strip() or _("转入"),
            requested_by=actor if getattr(actor, "pk", None) else None,
            completed_on=today,
        )
        record_step(transfer, actor, "record_in", "", letter_serial)
        _notify_sides(transfer, _("%(n)s 的组织关系已转入%(b)s") % {"n": person.name, "b": branch.name})
    return transfer


# ---------------------------------------------------------------- graduates kept at the school


KEEP_NONE, KEEP_KEPT = "none", "kept"


def keep_state(kept: bool) -> str:
    """A graduate's keep state as a page shows it (``expected_status`` of :func:`graduate_keep`)."""
    return KEEP_KEPT if kept else KEEP_NONE


def graduate_keep(
    *,
    actor: Any,
    scope: Scope,
    person: Person,
    reason: str,
    on: date | None = None,
    expected_status: str | None = None,
) -> Any:
    """A graduate with no destination keeps the membership here until ``graduate_keep_years`` later.
    ``expected_status`` is the keep state the page showed (``none``): a second submit is stale."""
    from dangjian.kit.dates import add_years
    from dangjian.transfers.models import GraduateKeep

    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)
        kept = GraduateKeep.objects.filter(person=person, ended_on__isnull=True).exists()
        expect_state(keep_state(kept), expected_status)
        on = on or timezone.localdate()
        not_in_future(on, field="on", label=_("保留开始日期"))
        membership = Membership.objects.filter(person=person).select_related("organization").first()
        if membership is None or membership.standing not in ON_ROLL_STANDINGS:
            raise RuleViolation(_("%(n)s 不是在册党员") % {"n": person.name})
        if not access.may_keep(scope, membership):
            raise RuleViolation(_("请选择您管理范围内的党员"))
        if kept:
            raise RuleViolation(_("%(n)s 已在保留组织关系") % {"n": person.name})
        keep = GraduateKeep.objects.create(
            person=person,
            branch=membership.organization,
            kept_from=on,
            keep_until=add_years(on, get_policy().graduate_keep_years),
            reason=reason.strip() or _("毕业未落实去向"),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor,
            action="transfer.graduate_keep",
            target=keep,
            org=membership.organization,
            changes={"until": keep.keep_until, "reason": keep.reason},
        )
    return keep


def _end_keep(person: Person, on: date) -> None:
    from dangjian.transfers.models import GraduateKeep

    GraduateKeep.objects.filter(person=person, ended_on__isnull=True).update(ended_on=on)


RECEIPT_SCAN_MAX_BYTES = 10 * 1024 * 1024
RECEIPT_SCAN_TYPES = (".pdf", ".jpg", ".jpeg", ".png")


def _checked_scan(scan: Any) -> str:
    """The 回执 scan through the one upload check (type by extension and content, size, empty, base
    name); its refusal names the form's field ``scan``."""
    try:
        return checked_upload(
            scan,
            extensions=RECEIPT_SCAN_TYPES,
            max_bytes=RECEIPT_SCAN_MAX_BYTES,
            kinds=_("PDF、图片(JPG/PNG)"),
        )
    except RuleViolation as exc:
        raise RuleViolation(exc.message, code=exc.code, field="scan") from None


def receipt_scan_attach(
    *, actor: Any, scope: Scope, transfer: Transfer, scan: Any, expected_status: str | None = None
) -> Transfer:
    """Keep the scanned 回执 of an outgoing transfer (before or after it is completed)."""
    with transaction.atomic():
        transfer = _lock(transfer)
        expect_state(transfer.status, expected_status)
        _check(scope, transfer, rules.ATTACH_RECEIPT)
        name = _checked_scan(scan)
        transfer.receipt_scan.save(name, scan, save=False)
        transfer.save(update_fields=["receipt_scan", "updated_at"])
        audit.record(
            actor=actor,
            action="transfer.receipt_scan",
            target=transfer,
            org=transfer.from_org,
            changes={"file": transfer.receipt_scan.name},
        )
    return transfer

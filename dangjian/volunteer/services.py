"""Writes of 志愿服务: draft, edit, publish, cancel (with a reason, the signed-up told) and finish an
activity; sign up and cancel one's sign-up; check in by the rotating QR code; correct a sign-up's hours
after the end (补录 / 更正, with a reason); 补录 someone who took part without signing up.

Each service takes the actor and the scope, runs in one transaction, locks the activity row it counts
against (``select_for_update``: two sign-ups racing for the last place — one wins, the other hears
"名额已满"), checks the state the page showed (``expected_status``) and writes one audit event with
before and after. A second sign-up or check-in of the same person answers the first and changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.models import User
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.kit.transitions import expect_state
from dangjian.policy import get_policy
from dangjian.volunteer import access, checkin, rules, selectors
from dangjian.volunteer.models import Activity, SignUp
from dangjian.volunteer.rules import ActivityStatus, Audience, CheckinMethod
from dangjian.workbench.services import notify

FIELDS = ("title", "description", "place", "starts_at", "ends_at", "places", "hours", "audience")


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _not_found() -> NotFound:
    return NotFound(_("未找到该志愿服务活动。"))


def _manage(scope: Scope, activity: Activity) -> None:
    if not access.may_manage(scope, activity):
        raise _not_found()


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().select_related("organization").get(pk=activity.pk)


def _active(activity: Activity) -> int:
    return SignUp.objects.filter(activity=activity, cancelled_at__isnull=True).count()


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    title = str(data.get("title") or "").strip()
    place = str(data.get("place") or "").strip()
    starts_at: datetime | None = data.get("starts_at")
    ends_at: datetime | None = data.get("ends_at")
    places = int(data.get("places") or 0)
    hours = Decimal(str(data.get("hours") or "0"))
    audience = str(data.get("audience") or Audience.SUBTREE)
    if starts_at is None:
        raise RuleViolation(_("请填写开始时间。"), field="starts_at")
    if ends_at is None:
        raise RuleViolation(_("请填写结束时间。"), field="ends_at")
    if audience not in Audience.values:
        raise RuleViolation(_("请选择面向范围。"), field="audience")
    rules.check_activity(
        title=title, place=place, starts_at=starts_at, ends_at=ends_at, places=places, hours=hours
    )
    return {
        "title": title,
        "description": str(data.get("description") or "").strip(),
        "place": place,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "places": places,
        "hours": hours,
        "audience": audience,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def activity_create(
    *,
    actor: Any,
    scope: Scope,
    organization: Organization,
    data: dict[str, Any],
    idempotency_key: str | None = None,
) -> Activity:
    """A draft activity of ``organization`` (a branch or a committee the scope organizes). A second
    submission with the same ``idempotency_key`` answers the draft the first one made."""
    key = (idempotency_key or "").strip()[:64] or None
    if key is not None:
        twin = _twin(actor, key)
        if twin is not None:
            return twin
    if not (scope.is_system or access.may_publish_for(scope, organization)):
        raise RuleViolation(_("只能为你负责的党组织发布志愿服务活动。"), field="organization")
    cleaned = _clean(data)
    try:
        with transaction.atomic():
            activity = Activity.objects.create(
                organization=organization, created_by=_actor(actor), idempotency_key=key, **cleaned
            )
            audit.record(
                actor=actor,
                action="volunteer.activity_create",
                target=activity,
                org=organization,
                changes={k: _jsonable(v) for k, v in cleaned.items() if k != "description"},
            )
    except IntegrityError:
        twin = _twin(actor, key) if key is not None else None
        if twin is None:
            raise
        return twin
    return activity


def _twin(actor: Any, key: str) -> Activity | None:
    """The draft this key already made — only the same user's (another's key is a refusal)."""
    found = Activity.objects.filter(idempotency_key=key).first()
    if found is None:
        return None
    if found.created_by_id != getattr(_actor(actor), "pk", None):
        raise RuleViolation(_("请刷新页面后重新提交。"), code="foreign_key")
    return found


def activity_update(
    *, actor: Any, scope: Scope, activity: Activity, data: dict[str, Any], expected_status: str | None
) -> Activity:
    """Edit a draft, or a published activity before it starts; its places never below those taken."""
    _manage(scope, activity)
    cleaned = _clean(data)
    with transaction.atomic():
        activity = _locked(activity)
        expect_state(activity.status, expected_status)
        rules.check_edit(
            status=activity.status,
            now=timezone.now(),
            starts_at=activity.starts_at,
            new_starts_at=cleaned["starts_at"],
            taken=_active(activity),
            places=cleaned["places"],
        )
        changes = {
            k: [_jsonable(getattr(activity, k)), _jsonable(v)]
            for k, v in cleaned.items()
            if getattr(activity, k) != v and k != "description"
        }
        if cleaned["description"] != activity.description:
            changes["description"] = ["…", "…"]
        for key, value in cleaned.items():
            setattr(activity, key, value)
        activity.save(update_fields=list(FIELDS))
        audit.record(
            actor=actor,
            action="volunteer.activity_update",
            target=activity,
            org=activity.organization,
            changes=changes,
        )
    return activity


def activity_publish(
    *, actor: Any, scope: Scope, activity: Activity, expected_status: str | None
) -> Activity:
    """草稿 → 报名中: the audience sees it and may sign up."""
    _manage(scope, activity)
    with transaction.atomic():
        activity = _locked(activity)
        expect_state(activity.status, expected_status)
        now = timezone.now()
        rules.check_publish(status=activity.status, now=now, starts_at=activity.starts_at)
        activity.status = ActivityStatus.PUBLISHED
        activity.published_at = now
        activity.save(update_fields=["status", "published_at"])
        audit.record(
            actor=actor,
            action="volunteer.activity_publish",
            target=activity,
            org=activity.organization,
            changes={"status": [ActivityStatus.DRAFT, ActivityStatus.PUBLISHED]},
        )
    return activity


def _users_of(person_ids: list[int]) -> list[User]:
    return list(User.objects.filter(person_id__in=person_ids, is_active=True))


def activity_cancel(
    *, actor: Any, scope: Scope, activity: Activity, reason: str, expected_status: str | None
) -> Activity:
    """Cancel before the end, with a reason; everyone signed up is told."""
    _manage(scope, activity)
    reason = (reason or "").strip()
    with transaction.atomic():
        activity = _locked(activity)
        expect_state(activity.status, expected_status)
        now = timezone.now()
        rules.check_cancel(status=activity.status, now=now, ends_at=activity.ends_at, reason=reason)
        before = activity.status
        activity.status = ActivityStatus.CANCELLED
        activity.cancelled_at = now
        activity.cancel_reason = reason
        activity.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        audit.record(
            actor=actor,
            action="volunteer.activity_cancel",
            target=activity,
            org=activity.organization,
            changes={"status": [before, ActivityStatus.CANCELLED], "reason": reason},
        )
        signed = list(
            SignUp.objects.filter(activity=activity, cancelled_at__isnull=True).values_list(
                "person_id", flat=True
            )
        )
        if signed:
            users = _users_of(signed)
            link = reverse("volunteer:activity", args=[activity.pk])
            title = _("志愿服务活动已取消：%(t)s") % {"t": activity.title}
            transaction.on_commit(lambda: notify(users, "volunteer", title, reason, link))
    return activity


def activity_finish(*, actor: Any, scope: Scope, activity: Activity, expected_status: str | None) -> Activity:
    """结束并确认时长: after the end, the organizer confirms the hours as they stand (corrections remain
    possible afterwards, each with a reason)."""
    _manage(scope, activity)
    with transaction.atomic():
        activity = _locked(activity)
        expect_state(activity.status, expected_status)
        now = timezone.now()
        rules.check_finish(status=activity.status, now=now, ends_at=activity.ends_at)
        activity.status = ActivityStatus.FINISHED
        activity.finished_at = now
        activity.save(update_fields=["status", "finished_at"])
        credited = SignUp.objects.filter(activity=activity, cancelled_at__isnull=True, hours_granted__gt=0)
        audit.record(
            actor=actor,
            action="volunteer.activity_finish",
            target=activity,
            org=activity.organization,
            changes={
                "status": [ActivityStatus.PUBLISHED, ActivityStatus.FINISHED],
                "credited": credited.count(),
            },
        )
    return activity


# ---------------------------------------------------------------- the member's side


def _person(scope: Scope) -> int:
    if not scope.person_id:
        raise RuleViolation(_("你的账号没有关联党员信息，不能参加志愿服务。"), code="no_person")
    return scope.person_id


def _audience(activity: Activity, home: str) -> None:
    if not home:
        raise RuleViolation(_("只有在册党员可以报名志愿服务活动。"), code="not_member")
    if not access.in_audience(activity, home):
        raise RuleViolation(
            _("该活动仅面向%(org)s的党员。") % {"org": activity.organization.name}, code="not_audience"
        )


def _active_signup(activity: Activity, person_id: int, *, lock: bool = False) -> SignUp | None:
    qs = SignUp.objects.filter(activity=activity, person_id=person_id, cancelled_at__isnull=True)
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def signup_create(*, actor: Any, scope: Scope, activity: Activity, now: datetime | None = None) -> SignUp:
    """报名: a member of the audience, while it is open and places remain. A second click answers the
    sign-up the first made."""
    person_id = _person(scope)
    home = selectors.home_path_of(person_id)
    if not access.may_see(scope, activity, home, signed_up=_active_signup(activity, person_id) is not None):
        raise _not_found()
    _audience(activity, home)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            activity = _locked(activity)
            existing = _active_signup(activity, person_id)
            if existing is not None:
                return existing
            rules.check_signup(
                status=activity.status,
                now=now,
                starts_at=activity.starts_at,
                taken=_active(activity),
                places=activity.places,
                policy=get_policy(),
            )
            signup = SignUp.objects.create(activity=activity, person_id=person_id, signed_at=now)
            audit.record(
                actor=actor,
                action="volunteer.signup_create",
                target=signup,
                org=activity.organization,
                changes={"activity": activity.pk, "person": person_id},
            )
            return signup
    except IntegrityError:  # a concurrent twin of the same person committed first
        existing = _active_signup(activity, person_id)
        if existing is None:
            raise
        return existing


def signup_cancel(*, actor: Any, scope: Scope, activity: Activity, now: datetime | None = None) -> SignUp:
    """取消报名: one's own, before the start and before checking in."""
    person_id = _person(scope)
    now = now or timezone.now()
    with transaction.atomic():
        activity = _locked(activity)
        signup = _active_signup(activity, person_id, lock=True)
        if signup is None:
            raise RuleViolation(_("你没有报名该活动，或已取消报名。"), code="not_signed_up")
        rules.check_cancel_signup(
            now=now, starts_at=activity.starts_at, checked_in=signup.checked_in_at is not None
        )
        signup.cancelled_at = now
        signup.save(update_fields=["cancelled_at"])
        audit.record(
            actor=actor,
            action="volunteer.signup_cancel",
            target=signup,
            org=activity.organization,
            changes={"activity": activity.pk, "person": person_id},
        )
    return signup


def checkin_scan(*, actor: Any, scope: Scope, token: str, now: datetime | None = None) -> tuple[SignUp, bool]:
    """签到 by the rotating code: (the sign-up, whether this scan checked in). The signed-up check in;
    someone of the audience who did not sign up walks in while places remain (the scan signs them up).
    The activity's hours are granted at once; the organizer corrects them after the end."""
    person_id = _person(scope)
    now = now or timezone.now()
    activity_id = checkin.read_token(token, now)
    with transaction.atomic():
        activity = (
            Activity.objects.select_for_update().select_related("organization").filter(pk=activity_id).first()
        )
        if activity is None:
            raise RuleViolation(_("签到码无效，请重新扫描活动现场的二维码。"), code="checkin_invalid")
        rules.check_checkin(status=activity.status, now=now, window=checkin.window(activity))
        signup = _active_signup(activity, person_id, lock=True)
        if signup is not None and signup.checked_in_at is not None:
            return signup, False
        walk_in = signup is None
        if signup is None:
            _audience(activity, selectors.home_path_of(person_id))
            rules.check_walk_in(taken=_active(activity), places=activity.places)
            signup = SignUp.objects.create(activity=activity, person_id=person_id, signed_at=now)
        signup.checked_in_at = now
        signup.checkin_method = CheckinMethod.SCAN
        signup.hours_granted = activity.hours
        signup.save(update_fields=["checked_in_at", "checkin_method", "hours_granted"])
        audit.record(
            actor=actor,
            action="volunteer.checkin",
            target=signup,
            org=activity.organization,
            changes={
                "activity": activity.pk,
                "person": person_id,
                "hours": str(activity.hours),
                "walk_in": walk_in,
            },
        )
    return signup, True


def hours_state(signup: SignUp) -> str:
    """The hours as the correction page shows them (its ``expected_status``)."""
    return "" if signup.hours_granted is None else f"{signup.hours_granted:f}"


def signup_correct(
    *,
    actor: Any,
    scope: Scope,
    signup: SignUp,
    hours: Decimal,
    reason: str,
    expected_hours: str | None = None,
    now: datetime | None = None,
) -> SignUp:
    """补录 / 更正 after the end: the organizer sets a sign-up's hours (0 to the activity's length) with a
    reason. A sign-up credited without a scan is marked 补录. ``expected_hours`` is the value the page
    showed (a stale page is refused)."""
    _manage(scope, signup.activity)
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        activity = _locked(signup.activity)
        signup = SignUp.objects.select_for_update().get(pk=signup.pk)
        if signup.cancelled_at is not None:
            raise RuleViolation(_("该报名已取消，不能登记时长。"), code="cancelled")
        before = signup.hours_granted
        expect_state(hours_state(signup), expected_hours)
        rules.check_correction(
            status=activity.status,
            now=now,
            ends_at=activity.ends_at,
            hours=hours,
            length=rules.length_hours(activity.starts_at, activity.ends_at),
            reason=reason,
        )
        signup.hours_granted = hours
        signup.hours_note = reason
        if signup.checked_in_at is None:
            signup.checkin_method = CheckinMethod.MANUAL if hours > 0 else ""
        signup.save(update_fields=["hours_granted", "hours_note", "checkin_method"])
        audit.record(
            actor=actor,
            action="volunteer.hours_correct",
            target=signup,
            org=activity.organization,
            changes={
                "hours": [None if before is None else str(before), str(hours)],
                "reason": reason,
                "person": signup.person_id,
            },
        )
    signup.activity = activity
    return signup


def already_signed_up_message() -> str:
    return _("该同志已报名本活动，请在报名名单中点“补录/更正”更正其时长。")


def signup_add(
    *,
    actor: Any,
    scope: Scope,
    activity: Activity,
    person_id: int,
    hours: Decimal,
    reason: str,
    now: datetime | None = None,
) -> SignUp:
    """补录 a member who took part without signing up: the organizer records them on a running or
    finished activity with their hours (0 < hours ≤ the activity's length) and a reason, as a sign-up
    marked 补录. The member must be of the activity's audience and within the organizer's scope
    (otherwise not found); one already signed up is refused with a pointer to 更正. Under the
    activity's row lock a second submission finds the first sign-up and is refused, changing nothing
    (the one-active-sign-up constraint backs it up)."""
    _manage(scope, activity)
    if not selectors.addable_people(scope, activity).filter(pk=person_id).exists():
        raise NotFound(_("未找到该党员，或其不在本活动的面向范围内。"))
    now = now or timezone.now()
    reason = (reason or "").strip()
    try:
        with transaction.atomic():
            activity = _locked(activity)
            if _active_signup(activity, person_id) is not None:
                raise RuleViolation(already_signed_up_message(), code="already_signed_up", field="person")
            rules.check_manual_add(
                status=activity.status,
                now=now,
                starts_at=activity.starts_at,
                hours=hours,
                length=rules.length_hours(activity.starts_at, activity.ends_at),
                reason=reason,
            )
            signup = SignUp.objects.create(
                activity=activity,
                person_id=person_id,
                signed_at=now,
                checkin_method=CheckinMethod.MANUAL,
                hours_granted=hours,
                hours_note=reason,
            )
            audit.record(
                actor=actor,
                action="volunteer.signup_add",
                target=signup,
                org=activity.organization,
                changes={"activity": activity.pk, "person": person_id, "hours": str(hours), "reason": reason},
            )
    except IntegrityError:  # a concurrent twin committed first
        raise RuleViolation(already_signed_up_message(), code="already_signed_up", field="person") from None
    return signup

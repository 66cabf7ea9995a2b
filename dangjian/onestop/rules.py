"""The catalogue of 智慧服务 (一网通办) and its pure rules: who asks whom for what, the handling deadline,
the states, and how a name is masked on the public verification page.

Each kind of request names who asks (a member, or a branch through its secretary), which organization
handles it (the member's branch, the college above the branch, the member's Party committee) and which
setting of ``dangjian.policy`` gives its deadline in working days [local practice; ../shared/DOMAIN.md §11].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.kit.workdays import workdays_after
from dangjian.policy import Policy


class RequestKind(models.TextChoices):
    LONG_LEAVE = "long_leave", _("长期请假（组织生活）")
    FLOWING = "flowing", _("流动党员登记")
    FUNDS = "funds", _("活动经费")
    VENUE = "venue", _("场地")
    SPEAKER = "speaker", _("主讲人")
    PROOF_MEMBERSHIP = "proof_membership", _("党员身份证明")
    PROOF_PARTY_AGE = "proof_party_age", _("党龄证明")
    PROOF_RELATION = "proof_relation", _("组织关系所在证明")


class Asker(models.TextChoices):
    MEMBER = "member", _("党员")
    BRANCH = "branch", _("党支部")


class Handler(models.TextChoices):
    BRANCH = "branch", _("所在党支部")
    COLLEGE = "college", _("上级党委")
    COMMITTEE = "committee", _("所在党委")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    HANDLING = "handling", _("办理中")
    DONE = "done", _("已办结")
    REFUSED = "refused", _("未予办理")


OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.HANDLING)
CLOSED_STATUSES = (RequestStatus.DONE, RequestStatus.REFUSED)


@dataclass(frozen=True)
class Entry:
    kind: RequestKind
    asker: Asker
    handler: Handler
    deadline_setting: str  # the field of dangjian.policy.Policy with the working days


CATALOGUE: dict[str, Entry] = {
    e.kind.value: e
    for e in (
        Entry(RequestKind.LONG_LEAVE, Asker.MEMBER, Handler.BRANCH, "service_member_request_workdays"),
        Entry(RequestKind.FLOWING, Asker.MEMBER, Handler.BRANCH, "service_member_request_workdays"),
        Entry(RequestKind.FUNDS, Asker.BRANCH, Handler.COLLEGE, "service_branch_request_workdays"),
        Entry(RequestKind.VENUE, Asker.BRANCH, Handler.COLLEGE, "service_branch_request_workdays"),
        Entry(RequestKind.SPEAKER, Asker.BRANCH, Handler.COLLEGE, "service_branch_request_workdays"),
        Entry(RequestKind.PROOF_MEMBERSHIP, Asker.MEMBER, Handler.COMMITTEE, "service_proof_workdays"),
        Entry(RequestKind.PROOF_PARTY_AGE, Asker.MEMBER, Handler.COMMITTEE, "service_proof_workdays"),
        Entry(RequestKind.PROOF_RELATION, Asker.MEMBER, Handler.COMMITTEE, "service_proof_workdays"),
    )
}

PROOF_KINDS = frozenset(
    {RequestKind.PROOF_MEMBERSHIP, RequestKind.PROOF_PARTY_AGE, RequestKind.PROOF_RELATION}
)


def entry(kind: str) -> Entry | None:
    return CATALOGUE.get(kind)


def kinds_for(asker: Asker) -> list[Entry]:
    return [e for e in CATALOGUE.values() if e.asker == asker]


def is_proof(kind: str) -> bool:
    return kind in PROOF_KINDS


def add_workdays(start: date, days: int) -> date:
    """``days`` working days after ``start``: the State Council's holidays and make-up workdays count as
    they are (``kit.workdays``); for a year the calendar package does not cover yet, Monday to Friday."""
    return workdays_after(start, days)[0]


def due_on(kind: str, submitted_on: date, policy: Policy) -> date:
    found = CATALOGUE[kind]
    return add_workdays(submitted_on, int(getattr(policy, found.deadline_setting)))


def is_overdue(status: str, due: date, today: date) -> bool:
    return status in OPEN_STATUSES and due < today


def may_rate(status: str, already_rated: bool) -> bool:
    return status in CLOSED_STATUSES and not already_rated


def mask_name(name: str) -> str:
    """王建国 → 王*国, 李红 → 李*, 欧阳小明 → 欧**明: the first and (from three characters) the last
    character shown, the rest starred, so a verifier can match a name they hold without reading it."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]

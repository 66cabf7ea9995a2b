"""The timing rules and vote checks of 发展党员 (../shared/DOMAIN.md §3), each a pure function.

Every check returns a ``Check``: whether it passes, a stable code for the API, a Chinese message a person can
act on, and the date something is due by where one applies. The numbers come from ``dangjian.policy``.

``CHECKS`` (at the end) is the table the services use: a step definition names its check (``rule``), and
the entry says what the check reads and whether a failing check **blocks** the step (refused with the
rule's code and message) or only **warns** (the step is recorded and keeps the message). The defaults
are the modes the 25 steps were loaded with (migration 0002, when they were a column). A school changes
them in the settings, e.g. ``RECRUITMENT_CHECK_MODES = {"approval": "block", "talk": "block"}``
(check name → ``"block"`` or ``"warn"``; unknown names and values are refused). Whatever the setting, a
failed vote and a step recorded before the one it follows always block (``ALWAYS_BLOCK``), and the age
rule is checked when a case opens and always blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from dangjian.kit.dates import add_months, add_years, not_in_future, whole_years_between
from dangjian.kit.errors import RuleViolation
from dangjian.kit.workdays import WorkdayCalendar, add_working_days, working_days_between
from dangjian.policy import Policy, get_policy


@dataclass(frozen=True)
class Check:
    ok: bool
    code: str
    message: str = ""
    due: date | None = None
    note: str = ""  # e.g. that the working days fell back to Monday–Friday


def _p(policy: Policy | None) -> Policy:
    return policy or get_policy()


def _age_on(birth: date, on: date, policy: Policy | None = None) -> int:
    return whole_years_between(birth, on, policy)


def application_age(birth: date, applied_on: date, policy: Policy | None = None) -> Check:
    """§3.1: at least 18 on the day of the written application (birth date from the ID number)."""
    minimum = _p(policy).min_application_age
    if _age_on(birth, applied_on, policy) >= minimum:
        return Check(True, "age")
    return Check(
        False,
        "age",
        _("申请入党时须年满 %(n)s 岁(%(d)s 满 %(n)s 岁)")
        % {"n": minimum, "d": add_years(birth, minimum, policy).isoformat()},
    )


def talk_due(applied_on: date, policy: Policy | None = None) -> date:
    return add_months(applied_on, _p(policy).recruit_talk_within_months)


def talk(applied_on: date, talked_on: date | None, today: date, policy: Policy | None = None) -> Check:
    """§3.2: the branch talks with the applicant within 1 month of receiving the application."""
    due = talk_due(applied_on, policy)
    if talked_on is not None and talked_on < applied_on:
        return Check(False, "talk", _("谈话日期不能早于申请日期"), due)
    if (talked_on or today) <= due:
        return Check(True, "talk", due=due)
    return Check(False, "talk", _("应在收到申请后一个月内(%(d)s 前)派人谈话") % {"d": due.isoformat()}, due)


def evaluation_due(since: date, policy: Policy | None = None) -> date:
    """§3.5: the next half-yearly evaluation after the last one (or after becoming an activist)."""
    return add_months(since, _p(policy).recruit_evaluation_months)


def activist_duration(activist_on: date, candidate_on: date, policy: Policy | None = None) -> Check:
    """§3.6: at least 1 year as activist before becoming a development target (time keeps counting
    across a move between branches: the date is the case's, not the branch's)."""
    due = add_years(activist_on, _p(policy).recruit_activist_min_years, policy)
    if candidate_on >= due:
        return Check(True, "activist_year", due=due)
    return Check(
        False, "activist_year", _("培养考察满一年(%(d)s)后方可列为发展对象") % {"d": due.isoformat()}, due
    )


def publicity(
    start: date, end: date, calendar: WorkdayCalendar | None = None, policy: Policy | None = None
) -> Check:
    """§3.6: 公示 of at least 5 working days (holidays and make-up workdays counted)."""
    needed = _p(policy).recruit_publicity_min_workdays
    if end < start:
        return Check(False, "publicity", _("公示结束日期不能早于开始日期"))
    days, fallback = working_days_between(start, end, calendar)
    earliest, _fb = add_working_days(start, needed, calendar)
    note = _("该年度的法定节假日尚未收录，按周一至周五计算；请管理员补录当年节假日。") if fallback else ""
    if days >= needed:
        return Check(True, "publicity", due=earliest, note=note)
    return Check(
        False,
        "publicity",
        _("公示仅 %(n)s 个工作日，不少于 %(m)s 个工作日(最早 %(d)s 结束)")
        % {"n": days, "m": needed, "d": earliest.isoformat()},
        earliest,
        note,
    )


def contacts(count: int, all_full_members: bool, policy: Policy | None = None) -> Check:
    """§3.4: 1–2 full members as 培养联系人."""
    p = _p(policy)
    if not p.recruit_contacts_min <= count <= p.recruit_contacts_max:
        return Check(
            False,
            "contacts",
            _("培养联系人应为 %(a)s 至 %(b)s 名")
            % {"a": p.recruit_contacts_min, "b": p.recruit_contacts_max},
        )
    if not all_full_members:
        return Check(False, "contacts", _("培养联系人须是正式党员"))
    return Check(True, "contacts")


def introducers(
    count: int, all_full_members: bool, any_sanctioned: bool, policy: Policy | None = None
) -> Check:
    """§3.7: exactly two 入党介绍人, full members, not under discipline or sanction."""
    needed = _p(policy).recruit_introducers
    if count != needed:
        return Check(False, "introducers", _("入党介绍人应为 %(n)s 名") % {"n": needed})
    if not all_full_members:
        return Check(False, "introducers", _("入党介绍人须是正式党员"))
    if any_sanctioned:
        return Check(False, "introducers", _("正在受党纪处分的党员不能担任入党介绍人"))
    return Check(True, "introducers")


def training(days: float, hours: float, policy: Policy | None = None) -> Check:
    """§3.9: short-term centralized training of at least 3 days or 24 class hours."""
    p = _p(policy)
    if days >= p.recruit_training_min_days or hours >= p.recruit_training_min_hours:
        return Check(True, "training")
    return Check(
        False,
        "training",
        _("集中培训不少于 %(d)s 天或 %(h)s 学时(现为 %(x)s 天、%(y)s 学时)")
        % {"d": p.recruit_training_min_days, "h": p.recruit_training_min_hours, "x": days, "y": hours},
    )


def not_leaving(prereview_on: date, leaving_on: date | None, policy: Policy | None = None) -> Check:
    """§3.10: do not proceed with a candidate who will leave (graduate, move) within 3 months."""
    if leaving_on is None:
        return Check(True, "leaving")
    limit = add_months(prereview_on, _p(policy).recruit_leaving_block_months)
    if leaving_on > limit:
        return Check(True, "leaving")
    return Check(
        False, "leaving", _("发展对象将在三个月内(%(d)s)离开，不宜继续发展") % {"d": leaving_on.isoformat()}
    )


def branch_meeting(prereview_on: date, meeting_on: date, policy: Policy | None = None) -> Check:
    """§3.11: the branch general meeting within 1 month of the pre-review."""
    due = add_months(prereview_on, _p(policy).recruit_meeting_within_months)
    if meeting_on < prereview_on:
        return Check(False, "meeting", _("支部大会不能早于上级党委预审"), due)
    if meeting_on <= due:
        return Check(True, "meeting", due=due)
    return Check(
        False, "meeting", _("预审通过后一个月内(%(d)s 前)召开支部大会讨论接收") % {"d": due.isoformat()}, due
    )


def approval(
    meeting_on: date, approved_on: date, *, special: bool = False, policy: Policy | None = None
) -> Check:
    """§3.12: the upper committee approves within 3 months of the branch resolution (6 if special)."""
    p = _p(policy)
    due = add_months(
        meeting_on, p.recruit_approval_special_months if special else p.recruit_approval_within_months
    )
    if approved_on < meeting_on:
        return Check(False, "approval", _("审批日期不能早于支部大会"), due)
    if approved_on <= due:
        return Check(True, "approval", due=due)
    return Check(
        False, "approval", _("应在支部大会决议后三个月内(%(d)s 前)审批") % {"d": due.isoformat()}, due
    )


def oath(approved_on: date, oath_on: date, policy: Policy | None = None) -> Check:
    """§3.13: the oath within 1 month of approval."""
    due = add_months(approved_on, _p(policy).recruit_oath_within_months)
    if approved_on <= oath_on <= due:
        return Check(True, "oath", due=due)
    return Check(False, "oath", _("应在批准后一个月内(%(d)s 前)进行入党宣誓") % {"d": due.isoformat()}, due)


def probation_end(meeting_on: date, extension_months: int = 0, policy: Policy | None = None) -> date:
    """§3.14: one year from the branch meeting's approval, plus an extension if one was decided."""
    return add_months(add_years(meeting_on, _p(policy).recruit_probation_years, policy), extension_months)


def extension(months: int, already_extended: bool, policy: Policy | None = None) -> Check:
    """§3.14: probation may be extended once, by 6 to 12 months."""
    p = _p(policy)
    if already_extended:
        return Check(False, "extension", _("预备期只能延长一次"))
    if not p.recruit_extension_min_months <= months <= p.recruit_extension_max_months:
        return Check(
            False,
            "extension",
            _("延长预备期为 %(a)s 至 %(b)s 个月")
            % {"a": p.recruit_extension_min_months, "b": p.recruit_extension_max_months},
        )
    return Check(True, "extension")


@dataclass(frozen=True)
class VoteResult:
    valid: bool
    quorum: bool
    passed: bool
    message: str


def vote(entitled: int, present: int, yes: int, no: int, abstain: int) -> VoteResult:
    """§3.11/§3.15: one candidate; quorum when more than half of the members with voting rights are
    present; passed with yes votes from more than half of those who should attend (the entitled)."""
    if min(entitled, present, yes, no, abstain) < 0:
        return VoteResult(False, False, False, _("人数不能为负数"))
    if entitled == 0:
        return VoteResult(False, False, False, _("应到会有表决权的党员人数不能为零"))
    if present > entitled:
        return VoteResult(
            False, False, False, _("实到人数(%(p)s)不能多于应到人数(%(e)s)") % {"p": present, "e": entitled}
        )
    if yes + no + abstain != present:
        return VoteResult(
            False,
            False,
            False,
            _("赞成、反对、弃权合计(%(s)s)应等于实到人数(%(p)s)") % {"s": yes + no + abstain, "p": present},
        )
    quorum = present * 2 > entitled
    if not quorum:
        return VoteResult(True, False, False, _("到会有表决权的党员未超过应到人数的半数，会议无效"))
    passed = yes * 2 > entitled
    if passed:
        return VoteResult(True, True, True, _("赞成票超过应到会有表决权党员的半数，通过"))
    return VoteResult(True, True, False, _("赞成票未超过应到会有表决权党员的半数，未通过"))


# ---------------------------------------------------------------- the checks of a step, by rule name


def _no_entered_holidays(first_year: int, last_year: int) -> WorkdayCalendar:
    return WorkdayCalendar()


@dataclass(frozen=True)
class StepFacts:
    """What a step's check reads, gathered by the service that records the step."""

    applied_on: date
    done_on: date
    today: date
    data: Mapping[str, Any]  # the step's form or API data (votes, names, dates as ISO strings …)
    after_on: date | None = None  # the latest date of the step the check follows (``StepCheck.after``)
    # The holidays entered for the years from the first to the last (``workdays.stored_calendar``).
    holidays: Callable[[int, int], WorkdayCalendar] = _no_entered_holidays


Mode = Literal["block", "warn"]
BLOCK: Mode = "block"
WARN: Mode = "warn"


@dataclass(frozen=True)
class StepCheck:
    run: Callable[[StepFacts], list[Check]]
    mode: Mode  # the default: whether a failing check blocks the step or only warns
    after: str = ""  # the code of the earlier step whose date the check compares with
    reads: tuple[str, ...] = ()  # the keys of the step's data it reads (the form's extra fields)


def _date(data: Mapping[str, Any], key: str) -> date | None:
    try:
        return date.fromisoformat(str(data[key])) if data.get(key) else None
    except ValueError:
        return None


# Not a regulation but a sanity bound on input: 公示 lasts 5 working days (§3.6), which even across the
# Spring Festival or National Day holidays is under three weeks; 60 calendar days leaves room for any
# real 公示 while a mistyped end (e.g. 9999-12-31) is refused before any working day is counted.
PUBLICITY_MAX_DAYS = 60


def publicity_period(start: date, end: date, today: date) -> None:
    """Dates no 公示 check can work with (ending before it starts, months later, in the future) are
    refused whatever the mode."""
    if end < start:
        raise RuleViolation(_("公示结束日期不能早于开始日期"), code="rule_publicity", field="publicity_end")
    if (end - start).days > PUBLICITY_MAX_DAYS:
        raise RuleViolation(
            _("公示结束日期不能晚于开始日期后 %(n)s 天，请核对日期") % {"n": PUBLICITY_MAX_DAYS},
            code="rule_publicity",
            field="publicity_end",
        )
    not_in_future(start, field="publicity_start", label=_("公示开始日期"), today=today)
    not_in_future(end, field="publicity_end", label=_("公示结束日期"), today=today)


VOTE_FIELDS = ("entitled", "present", "yes", "no", "abstain")


def vote_check(data: Mapping[str, Any]) -> Check:
    """§3.11/§3.15: the branch meeting's vote from the step's data, as a check."""
    try:
        result = vote(*(int(data[k]) for k in VOTE_FIELDS))
    except (KeyError, TypeError, ValueError):
        return Check(False, "vote", _("请填写应到、实到、赞成、反对、弃权人数"))
    if not result.valid or not result.quorum or not result.passed:
        return Check(False, "vote", result.message)
    return Check(True, "vote", result.message)


def _talk_step(f: StepFacts) -> list[Check]:
    return [talk(f.applied_on, f.done_on, f.today)]


def _contacts_step(f: StepFacts) -> list[Check]:
    return [contacts(len(f.data.get("contacts") or []), bool(f.data.get("all_full", True)))]


def _activist_year_step(f: StepFacts) -> list[Check]:
    if f.after_on is None:
        return [Check(False, "order", _("尚未确定为入党积极分子"))]
    return [activist_duration(f.after_on, f.done_on)]


def _publicity_step(f: StepFacts) -> list[Check]:
    start, end = _date(f.data, "publicity_start"), _date(f.data, "publicity_end")
    if not (start and end):
        return [Check(False, "publicity", _("请填写公示起止日期"))]
    publicity_period(start, end, f.today)
    return [publicity(start, end, f.holidays(start.year, end.year + 1))]


def _introducers_step(f: StepFacts) -> list[Check]:
    names, data = f.data.get("introducers") or [], f.data
    return [introducers(len(names), bool(data.get("all_full", True)), bool(data.get("any_sanctioned")))]


def _training_step(f: StepFacts) -> list[Check]:
    return [training(float(f.data.get("days") or 0), float(f.data.get("hours") or 0))]


def _leaving_step(f: StepFacts) -> list[Check]:
    return [not_leaving(f.done_on, _date(f.data, "leaving_on"))]


def _meeting_step(f: StepFacts) -> list[Check]:
    if f.after_on is None:
        timing = Check(False, "order", _("尚未经上级党委预审"))
    else:
        timing = branch_meeting(f.after_on, f.done_on)
    return [timing, vote_check(f.data)]


def _approval_step(f: StepFacts) -> list[Check]:
    if f.after_on is None:
        return [Check(False, "order", _("支部大会尚未讨论"))]
    return [approval(f.after_on, f.done_on, special=bool(f.data.get("special")))]


def _oath_step(f: StepFacts) -> list[Check]:
    if f.after_on is None:
        return [Check(False, "order", _("尚未审批"))]
    return [oath(f.after_on, f.done_on)]


def _full_meeting_step(f: StepFacts) -> list[Check]:
    return [vote_check(f.data)]


# The check named by each step definition's ``rule`` (migration 0002 names them on the 25 steps). Steps
# that name no check here (e.g. 24 “上级党委审批转正”, "full_approval") are recorded without one.
CHECKS: dict[str, StepCheck] = {
    "talk": StepCheck(_talk_step, WARN),  # step 2: a late talk is a fact to flag
    "contacts": StepCheck(_contacts_step, BLOCK, reads=("contacts",)),  # 5
    "activist_year": StepCheck(_activist_year_step, BLOCK, after="activist"),  # 7
    "publicity": StepCheck(_publicity_step, BLOCK, reads=("publicity_start", "publicity_end")),  # 8
    "introducers": StepCheck(_introducers_step, BLOCK, reads=("introducers",)),  # 9
    "training": StepCheck(_training_step, BLOCK, reads=("days", "hours")),  # 11
    "leaving": StepCheck(_leaving_step, BLOCK, reads=("leaving_on",)),  # 13
    "meeting": StepCheck(_meeting_step, BLOCK, after="prereview", reads=VOTE_FIELDS),  # 15
    "approval": StepCheck(_approval_step, WARN, after="branch_meeting", reads=("special",)),  # 17
    "oath": StepCheck(_oath_step, WARN, after="approval"),  # 20
    "full_meeting": StepCheck(_full_meeting_step, BLOCK, reads=VOTE_FIELDS),  # 23
}

# A failed vote, or a step recorded before the one it follows, is never only a warning.
ALWAYS_BLOCK = frozenset({"vote", "order"})


def check_modes() -> dict[str, Mode]:
    """Every check's mode: the defaults in ``CHECKS``, overridden by ``settings.RECRUITMENT_CHECK_MODES``."""
    overrides = dict(getattr(settings, "RECRUITMENT_CHECK_MODES", {}) or {})
    unknown = set(overrides) - set(CHECKS)
    if unknown:
        raise ImproperlyConfigured(
            f"RECRUITMENT_CHECK_MODES 中有未知的检查: {', '.join(sorted(unknown))}"
            f"(可用: {', '.join(sorted(CHECKS))})"
        )
    wrong = sorted(name for name, mode in overrides.items() if mode not in (BLOCK, WARN))
    if wrong:
        raise ImproperlyConfigured(f"RECRUITMENT_CHECK_MODES 的 {', '.join(wrong)} 只能是 block 或 warn")
    return {name: overrides.get(name, check.mode) for name, check in CHECKS.items()}


def refusing(name: str, checks: Iterable[Check]) -> list[Check]:
    """The failing checks of the step's check ``name`` that refuse the step: all of them when it blocks,
    otherwise only the ``ALWAYS_BLOCK`` ones (the rest are kept on the record as warnings)."""
    blocks = check_modes().get(name) == BLOCK
    return [c for c in checks if not c.ok and (blocks or c.code in ALWAYS_BLOCK)]

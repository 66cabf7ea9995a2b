"""Every regulation number the platform uses, in one place, with its source.

Sources (see ../shared/DOMAIN.md):
- 支部条例: 《中国共产党支部工作条例(试行)》(2018)
- 基层选举条例: 《中国共产党基层组织选举工作条例》(2020)
- [local practice]: common practice that each school or province sets; a setting with this default.

A school overrides any value with the ``DANGJIAN_POLICY`` setting (a dict, or JSON in the environment
variable of the same name), e.g. ``DANGJIAN_POLICY='{"branch_max_members": 45}'``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class DuesRuleSet:
    """One version of the dues table, in force from ``effective_from`` until the next version."""

    code: str
    effective_from: date
    # (upper bound inclusive or None for "above", rate) on the whole base, not progressive.
    employee: tuple[tuple[Decimal | None, Decimal], ...]
    retiree: tuple[tuple[Decimal | None, Decimal], ...]
    # Fixed monthly amounts by category (学生、下岗失业、享受最低生活保障的党员…).
    fixed: tuple[tuple[str, Decimal], ...]
    # 农民党员: the branch sets an amount within this range.
    farmer_min: Decimal
    farmer_max: Decimal


# 中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》(2008); ../shared/DOMAIN.md §4.
DUES_2008 = DuesRuleSet(
    code="2008",
    effective_from=date(2008, 4, 1),
    employee=(
        (Decimal("3000"), Decimal("0.005")),
        (Decimal("5000"), Decimal("0.01")),
        (Decimal("10000"), Decimal("0.015")),
        (None, Decimal("0.02")),
    ),
    retiree=((Decimal("5000"), Decimal("0.005")), (None, Decimal("0.01"))),
    fixed=(("student", Decimal("0.20")), ("unemployed", Decimal("0.20")), ("relief", Decimal("0.20"))),
    farmer_min=Decimal("0.20"),
    farmer_max=Decimal("1.00"),
)


def _dues_rule_set(raw: Any) -> DuesRuleSet:
    """A rule set from JSON (DANGJIAN_POLICY): numbers as strings, bounds null for "above"."""
    if isinstance(raw, DuesRuleSet):
        return raw

    def table(rows: Any) -> tuple[tuple[Decimal | None, Decimal], ...]:
        return tuple((None if u is None else Decimal(str(u)), Decimal(str(r))) for u, r in rows)

    return DuesRuleSet(
        code=str(raw["code"]),
        effective_from=date.fromisoformat(raw["effective_from"]),
        employee=table(raw["employee"]),
        retiree=table(raw["retiree"]),
        fixed=tuple((str(k), Decimal(str(v))) for k, v in dict(raw["fixed"]).items()),
        farmer_min=Decimal(str(raw["farmer_min"])),
        farmer_max=Decimal(str(raw["farmer_max"])),
    )


@dataclass(frozen=True)
class Policy:
    # 支部条例 第五条: 有正式党员3人以上的, 应当成立党支部.
    branch_min_full_members: int = 3
    # 支部条例 第八条: 正式党员7人以上的党支部, 设立支部委员会.
    branch_committee_threshold_full_members: int = 7
    # 支部条例 第五条: 党支部党员人数一般不超过50人.
    branch_max_members: int = 50
    # 支部条例 第八条: 支部委员会由3至5人组成, 一般不超过7人.
    committee_min_size: int = 3
    committee_normal_max_size: int = 5
    committee_max_size: int = 7
    # 基层选举条例 第七条: 党的基层委员会每届任期5年, 党总支、党支部每届任期3年.
    term_years_committee: int = 5
    term_years_general_branch: int = 3
    term_years_branch: int = 3
    # [local practice] remind 6 and 3 months before a term expires.
    term_reminder_months: tuple[int, ...] = (6, 3)
    # 基层选举条例 第七条: 任期届满应按期换届; 确需延期的经上级党组织批准, 延期一般不超过1年. A term
    # overdue by more than this is a serious warning (overdue within it: a warning).
    term_extension_max_months: int = 12
    # 支部条例 第九条: 党支部书记一般应具有1年以上党龄.
    secretary_min_standing_years: int = 1
    # 失联 (DOMAIN §9, 全国党员管理信息系统): counted from the later of the last organizational life attended
    # and the last dues paid; 6 months or more is 失联 (a warning to the branch, never automatic).
    lost_contact_months: int = 6
    # [local practice] warn the branch before it happens: after this many months without contact.
    lost_contact_warning_months: int = 4
    # [local practice] login lockout after 5 failures for 30 minutes (django-axes settings mirror these).
    login_failure_limit: int = 5
    login_lockout_minutes: int = 30
    # 党章 / 支部条例: 党员 must be 18 or older; 细则 第九条.
    min_application_age: int = 18
    # [local practice] when does a span of whole years that starts on 29 February end in a non-leap
    # year? "mar1" (default): on 1 March — the year is complete only once February is over, so nobody
    # reaches 18 or a year as activist a day early; "feb28": on 28 February. Every year-based rule
    # (age, 1 year as activist, probation, 党龄, terms) reads it through core.dates.add_years.
    leap_day_anniversary: str = "mar1"

    # 党费规定: the dues tables by effective date (a future change is a new entry, past bills keep theirs).
    dues_rule_sets: tuple[DuesRuleSet, ...] = field(default=(DUES_2008,))
    # [local practice] rounding of the monthly amount: "0.01" (to the fen) or "0.1" (to the jiao).
    dues_rounding: str = "0.01"
    # 党费规定: 自愿一次性交纳1000元以上的党费 (大额党费) [local practice for routing upward].
    dues_large_payment_threshold: Decimal = Decimal("1000")
    # 党费规定: 补交党费一般不超过6个月; longer back-pay needs a stated reason.
    dues_backpay_months: int = 6
    # 党费规定 / 党章 第九条: 连续6个月不交纳党费 → 按自行脱党处理的审查 (a warning, never automatic).
    dues_lapse_months: int = 6
    # [local practice] warn the secretary after this many unpaid months.
    dues_unpaid_warning_months: int = 3
    # [local practice] how many months ahead a member may pay with the branch's consent (quarter/half-year).
    dues_advance_max_months: int = 6
    # [local practice] a base above this is refused as a typing error (yuan per month).
    dues_max_base: Decimal = Decimal("1000000")

    # [local practice] 介绍信 validity: 30–90 days, default 30 (../shared/DOMAIN.md §5).
    transfer_letter_valid_days: int = 30
    transfer_letter_min_days: int = 30
    transfer_letter_max_days: int = 90
    # 组织关系介绍信: the receiving organization returns the 回执 within 1 month; warn after that.
    transfer_receipt_due_months: int = 1
    # [local practice] a graduate without a destination may keep the membership at the school ≤ 2 years.
    graduate_keep_years: int = 2

    # 发展党员 — 《中国共产党发展党员工作细则》; ../shared/DOMAIN.md §3 (item numbers there).
    # §3.2: the branch talks with the applicant within 1 month of receiving the application.
    recruit_talk_within_months: int = 1
    # §3.5: activists are evaluated every half year.
    recruit_evaluation_months: int = 6
    # §3.6: at least 1 year as activist before becoming a development target.
    recruit_activist_min_years: int = 1
    # §3.6: 公示 at least 5 working days [2026 text; check your province].
    recruit_publicity_min_workdays: int = 5
    # §3.4 / §3.7: 1–2 培养联系人; exactly 2 入党介绍人.
    recruit_contacts_min: int = 1
    recruit_contacts_max: int = 2
    recruit_introducers: int = 2
    # §3.9: short-term training ≥ 3 days or ≥ 24 class hours.
    recruit_training_min_days: int = 3
    recruit_training_min_hours: int = 24
    # §3.10: do not proceed with a candidate who will leave within 3 months.
    recruit_leaving_block_months: int = 3
    # §3.11: the branch meeting within 1 month of the upper committee's pre-review [2026 text].
    recruit_meeting_within_months: int = 1
    # §3.12: approval within 3 months of the branch resolution (≤ 6 months in special cases).
    recruit_approval_within_months: int = 3
    recruit_approval_special_months: int = 6
    # §3.13: the oath within 1 month of approval [2026 text].
    recruit_oath_within_months: int = 1
    # §3.14: probation 1 year from the branch meeting; extendable once by 6–12 months.
    recruit_probation_years: int = 1
    recruit_extension_min_months: int = 6
    recruit_extension_max_months: int = 12

    # 组织生活 — 支部条例 第十八条 (三会一课, 主题党日, 组织生活会, 民主评议); ../shared/DOMAIN.md §2.
    # (meeting kind, period "month" / "quarter" / "year", at least this many held in the period).
    # 支委会 applies to branches with a committee (≥ branch_committee_threshold_full_members full members),
    # 党小组会 to branches with 党小组; 党课 once a quarter is [local practice].
    orglife_frequencies: tuple[tuple[str, str, int], ...] = (
        ("assembly", "quarter", 1),
        ("committee", "month", 1),
        ("group", "month", 1),
        ("lecture", "quarter", 1),
        ("theme_day", "month", 1),
        ("life_meeting", "year", 1),
        ("evaluation", "year", 1),
    )
    # 支部条例 第十八条 / DOMAIN §2: the branch secretary gives at least 1 党课 a year.
    orglife_secretary_lectures_per_year: int = 1
    # 党章 第九条: 连续6个月不参加党的组织生活 → 自行脱党 review (a warning to the branch, never automatic).
    orglife_absence_warning_months: int = 6
    # [local practice] the QR check-in window: from 30 minutes before the start to 60 minutes after it.
    orglife_checkin_before_minutes: int = 30
    orglife_checkin_after_minutes: int = 60
    # [local practice] the check-in QR code changes every 30 s; a scanned code is accepted for 120 s.
    orglife_qr_rotate_seconds: int = 30
    orglife_qr_valid_seconds: int = 120
    # [local practice] 督查: never supervise one's own "branch" or own "college" (院系党组织).
    orglife_supervision_exclude: str = "college"
    # [local practice] at most this many meetings per supervisor in one draw.
    orglife_supervision_max_per_supervisor: int = 3
    # [local practice] feedback score items (code, name, maximum score); names are Chinese source text.
    orglife_supervision_items: tuple[tuple[str, str, int], ...] = (
        ("procedure", "程序规范", 25),
        ("content", "内容质量", 25),
        ("participation", "党员参与", 25),
        ("records", "记录完整", 25),
    )
    # [local practice] a branch has a submitted (or approved) plan for the running month or quarter this
    # many days into it; later, the 预警 centre reminds it.
    orglife_plan_due_days: int = 10
    # [local practice] a problem found by a supervisor is answered (整改) within 30 days by default.
    orglife_rectify_days: int = 30
    # [local practice] minutes (会议记录) are complete on time when recorded within 7 days of the meeting
    # (支部条例 requires minutes of every meeting; the time allowed is the school's).
    orglife_minutes_within_days: int = 7

    # 党员学习 — 《中国共产党党员教育管理工作条例》: centralized study ≥ 32 class hours a year (DOMAIN §6).
    study_member_hours_per_year: int = 32
    # [unverified] branch secretaries and committee members: ≥ 56 hours a year (DOMAIN §6).
    study_cadre_hours_per_year: int = 56
    # [local practice] the org-life meetings whose time counts toward the yearly hours for those present
    # (DOMAIN §6: 党课 and 集中学习; a school that holds 集中学习 as 主题党日 keeps the default).
    study_orglife_kinds: tuple[str, ...] = ("lecture", "theme_day")
    # [local practice] minutes of a meeting per class hour (学时): 60 counts the meeting's clock hours.
    study_minutes_per_hour: int = 60
    # [local practice] a person is behind pace when their hours are below this share of the yearly target
    # prorated to the day (1.0: exactly on the straight line from 1 January to 31 December).
    study_pace_share: float = 1.0
    # [local practice] the reminder to people behind pace goes out once a month, on this day.
    study_reminder_day: int = 1
    # [local practice] people who have not finished a study plan's courses are reminded this many days
    # before its deadline (once per plan).
    study_plan_reminder_days: int = 7

    # 党内统计 — ../shared/DOMAIN.md §7. The annual return counts the state at 24:00 on this day.
    statistics_year_end: tuple[int, int] = (12, 31)
    # [local practice] 党龄 bands of the statistics (upper bounds in whole years, inclusive; the last band
    # is "above the last bound"): ≤5, 6–10, 11–20, 21–30, 31–40, 41–50, ≥51. 党龄 counts from the end of
    # probation (DOMAIN §3.14); probationary members form their own row.
    statistics_party_age_bounds: tuple[int, ...] = (5, 10, 20, 30, 40, 50)
    # 党内统计: newly admitted members aged 35 and under are counted apart (DOMAIN §7).
    statistics_young_age: int = 35
    # [local practice] the annual return is filed in January: the school's deadline is this day of the
    # following year (month, day).
    returns_annual_deadline: tuple[int, int] = (1, 31)

    # 民主评议党员 — ../shared/DOMAIN.md §10. [local practice] the share of 优秀 among a round's
    # participants is capped by the school (commonly ≤ 30%): at most floor(share × participants).
    appraisal_excellent_max_share: float = 0.3

    # 党组织书记抓基层党建工作述职评议考核 — ../shared/DOMAIN.md §10: graded 好/较好/一般/差 each year.
    # [local practice] each school sets its scheme; these defaults are what a new assessment starts with
    # and its organizer may change: the share of the total that the pre-filled indicator score carries (the
    # reviewers' mean carries the rest), and the lowest total of 好, 较好 and 一般 (below the last is 差).
    assessment_indicator_weight: float = 0.4
    assessment_grade_bands: tuple[float, float, float] = (90, 80, 60)

    # 智慧服务 (一网通办) — ../shared/DOMAIN.md §11. [local practice] the handling deadline of a request, in
    # working days (Monday to Friday) from the day it is submitted: a member's request to the branch
    # (长期请假、流动党员登记), a branch's request to the college (经费、场地、主讲人), a proof from the
    # Party committee (党员身份证明、党龄证明、组织关系所在证明).
    service_member_request_workdays: int = 5
    service_branch_request_workdays: int = 10
    service_proof_workdays: int = 3
    # 宣传稿件 三审三校 — ../shared/DOMAIN.md §11 [local practice]: after the author, an editor and then an
    # approver (签发) review each article. A school may shorten the chain to ("approver",) or to () (the
    # author publishes directly); the steps are those of ``news.models.Step``, in order.
    news_review_steps: tuple[str, ...] = ("editor", "approver")
    # 智能整理 of aggregated news — ../shared/DOMAIN.md §11 [local practice]: two feed items are near
    # duplicates (the same story reworded) when the Hamming distance of their 64-bit SimHashes over the
    # jieba tokens is at most this many bits; 0 keeps only exact copies together. At most 15 (the
    # banding search finds every pair within 3 bits exactly; above that it stays approximate).
    news_feed_simhash_distance: int = 3
    # 书记信箱 — ../shared/DOMAIN.md §11 (智慧服务). [local practice] a letter is answered within this many
    # working days of the day it was written (kit.workdays: the State Council's holidays skipped); a member
    # writes at most this many letters a day (the spam limit; the public form is limited per IP by
    # settings.RATE_LIMITS["mailbox"]); a replied letter the writer neither closes nor answers closes
    # itself this many days after the last reply.
    mailbox_reply_workdays: int = 5
    mailbox_daily_letters: int = 3
    mailbox_auto_close_days: int = 7
    # 党员服务群众 (志愿服务) — ../shared/DOMAIN.md §11, issue 18 [local practice]: sign-ups close this many
    # minutes before the activity starts (0: up to the start); the QR check-in opens this many minutes
    # before the start and stays open until the end; the check-in code rotates and is accepted as for
    # 组织生活's (30 s, 120 s).
    volunteer_signup_closes_minutes_before: int = 0
    volunteer_checkin_opens_minutes: int = 30
    volunteer_qr_rotate_seconds: int = 30
    volunteer_qr_valid_seconds: int = 120
    # 阅读关注度 (issue 18) [local practice]: the most seconds one leave beacon counts as time on the page —
    # a page left open longer is not reading.
    news_read_max_seconds: int = 3600


_FIELD_NAMES = {f.name for f in fields(Policy)}


def get_policy() -> Policy:
    """The policy in force: the defaults above, overridden by ``settings.DANGJIAN_POLICY``."""
    overrides = dict(getattr(settings, "DANGJIAN_POLICY", {}) or {})
    unknown = set(overrides) - _FIELD_NAMES
    if unknown:
        raise ValueError(f"DANGJIAN_POLICY 中有未知的配置项: {', '.join(sorted(unknown))}")
    for name in ("orglife_frequencies", "orglife_supervision_items"):
        if name in overrides:
            overrides[name] = tuple(tuple(row) for row in overrides[name])  # type: ignore[attr-defined]
    for name in (
        "statistics_year_end",
        "statistics_party_age_bounds",
        "returns_annual_deadline",
        "study_orglife_kinds",
        "assessment_grade_bands",
        "news_review_steps",
    ):
        if name in overrides:
            overrides[name] = tuple(overrides[name])  # type: ignore[arg-type]
    if "term_reminder_months" in overrides:
        overrides["term_reminder_months"] = tuple(overrides["term_reminder_months"])  # type: ignore[arg-type]
    if "dues_rule_sets" in overrides:
        overrides["dues_rule_sets"] = tuple(_dues_rule_set(r) for r in overrides["dues_rule_sets"])  # type: ignore[attr-defined]
    if overrides.get("leap_day_anniversary", "mar1") not in ("mar1", "feb28"):
        raise ValueError("DANGJIAN_POLICY.leap_day_anniversary 只能是 mar1 或 feb28")
    for name in ("dues_large_payment_threshold", "dues_max_base"):
        if name in overrides:
            overrides[name] = Decimal(str(overrides[name]))
    return replace(Policy(), **overrides)  # type: ignore[arg-type]

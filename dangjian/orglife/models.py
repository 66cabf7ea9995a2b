"""组织生活: plans a branch submits and the committee above reviews, the meetings (planned → notified →
held → minutes → closed) with their attendees, leave requests, check-ins and minutes, and supervision
(督查): the supervisor pool, random draws, assignments, graded feedback and the problems the branch
answers.

Which forms are required how often is policy (``orglife_frequencies`` in ``dangjian.policy``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, Person


class MeetingKind(models.TextChoices):
    ASSEMBLY = "assembly", _("支部党员大会")
    COMMITTEE = "committee", _("支委会")
    GROUP = "group", _("党小组会")
    LECTURE = "lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    LIFE_MEETING = "life_meeting", _("组织生活会")
    EVALUATION = "evaluation", _("民主评议党员")
    OTHER = "other", _("其他")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")


class Plan(models.Model):
    """A branch's plan of meetings for a month, quarter or year (``period_start`` is its first day)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="orglife_plans"
    )
    period_kind = models.CharField(_("计划周期"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("周期开始"))
    status = models.CharField(_("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    note = models.TextField(_("说明"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    # Why the plan went on although it does not meet the required frequencies (``selectors.plan_verdict``):
    # the branch's reason when submitting it, the reviewer's when approving it. Empty when it met them.
    submit_reason = models.CharField(_("未满足要求仍提交的原因"), max_length=300, blank=True)
    approve_reason = models.CharField(_("未满足要求仍通过的原因"), max_length=300, blank=True)
    revision = models.PositiveSmallIntegerField(_("修订次数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("组织生活计划")
        verbose_name_plural = _("组织生活计划")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period_kind", "period_start"], name="orglife_one_plan_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["status", "organization"], name="orglife_plan_status"),
            # The plan list, latest period first: the page sorts one period's plans, not a year's
            # (the school at province size: 320 → 84 ms in SQL).
            models.Index(fields=["period_start"], name="orglife_plan_period"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_period_kind_display()} {self.period_start:%Y-%m}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    NOTIFIED = "notified", _("已通知")
    HELD = "held", _("已召开")
    MINUTED = "minuted", _("已记录纪要")
    CLOSED = "closed", _("已归档")
    CANCELLED = "cancelled", _("已取消")


class Meeting(models.Model):
    """One meeting of a branch (or of one of its 党小组). ``plan`` is empty for an ad-hoc meeting."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="meetings"
    )
    group = models.ForeignKey(
        Organization,
        verbose_name=_("党小组"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_meetings",
    )
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("所属计划"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    ad_hoc = models.BooleanField(_("计划外"), default=False)
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    topic = models.CharField(_("主题"), max_length=200)
    date = models.DateField(_("日期"))
    start_time = models.TimeField(_("开始时间"), default=time(14, 30))
    duration_minutes = models.PositiveSmallIntegerField(_("时长(分钟)"), default=90)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    speaker = models.ForeignKey(
        Person,
        verbose_name=_("党课主讲人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lectures_given",
    )
    # An invited speaker from outside the branch (a professor, a leader of the school), as free text —
    # the alternative to ``speaker``: a 党课 names exactly one of the two (``services``).
    speaker_name = models.CharField(_("特邀主讲人"), max_length=50, blank=True)
    speaker_title = models.CharField(_("特邀主讲人职务/单位"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    held_at = models.DateTimeField(_("召开确认时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The creation form's one-time key: the same form submitted twice returns this meeting instead of
    # making a second one (two would both count in the compliance matrix and both be notified).
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("组织生活会议")
        verbose_name_plural = _("组织生活会议")
        ordering = ["-date", "-start_time", "-id"]
        indexes = [
            models.Index(fields=["organization", "date"], name="orglife_meeting_org_date"),
            models.Index(fields=["date", "status"], name="orglife_meeting_date_status"),
            # The 工作台's "meetings to close" counts the few meetings still open among millions.
            models.Index(
                fields=["date"],
                condition=models.Q(status__in=["planned", "notified", "held"]),
                name="orglife_meeting_unclosed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.topic}"

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> datetime:
        """When the meeting is due to end: its start plus its planned duration (时长)."""
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def speaker_label(self) -> str:
        """Who gives the 党课: the member picked, or the invited speaker with their title or unit."""
        if self.speaker_id:
            return str(self.speaker.name)  # type: ignore[union-attr]
        if self.speaker_name:
            return f"{self.speaker_name}（{self.speaker_title}）" if self.speaker_title else self.speaker_name
        return ""

    @property
    def counts_as_held(self) -> bool:
        return self.status in HELD_STATUSES


HELD_STATUSES = (MeetingStatus.HELD, MeetingStatus.MINUTED, MeetingStatus.CLOSED)


class AttendeeRole(models.TextChoices):
    MEMBER = "member", _("党员")
    INVITED = "invited", _("列席")
    DUAL_LIFE = "dual_life", _("双重组织生活")


class Attendance(models.TextChoices):
    EXPECTED = "expected", _("应到")
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class CheckinMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    MANUAL = "manual", _("主持人代签")


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        _("身份"), max_length=10, choices=AttendeeRole.choices, default=AttendeeRole.MEMBER
    )
    attendance = models.CharField(
        _("出勤"), max_length=10, choices=Attendance.choices, default=Attendance.EXPECTED
    )
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checkin_method = models.CharField(_("签到方式"), max_length=10, choices=CheckinMethod.choices, blank=True)
    absence_reason = models.CharField(_("缺席原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="orglife_one_attendee")]
        indexes = [models.Index(fields=["person", "attendance"], name="orglife_attendee_person")]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.person_id} {self.attendance}"


class AttendanceTally(models.Model):
    """The attendance figures of one organization's held meetings in one month (ADR 0009): exactly
    ``compliance.stats``' counts over ``held_attendees`` for the meetings of ``branch`` (the meeting's
    organization) dated in ``month``. Written only by ``compliance.tally`` — called by the meeting
    services in their transaction, rebuilt after bulk seeds, repaired nightly; a month with nothing
    counted has no row. No path is stored: a subtree's months are summed through the org's path."""

    branch = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="attendance_tallies"
    )
    month = models.DateField(_("月份"))  # the first day of the month
    total = models.PositiveIntegerField(_("应参加"), default=0)
    present = models.PositiveIntegerField(_("出席"), default=0)
    leave = models.PositiveIntegerField(_("请假"), default=0)
    absent = models.PositiveIntegerField(_("缺席"), default=0)
    theme_total = models.PositiveIntegerField(_("主题党日应参加"), default=0)
    theme_present = models.PositiveIntegerField(_("主题党日出席"), default=0)

    class Meta:
        verbose_name = _("出勤统计表")
        verbose_name_plural = _("出勤统计表")
        constraints = [models.UniqueConstraint(fields=["branch", "month"], name="orglife_tally_branch_month")]
        # The unique (branch, month) index serves one branch's months; a whole subtree's year (the
        # school's page) reads the months' rows and joins them to the orgs found by path.
        indexes = [models.Index(fields=["month", "branch"], name="orglife_tally_month")]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.month:%Y-%m} {self.present}/{self.total}"


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class LeaveRequest(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="leave_requests")
    person = models.ForeignKey(Person, verbose_name=_("请假人"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("请假事由"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("请假申请")
        verbose_name_plural = _("请假申请")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="orglife_one_leave_request")
        ]
        # The 工作台's "leave to approve" counts the pending requests among millions decided.
        indexes = [
            models.Index(
                fields=["meeting"], condition=models.Q(status="pending"), name="orglife_leave_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.person_id} {self.status}"


class Minutes(models.Model):
    """会议纪要. Once the meeting is closed, a change is a ``MinutesCorrection`` with its reason."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    host = models.ForeignKey(
        Person, verbose_name=_("主持人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorder = models.ForeignKey(
        Person, verbose_name=_("记录人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content = models.TextField(_("会议内容"))
    resolutions = models.TextField(_("会议决议"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("会议纪要")
        verbose_name_plural = _("会议纪要")

    def __str__(self) -> str:
        return f"{self.meeting}"


class MinutesCorrection(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="corrections")
    reason = models.CharField(_("更正原因"), max_length=300)
    before = models.JSONField(_("更正前"), default=dict)
    after = models.JSONField(_("更正后"), default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("纪要更正")
        verbose_name_plural = _("纪要更正")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.minutes_id} {self.reason}"


def attachment_path(instance: MeetingAttachment, filename: str) -> str:
    return f"orglife/{instance.meeting_id}/{timezone.now():%Y%m%d%H%M%S}_{filename}"


class MeetingAttachment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议附件")
        verbose_name_plural = _("会议附件")

    def __str__(self) -> str:
        return self.name


class CalendarFeed(models.Model):
    """A person's .ics subscription: the secret in its URL (random, unguessable, one per user). The URL
    needs no login, so the secret is its only guard: the calendar page resets it (the old URL stops
    working at once) or revokes it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议日历订阅")
        verbose_name_plural = _("会议日历订阅")

    def __str__(self) -> str:
        return f"{self.user_id}"


# ---- 督查 --------------------------------------------------------------------------------------------


class Supervisor(models.Model):
    """督查员库: a person in the pool, their home org (never supervising it) and availability."""

    person = models.OneToOneField(
        Person, verbose_name=_("督查员"), on_delete=models.PROTECT, related_name="+"
    )
    home_org = models.ForeignKey(
        Organization, verbose_name=_("所在党组织"), on_delete=models.PROTECT, related_name="+"
    )
    available = models.BooleanField(_("可参与抽查"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("督查员")
        verbose_name_plural = _("督查员库")

    def __str__(self) -> str:
        return str(self.person)


class Draw(models.Model):
    """One random draw: its scope, period, inputs and seed, so that anyone can re-run it and get the same
    assignments."""

    scope_org = models.ForeignKey(
        Organization, verbose_name=_("抽查范围"), on_delete=models.PROTECT, related_name="+"
    )
    period_from = models.DateField(_("会议日期自"))
    period_to = models.DateField(_("会议日期至"))
    seed = models.BigIntegerField(_("随机种子"))
    inputs = models.JSONField(_("抽查参数"), default=dict)  # n / rate, max per supervisor, exclusion, pools
    # The form's one-time key: a second submit of the same form returns this draw instead of drawing again.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("督查抽查")
        verbose_name_plural = _("督查抽查")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scope_org} {self.period_from}–{self.period_to}"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("待督查")
    FILED = "filed", _("已反馈")


class Assignment(models.Model):
    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="assignments")
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="supervisions"
    )
    supervisor = models.ForeignKey(
        Supervisor, verbose_name=_("督查员"), on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )

    class Meta:
        verbose_name = _("督查任务")
        verbose_name_plural = _("督查任务")
        constraints = [
            models.UniqueConstraint(fields=["draw", "meeting"], name="orglife_one_assignment_per_draw")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} ← {self.supervisor}"


class Feedback(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="feedback")
    scores = models.JSONField(_("评分"), default=dict)  # item code → score (items and maxima in the policy)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=1, default=0)
    attended = models.BooleanField(_("现场督查"), default=True)  # else: reviewed the minutes
    suggestions = models.TextField(_("意见建议"), blank=True)
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("督查反馈")
        verbose_name_plural = _("督查反馈")

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.total}"


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    ANSWERED = "answered", _("已整改")


class Problem(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="problems")
    description = models.CharField(_("发现问题"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    rectification = models.TextField(_("整改措施"), blank=True)
    rectify_by = models.DateField(_("整改时限"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("督查问题")
        verbose_name_plural = _("督查问题")
        indexes = [models.Index(fields=["status"], name="orglife_problem_status")]

    def __str__(self) -> str:
        return self.description


def period_end(kind: str, start: date) -> date:
    """The last day of the plan period that starts on ``start``."""
    from dangjian.kit.dates import add_months

    months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[PeriodKind(kind)]
    return date.fromordinal(add_months(start, months).toordinal() - 1)


# ---- 统计: 连续未参加组织生活预警 -------------------------------------------------------------


class WarningStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    HANDLED = "handled", _("已处理")


class AbsenceWarning(models.Model):
    """A member who took part in no organizational life for the policy's months in a row (党章 第九条):
    a warning to the branch, which looks into it and records what it did. Never changes the membership.
    How a warning is raised: ``dangjian.orglife.compliance.warnings``."""

    person = models.ForeignKey(Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(
        Organization, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="absence_warnings"
    )
    window_start = models.DateField(_("统计起始月"))
    window_end = models.DateField(_("统计截止日"))
    missed = models.PositiveSmallIntegerField(_("缺席次数"), default=0)
    raised_at = models.DateTimeField(_("预警时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.TextField(_("处理情况"), blank=True)

    class Meta:
        verbose_name = _("连续未参加组织生活预警")
        verbose_name_plural = _("连续未参加组织生活预警")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "window_start"], name="orglife_one_warning_per_window")
        ]
        indexes = [models.Index(fields=["branch", "status"], name="orglife_warning_branch")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.window_start:%Y-%m}–{self.window_end:%Y-%m}"

"""党费: standards (交纳标准), reliefs (减免), bills (应交), the ledger (实交) and monthly reports (对账).

Money is ``Decimal`` with two places. A ledger entry is never edited: corrections are reversing entries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Organization, Person
from dangjian.dues.rules import describe_rule

MONEY = {"max_digits": 12, "decimal_places": 2}


class DuesCategory(models.TextChoices):
    EMPLOYEE = "employee", _("在职职工")
    RETIREE = "retiree", _("离退休人员")
    STUDENT = "student", _("学生")
    UNEMPLOYED = "unemployed", _("下岗失业")
    RELIEF = "relief", _("享受最低生活保障")
    FARMER = "farmer", _("农民")


class BaseMethod(models.TextChoices):
    DIRECT = "direct", _("直接填写基数")
    ITEMS = "items", _("按工资项目计算")
    NONE = "none", _("固定金额")


class Assessment(models.Model):
    """A member's dues standard from a month on, until a later assessment supersedes it."""

    person = models.ForeignKey(
        Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="dues_assessments"
    )
    from_month = models.DateField(_("起始月份"))
    category = models.CharField(_("党费类别"), max_length=20, choices=DuesCategory.choices)
    base_method = models.CharField(_("基数来源"), max_length=10, choices=BaseMethod.choices)
    base = models.DecimalField(_("交纳基数"), null=True, blank=True, **MONEY)  # type: ignore[arg-type]
    # 事业单位 pay items when the base was computed from them: {"post_wage": "5200.00", ...}.
    pay_items = models.JSONField(_("工资项目"), default=dict, blank=True)
    rate = models.DecimalField(_("比例"), max_digits=6, decimal_places=4, null=True, blank=True)
    amount = models.DecimalField(_("每月应交"), **MONEY)  # type: ignore[arg-type]
    rule_code = models.CharField(_("适用标准"), max_length=30)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党费标准")
        verbose_name_plural = _("党费标准")
        constraints = [
            models.UniqueConstraint(fields=["person", "from_month"], name="dues_assessment_person_month"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.from_month:%Y-%m} {self.amount}"

    @property
    def rule_text(self) -> str:
        """The rule in words ("按月工资收入 5000 元以上至 10000 元(含)：1.5%"); the code is for organizers."""
        return describe_rule(self.rule_code)

    @property
    def rate_percent(self) -> str:
        """1.5% for a rate of 0.0150 (empty for fixed amounts)."""
        if self.rate is None:
            return ""
        return f"{(self.rate * 100).normalize():f}%"


class ReliefKind(models.TextChoices):
    REDUCE = "reduce", _("减交")
    EXEMPT = "exempt", _("免交")


class DecisionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class Relief(models.Model):
    """Hardship reduction or exemption for a period; the next-level committee approves (retirees: branch)."""

    person = models.ForeignKey(
        Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="dues_reliefs"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ReliefKind.choices)
    monthly_amount = models.DecimalField(_("减交后每月金额"), default=0, **MONEY)  # type: ignore[arg-type]
    from_month = models.DateField(_("起始月份"))
    to_month = models.DateField(_("截止月份"))
    reason = models.CharField(_("原因"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    approver_org = models.ForeignKey(
        Organization, verbose_name=_("审批组织"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("党费减免")
        verbose_name_plural = _("党费减免")

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.from_month:%Y-%m}–{self.to_month:%Y-%m}"


class Bill(models.Model):
    """应交: one per member per month, generated set-based on the 1st (idempotent by the unique key)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dues_bills")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="dues_bills")
    month = models.DateField(_("月份"))
    standard_amount = models.DecimalField(_("标准金额"), **MONEY)  # type: ignore[arg-type]
    amount = models.DecimalField(_("应交金额"), **MONEY)  # type: ignore[arg-type]
    paid_amount = models.DecimalField(_("已交金额"), default=0, **MONEY)  # type: ignore[arg-type]
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="+")
    relief = models.ForeignKey(Relief, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rule_code = models.CharField(max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("应交党费")
        verbose_name_plural = _("应交党费")
        constraints = [models.UniqueConstraint(fields=["person", "month"], name="dues_bill_person_month")]
        indexes = [models.Index(fields=["organization", "month"], name="dues_bill_org_month")]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m} {self.amount}"

    @property
    def is_paid(self) -> bool:
        return self.paid_amount >= self.amount

    @property
    def outstanding(self) -> object:
        return max(self.amount - self.paid_amount, 0)


class MonthState(models.TextChoices):
    """A billed month as the member and the branch see it (``rules.month_state`` decides)."""

    UNPAID = "unpaid", _("未交")
    PENDING = "pending", _("待确认")
    PAID = "paid", _("已交")
    EXEMPT = "exempt", _("免交")


class EntryKind(models.TextChoices):
    PAYMENT = "payment", _("交纳")
    LARGE = "large", _("大额党费")
    REVERSAL = "reversal", _("冲正")


class PayMethod(models.TextChoices):
    CASH = "cash", _("现金")
    TRANSFER = "transfer", _("银行转账")
    ONLINE = "online", _("线上支付")


class Entry(models.Model):
    """实交: the append-only ledger. ``period`` is the month whose report counts it (对账月份)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dues_entries")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="dues_entries")
    kind = models.CharField(_("类型"), max_length=10, choices=EntryKind.choices)
    month = models.DateField(_("所属月份"), null=True, blank=True)  # the bill month paid; null for 大额党费
    period = models.DateField(_("对账月份"))
    amount = models.DecimalField(_("金额"), **MONEY)  # type: ignore[arg-type]
    method = models.CharField(_("方式"), max_length=10, choices=PayMethod.choices)
    reference = models.CharField(_("凭证号"), max_length=100, blank=True)
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    # The day the money was handed over (what the member or the bank slip says); a reversal's is the day
    # of the correction. Null only for entries recorded before the field existed.
    paid_on = models.DateField(_("交纳日期"), null=True, blank=True)
    batch = models.CharField(max_length=64, db_index=True)  # the entries of one payment share it
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党费收缴记录")
        verbose_name_plural = _("党费收缴记录")
        indexes = [
            models.Index(fields=["person", "month"], name="dues_entry_person_month"),
            models.Index(fields=["organization", "period"], name="dues_entry_org_period"),
            # A month's ledger of a college or the school (reconciliation, the annual report) sums the
            # amounts off this index alone: 50 ms for a province's 324,000 entries of a month, against
            # 330 ms reading the month out of 10.8 million rows (PostgreSQL; elsewhere a plain index).
            models.Index(fields=["period", "organization"], include=["amount"], name="dues_entry_period"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.amount}"


class Declaration(models.Model):
    """A member's "I paid" for some months, confirmed (→ ledger entries) or refused by the secretary."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dues_declarations")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    months = models.JSONField(_("月份"))  # ["2026-10-01", ...]
    amount = models.DecimalField(_("金额"), **MONEY)  # type: ignore[arg-type]
    method = models.CharField(_("方式"), max_length=10, choices=PayMethod.choices)
    reference = models.CharField(_("凭证号"), max_length=100, blank=True)
    paid_on = models.DateField(_("交纳日期"), null=True, blank=True)
    # The form's one-time key: a repeated submission shows the first declaration instead of an error.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("交纳申报")
        verbose_name_plural = _("交纳申报")

    def __str__(self) -> str:
        return f"{self.person} {self.amount}"


class ReportStatus(models.TextChoices):
    OPEN = "open", _("未上交")
    SUBMITTED = "submitted", _("已上交待确认")
    RETURNED = "returned", _("已退回")
    CONFIRMED = "confirmed", _("已确认")


class MonthReport(models.Model):
    """One org's month: the precomputed totals (exact, refreshed in the transaction of every change) and
    the 上交/确认 state. A branch's totals come from its bills and ledger; an upper org's from its children.
    A confirmed month is locked: later entries are counted in the next open month.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="dues_reports")
    month = models.DateField(_("月份"))
    due_count = models.PositiveIntegerField(_("应交人数"), default=0)
    due_amount = models.DecimalField(_("应交金额"), default=0, **MONEY)  # type: ignore[arg-type]
    paid_count = models.PositiveIntegerField(_("已交清人数"), default=0)
    unpaid_count = models.PositiveIntegerField(_("未交人数"), default=0)
    unpaid_amount = models.DecimalField(_("未交金额"), default=0, **MONEY)  # type: ignore[arg-type]
    collected_amount = models.DecimalField(_("本月入账"), default=0, **MONEY)  # type: ignore[arg-type]
    adjustment_amount = models.DecimalField(_("其中补交/冲正"), default=0, **MONEY)  # type: ignore[arg-type]
    large_amount = models.DecimalField(_("其中大额党费"), default=0, **MONEY)  # type: ignore[arg-type]
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    handed_up_amount = models.DecimalField(_("上交金额"), null=True, blank=True, **MONEY)  # type: ignore[arg-type]
    # What the submitter saw, line by line ({"<person or child org id>": "amount"}), for mismatch checks.
    submitted_lines = models.JSONField(default=dict, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("党费月报")
        verbose_name_plural = _("党费月报")
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="dues_report_org_month")
        ]
        indexes = [
            models.Index(fields=["month", "status"], name="dues_report_month_status"),
            # The 工作台's "reports to confirm" counts the few submitted among a province's 487,000.
            models.Index(
                fields=["organization"], condition=models.Q(status="submitted"), name="dues_report_submitted"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.month:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.CONFIRMED


class YearConfirmation(models.Model):
    """The branch confirmed its members' monthly amounts for the year (年初核定)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    member_count = models.PositiveIntegerField(default=0)
    total_amount = models.DecimalField(default=0, **MONEY)  # type: ignore[arg-type]
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("年度党费核定")
        verbose_name_plural = _("年度党费核定")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="dues_year_org_year")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"


class OrderStatus(models.TextChoices):
    CREATED = "created", _("待支付")
    PAID = "paid", _("已支付")
    FAILED = "failed", _("支付失败")


class OnlineOrder(models.Model):
    """A member's online payment through the configured provider; paid once (the order id is the key)."""

    order_id = models.CharField(_("订单号"), max_length=64, unique=True)
    provider = models.CharField(_("支付渠道"), max_length=40)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dues_orders")
    months = models.JSONField(_("月份"))
    amount = models.DecimalField(_("金额"), **MONEY)  # type: ignore[arg-type]
    status = models.CharField(
        _("状态"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.CREATED
    )
    provider_reference = models.CharField(_("渠道流水号"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("线上支付订单")
        verbose_name_plural = _("线上支付订单")

    def __str__(self) -> str:
        return self.order_id

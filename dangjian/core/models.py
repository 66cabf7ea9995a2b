"""The core data model: the org tree, people, memberships (党员档案), positions, cadres."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


class OrgCategory(models.TextChoices):
    STAFF = "staff", _("教工")
    STUDENT = "student", _("学生")
    MIXED = "mixed", _("师生混合")
    RETIRED = "retired", _("离退休")
    OFFICE = "office", _("机关")
    AFFILIATE = "affiliate", _("附属单位")


class Organization(MP_Node):
    steplen = 4

    kind = models.CharField(_("组织类型"), max_length=20, choices=OrgKind.choices)
    category = models.CharField(_("组织类别"), max_length=20, choices=OrgCategory.choices, blank=True)
    code = models.CharField(_("组织代码"), max_length=40, unique=True)
    name = models.CharField(_("组织全称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    unit = models.CharField(_("所在单位"), max_length=120, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    term_started_on = models.DateField(_("本届开始日期"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("任期(年)"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["numchild"])

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        indexes = [
            # LIKE 'prefix%' on the path is how every scope filter works: make it an index range scan.
            models.Index(fields=["path"], name="core_org_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "is_active"], name="core_org_kind_active"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_branch(self) -> bool:
        return self.kind == OrgKind.BRANCH

    @property
    def state(self) -> str:
        """The state a page shows and a state change expects (core.transitions): "active"/"dissolved"."""
        return "active" if self.is_active else "dissolved"

    @property
    def term_state(self) -> str:
        """What a 换届 expects: the org active and the term the page showed ("active:2024-09-01"), so
        a second submission of the same 换届 is refused instead of starting the term again."""
        started = self.term_started_on.isoformat() if self.term_started_on else ""
        return f"{self.state}:{started}"


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class PersonType(models.TextChoices):
    STAFF = "staff", _("教职工")
    STUDENT = "student", _("学生")
    RETIRED = "retired", _("离退休")
    OTHER = "other", _("其他")


class PoliticalStatus(models.TextChoices):
    MASSES = "masses", _("群众")
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("大学本科")
    JUNIOR_COLLEGE = "junior_college", _("大专")
    SECONDARY = "secondary", _("中专/高中")
    BELOW = "below", _("初中及以下")


class Person(models.Model):
    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, blank=True, db_index=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=50, blank=True, db_index=True)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"))
    id_number_encrypted = models.TextField(_("身份证号码(加密)"), blank=True)
    id_number_index = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    id_number_masked = models.CharField(_("身份证号码"), max_length=18, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    staff_number = models.CharField(_("工号/学号"), max_length=30, unique=True, null=True, blank=True)
    person_type = models.CharField(_("人员类别"), max_length=20, choices=PersonType.choices)
    unit = models.CharField(_("所在单位"), max_length=120, blank=True, db_index=True)
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices, blank=True)
    title = models.CharField(_("职务/职称"), max_length=60, blank=True)
    grade = models.CharField(_("年级"), max_length=10, blank=True)
    major = models.CharField(_("专业"), max_length=60, blank=True)
    class_name = models.CharField(_("班级"), max_length=60, blank=True)
    home_address = models.CharField(_("家庭住址"), max_length=200, blank=True)
    political_status = models.CharField(
        _("政治面貌"), max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    # The org a non-member belongs to for Party work (applicants, activists): where they applied.
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("所在党组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    is_active = models.BooleanField(_("在册"), default=True)
    # Left the school (graduated, moved on, retired elsewhere): set with is_active off by person_leave.
    left_on = models.DateField(_("离校日期"), null=True, blank=True)
    # Personal data removed PERSON_ANONYMISE_AFTER_YEARS after leaving (non-members only).
    anonymised_on = models.DateField(_("匿名化日期"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [
            # The people list filtered by status, in its order, with the organization for the scope join:
            # an index-only scan to any page (PostgreSQL; a page deep in a million members was a heap
            # fetch per skipped row). Also serves every equality filter on the status alone.
            models.Index(
                fields=["political_status", "name_pinyin", "id"],
                include=["organization"],
                name="core_person_status_pinyin",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def age_on(self, on: date) -> int:
        """Whole years of age on ``on``, by the school's one 29 February convention (core.dates)."""
        from dangjian.kit.dates import whole_years_between

        return whole_years_between(self.birth_date, on)


class MembershipType(models.TextChoices):
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")


class Standing(models.TextChoices):
    NORMAL = "normal", _("正常")
    FLOWING = "flowing", _("流动")
    ABROAD = "abroad", _("出国(境)")
    LOST_CONTACT = "lost_contact", _("失联")
    SUSPENDED = "suspended", _("停止党籍")
    EXPELLED = "expelled", _("出党/除名/退党")
    PROBATION_CANCELLED = "probation_cancelled", _("已取消预备党员资格")
    DECEASED = "deceased", _("去世")
    TRANSFERRED_OUT = "transferred_out", _("已转出")


# Standings in which the member still belongs to the branch's roll (counted in its size).
ON_ROLL_STANDINGS = (Standing.NORMAL, Standing.FLOWING, Standing.ABROAD, Standing.LOST_CONTACT)


class Membership(models.Model):
    person = models.OneToOneField(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="membership"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("所在党支部"), on_delete=models.PROTECT, related_name="memberships"
    )
    group = models.ForeignKey(
        Organization,
        verbose_name=_("党小组"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_memberships",
    )
    membership_type = models.CharField(_("党员类别"), max_length=20, choices=MembershipType.choices)
    joined_on = models.DateField(_("入党日期"))
    full_on = models.DateField(_("转正日期"), null=True, blank=True)
    probation_extended_months = models.PositiveSmallIntegerField(_("延长预备期(月)"), default=0)
    standing = models.CharField(
        _("党籍状态"), max_length=20, choices=Standing.choices, default=Standing.NORMAL
    )
    standing_since = models.DateField(_("状态变更日期"), null=True, blank=True)
    standing_note = models.CharField(_("状态说明"), max_length=200, blank=True)
    flow_destination = models.CharField(_("流向"), max_length=120, blank=True)
    membership_number = models.CharField(_("党员编号"), max_length=40, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党员档案")
        verbose_name_plural = _("党员档案")
        indexes = [models.Index(fields=["organization", "standing"], name="core_membership_org_standing")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organization}"

    @property
    def is_full(self) -> bool:
        return self.membership_type == MembershipType.FULL


class PositionTitle(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANIZATION = "organization", _("组织委员")
    PUBLICITY = "publicity", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    YOUTH = "youth", _("青年委员")
    MEMBER = "member", _("委员")
    GROUP_LEADER = "group_leader", _("党小组长")


COMMITTEE_TITLES = (
    PositionTitle.SECRETARY,
    PositionTitle.DEPUTY_SECRETARY,
    PositionTitle.ORGANIZATION,
    PositionTitle.PUBLICITY,
    PositionTitle.DISCIPLINE,
    PositionTitle.YOUTH,
    PositionTitle.MEMBER,
)


class Position(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="positions"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("职务"), max_length=20, choices=PositionTitle.choices)
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("免职日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党内职务")
        verbose_name_plural = _("党内职务")
        indexes = [models.Index(fields=["organization", "ended_on"], name="core_position_org_open")]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_title_display()} {self.person}"

    @property
    def state(self) -> str:
        """The state a page shows and a state change expects (core.transitions): "current"/"ended"."""
        return "ended" if self.ended_on else "current"


class CadreRank(models.TextChoices):
    UNIVERSITY = "university", _("校级")
    DIVISION = "division", _("处级")
    DEPUTY_DIVISION = "deputy_division", _("副处级")
    SECTION = "section", _("科级")
    OTHER = "other", _("其他")


class Cadre(models.Model):
    person = models.OneToOneField(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="cadre"
    )
    post = models.CharField(_("职务"), max_length=100)
    rank = models.CharField(_("职级"), max_length=20, choices=CadreRank.choices)
    unit = models.CharField(_("任职单位"), max_length=120)
    is_leading = models.BooleanField(_("党员领导干部"), default=True)
    dual_life_branch = models.ForeignKey(
        Organization,
        verbose_name=_("双重组织生活所在支部"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dual_life_cadres",
    )
    started_on = models.DateField(_("任职日期"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("干部")
        verbose_name_plural = _("干部")

    def __str__(self) -> str:
        return f"{self.person} {self.post}"


class DemocraticParty(models.TextChoices):
    RCCK = "rcck", _("中国国民党革命委员会")
    CDL = "cdl", _("中国民主同盟")
    CNDCA = "cndca", _("中国民主建国会")
    CAPD = "capd", _("中国民主促进会")
    CPWDP = "cpwdp", _("中国农工民主党")
    CZGP = "czgp", _("中国致公党")
    JS = "js", _("九三学社")
    TDSGL = "tdsgl", _("台湾民主自治同盟")


class DemocraticPartyMembership(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="democratic_party_memberships"
    )
    party = models.CharField(_("民主党派"), max_length=20, choices=DemocraticParty.choices)
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)
    post = models.CharField(_("党派职务"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("民主党派成员")
        verbose_name_plural = _("民主党派成员")
        constraints = [
            models.UniqueConstraint(fields=["person", "party"], name="core_dp_person_party_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_party_display()}"


class OrgCounts(models.Model):
    """The maintained counter row of one organization: its DIRECT figures (people whose org it is, the
    memberships held there), kept in step by the core services in the same transaction as the write
    (``services.counters_refresh``), rebuilt set-based by ``manage.py rebuild_counters`` and checked by
    ``check_consistency``. A subtree's figures are the SUM over the rows of the orgs under its path, so
    the dashboard, the tree and the statistics read ~40,000 small rows at province size instead of
    aggregating 1.3M people (issue 20). Age bands are not here: an age changes with the date. The row
    also holds the org's rule-check facts and outcome, so the dashboard's digest of ~40,000 orgs is two
    aggregate queries instead of evaluating every org's rules on every cold request.

    ``status_*`` count every person (as the dashboard does); ``active_*`` only those on the roll
    (``is_active``, as the statistics do), and so do the gender, education and ethnic-minority columns.
    Column names are ``<figure>_<choice value>``."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="counts"
    )
    status_masses = models.IntegerField(default=0)
    status_applicant = models.IntegerField(default=0)
    status_activist = models.IntegerField(default=0)
    status_candidate = models.IntegerField(default=0)
    status_probationary = models.IntegerField(default=0)
    status_full = models.IntegerField(default=0)
    active_masses = models.IntegerField(default=0)
    active_applicant = models.IntegerField(default=0)
    active_activist = models.IntegerField(default=0)
    active_candidate = models.IntegerField(default=0)
    active_probationary = models.IntegerField(default=0)
    active_full = models.IntegerField(default=0)
    gender_male = models.IntegerField(default=0)
    gender_female = models.IntegerField(default=0)
    education_none = models.IntegerField(default=0)  # not recorded
    education_postgraduate = models.IntegerField(default=0)
    education_bachelor = models.IntegerField(default=0)
    education_junior_college = models.IntegerField(default=0)
    education_secondary = models.IntegerField(default=0)
    education_below = models.IntegerField(default=0)
    ethnic_minority = models.IntegerField(default=0)
    members = models.IntegerField(default=0)  # memberships on the roll held here
    members_full = models.IntegerField(default=0)
    # The rest of the rule checks' facts (``rules.OrgFacts``): serving committee posts and the secretary.
    committee_size = models.IntegerField(default=0)
    has_secretary = models.BooleanField(default=False)
    secretary_full_on = models.DateField(null=True, blank=True)  # None: no secretary, or probationary
    # The rule checks' outcome, valid for checks_on <= day < checks_until (None: until the facts change):
    # the worst severity (rules.SEVERITY_ORDER; None: no check fires) and how many checks fire.
    check_worst = models.PositiveSmallIntegerField(null=True, blank=True)
    check_count = models.PositiveSmallIntegerField(default=0)
    checks_on = models.DateField(null=True, blank=True)
    checks_until = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("组织计数")

        verbose_name_plural = _("组织计数")
        # The dashboard's worst rule checks when they are few (rules.SEVERITY_ORDER, most checks first).
        indexes = [models.Index(fields=["check_worst", "check_count"], name="core_orgcounts_checks")]

    def __str__(self) -> str:
        return f"counts of {self.organization_id}"

"""Roles, permissions and which role holds which permission: the one permission table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SCHOOL_ADMIN = "school_admin", _("校级管理员")
    COLLEGE_ORGANIZER = "college_organizer", _("院系组织员")
    BRANCH_SECRETARY = "branch_secretary", _("支部书记")
    BRANCH_COMMITTEE = "branch_committee", _("支委委员")
    SUPERVISOR = "supervisor", _("督查员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


class Permission(models.TextChoices):
    VIEW_ORGS = "view_orgs", _("查看党组织")
    MANAGE_ORGS = "manage_orgs", _("管理党组织")
    VIEW_PEOPLE = "view_people", _("查看人员")
    MANAGE_PEOPLE = "manage_people", _("管理人员信息")
    MANAGE_MEMBERSHIPS = "manage_memberships", _("管理党员档案")
    MANAGE_POSITIONS = "manage_positions", _("管理党内职务")
    VIEW_PII = "view_pii", _("查看完整身份证号")
    EXPORT = "export", _("导出数据")
    VIEW_AUDIT = "view_audit", _("查看审计日志")
    MANAGE_ACCOUNTS = "manage_accounts", _("管理账号")
    MANAGE_SECURITY = "manage_security", _("管理安全策略")
    VIEW_DUES = "view_dues", _("查看党费")
    MANAGE_DUES = "manage_dues", _("收缴党费")
    CONFIRM_DUES = "confirm_dues", _("审核党费(对账、减免)")
    MANAGE_TRANSFERS = "manage_transfers", _("办理组织关系转接")
    APPROVE_TRANSFERS = "approve_transfers", _("审批组织关系转接")
    MANAGE_RECRUITMENT = "manage_recruitment", _("办理发展党员")
    APPROVE_RECRUITMENT = "approve_recruitment", _("审批发展党员")
    VIEW_ORGLIFE = "view_orglife", _("查看组织生活")
    MANAGE_ORGLIFE = "manage_orglife", _("开展组织生活(计划、会议、纪要)")
    REVIEW_ORGLIFE = "review_orglife", _("审核组织生活计划、统计与督查")
    VIEW_TRAINING = "view_training", _("查看党校培训")
    MANAGE_TRAINING = "manage_training", _("管理党校培训(班次、学员、结业)")
    VIEW_STATISTICS = "view_statistics", _("查看党内统计")
    FILL_RETURNS = "fill_returns", _("填报数据报送")
    REVIEW_RETURNS = "review_returns", _("发起和审核数据报送")
    VIEW_STUDY = "view_study", _("查看学习学时台账")
    RECORD_STUDY = "record_study", _("登记专题培训学时")
    VIEW_INSIGHTS = "view_insights", _("查看评价指数与体检报告")
    MANAGE_INDICES = "manage_indices", _("设置评价指标与指数")
    HANDLE_WARNINGS = "handle_warnings", _("查看和处理预警")
    MANAGE_APPRAISAL = "manage_appraisal", _("组织民主评议党员")
    ASSESS_ORGS = "assess_orgs", _("述职评议考核")
    HANDLE_REQUESTS = "handle_requests", _("办理服务申请")
    PUBLISH_NEWS = "publish_news", _("撰写宣传稿件")
    REVIEW_NEWS = "review_news", _("审核、签发和撤回宣传稿件")


P = Permission
_ORGANIZER = frozenset(
    {
        P.VIEW_ORGS,
        P.MANAGE_ORGS,
        P.VIEW_PEOPLE,
        P.MANAGE_PEOPLE,
        P.MANAGE_MEMBERSHIPS,
        P.MANAGE_POSITIONS,
        P.VIEW_PII,
        P.EXPORT,
        P.VIEW_AUDIT,
        P.VIEW_DUES,
        P.MANAGE_DUES,
        P.CONFIRM_DUES,
        P.MANAGE_TRANSFERS,
        P.APPROVE_TRANSFERS,
        P.MANAGE_RECRUITMENT,
        P.APPROVE_RECRUITMENT,
        P.VIEW_ORGLIFE,
        P.MANAGE_ORGLIFE,
        P.REVIEW_ORGLIFE,
        # 党校 classes are run by a committee (the school's or a college's), not by a branch.
        P.VIEW_TRAINING,
        P.MANAGE_TRAINING,
        # 数据报送: an organizer fills the return of their organization and reviews the ones below.
        P.VIEW_STATISTICS,
        P.FILL_RETURNS,
        P.REVIEW_RETURNS,
        # 党员学习: the 32-hour ledger of the people below, and 专题培训 recorded with their hours.
        P.VIEW_STUDY,
        P.RECORD_STUDY,
        # 评价与预警: indices and 体检报告 of the organizations below, their warnings, 民主评议 and
        # 述职评议考核; the index definitions are set at the root only (insights.access).
        P.VIEW_INSIGHTS,
        P.MANAGE_INDICES,
        P.HANDLE_WARNINGS,
        P.MANAGE_APPRAISAL,
        P.ASSESS_ORGS,
        # 智慧服务: the requests addressed to the organizations below (经费、场地、证明…).
        P.HANDLE_REQUESTS,
        # 智慧宣传: an organizer writes for their organization and reviews (三审三校) what the
        # organizations below them write.
        P.PUBLISH_NEWS,
        P.REVIEW_NEWS,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.SCHOOL_ADMIN: _ORGANIZER,
    Role.COLLEGE_ORGANIZER: _ORGANIZER,
    Role.BRANCH_SECRETARY: frozenset(
        {
            P.VIEW_ORGS,
            P.VIEW_PEOPLE,
            P.MANAGE_PEOPLE,
            P.EXPORT,
            P.VIEW_DUES,
            P.MANAGE_DUES,
            P.MANAGE_TRANSFERS,
            P.MANAGE_RECRUITMENT,
            P.VIEW_ORGLIFE,
            P.MANAGE_ORGLIFE,
            # A branch's figures and the tables an upper organization asks the branch to fill.
            P.VIEW_STATISTICS,
            P.FILL_RETURNS,
            # The branch's study ledger (who is behind the 32 hours) and its own 专题培训.
            P.VIEW_STUDY,
            P.RECORD_STUDY,
            # The branch's own indices and 体检报告, its warnings, and its 民主评议党员.
            P.VIEW_INSIGHTS,
            P.HANDLE_WARNINGS,
            P.MANAGE_APPRAISAL,
            # 智慧服务: the members' requests to the branch, and the branch's own requests above.
            P.HANDLE_REQUESTS,
            # The branch writes its own news; the organizers above review and publish it.
            P.PUBLISH_NEWS,
        }
    ),
    Role.BRANCH_COMMITTEE: frozenset(
        {
            P.VIEW_ORGS,
            P.VIEW_PEOPLE,
            P.VIEW_DUES,
            P.VIEW_ORGLIFE,
            P.MANAGE_ORGLIFE,
            P.VIEW_STUDY,
            # The committee proposes the grades of 民主评议党员.
            P.MANAGE_APPRAISAL,
        }
    ),
    Role.SUPERVISOR: frozenset({P.VIEW_ORGS}),
    # 三权分立: the system administrator manages accounts but reads no member data; the auditor reads
    # only the audit log; the security administrator sets security policy.
    Role.SYSTEM_ADMIN: frozenset({P.MANAGE_ACCOUNTS}),
    Role.SECURITY_ADMIN: frozenset({P.MANAGE_SECURITY}),
    Role.AUDIT_ADMIN: frozenset({P.VIEW_AUDIT}),
}

# Roles whose scope is the whole school whatever org they are attached to.
GLOBAL_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Roles that must enrol and verify TOTP (unless OTP_REQUIRED_FOR_ADMIN_ROLES is off).
OTP_REQUIRED_ROLES = frozenset(
    {Role.SCHOOL_ADMIN, Role.COLLEGE_ORGANIZER, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
)

# Roles whose passwords follow the stricter rule (length, character classes, expiry) and whose sessions
# end sooner when idle: the same administrative set as TOTP.
ADMIN_ROLES = OTP_REQUIRED_ROLES

# A position held in a 党支部 grants the matching branch role automatically (computed at scope resolution).
POSITION_ROLES: dict[str, Role] = {
    "secretary": Role.BRANCH_SECRETARY,
    "deputy_secretary": Role.BRANCH_SECRETARY,
    "organization": Role.BRANCH_COMMITTEE,
    "publicity": Role.BRANCH_COMMITTEE,
    "discipline": Role.BRANCH_COMMITTEE,
    "youth": Role.BRANCH_COMMITTEE,
    "member": Role.BRANCH_COMMITTEE,
}

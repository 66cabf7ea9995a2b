"""组织生活's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="orglife",
    label=_("组织生活"),
    order=40,
    actions={
        "orglife.plan_create": _("制定组织生活计划"),
        "orglife.plan_submit": _("提交组织生活计划"),
        "orglife.plan_approve": _("审核通过组织生活计划"),
        "orglife.plan_return": _("退回组织生活计划"),
        "orglife.plan_copy": _("复制上月计划"),
        "orglife.compliance_remind": _("提醒支部补开组织生活"),
        "orglife.meeting_create": _("安排会议"),
        "orglife.meeting_update": _("修改会议"),
        "orglife.meeting_invite": _("邀请参会人员"),
        "orglife.meeting_notify": _("发送会议通知"),
        "orglife.meeting_cancel": _("取消会议"),
        "orglife.meeting_close": _("结束会议"),
        "orglife.check_in": _("会议签到"),
        "orglife.attendance_mark": _("批量标记出勤"),
        "orglife.calendar_feed_create": _("开通会议日历订阅"),
        "orglife.calendar_feed_reset": _("重置会议日历订阅地址"),
        "orglife.calendar_feed_revoke": _("停用会议日历订阅"),
        "orglife.leave_request": _("请假"),
        "orglife.leave_decide": _("审批请假"),
        "orglife.minutes_record": _("记录会议纪要"),
        "orglife.minutes_correct": _("更正会议纪要"),
        "orglife.attachment_add": _("上传会议附件"),
        "orglife.tally_repair": _("修复出勤统计表"),
        "orglife.absence_warning.raise": _("发出缺席预警"),
        "orglife.absence_warning.handle": _("处理缺席预警"),
        "orglife.export.meetings": _("导出会议列表"),
        "orglife.export.attendance": _("导出出勤记录"),
        "orglife.export.matrix": _("导出出勤统计表"),
        "orglife.supervisor_add": _("加入督查员库"),
        "orglife.supervisor_available": _("设置督查员是否可抽取"),
        "orglife.supervisor_remove": _("移出督查员库"),
        "orglife.supervision_draw": _("抽取督查员"),
        "orglife.supervision_feedback": _("提交督查反馈"),
        "orglife.supervision_problem_answer": _("答复督查问题"),
        "orglife.supervision_report_export": _("导出督查报告"),
    },
    fields={
        "period_kind": _("周期"),
        "period_start": _("周期开始"),
        "added": _("新增人数"),
        "notified": _("通知人数"),
        "role": _("角色"),
        "content": _("纪要内容"),
        "resolutions": _("决议"),
        "size": _("大小(字节)"),
        "meeting": _("会议编号"),
        "home_org": _("所在党组织编号"),
        "available": _("可抽取"),
        "keys": _("党组织编号与月份"),
    },
)

"""党员学习's audit action codes in words, for the audit log (``hooks.audit_actions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.hooks import AuditActions

ACTIONS = AuditActions(
    key="learning",
    label=_("党员学习"),
    order=55,
    actions={
        "learning.class_create": _("开设培训班"),
        "learning.class_update": _("修改培训班"),
        "learning.class_close": _("结业培训班"),
        "learning.enrol": _("报名培训班"),
        "learning.unenrol": _("取消报名"),
        "learning.result": _("登记培训成绩"),
        "learning.complete": _("培训结业"),
        "learning.step_retry": _("重试记录发展步骤"),
        "learning.export": _("导出学员名单"),
        "learning.hours_orglife": _("组织生活计入学时"),
        "learning.topic_create": _("登记专题培训"),
        "learning.topic_people_add": _("专题培训添加参训人员"),
        "learning.topic_person_remove": _("专题培训移除参训人员"),
        "learning.study_reminders": _("学时进度提醒"),
        "learning.ledger_export": _("导出学习学时台账"),
        "learning.question_create": _("添加试题"),
        "learning.question_update": _("修改试题"),
        "learning.question_retire": _("停用试题"),
        "learning.question_export": _("导出题库"),
        "learning.quiz_create": _("新建测试"),
        "learning.quiz_update": _("修改测试"),
        "learning.quiz_publish": _("发布测试"),
        "learning.quiz_export": _("导出测试成绩"),
        "learning.attempt_start": _("开始答题"),
        "learning.attempt_answers": _("保存答案"),
        "learning.attempt_submit": _("交卷"),
        "learning.attempt_expire": _("超时自动交卷"),
    },
    fields={
        "class": _("培训班编号"),
        "batch": _("来源批次"),
        "added": _("计入学时的人员"),
        "reversed": _("冲销学时的人员"),
        "people": _("人数"),
        "month": _("月份"),
        "enrolment": _("报名编号"),
        "enrolled": _("报名人数"),
        "passed": _("合格人数"),
        "steps": _("记录的发展步骤"),
        "step": _("发展步骤"),
        "quiz": _("测试编号"),
        "number": _("第几次"),
        "seed": _("组卷随机种子"),
        "score": _("得分"),
        "positions": _("题号"),
        "rules": _("组卷规则"),
        "topic": _("专题"),
        "text": _("题干"),
        "is_active": _("在用"),
    },
)

"""The 25 steps of 发展党员 (《中国共产党发展党员工作细则》; ../shared/DOMAIN.md §3). A 校级管理员 may edit
names, documents and block/warn per school afterwards; codes and order are what the code relies on."""

from django.db import migrations

STEPS = [
    # number, code, name, stage, actor, rule, mode, enters_stage, repeatable, documents
    (1, "apply", "递交入党申请书", "applicant", "person", "age", "block", "", False, "入党申请书"),
    (2, "talk", "党组织派人谈话", "applicant", "branch", "talk", "warn", "", False, "谈话记录"),
    (3, "activist", "推荐和确定入党积极分子", "applicant", "branch", "", "warn", "activist", False, "推优材料、支委会记录"),
    (4, "activist_filed", "上级党委备案", "activist", "upper", "", "warn", "", False, "备案表"),
    (5, "contacts", "指定培养联系人", "activist", "branch", "contacts", "block", "", False, ""),
    (6, "evaluation", "培养教育考察", "activist", "branch", "", "warn", "", True, "半年考察记录"),
    (7, "candidate", "确定发展对象", "activist", "branch", "activist_year", "block", "candidate", False, "支委会记录、公示材料"),
    (8, "candidate_filed", "报上级党委备案", "candidate", "upper", "publicity", "block", "", False, "公示情况报告"),
    (9, "introducers", "确定入党介绍人", "candidate", "branch", "introducers", "block", "", False, ""),
    (10, "political_review", "进行政治审查", "candidate", "branch", "", "block", "", False, "政审结论"),
    (11, "training", "开展集中培训", "candidate", "upper", "training", "block", "", False, "结业证书"),
    (12, "committee_review", "支部委员会审查", "candidate", "branch", "", "warn", "", False, "支委会记录"),
    (13, "prereview", "上级党委预审", "candidate", "upper", "leaving", "block", "", False, "预审意见"),
    (14, "application_form", "填写入党志愿书", "candidate", "person", "", "warn", "", False, "入党志愿书"),
    (15, "branch_meeting", "支部大会讨论接收", "candidate", "branch", "meeting", "block", "", False, "支部大会决议、表决结果"),
    (16, "upper_talk", "上级党委派人谈话", "candidate", "upper", "", "warn", "", False, "谈话记录"),
    (17, "approval", "上级党委审批", "candidate", "upper", "approval", "warn", "probationary", False, "审批意见"),
    (18, "approval_filed", "再上一级党委组织部门备案", "probationary", "upper", "", "warn", "", False, "备案表"),
    (19, "assign_group", "编入党支部和党小组", "probationary", "branch", "", "warn", "", False, ""),
    (20, "oath", "入党宣誓", "probationary", "branch", "oath", "warn", "", False, ""),
    (21, "probation_education", "继续教育考察", "probationary", "branch", "", "warn", "", True, "考察记录"),
    (22, "full_application", "提出转正申请", "probationary", "person", "", "warn", "", False, "转正申请书"),
    (23, "full_meeting", "支部大会讨论转正", "probationary", "branch", "full_meeting", "block", "", False, "支部大会决议、表决结果"),
    (24, "full_approval", "上级党委审批转正", "probationary", "upper", "full_approval", "warn", "full", False, "审批意见"),
    (25, "archive", "材料归档", "full", "upper", "", "warn", "", False, "入党材料"),
]


def load(apps, schema_editor):
    StepDefinition = apps.get_model("recruitment", "StepDefinition")
    for number, code, name, stage, actor, rule, mode, enters, repeatable, documents in STEPS:
        StepDefinition.objects.update_or_create(
            code=code,
            defaults={
                "number": number, "name": name, "stage": stage, "actor": actor, "rule": rule, "mode": mode,
                "enters_stage": enters, "repeatable": repeatable, "documents": documents,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

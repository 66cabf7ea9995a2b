from django.urls import path

from dangjian.accounts.roles import Permission
from dangjian.kit.access_rules import declare_url, own, within
from dangjian.learning.exams import views
from dangjian.learning.exams.imports import JOB_KIND
from dangjian.spreadsheets import views as import_views

app_name = "exams"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("bank/", views.bank, name="bank"),
    path("bank/export.xlsx", views.bank_export, name="bank_export"),
    path("bank/new/", views.question_new, name="question_new"),
    path("bank/<int:question_id>/edit/", views.question_edit, name="question_edit"),
    path("bank/<int:question_id>/retire/", views.question_retire, name="question_retire"),
    path("bank/import/<int:org_id>/", import_views.upload, {"kind": JOB_KIND}, name="import"),
    path(
        "bank/import/<int:org_id>/template/",
        import_views.template,
        {"kind": JOB_KIND},
        name="import_template",
    ),
    path(
        "bank/import/<int:org_id>/<int:job_id>/commit/",
        import_views.commit,
        {"kind": JOB_KIND},
        name="import_commit",
    ),
    path("quizzes/", views.quiz_list, name="quizzes"),
    path("quizzes/new/", views.quiz_new, name="quiz_new"),
    path("quizzes/<int:quiz_id>/", views.quiz_detail, name="quiz"),
    path("quizzes/<int:quiz_id>/edit/", views.quiz_edit, name="quiz_edit"),
    path("quizzes/<int:quiz_id>/publish/", views.quiz_publish, name="quiz_publish"),
    path("quizzes/<int:quiz_id>/export.xlsx", views.quiz_export, name="quiz_export"),
    path("quizzes/<int:quiz_id>/start/", views.start, name="start"),
    path("attempts/<int:attempt_id>/", views.attempt, name="attempt"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit, name="attempt_submit"),
]

# The shared import views (spreadsheets) serve every kind: their access is declared here, where mounted.
declare_url("exams:import", within(Permission.MANAGE_TRAINING))
declare_url("exams:import_template", within(Permission.MANAGE_TRAINING))
declare_url("exams:import_commit", own())

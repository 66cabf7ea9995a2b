from django.urls import path

from dangjian.accounts.roles import Permission
from dangjian.kit.access_rules import declare_url, own, within
from dangjian.learning import views
from dangjian.learning.imports import JOB_KIND
from dangjian.learning.ledger import views as ledger_views
from dangjian.learning.library.urls import urlpatterns as library_urls
from dangjian.spreadsheets import views as import_views

app_name = "learning"

urlpatterns = [
    path("", views.class_list, name="classes"),
    path("new/", views.class_new, name="class_new"),
    path("certificates/", views.certificates, name="certificates"),
    path("me/", views.my_training, name="me"),
    *library_urls,
    path("hours/", ledger_views.ledger_home, name="ledger_home"),
    path("hours/<int:org_id>/", ledger_views.ledger, name="ledger"),
    path("hours/<int:org_id>/export.xlsx", ledger_views.ledger_export, name="ledger_export"),
    path("hours/people/<int:person_id>/", ledger_views.person_rows, name="person_hours"),
    path("topics/", ledger_views.topic_list, name="topics"),
    path("topics/new/", ledger_views.topic_new, name="topic_new"),
    path("topics/<int:topic_id>/", ledger_views.topic_detail, name="topic"),
    path("topics/<int:topic_id>/add/", ledger_views.topic_add, name="topic_add"),
    path(
        "topics/<int:topic_id>/people/<int:person_id>/remove/", ledger_views.topic_remove, name="topic_remove"
    ),
    path("<int:class_id>/", views.class_detail, name="class"),
    path("<int:class_id>/export.xlsx", views.class_export, name="class_export"),
    path("<int:class_id>/edit/", views.class_edit, name="class_edit"),
    path("<int:class_id>/enrol/", views.enrol, name="enrol"),
    path("<int:class_id>/enrolments/<int:enrolment_id>/", views.enrolment_result, name="result"),
    path("<int:class_id>/enrolments/<int:enrolment_id>/remove/", views.enrolment_remove, name="unenrol"),
    path("<int:class_id>/enrolments/<int:enrolment_id>/step/", views.enrolment_step, name="step"),
    path("<int:class_id>/close/", views.class_close, name="close"),
    path("<int:class_id>/import/", import_views.upload, {"kind": JOB_KIND}, name="import"),
    path(
        "<int:class_id>/import/template/", import_views.template, {"kind": JOB_KIND}, name="import_template"
    ),
    path(
        "<int:class_id>/import/<int:job_id>/commit/",
        import_views.commit,
        {"kind": JOB_KIND},
        name="import_commit",
    ),
]

# The shared import views (spreadsheets) serve every kind: their access is declared here, where mounted.
declare_url("learning:import", within(Permission.MANAGE_TRAINING))
declare_url("learning:import_template", within(Permission.MANAGE_TRAINING))
declare_url("learning:import_commit", own())

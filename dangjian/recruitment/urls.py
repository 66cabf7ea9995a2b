from django.urls import path

from dangjian.accounts.roles import Permission
from dangjian.kit.access_rules import anywhere, declare_url, own
from dangjian.recruitment import (
    views,
    views_alerts,
    views_batch,
    views_documents,
    views_excel,
    views_holidays,
    views_review,
    views_self,
)
from dangjian.recruitment.imports import JOB_KIND
from dangjian.spreadsheets import views as import_views

app_name = "recruitment"
urlpatterns = [
    path("", views.board, name="board"),
    path("me/", views_self.me, name="me"),
    path("alerts/", views_alerts.alerts, name="alerts"),
    path("export.xlsx", views_excel.export, name="export"),
    path("import/", import_views.upload, {"kind": JOB_KIND}, name="import"),
    path("import/template.xlsx", import_views.template, {"kind": JOB_KIND}, name="import_template"),
    path("import/<int:job_id>/commit/", import_views.commit, {"kind": JOB_KIND}, name="import_commit"),
    path("holidays/", views_holidays.holidays, name="holidays"),
    path("holidays/<int:year>/", views_holidays.holiday_year, name="holiday_year"),
    path("open/<int:person_id>/", views.case_open, name="open"),
    path("queue/", views.queue, name="queue"),
    path("batch/", views_batch.batch, name="batch"),
    path("case/<int:case_id>/", views.case_detail, name="case"),
    path("case/<int:case_id>/record.pdf", views.record_pdf, name="record_pdf"),
    path("case/<int:case_id>/extend/", views.extend, name="extend"),
    path("case/<int:case_id>/cancel/", views_review.cancel_probation, name="cancel"),
    path("case/<int:case_id>/return/", views_review.step_return, name="return"),
    path("case/<int:case_id>/resubmit/<int:record_id>/", views_review.step_resubmit, name="resubmit"),
    path(
        "case/<int:case_id>/records/<int:record_id>/documents/",
        views_documents.document_add,
        name="document_add",
    ),
    path(
        "case/<int:case_id>/documents/<int:document_id>/",
        views_documents.document_download,
        name="document",
    ),
    path("case/<int:case_id>/steps/<str:code>/", views.step_new, name="step_new"),
]

# The shared import views (spreadsheets) serve every kind: their access is declared here, where mounted.
declare_url("recruitment:import", anywhere(Permission.MANAGE_RECRUITMENT))
declare_url("recruitment:import_template", anywhere(Permission.MANAGE_RECRUITMENT))
declare_url("recruitment:import_commit", own())

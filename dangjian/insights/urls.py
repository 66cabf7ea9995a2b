"""The pages of 评价与预警 under /insights/: one block per part of the module."""

from django.urls import path

from dangjian.insights.assessment import views as assessment
from dangjian.insights.dashboard import views as dashboard
from dangjian.insights.indices import views as indices
from dangjian.insights.reports import views as reports
from dangjian.insights.warnings.urls import urlpatterns as warning_urls

app_name = "insights"

urlpatterns = [
    # ---- 评价指数
    path("", indices.matrix, name="home"),
    path("org/<int:org_id>/", indices.org_indices, name="org"),
    path("indices/", indices.definitions, name="definitions"),
    path("indices/<str:index>/new/", indices.version_new, name="version_new"),
    path("compute/", indices.compute, name="compute"),
    # ---- 领导驾驶舱
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    # ---- 体检报告
    path("org/<int:org_id>/report/", reports.report, name="report"),
    path("org/<int:org_id>/report.pdf", reports.report_pdf, name="report_pdf"),
    path("org/<int:org_id>/reports/send/", reports.reports_send, name="reports_send"),
    # ---- 述职评议考核 (insights.assessment)
    path("assessments/", assessment.assessments, name="assessments"),
    path("assessments/new/<int:org_id>/", assessment.assessment_new, name="assessment_new"),
    path("assessments/<int:assessment_id>/", assessment.assessment_detail, name="assessment"),
    path(
        "assessments/<int:assessment_id>/advance/", assessment.assessment_advance, name="assessment_advance"
    ),
    path(
        "assessments/<int:assessment_id>/refresh/", assessment.indicators_refresh, name="assessment_refresh"
    ),
    path(
        "assessments/<int:assessment_id>/secretaries/",
        assessment.secretaries_refresh,
        name="assessment_secretaries",
    ),
    path(
        "assessments/<int:assessment_id>/publish/", assessment.assessment_publish, name="assessment_publish"
    ),
    path("assessments/<int:assessment_id>/reviewers/", assessment.reviewers, name="assessment_reviewers"),
    path("assessments/<int:assessment_id>/grades/", assessment.grades, name="assessment_grades"),
    path("assessments/<int:assessment_id>/score/", assessment.score, name="assessment_score"),
    path(
        "assessments/<int:assessment_id>/targets/<int:target_id>/",
        assessment.target,
        name="assessment_target",
    ),
    # ---- 预警 centre (insights.warnings)
    *warning_urls,
]

"""The pages of 评价与预警 under /insights/: one block per part of the module."""

from django.urls import path

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
    # ---- 预警 centre (insights.warnings)
    *warning_urls,
]

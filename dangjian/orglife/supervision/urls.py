"""督查 routes, included under /orglife/supervision/ in the "orglife" namespace (names start with sup_)."""

from django.urls import path

from dangjian.orglife.supervision import views as v

urlpatterns = [
    path("", v.home, name="sup_home"),
    path("pool/", v.pool, name="sup_pool"),
    path("pool/add/", v.pool_add, name="sup_pool_add"),
    path("pool/<int:supervisor_id>/available/", v.pool_available, name="sup_pool_available"),
    path("pool/<int:supervisor_id>/remove/", v.pool_remove, name="sup_pool_remove"),
    path("draws/", v.draws, name="sup_draws"),
    path("draws/new/", v.draw_new, name="sup_draw_new"),
    path("draws/<int:draw_id>/", v.draw_detail, name="sup_draw"),
    path("tasks/", v.tasks, name="sup_tasks"),
    path("tasks/<int:assignment_id>/", v.assignment_detail, name="sup_assignment"),
    path("tasks/<int:assignment_id>/feedback/", v.feedback_new, name="sup_feedback"),
    path("problems/", v.problems, name="sup_problems"),
    path("problems/<int:problem_id>/answer/", v.problem_answer, name="sup_problem_answer"),
    path("report/", v.report, name="sup_report"),
    path("report/pdf/", v.report_pdf, name="sup_report_pdf"),
    path("report/xlsx/", v.report_xlsx, name="sup_report_xlsx"),
]

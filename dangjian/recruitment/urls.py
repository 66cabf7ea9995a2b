from django.urls import path

from dangjian.recruitment import views

app_name = "recruitment"
urlpatterns = [
    path("", views.board, name="board"),
    path("open/<int:person_id>/", views.case_open, name="open"),
    path("queue/", views.queue, name="queue"),
    path("case/<int:case_id>/", views.case_detail, name="case"),
    path("case/<int:case_id>/record.pdf", views.record_pdf, name="record_pdf"),
    path("case/<int:case_id>/extend/", views.extend, name="extend"),
    path("case/<int:case_id>/steps/<str:code>/", views.step_new, name="step_new"),
]

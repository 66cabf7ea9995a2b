from django.urls import path

from dangjian.appraisal import views

app_name = "appraisal"

urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("me/", views.mine, name="mine"),
    path("orgs/<int:org_id>/", views.overview, name="overview"),
    path("orgs/<int:org_id>/new/", views.round_new, name="round_new"),
    path("<int:round_id>/", views.round_detail, name="round"),
    path("<int:round_id>/advance/", views.round_advance, name="advance"),
    path("<int:round_id>/proposals/", views.proposals, name="proposals"),
    path("<int:round_id>/decision/", views.decision, name="decision"),
    path("<int:round_id>/results/", views.results, name="results"),
    path("<int:round_id>/report/", views.report, name="report"),
    path("<int:round_id>/close/", views.close, name="close"),
    path("<int:round_id>/participants/<int:participant_id>/handling/", views.handling, name="handling"),
    path("<int:round_id>/me/", views.my_round, name="my_round"),
    path("<int:round_id>/me/review/", views.my_review, name="my_review"),
    path("<int:round_id>/me/ratings/", views.my_ratings, name="my_ratings"),
]

"""The platform's URLs plus the pages of the test kinds (``flow_kinds``), as a module mounts them."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as platform
from dangjian.spreadsheets import views

flow = [
    path("", lambda request: HttpResponse("home"), name="home"),
    path("import/", views.upload, {"kind": "flow_groups"}, name="import"),
    path("import/template.xlsx", views.template, {"kind": "flow_groups"}, name="import_template"),
    path("import/<int:job_id>/commit/", views.commit, {"kind": "flow_groups"}, name="import_commit"),
    path("<int:group_id>/import/", views.upload, {"kind": "flow_members"}, name="members"),
    path(
        "<int:group_id>/import/template.xlsx",
        views.template,
        {"kind": "flow_members"},
        name="members_template",
    ),
    path(
        "<int:group_id>/import/<int:job_id>/commit/",
        views.commit,
        {"kind": "flow_members"},
        name="members_commit",
    ),
    # A kind's page under a URL the kind does not name answers 404.
    path("elsewhere/", views.upload, {"kind": "flow_groups"}, name="elsewhere"),
]

urlpatterns = [*platform, path("flow/", include((flow, "flow")))]

from django.urls import path

from dangjian.returns import views

app_name = "returns"

urlpatterns = [
    path("", views.return_list, name="list"),
    path("new/", views.return_new, name="new"),
    path("<int:return_id>/", views.return_detail, name="detail"),
    path("<int:return_id>/edit/", views.return_edit, name="edit"),
    path("<int:return_id>/fields/add/", views.field_add, name="field_add"),
    path("<int:return_id>/open/", views.return_open, name="open"),
    path("<int:return_id>/close/", views.return_close, name="close"),
    path("<int:return_id>/remind/", views.return_remind, name="remind"),
    path("<int:return_id>/export.xlsx", views.return_export, name="export"),
    path("fields/<int:field_id>/remove/", views.field_remove, name="field_remove"),
    path("assignments/<int:assignment_id>/", views.assignment_fill, name="fill"),
    path("assignments/<int:assignment_id>/return/", views.assignment_return, name="return"),
    path("assignments/<int:assignment_id>/accept/", views.assignment_accept, name="accept"),
    path("assignments/<int:assignment_id>/remind/", views.assignment_remind, name="remind_one"),
    path("files/<int:file_id>/", views.row_file, name="file"),
    path("annual/new/", views.annual_new, name="annual_new"),
    path("<int:return_id>/total/", views.annual_total, name="annual_total"),
    path("<int:return_id>/lock/", views.annual_lock, name="lock"),
    path("<int:return_id>/reopen/", views.annual_reopen, name="reopen"),
    path("assignments/<int:assignment_id>/compare/", views.annual_compare, name="compare"),
]

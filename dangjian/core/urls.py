from django.urls import path

from dangjian.accounts.roles import Permission
from dangjian.core import views, views_people
from dangjian.kit.access_rules import anywhere, declare_url, own
from dangjian.spreadsheets import views as imports

app_name = "core"
urlpatterns = [
    path("orgs/", views.org_tree, name="org_tree"),
    path("orgs/rule-checks/", views.rule_checks, name="rule_checks"),
    path("orgs/export.xlsx", views.org_export, name="org_export"),
    path("orgs/<int:org_id>/", views.org_detail, name="org_detail"),
    path("orgs/<int:org_id>/children/", views.org_children, name="org_children"),
    path("orgs/<int:org_id>/new-child/", views.org_create, name="org_create"),
    path("orgs/<int:org_id>/edit/", views.org_edit, name="org_edit"),
    path("orgs/<int:org_id>/move/", views.org_move, name="org_move"),
    path("orgs/<int:org_id>/dissolve/", views.org_dissolve, name="org_dissolve"),
    path("orgs/<int:org_id>/new-term/", views.org_new_term, name="org_new_term"),
    path("orgs/<int:org_id>/positions/new/", views.position_assign, name="position_assign"),
    path("positions/<int:position_id>/end/", views.position_end, name="position_end"),
    path("people/", views_people.person_list_view, name="person_list"),
    path("people/export.xlsx", views_people.person_export, name="person_export"),
    path("people/export-unmasked/", views_people.person_export_unmasked, name="person_export_unmasked"),
    path("people/new/", views_people.person_create, name="person_create"),
    # The shared import page of the kinds with a name (hooks.imports; the one flow of spreadsheets).
    path("imports/<str:name>/", imports.upload, name="import"),
    path("imports/<str:name>/template.xlsx", imports.template, name="import_template"),
    path("imports/job/<int:job_id>/commit/", imports.commit, name="import_commit"),
    path("people/<int:person_id>/", views_people.person_detail, name="person_detail"),
    path("people/<int:person_id>/history/", views_people.person_history_view, name="person_history"),
    path("people/<int:person_id>/cards/<str:key>/", views_people.person_card, name="person_card"),
    path("people/<int:person_id>/edit/", views_people.person_edit, name="person_edit"),
    path("people/<int:person_id>/membership/", views_people.membership_admit, name="membership_admit"),
    path("people/<int:person_id>/standing/", views_people.membership_standing, name="membership_standing"),
    path("people/<int:person_id>/leave/", views_people.person_leave, name="person_leave"),
    path("people/<int:person_id>/cadre/", views_people.cadre_edit, name="cadre_edit"),
    path(
        "people/<int:person_id>/democratic-party/",
        views_people.democratic_party_edit,
        name="democratic_party_edit",
    ),
]

# The shared import views (spreadsheets) serve every kind: their access is declared here, where mounted.
declare_url("core:import", anywhere(Permission.MANAGE_PEOPLE))
declare_url("core:import_template", anywhere(Permission.MANAGE_PEOPLE))
declare_url("core:import_commit", own())

from django.urls import path

from dangjian.dues import views

app_name = "dues"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_dues, name="me"),
    path("me/declare/", views.declare, name="declare"),
    path("me/pay-online/", views.pay_online, name="pay_online"),
    path("online/notify/<str:provider_name>/", views.online_notify, name="online_notify"),
    path("org/<int:org_id>/", views.org_page, name="org"),
    path("org/<int:org_id>/export.xlsx", views.org_export, name="org_export"),
    path("org/<int:org_id>/sheet.pdf", views.org_sheet_pdf, name="org_sheet_pdf"),
    path("org/<int:org_id>/annual/", views.annual, name="annual"),
    path("org/<int:org_id>/submit/", views.report_submit, name="report_submit"),
    path("org/<int:org_id>/year/", views.year_confirm, name="year_confirm"),
    path("reports/", views.confirm_queue, name="confirm_queue"),
    path("reports/<int:report_id>/confirm/", views.report_confirm, name="report_confirm"),
    path("reports/<int:report_id>/return/", views.report_return, name="report_return"),
    path("bills/generate/", views.generate_bills, name="generate_bills"),
    path("person/<int:person_id>/", views.person_page, name="person"),
    path("person/<int:person_id>/standard/", views.assessment_edit, name="assessment_edit"),
    path("person/<int:person_id>/pay/", views.payment_new, name="payment_new"),
    path("person/<int:person_id>/large/", views.large_payment_new, name="large_payment_new"),
    path("person/<int:person_id>/relief/", views.relief_new, name="relief_new"),
    path("entries/<int:entry_id>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("reliefs/", views.relief_queue, name="reliefs"),
    path("reliefs/<int:relief_id>/decide/", views.relief_decide, name="relief_decide"),
    path("declarations/", views.declaration_queue, name="declarations"),
    path("declarations/confirm/", views.declarations_confirm, name="declarations_confirm"),
    path("declarations/<int:declaration_id>/decide/", views.declaration_decide, name="declaration_decide"),
]

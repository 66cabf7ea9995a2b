from django.urls import path

from dangjian.transfers import views

app_name = "transfers"
urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("start/<int:person_id>/", views.transfer_start, name="start"),
    path("incoming/", views.transfer_record_in, name="record_in"),
    path("graduates/", views.graduates, name="graduates"),
    path("export.xlsx", views.transfer_export, name="export"),
    path("<int:transfer_id>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("<int:transfer_id>/", views.transfer_detail, name="detail"),
    path("<int:transfer_id>/approve/", views.transfer_approve, name="approve"),
    path("<int:transfer_id>/reject/", views.transfer_reject, name="reject"),
    path("<int:transfer_id>/withdraw/", views.transfer_withdraw, name="withdraw"),
    path("<int:transfer_id>/accept/", views.transfer_accept, name="accept"),
    path("<int:transfer_id>/complete/", views.transfer_complete, name="complete"),
    path("letters/<int:letter_id>.pdf", views.letter_pdf, name="letter_pdf"),
    path("letters/<int:letter_id>/reissue/", views.letter_reissue, name="letter_reissue"),
]

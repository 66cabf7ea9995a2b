from django.urls import path

from dangjian.onestop import views

app_name = "onestop"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/<str:kind>/", views.request_new, name="request_new"),
    path("requests/<int:request_id>/rate/", views.rate, name="rate"),
    path("handle/", views.handle_list, name="handle"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/take/", views.take, name="take"),
    path("requests/<int:request_id>/complete/", views.complete, name="complete"),
    path("requests/<int:request_id>/refuse/", views.refuse, name="refuse"),
    path("proofs/<int:proof_id>/pdf/", views.proof_pdf, name="proof_pdf"),
    path("proofs/<int:proof_id>/withdraw/", views.proof_withdraw, name="proof_withdraw"),
]

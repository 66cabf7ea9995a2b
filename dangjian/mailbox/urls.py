from django.urls import path

from dangjian.mailbox import views

app_name = "mailbox"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine/write/", views.write, name="write"),
    path("mine/<int:letter_id>/", views.own_letter, name="own"),
    path("mine/<int:letter_id>/close/", views.own_close, name="own_close"),
    path("mine/<int:letter_id>/rate/", views.rate, name="rate"),
    path("inbox/", views.inbox, name="inbox"),
    path("letters/<int:letter_id>/", views.letter_detail, name="letter"),
    path("letters/<int:letter_id>/reply/", views.reply, name="reply"),
    path("letters/<int:letter_id>/transfer/", views.transfer, name="transfer"),
    path("letters/<int:letter_id>/close/", views.close, name="close"),
]

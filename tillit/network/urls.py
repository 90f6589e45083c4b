from django.urls import path

from tillit.network import views

app_name = "network"
urlpatterns = [
    path("clients/<id:pk>/", views.network_map, name="map"),
    path("clients/<id:pk>/members/", views.member_add, name="member_add"),
    path("members/<id:pk>/", views.member_detail, name="member"),
    path("members/<id:pk>/move/", views.member_move, name="member_move"),
    path("members/<id:pk>/end/", views.member_end, name="member_end"),
    path("members/<id:pk>/consents/", views.consent_give, name="consent_give"),
    path("consents/<id:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("cases/<id:pk>/conferences/new/", views.conference_new, name="conference_new"),
    path("conferences/<id:pk>/", views.conference_detail, name="conference"),
    path("units/<id:pk>/conferences/", views.unit_conferences, name="unit_conferences"),
    path("cases/<id:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<id:pk>/", views.meeting_detail, name="meeting"),
]

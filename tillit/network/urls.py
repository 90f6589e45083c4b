from django.urls import path

from tillit.network import views

app_name = "network"
urlpatterns = [
    path("clients/<int:pk>/", views.network_map, name="map"),
    path("clients/<int:pk>/members/", views.member_add, name="member_add"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("members/<int:pk>/move/", views.member_move, name="member_move"),
    path("members/<int:pk>/end/", views.member_end, name="member_end"),
    path("members/<int:pk>/consents/", views.consent_give, name="consent_give"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("cases/<int:pk>/conferences/new/", views.conference_new, name="conference_new"),
    path("conferences/<int:pk>/", views.conference_detail, name="conference"),
    path("units/<int:pk>/conferences/", views.unit_conferences, name="unit_conferences"),
    path("cases/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
]

from django.urls import path

from tillit.clients import search, views

app_name = "clients"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("cases/closed/", search.closed, name="closed"),
    path("clients/search/", search.search, name="search"),
    path("clients/new/", views.person_new, name="person_new"),
    path("clients/<id:pk>/", views.person_detail, name="person"),
    path("cases/<id:pk>/journal/new/", views.entry_create, name="entry_create"),
    path("cases/<id:pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<id:pk>/inquiry/", views.case_inquiry, name="case_inquiry"),
    path("cases/<id:pk>/handover/", views.case_handover, name="case_handover"),
    path("handovers/<id:pk>/accept/", views.handover_accept, name="handover_accept"),
    path("handovers/<id:pk>/decline/", views.handover_decline, name="handover_decline"),
    path("journal/<id:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("journal/<id:pk>/sign/", views.entry_sign, name="entry_sign"),
    path("journal/<id:pk>/correct/", views.entry_correct, name="entry_correct"),
    path("units/<id:pk>/", views.unit_detail, name="unit"),
    path("emergency/", views.emergency_access, name="emergency"),
]

from django.urls import path

from tillit.clients import views

app_name = "clients"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("clients/new/", views.person_new, name="person_new"),
    path("clients/<int:pk>/", views.person_detail, name="person"),
    path("cases/<int:pk>/journal/new/", views.entry_create, name="entry_create"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/status/", views.case_status, name="case_status"),
    path("journal/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("journal/<int:pk>/sign/", views.entry_sign, name="entry_sign"),
    path("journal/<int:pk>/correct/", views.entry_correct, name="entry_correct"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("emergency/", views.emergency_access, name="emergency"),
]

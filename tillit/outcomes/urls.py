from django.urls import path

from tillit.outcomes import reports, views, visits

app_name = "outcomes"
urlpatterns = [
    path("clients/<id:pk>/interventions/", views.person, name="person"),
    path("cases/<id:pk>/interventions/new/", views.add, name="add"),
    path("interventions/<id:pk>/end/", views.end, name="end"),
    path("statistics/1-november/", reports.november, name="november"),
    path("statistics/1-november.csv", reports.november_csv, name="november_csv"),
    path("providers/", reports.providers, name="providers"),
    # Services without needs assessment (visits.py).
    path("low-threshold/", visits.home, name="low_threshold"),
    path("low-threshold/services/<id:pk>/", visits.visit_new, name="visit_new"),
    path("low-threshold/services/<id:pk>/active/", visits.service_active, name="service_active"),
    path("clients/<id:pk>/visits/link/", visits.visit_link, name="visit_link"),
    path("statistics/low-threshold/", visits.statistics, name="visit_statistics"),
    path("statistics/low-threshold.csv", visits.statistics_csv, name="visit_statistics_csv"),
]

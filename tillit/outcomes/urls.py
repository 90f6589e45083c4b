from django.urls import path

from tillit.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("clients/<id:pk>/interventions/", views.person, name="person"),
    path("cases/<id:pk>/interventions/new/", views.add, name="add"),
    path("interventions/<id:pk>/end/", views.end, name="end"),
]

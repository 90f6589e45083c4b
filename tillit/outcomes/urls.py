from django.urls import path

from tillit.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("clients/<int:pk>/interventions/", views.person, name="person"),
    path("cases/<int:pk>/interventions/new/", views.add, name="add"),
    path("interventions/<int:pk>/end/", views.end, name="end"),
]
